"""Seeding a workspace from a saved `/users/export/ids` response (Python and `POST /_harness/seed`)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import FakeBraze, Identifier, SeedError

from .contract_check import CheckedClient

EXPORT: dict[str, Any] = {
    "message": "success",
    "users": [
        {
            "external_id": "user-ada",
            "braze_id": "5fbd99bac125ca40511f2cb1",
            "created_at": "2020-07-10 15:00:00.000 UTC",
            "user_aliases": [{"alias_name": "anon-ada", "alias_label": "segment_anonymous_id"}],
            "email": "ada@example.com",
            "first_name": "Ada",
            "country": "GB",
            "custom_attributes": {"plan": "pro", "logins": 12},
            "custom_events": [
                {
                    "name": "Article Viewed",
                    "first": "2024-02-01T10:00:00.000Z",
                    "last": "2024-03-09T08:00:00.000Z",
                    "count": 7,
                }
            ],
            "purchases": [
                {"name": "sku-1", "first": "2024-01-05T00:00:00.000Z", "last": "2024-01-05T00:00:00.000Z", "count": 1}
            ],
            "total_revenue": 19.99,
            "devices": [{"device_id": "dev-1", "model": "iPhone"}],
        },
        {"user_aliases": [{"alias_name": "lead-7", "alias_label": "crm"}], "custom_attributes": {"lead": True}},
    ],
}


def test_seed_creates_profiles_with_identity_fields_and_summaries(fake: FakeBraze) -> None:
    seeded = fake.seed(EXPORT)
    assert len(seeded) == 2
    ada = fake.user("user-ada")
    assert ada is not None and ada.braze_id == "5fbd99bac125ca40511f2cb1"
    assert ada.aliases == {"segment_anonymous_id": "anon-ada"}
    assert ada.email == "ada@example.com" and ada.standard["first_name"] == "Ada"
    assert ada.custom_attributes == {"plan": "pro", "logins": 12}
    viewed = ada.custom_events["Article Viewed"]
    assert (viewed.count, viewed.first.isoformat(), viewed.last.isoformat()) == (
        7,
        "2024-02-01T10:00:00+00:00",
        "2024-03-09T08:00:00+00:00",
    )
    assert ada.purchases["sku-1"].count == 1 and ada.total_revenue == pytest.approx(19.99)
    assert ada.created_at.isoformat() == "2020-07-10T15:00:00+00:00"
    assert fake.find(Identifier("device_id", "dev-1")) is ada
    assert fake.find(Identifier("email", "ada@example.com")) is ada
    lead = fake.find(Identifier("user_alias", "lead-7", "crm"))
    assert lead is not None and not lead.identified and lead.custom_attributes == {"lead": True}


def test_seeded_users_are_known_to_update_only_objects_and_segment_filters(fake: FakeBraze) -> None:
    fake.seed(EXPORT["users"])  # the bare users array works too
    event = {"external_id": "user-ada", "name": "E", "time": "2024-03-10T00:00:00Z", "_update_existing_only": True}
    body = {"events": [event]}
    reply = fake.call("/users/track", body, api_key="k")
    assert reply.status == 201 and reply.warnings == []
    members = fake.segment_members({"custom_event": "Article Viewed", "op": "more_than", "count": 5})
    assert members.external_ids == ("user-ada",)
    recent = fake.segment_members({"custom_event": "Article Viewed", "op": "exactly", "count": 1, "in_last_days": 3})
    assert recent.external_ids == ("user-ada",)  # only the first and last occurrence have a day


def test_seeding_twice_updates_instead_of_duplicating(fake: FakeBraze) -> None:
    fake.seed(EXPORT)
    fake.seed({"message": "success", "users": [{"external_id": "user-ada", "custom_attributes": {"plan": "free"}}]})
    assert len(fake.workspace().profiles) == 2
    ada = fake.user("user-ada")
    assert ada is not None and ada.custom_attributes["plan"] == "free" and ada.custom_attributes["logins"] == 12


def test_an_invalid_export_is_refused_whole(fake: FakeBraze) -> None:
    bad = {"message": "success", "users": [{"external_id": "u1"}, {"custom_attributes": {"x": 1}}, {"nonsense": 1}]}
    with pytest.raises(SeedError) as caught:
        fake.seed(bad)
    assert [v.path for v in caught.value.violations] == ["$.users[2]"]
    with pytest.raises(SeedError) as nameless:
        fake.seed(bad["users"][:2])
    assert [v.path for v in nameless.value.violations] == ["$.users[1]"]
    assert fake.workspace().profiles == {}


def test_control_plane_seed(fake: FakeBraze) -> None:
    client = CheckedClient(fake)
    response = client.post("/_harness/seed", json=EXPORT)
    assert response.status_code == 200 and response.get_json() == {"workspace": "default", "seeded": 2}
    assert fake.profile_state(fake.user("user-ada"))["custom_attributes"]["plan"] == "pro"  # type: ignore[arg-type]
    refused = client.post("/_harness/seed", json={"users": "nope"})
    assert refused.status_code == 400 and refused.get_json()["errors"]
    assert client.post("/_harness/seed?workspace=nope", json=EXPORT).status_code == 404
