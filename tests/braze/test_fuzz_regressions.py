"""Crashes fuzzing found in the fake, each pinned by the smallest body that showed it."""

from __future__ import annotations

import json

import pytest

from harness.braze import FakeBraze

from .contract_check import CheckedClient
from .support import Client

FAR_OFFSETS = ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00")


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def test_event_properties_deeper_than_orjson_can_encode_are_an_object_error(fake: FakeBraze) -> None:
    # was: 500 TypeError "Recursion limit reached" from sizing the properties
    events = [
        {"external_id": "u1", "name": "E", "time": "2024-03-01T00:00:00Z", "properties": {"p": nested(300)}},
        {"external_id": "u1", "name": "E", "time": "2024-03-01T00:00:00Z"},
    ]
    reply = Client(fake).post("/users/track", data=json.dumps({"events": events}))
    assert reply.status == 201
    assert reply.body["errors"] == [{"type": "'properties' is nested too deeply", "input_array": "events", "index": 0}]
    assert fake.user("u1").custom_events["E"].count == 1


def test_the_journal_of_a_very_deep_body_is_still_served(fake: FakeBraze) -> None:
    # was: 500 from /_harness/requests (orjson cannot encode the journaled body)
    body = {
        "events": [{"external_id": "u1", "name": "E", "time": "2024-03-01T00:00:00Z", "properties": {"p": nested(400)}}]
    }
    Client(fake).post("/users/track", data=json.dumps(body))
    journal = fake.test_client().get("/_harness/requests")
    assert journal.status_code == 200
    shown = journal.json["requests"][0]["body"]["events"][0]["properties"]["p"]
    depth = 0
    while isinstance(shown, list):
        shown, depth = shown[0], depth + 1
    assert shown.startswith("[nested more than 200 levels") and depth < 200


@pytest.mark.parametrize("moment", FAR_OFFSETS)
def test_times_outside_years_1_to_9999_in_utc_are_not_valid(fake: FakeBraze, moment: str) -> None:
    # was: 500 OverflowError from datetime.astimezone
    reply = Client(fake).track(
        attributes=[{"external_id": "u1", "date_of_first_session": moment, "seen": {"$time": moment}}],
        events=[{"external_id": "u1", "name": "E", "time": moment}],
        purchases=[{"external_id": "u1", "product_id": "p", "currency": "USD", "price": 1, "time": moment}],
    )
    assert reply.status == 400
    assert {e["type"] for e in reply.body["errors"]} == {"'date_of_first_session' is not valid", "'time' is not valid"}
    cohort = {"partner_api_key": "p", "client_secret": "s", "cohort_id": "c", "name": "n", "created_at": moment}
    answer = CheckedClient(fake).post("/partners/segment/cohorts", json=cohort)
    assert answer.status_code == 400 and answer.json["message"].startswith("created_at must be")


def test_export_times_keep_four_digit_years(fake: FakeBraze) -> None:
    # was: "1-01-01T00:00:00.000Z" (strftime drops the padding of years before 1000)
    recent = fake.clock.now().isoformat()  # the export lists events seen in the last 90 days
    Client(fake).track(events=[{"external_id": "u1", "name": "E", "time": t} for t in ("0099-01-01", recent)])
    [user] = Client(fake).post("/users/export/ids", {"external_ids": ["u1"]}).body["users"]
    assert user["custom_events"][0]["first"] == "0099-01-01T00:00:00.000Z"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/users/delete", {"external_ids": [nested(256), *["u1"] * 20]}),
        ("/partners/segment/cohorts/users", {"cohort_id": "c", "cohort_changes": [nested(256), *[{}] * 20]}),
    ],
)
def test_a_long_body_with_a_very_deep_item_is_a_400(fake: FakeBraze, path: str, body: dict[str, object]) -> None:
    # was: 500 ValueError "Recursion limit reached" from jsonschema_rs listing the errors of a long body
    body = {"partner_api_key": "p", "client_secret": "s", **body} if "cohort" in path else body
    reply = Client(fake).post(path, data=json.dumps(body))
    assert reply.status == 400


def test_a_catalog_item_nested_past_orjsons_limit_is_refused_as_too_deep() -> None:
    # was: 500 TypeError "Recursion limit reached" from sizing the item
    fake = FakeBraze(catalogs=({"name": "products", "fields": {"Name": "string"}},))
    body = json.dumps({"items": [{"id": "sku-1", "Name": nested(254)}]})
    reply = fake.call("/catalogs/products/items", raw=body.encode(), method="PUT", api_key="k")
    assert reply.status == 400
    assert [e["id"] for e in reply.body["errors"]] == ["too-deep-nesting-in-value-object", "unable-to-coerce-value"]


def test_a_canvas_context_nested_past_orjsons_limit_is_measured() -> None:
    fake = FakeBraze()
    context = {"a": nested(300)}
    body = json.dumps({"canvas_id": "cv", "broadcast": True, "context": context})
    assert fake.call("/canvas/trigger/send", raw=body.encode(), api_key="k").status == 201


def test_a_path_with_a_newline_is_a_404_with_the_detail_escaped(fake: FakeBraze) -> None:
    # was: 500 ValueError "Header values must not contain newline characters" from X-Harness-Detail
    response = fake.test_client().delete("/catalogs/a%2Fb/items/%0A", headers={"Authorization": "Bearer k"})
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert "\\x0a" in response.headers["X-Harness-Detail"]


def test_a_doubled_slash_is_a_json_404_not_a_redirect(fake: FakeBraze) -> None:
    # was: an HTML 308 redirect to the path with the slashes merged
    response = fake.test_client().put(
        "/catalogs//items/sku-1", json={"items": [{}]}, headers={"Authorization": "Bearer k"}
    )
    assert response.status_code == 404 and response.get_json()["message"] == "Invalid URL."
