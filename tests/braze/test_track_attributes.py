"""Standard and custom attributes as Braze stores them (user_attributes_object.md, custom_attributes.md)."""

from __future__ import annotations

import zoneinfo

import pytest

from harness.braze import Code, FakeBraze, FakeBrazeConfig
from harness.braze.service.time_zones import RAILS_TIME_ZONES

from .support import Client


def attrs(client: Client, fake: FakeBraze, **values: object) -> dict:
    reply = client.track(attributes=[{"external_id": "u1", **values}])
    assert reply.status == 201, reply.body
    return fake.user("u1").custom_attributes


def one_error(client: Client, **values: object) -> str:
    reply = client.track(attributes=[{"external_id": "u1", **values}])
    assert reply.status == 400
    [error] = reply.body["errors"]
    return error["type"]


# -- standard fields -------------------------------------------------------------------------------
def test_standard_fields_are_stored_by_their_braze_names(client: Client, fake: FakeBraze) -> None:
    client.track(
        attributes=[
            {
                "external_id": "u1",
                "first_name": "Jane",
                "last_name": "Doe",
                "dob": "1990-05-15",
                "gender": "F",
                "home_city": "Paris",
                "email_subscribe": "opted_in",
                "language": "fr",
                "time_zone": "Europe/Paris",
                "current_location": {"latitude": 48.85, "longitude": 2.35},
            }
        ]
    )
    user = fake.user("u1")
    assert user.standard["dob"] == "1990-05-15" and user.standard["gender"] == "F"
    assert user.export()["last_coordinates"] == [2.35, 48.85]
    assert user.custom_attributes == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [("dob", "1990-5-15"), ("dob", "2023-02-30"), ("gender", "female"), ("email_subscribe", "yes"), ("gender", "m")],
)
def test_invalid_standard_values_reject_the_object(client: Client, field: str, value: str) -> None:
    assert one_error(client, **{field: value}) == f"'{field}' is not valid"


def test_invalid_email_uses_brazes_wording(client: Client) -> None:
    assert one_error(client, email="not-an-email") == "The value provided for the 'email' field is not a valid email."


def test_unicode_local_part_email_is_accepted(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"external_id": "u1", "email": "jöhn@exämple.com"}])
    assert fake.user("u1").email == "jöhn@exämple.com"


@pytest.mark.parametrize(
    ("sent", "stored"), [("FR", "FR"), ("France", "FR"), ("United States", "US"), ("USA", "US"), ("Atlantis", None)]
)
def test_country_is_mapped_best_effort_or_set_to_null(
    client: Client, fake: FakeBraze, sent: str, stored: str | None
) -> None:
    client.track(attributes=[{"external_id": "u1", "country": "DE"}])
    client.track(attributes=[{"external_id": "u1", "country": sent}])
    assert fake.user("u1").standard.get("country") == stored


def test_invalid_language_and_time_zone_are_not_set(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"external_id": "u1", "language": "xx", "time_zone": "Mars/Olympus"}])
    assert "language" not in fake.user("u1").standard and "time_zone" not in fake.user("u1").standard
    assert len(fake.requests[-1].warnings) == 2


def test_null_removes_a_standard_field(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"external_id": "u1", "first_name": "Jane", "email": "j@example.com"}])
    client.track(attributes=[{"external_id": "u1", "first_name": None, "email": None}])
    assert fake.user("u1").standard == {}


# -- custom attributes -----------------------------------------------------------------------------
def test_scalars_set_and_null_removes(client: Client, fake: FakeBraze) -> None:
    assert attrs(client, fake, plan="pro", logins=3, ltv=9.5, vip=True, since="2023-04-01") == {
        "plan": "pro",
        "logins": 3,
        "ltv": 9.5,
        "vip": True,
        "since": "2023-04-01",
    }
    assert attrs(client, fake, plan=None) == {"logins": 3, "ltv": 9.5, "vip": True, "since": "2023-04-01"}


def test_inc_adds_and_starts_from_zero(client: Client, fake: FakeBraze) -> None:
    assert attrs(client, fake, points={"inc": 5})["points"] == 5
    assert attrs(client, fake, points={"inc": -2})["points"] == 3
    assert attrs(client, fake, label="x", label2={"inc": 1})["label2"] == 1


def test_arrays_are_deduplicated_and_truncated_to_the_cap(client: Client, fake: FakeBraze) -> None:
    assert attrs(client, fake, food=["hotdog", "hotdog", "hotdog", "pizza"])["food"] == ["hotdog", "pizza"]
    assert attrs(client, fake, many=[str(i) for i in range(30)])["many"] == [str(i) for i in range(25)]


def test_add_moves_existing_to_the_end_and_drops_the_oldest_past_the_cap(client: Client, fake: FakeBraze) -> None:
    attrs(client, fake, movies=["a", "b", "c"])
    assert attrs(client, fake, movies={"add": ["a", "d"]})["movies"] == ["b", "c", "a", "d"]
    assert attrs(client, fake, movies={"remove": ["b"]})["movies"] == ["c", "a", "d"]
    attrs(client, fake, movies=[str(i) for i in range(25)])
    assert attrs(client, fake, movies={"add": ["new"]})["movies"] == [str(i) for i in range(1, 25)] + ["new"]


def test_array_cap_is_configurable() -> None:
    fake = FakeBraze(FakeBrazeConfig(array_attribute_max_length=100))
    assert attrs(Client(fake), fake, many=list(range(100)))["many"] == list(range(100))


def test_nested_objects_replace_unless_merge_objects(client: Client, fake: FakeBraze) -> None:
    attrs(client, fake, prefs={"mail": {"weekly": True}, "theme": "dark"})
    assert attrs(client, fake, prefs={"mail": {"daily": False}})["prefs"] == {"mail": {"daily": False}}
    merged = attrs(client, fake, prefs={"theme": "light", "mail": {"weekly": True}}, _merge_objects=True)
    assert merged["prefs"] == {"mail": {"daily": False, "weekly": True}, "theme": "light"}


def test_an_invalid_nested_attribute_drops_every_nested_update_in_the_request(client: Client, fake: FakeBraze) -> None:
    reply = client.post(
        "/users/track",
        {
            "attributes": [
                {"external_id": "u1", "ok": {"a": 1}, "plan": "pro"},
                {"external_id": "u2", "bad": {"a.b": 1}},
            ]
        },
    )
    assert reply.body == {"message": "success", "attributes_processed": 2}
    assert fake.user("u1").custom_attributes == {"plan": "pro"}
    assert fake.user("u2").custom_attributes == {}
    assert any("nested" in w for w in fake.requests[-1].warnings)


@pytest.mark.parametrize("value", [{"a": None}, {"$x": 1}, {"with space": 1}, {"when": {"$time": "not a time"}}])
def test_nested_rules(client: Client, fake: FakeBraze, value: dict) -> None:
    assert "n" not in attrs(client, fake, n=value)


def test_time_inside_nested_objects(client: Client, fake: FakeBraze) -> None:
    assert attrs(client, fake, n={"when": {"$time": "2024-01-01"}})["n"] == {"when": {"$time": "2024-01-01"}}


def test_arrays_of_objects_add_remove_update(client: Client, fake: FakeBraze) -> None:
    attrs(client, fake, pets=[{"id": 1, "name": "Rex"}, {"id": 2, "name": "Tom"}])
    attrs(client, fake, pets={"$add": [{"id": 3, "name": "Kit"}]})
    attrs(client, fake, pets={"$remove": [{"$identifier_key": "id", "$identifier_value": 2}]})
    result = attrs(
        client, fake, pets={"$update": [{"$identifier_key": "id", "$identifier_value": 1, "$new_object": {"age": 4}}]}
    )
    assert result["pets"] == [{"id": 1, "name": "Rex", "age": 4}, {"id": 3, "name": "Kit"}]


def test_strings_and_keys_over_255_characters_are_not_applied(client: Client, fake: FakeBraze) -> None:
    result = attrs(client, fake, long="x" * 256, ok="x" * 255, **{"k" * 256: 1})
    assert result == {"ok": "x" * 255}
    assert len(fake.requests[-1].warnings) == 2


@pytest.mark.parametrize("zone", ["America/New_York", "Eastern Time (US & Canada)", "Tokyo", "UTC", "Etc/GMT+5"])
def test_time_zone_accepts_iana_and_rails_names(zone: str) -> None:
    """user_attributes_object.md: "IANA Time Zone Database (for example, 'America/New_York' or 'Eastern Time
    (US & Canada)')"; the second is a Rails display name."""
    fake = FakeBraze()
    reply = fake.call("/users/track", {"attributes": [{"external_id": "u1", "time_zone": zone}]}, api_key="k")
    assert reply.status == 201 and reply.warnings == []
    assert fake.user("u1").standard["time_zone"] == zone


@pytest.mark.parametrize("zone", ["Eastern Time", "eastern time (us & canada)", "Mars/Olympus_Mons", "+05:00", ""])
def test_time_zone_refuses_other_names(zone: str) -> None:
    fake = FakeBraze()
    reply = fake.call("/users/track", {"attributes": [{"external_id": "u1", "time_zone": zone}]}, api_key="k")
    assert reply.status == 201 and [n.code for n in reply.notes] == [Code.VALUE_NOT_SET]
    assert "time_zone" not in fake.user("u1").standard


def test_every_rails_name_maps_to_a_zone_this_machine_knows() -> None:
    for name, iana in RAILS_TIME_ZONES.items():
        assert zoneinfo.ZoneInfo(iana), name


def test_a_nested_time_past_the_year_3000_is_not_stored_and_drops_nothing_else() -> None:
    """nested_custom_attribute_support.md: "if the year is less than 0 or greater than 3000, Braze doesn't
    store these values on the user" (not an invalid format, so other nested updates still apply)."""
    fake = FakeBraze()
    body = {
        "attributes": [
            {
                "external_id": "u1",
                "trip": {"departs": {"$time": "3001-01-01T00:00:00Z"}},
                "car": {"bought": {"$time": "2020-05-01"}},
            }
        ]
    }
    reply = fake.call("/users/track", body, api_key="k")
    assert reply.status == 201
    custom = fake.user("u1").custom_attributes
    assert "trip" not in custom and custom["car"] == {"bought": {"$time": "2020-05-01"}}
    assert [n.code for n in reply.notes] == [Code.VALUE_NOT_SET]
    assert "3001" in reply.notes[0].text


def test_a_badly_formatted_nested_time_still_drops_every_nested_update_of_the_request() -> None:
    fake = FakeBraze()
    body = {"attributes": [{"external_id": "u1", "trip": {"departs": {"$time": "soon"}}, "car": {"make": "VW"}}]}
    reply = fake.call("/users/track", body, api_key="k")
    assert reply.status == 201 and fake.user("u1").custom_attributes == {}
    assert Code.VALUE_NESTED_DROPPED in [n.code for n in reply.notes]
