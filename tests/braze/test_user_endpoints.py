"""/users/export/ids, /users/identify, /users/alias/new and /users/delete."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from harness.braze import FakeBraze, Identifier
from harness.clock import FixedClock

from .support import Client, event, purchase

ALIAS = {"alias_name": "anon-1", "alias_label": "segment_anonymous_id"}


def seed(client: Client) -> None:
    client.track(
        attributes=[{"external_id": "u1", "first_name": "Jane", "plan": "pro", "email": "jane@example.com"}],
        events=[event("u1", time="2024-03-01T10:00:00Z")],
        purchases=[purchase("u1")],
    )


# -- export ------------------------------------------------------------------------------------------
def test_export_by_external_id_returns_brazes_profile_shape(client: Client) -> None:
    seed(client)
    reply = client.post("/users/export/ids", {"external_ids": ["u1", "missing"]})
    assert reply.status == 201
    [user] = reply.body["users"]
    assert reply.body["invalid_user_ids"] == ["missing"]
    assert user["external_id"] == "u1" and user["first_name"] == "Jane" and user["email"] == "jane@example.com"
    assert user["custom_attributes"] == {"plan": "pro"}
    assert user["custom_events"] == [
        {"name": "Played", "first": "2024-03-01T10:00:00.000Z", "last": "2024-03-01T10:00:00.000Z", "count": 1}
    ]
    assert user["purchases"][0]["name"] == "sku-1" and user["total_revenue"] == 9.99
    assert user["created_at"].endswith(" UTC")


def test_export_fields_to_export_and_other_selectors(client: Client, fake: FakeBraze) -> None:
    seed(client)
    reply = client.post("/users/export/ids", {"email_address": "JANE@example.com", "fields_to_export": ["external_id"]})
    assert reply.body["users"] == [{"external_id": "u1"}]
    braze_id = fake.user("u1").braze_id
    assert client.post("/users/export/ids", {"braze_id": braze_id}).body["users"][0]["external_id"] == "u1"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"external_ids": [f"u{i}" for i in range(51)]},
            "The max number of external_ids and aliases per request was exceeded",
        ),
        (
            {"device_id": "d", "phone": "+1"},
            "Only one of device_id, email_address or phone can be included per request",
        ),
        ({}, "No user identifiers were provided"),
        (
            {"external_ids": ["u1"], "fields_to_export": ["shoe_size"]},
            "'fields_to_export' contains a field Braze does not export",
        ),
    ],
)
def test_export_errors(client: Client, body: dict, message: str) -> None:
    reply = client.post("/users/export/ids", body)
    assert reply.status == 400 and reply.body["message"].startswith(message)


# -- identify ----------------------------------------------------------------------------------------
def test_identify_gives_an_alias_only_user_the_external_id_when_none_exists(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"user_alias": ALIAS, "_update_existing_only": False, "plan": "free"}])
    reply = client.post("/users/identify", {"aliases_to_identify": [{"external_id": "u9", "user_alias": ALIAS}]})
    assert reply.body == {"aliases_processed": 1, "message": "success"}
    assert fake.user("u9").custom_attributes == {"plan": "free"}
    assert fake.user("u9").aliases == {"segment_anonymous_id": "anon-1"}


def test_identify_merges_fields_found_only_on_the_anonymous_user(client: Client, fake: FakeBraze) -> None:
    seed(client)
    client.track(
        attributes=[
            {"user_alias": ALIAS, "_update_existing_only": False, "plan": "free", "color": "red", "last_name": "Doe"}
        ],
        events=[{"user_alias": ALIAS, "name": "Played", "time": "2024-02-01T00:00:00Z"}],
    )
    client.post("/users/identify", {"aliases_to_identify": [{"external_id": "u1", "user_alias": ALIAS}]})
    user = fake.user("u1")
    assert user.custom_attributes == {"plan": "pro", "color": "red"}
    assert user.standard["last_name"] == "Doe" and user.standard["first_name"] == "Jane"
    played = user.custom_events["Played"]
    assert played.count == 2 and played.first.month == 2 and played.last.month == 3
    assert user.aliases == {"segment_anonymous_id": "anon-1"}
    assert len(fake.workspace().profiles) == 1


def test_identify_merges_even_with_merge_behavior_none(client: Client, fake: FakeBraze) -> None:
    """post_user_identify.md: "Starting August 7, 2023, this endpoint will merge data for all calls. This means
    `merge_behavior` will be set to `merge` for all calls." (the newest page has no merge_behavior at all)."""
    seed(client)
    client.track(attributes=[{"user_alias": ALIAS, "_update_existing_only": False, "color": "red"}])
    client.post(
        "/users/identify",
        {"merge_behavior": "none", "aliases_to_identify": [{"external_id": "u1", "user_alias": ALIAS}]},
    )
    assert fake.user("u1").custom_attributes == {"plan": "pro", "color": "red"}
    assert fake.user("u1").aliases == {"segment_anonymous_id": "anon-1"}
    assert "merge_behavior 'none' ignored" in fake.requests[-1].warnings[0]


def test_identify_does_not_combine_when_the_label_is_taken(client: Client, fake: FakeBraze) -> None:
    seed(client)
    client.post(
        "/users/alias/new",
        {"user_aliases": [{"external_id": "u1", "alias_name": "other", "alias_label": "segment_anonymous_id"}]},
    )
    client.track(attributes=[{"user_alias": ALIAS, "_update_existing_only": False}])
    client.post("/users/identify", {"aliases_to_identify": [{"external_id": "u1", "user_alias": ALIAS}]})
    assert len(fake.workspace().profiles) == 2
    assert "not combined" in fake.requests[-1].warnings[0]


def test_identify_by_email_with_prioritization(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"email": "anon@example.com", "plan": "trial"}])
    client.post(
        "/users/identify",
        {
            "emails_to_identify": [
                {
                    "external_id": "u5",
                    "email": "anon@example.com",
                    "prioritization": ["unidentified", "most_recently_updated"],
                }
            ]
        },
    )
    assert fake.user("u5").custom_attributes == {"plan": "trial"}


def test_identify_contract_errors(client: Client) -> None:
    reply = client.post("/users/identify", {"merge_behavior": "all"})
    assert reply.status == 400
    types = {e["type"] for e in reply.body["errors"]}
    assert "'merge_behavior' must be 'none' or 'merge'" in types


# -- alias/new ---------------------------------------------------------------------------------------
def test_alias_new_adds_to_an_identified_user_or_creates_an_alias_only_user(client: Client, fake: FakeBraze) -> None:
    seed(client)
    reply = client.post(
        "/users/alias/new",
        {
            "user_aliases": [
                {"external_id": "u1", "alias_name": "jane-crm", "alias_label": "crm"},
                {"alias_name": "anon-7", "alias_label": "segment_anonymous_id"},
                {"external_id": "ghost", "alias_name": "g", "alias_label": "crm"},
            ]
        },
    )
    assert reply.body == {"aliases_processed": 3, "message": "success"}
    assert fake.user("u1").aliases == {"crm": "jane-crm"}
    assert fake.find(Identifier("user_alias", "anon-7", "segment_anonymous_id")) is not None
    assert fake.find(Identifier("user_alias", "g", "crm")) is None


# -- delete ------------------------------------------------------------------------------------------
def test_delete_by_each_identifier(client: Client, fake: FakeBraze) -> None:
    seed(client)
    client.track(
        attributes=[{"external_id": "u2"}, {"external_id": "u3"}, {"user_alias": ALIAS, "_update_existing_only": False}]
    )
    braze_id = fake.user("u3").braze_id
    replies = [
        client.post("/users/delete", {"external_ids": ["u1", "nobody"]}),
        client.post("/users/delete", {"user_aliases": [ALIAS]}),
        client.post("/users/delete", {"braze_ids": [braze_id]}),
    ]
    assert [r.body for r in replies] == [{"deleted": n, "message": "success"} for n in (2, 1, 1)]
    assert [p.external_id for p in fake.workspace().profiles.values()] == ["u2"]
    assert fake.find(Identifier("email", "jane@example.com")) is None


def test_delete_takes_one_kind_of_identifier_per_request_as_the_rule_says(client: Client, fake: FakeBraze) -> None:
    """post_user_delete.md: "Only one of `external_ids`, `user_aliases`, `braze_ids`, `email_addresses`, or
    `phone_numbers` can be included in a single request." Its own example sends four kinds: refused here."""
    seed(client)
    example = {
        "external_ids": ["u1"],
        "braze_ids": ["b1"],
        "user_aliases": [ALIAS],
        "email_addresses": [{"email": "jane@example.com", "prioritization": ["unidentified", "most_recently_updated"]}],
    }
    reply = client.post("/users/delete", example)
    assert reply.status == 400 and reply.body["message"].startswith("Only one of external_ids")
    assert fake.user("u1") is not None  # nothing deleted


def test_delete_by_email_needs_a_prioritization(client: Client, fake: FakeBraze) -> None:
    """post_user_delete.md: "If an email address or phone number is specified as an identifier, an additional
    `prioritization` value is required" (its body type says "array of string": the rule wins)."""
    seed(client)
    bare = client.post("/users/delete", {"email_addresses": ["jane@example.com"]})
    assert bare.status == 400 and "prioritization" in bare.body["message"]
    ranked = {"email": "jane@example.com", "prioritization": ["identified", "most_recently_updated"]}
    assert client.post("/users/delete", {"email_addresses": [ranked]}).body["deleted"] == 1
    assert fake.user("u1") is None


def test_delete_is_capped_at_50_ids(client: Client) -> None:
    reply = client.post("/users/delete", {"external_ids": [str(i) for i in range(51)]})
    assert (reply.status, reply.body["message"]) == (400, "The max number of ids per request was exceeded")


def test_export_shows_push_tokens_with_their_device_as_documented() -> None:
    """post_users_identifier.md: push_tokens are {app, platform, token, device_id, notifications_enabled};
    user_attributes_object.md: "If a device_id is not provided, one is randomly generated"."""
    fake = FakeBraze()
    tokens = [{"app_id": "ios-app", "token": "t-1", "device_id": "dev-1"}, {"app_id": "web", "token": "t-2"}]
    fake.call("/users/track", {"attributes": [{"external_id": "u1", "push_tokens": tokens}]}, api_key="k")
    reply = fake.call("/users/export/ids", {"external_ids": ["u1"], "fields_to_export": ["push_tokens"]}, api_key="k")
    exported = reply.body["users"][0]["push_tokens"]
    assert exported[0] == {
        "app": "ios-app",
        "platform": "",
        "token": "t-1",
        "device_id": "dev-1",
        "notifications_enabled": True,
    }
    generated = exported[1]["device_id"]
    assert generated and generated != "dev-1"
    again = FakeBraze()
    again.call("/users/track", {"attributes": [{"external_id": "u1", "push_tokens": tokens}]}, api_key="k")
    assert again.user("u1").push_tokens[1]["device_id"] == generated  # reproducible
    assert fake.find(Identifier("device_id", generated)) is fake.user("u1")


def test_export_lists_events_of_the_last_90_days_with_lifetime_first_and_count() -> None:
    """post_users_identifier.md: custom events and purchases "in the last 90 days"; post_users_segment.md:
    "`first` and `count` ... will reflect information from all time"."""
    clock = FixedClock(datetime(2024, 6, 1, tzinfo=UTC))
    fake = FakeBraze(clock=clock)
    events = [
        {"external_id": "u1", "name": "Old", "time": "2024-02-01T00:00:00Z"},
        {"external_id": "u1", "name": "Both", "time": "2023-01-01T00:00:00Z"},
        {"external_id": "u1", "name": "Both", "time": "2024-05-30T00:00:00Z"},
    ]
    fake.call("/users/track", {"events": events}, api_key="k")
    [user] = fake.call("/users/export/ids", {"external_ids": ["u1"]}, api_key="k").body["users"]
    assert [(e["name"], e["count"], e["first"][:10]) for e in user["custom_events"]] == [("Both", 2, "2023-01-01")]
    old = {"custom_event": "Old", "op": "more_than", "count": 0}
    assert fake.segment_members(old).external_ids == ("u1",)  # segments still see it


def test_subscription_groups_are_exported_only_when_asked_for() -> None:
    fake = FakeBraze()
    group = {"subscription_group_id": "sg-1", "subscription_state": "subscribed"}
    fake.call("/users/track", {"attributes": [{"external_id": "u1", "subscription_groups": [group]}]}, api_key="k")
    plain = fake.call("/users/export/ids", {"external_ids": ["u1"]}, api_key="k").body["users"][0]
    assert "subscription_groups" not in plain  # Braze documents no such export field
    asked = {"external_ids": ["u1"], "fields_to_export": ["external_id", "subscription_groups"]}
    [user] = fake.call("/users/export/ids", asked, api_key="k").body["users"]
    assert user["subscription_groups"] == [{"subscription_group_id": "sg-1", "subscription_status": "subscribed"}]


def test_export_refuses_the_docs_example_that_breaks_its_own_rule(client: Client) -> None:
    """post_users_identifier.md: "Should you want to specify `device_id`, `email_address`, or `phone`, only one
    of these identifiers can be included per request" — its example sends all six selectors."""
    seed(client)
    example = {
        "external_ids": ["u1"],
        "user_aliases": [ALIAS],
        "device_id": "1234567",
        "braze_id": "braze_id",
        "email_address": "example@braze.com",
        "phone": "+11112223333",
    }
    reply = client.post("/users/export/ids", example)
    assert reply.status == 400 and "Only one of device_id, email_address or phone" in reply.body["message"]
    allowed = {key: example[key] for key in ("external_ids", "user_aliases", "email_address")}
    assert client.post("/users/export/ids", allowed).status == 201


def test_last_coordinates_are_longitude_then_latitude_as_the_text_says(fake: FakeBraze) -> None:
    """The text says `[longitude, latitude]`; the docs' sample ([41.84, -87.83] beside home_city Chicago) is
    latitude first. The fake follows the text both ways: what it exports, a seed reads back the same."""
    location = {"longitude": -73.991443, "latitude": 40.753824}
    fake.call("/users/track", {"attributes": [{"external_id": "u1", "current_location": location}]}, api_key="k")
    [user] = fake.call("/users/export/ids", {"external_ids": ["u1"]}, api_key="k").body["users"]
    assert user["last_coordinates"] == [-73.991443, 40.753824]
    sample = {"external_id": "chi", "home_city": "Chicago", "last_coordinates": [41.84157636433568, -87.83520818508256]}
    [seeded] = fake.seed([sample])
    assert seeded.standard["current_location"] == {"longitude": 41.84157636433568, "latitude": -87.83520818508256}
