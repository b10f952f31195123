"""The public `translate()` API: routing by presets, batching, cohorts state, onDelete, purity."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from harness.translate import (
    BrazeRequest,
    HTTPError,
    IntegrationError,
    SegmentError,
    TranslationResult,
    choose_routes,
    run_case,
    translate,
)

T = "2024-03-01T12:00:00.000Z"


def track(name: str, user: str | None = "u1", **properties: Any) -> dict[str, Any]:
    event = {"type": "track", "event": name, "properties": properties, "timestamp": T, "receivedAt": T}
    if user is not None:
        event["userId"] = user
    return event


def audience(user: str, entered: bool, timestamp: str = T) -> dict[str, Any]:
    return {
        "type": "track",
        "event": "Audience Entered" if entered else "Audience Exited",
        "userId": user,
        "properties": {"audience_key": "vip", "vip": entered},
        "context": {"personas": {"computation_id": "aud_1", "computation_key": "vip"}},
        "timestamp": timestamp,
    }


@pytest.mark.parametrize(
    ("event", "route"),
    [
        ({"type": "identify", "userId": "u"}, [("Identify Calls", "updateUserProfile")]),
        (track("Signed Up"), [("Track Calls", "trackEvent")]),
        (track("Order Completed"), [("Order Placed (beta)", "ecommerce")]),
        (track("Checkout Started"), [("Checkout Started (beta)", "ecommerce")]),
        (track("Order Refunded"), [("Order Refunded (beta)", "ecommerce")]),
        (track("Order Cancelled"), [("Order Cancelled (beta)", "ecommerce")]),
        (track("Product Viewed"), [("Product Viewed (beta)", "ecommerceSingleProduct")]),
        ({"type": "page", "name": "Home"}, []),
    ],
)
def test_default_routes_follow_the_shipped_presets(event: dict[str, Any], route: list[tuple[str, str]]) -> None:
    assert choose_routes(event) == route


def test_translate_an_identify_by_default() -> None:
    result = translate({"type": "identify", "userId": "u1", "traits": {"plan": "pro", "firstName": "Ada"}})
    assert result.ok and result.preset == "Identify Calls" and result.action == "updateUserProfile"
    (request,) = result.requests
    assert isinstance(request, BrazeRequest)
    assert (request.method, request.url, request.path) == (
        "POST",
        "https://rest.iad-01.braze.com/users/track",
        "/users/track",
    )
    assert request.headers == {
        "authorization": "Bearer test-api-key",
        "content-type": "application/json",
        "user-agent": "Segment (Actions)",
    }
    assert request.body == {
        "attributes": [{"plan": "pro", "external_id": "u1", "first_name": "Ada", "_update_existing_only": False}]
    }


def test_an_event_nothing_subscribes_to_sends_nothing() -> None:
    result = translate({"type": "page", "userId": "u1"})
    assert result.to_json() == {
        "destination": "braze",
        "action": None,
        "subscribed": False,
        "requests": [],
        "error": None,
    }


def test_translate_does_not_change_the_callers_event() -> None:
    event = track("Order Completed", products=[{"product_id": 5, "price": "1.5", "extra": 1}])
    before = copy.deepcopy(event)
    result = translate(event, action="trackPurchase")
    assert result.requests[0].body["purchases"][0]["price"] == 1.5
    assert event == before


def test_errors_come_back_as_data_and_can_be_raised() -> None:
    result = translate(track("X", user=None), action="trackEvent")
    assert isinstance(result.error, IntegrationError)
    assert result.error.to_json() == {
        "name": "IntegrationError",
        "message": 'One of "external_id" or "user_alias" or "braze_id" or "email" is required.',
        "status": 400,
        "code": "Missing required fields",
    }
    with pytest.raises(SegmentError):
        result.raise_for_error()


def test_scripted_braze_replies() -> None:
    result = translate(track("X"), action="trackEvent", responses=[{"status": 500, "body": {"message": "down"}}])
    assert isinstance(result.error, HTTPError) and result.error.to_json() == {
        "name": "HTTPError",
        "message": "Internal Server Error",
        "status": 500,
    }
    assert len(result.requests) == 1


def test_batches_are_cut_at_75_and_keep_per_event_results_in_order() -> None:
    events = [track("E", user=f"u{i}") for i in range(80)] + [track("E", user=None)]
    result = translate(events, action="trackEvent")
    assert [len(r.body["events"]) for r in result.requests] == [75, 5]
    assert all(r.headers["x-braze-batch"] == "true" for r in result.requests)
    assert result.multistatus is not None and len(result.multistatus) == 81
    assert result.multistatus[-1]["errortype"] == "PAYLOAD_VALIDATION_FAILED"


def test_batch_size_from_the_mapping() -> None:
    result = translate([track("E", user=f"u{i}") for i in range(5)], action="trackEvent", mapping={"batch_size": 2})
    assert [len(r.body["events"]) for r in result.requests] == [2, 2, 1]


def test_cohort_state_is_saved_and_reused_between_batches() -> None:
    events = [audience(f"u{i}", i % 2 == 0) for i in range(80)]
    result = translate(events, destination="braze-cohorts", mapping={"personas_audience_key": "vip"})
    paths = [r.path for r in result.requests]
    assert paths == [
        "/partners/segment/cohorts",
        "/partners/segment/cohorts/users",
        "/partners/segment/cohorts/users",
    ]
    assert result.state_set == {"cohort_name": "vip"}
    assert all("authorization" not in r.headers for r in result.requests)


def test_cohorts_partner_key_from_settings_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    mapping = {"personas_audience_key": "vip"}
    state = {"cohort_name": "vip"}
    monkeypatch.setenv("BRAZE_COHORTS_PARTNER_API_KEY_EU", "eu-key")
    eu = translate(
        audience("u", True),
        destination="braze-cohorts",
        mapping=mapping,
        state=state,
        settings={"endpoint": "https://rest.fra-01.braze.eu"},
    )
    assert eu.requests[0].body["partner_api_key"] == "eu-key"
    given = translate(
        audience("u", True),
        destination="braze-cohorts",
        mapping=mapping,
        state=state,
        settings={"partner_api_key": "from-settings"},
    )
    assert given.requests[0].body["partner_api_key"] == "from-settings"
    assert given.requests[0].body["client_secret"] == "test-client-secret"


def test_on_delete() -> None:
    result = run_case({"destination": "braze", "action": "onDelete", "event": {"type": "delete", "userId": "u9"}})
    assert result["error"] is None
    (request,) = result["requests"]
    assert request["path"] == "/users/delete" and request["body"] == {"external_ids": ["u9"]}
    assert request["headers"]["authorization"] == "Bearer test-api-key"
    anonymous = translate({"type": "delete", "anonymousId": "a"}, action="onDelete")
    assert anonymous.requests[0].body == {"external_ids": [None]}


def test_unknown_names_are_case_errors_that_list_what_exists() -> None:
    assert translate({}, destination="nope").error is not None
    output = run_case({"destination": "braze", "action": "nope", "event": {}})
    assert output["requests"] == [] and output["error"]["name"] == "CaseError"
    assert output["error"]["message"].startswith("unknown action nope (braze actions: updateUserProfile,")
    cohorts = run_case({"destination": "braze-cohorts", "preset": "x", "event": {}})["error"]["message"]
    assert cohorts == "unknown preset x (braze-cohorts actions: syncAudiences (no presets))"
    nowhere = run_case({"event": {}})["error"]["message"]
    assert nowhere == 'no destination: "destination" must be one of "braze", "braze-cohorts"'
    assert run_case(["not", "a", "case"])["error"]["name"] == "CaseError"  # type: ignore[arg-type]


def test_result_to_json_matches_the_case_output_shape() -> None:
    result = translate(track("X"), action="trackEvent")
    assert isinstance(result, TranslationResult)
    case = run_case({"destination": "braze", "action": "trackEvent", "event": track("X")})
    assert json.dumps({k: v for k, v in case.items() if k != "case"}) == json.dumps(result.to_json())


CATALOG = {
    "item_id": {"@path": "$.properties.sku"},
    "item": {"title": {"@path": "$.properties.title"}},
    "onMappingSave": {"outputs": {"catalog_name": "products"}},
}


def _product(i: int) -> dict[str, Any]:
    return {
        "type": "track",
        "event": "Product Updated",
        "userId": "u",
        "properties": {"sku": f"sku-{i}", "title": f"T{i}"},
        "receivedAt": "2024-03-01T12:00:00Z",
    }


def test_catalog_items_are_batched_by_the_actions_own_batch_size_of_50() -> None:
    result = translate([_product(i) for i in range(120)], action="upsertCatalogItem", mapping=CATALOG)
    assert [len(r.body["items"]) for r in result.requests] == [50, 50, 20]
    assert {(r.method, r.path) for r in result.requests} == {("PUT", "/catalogs/products/items/")}
    assert result.multistatus is not None and len(result.multistatus) == 120
    assert result.multistatus[0] == {
        "status": 200,
        "sent": {"title": "T0", "id": "sku-0"},
        "body": {"message": "success"},
    }


def test_a_catalog_item_is_deleted_under_the_delete_sync_mode() -> None:
    mapping = {**CATALOG, "__segment_internal_sync_mode": "delete"}
    (request,) = translate(_product(1), action="upsertCatalogItem", mapping=mapping).requests
    assert (request.method, request.path, request.body) == (
        "DELETE",
        "/catalogs/products/items/sku-1",
        {"items": [{"title": "T1"}]},
    )


def test_trigger_campaign_sends_the_payload_with_priorities_on_each_recipient() -> None:
    mapping = {
        "campaign_id": "cmp-1",
        "recipients": [{"external_user_id": {"@path": "$.userId"}}],
        "prioritization": {"first_priority": "identified"},
    }
    (request,) = translate(_product(1), action="triggerCampaign", mapping=mapping).raise_for_error().requests
    assert request.path == "/campaigns/trigger/send"
    assert request.body["recipients"] == [{"external_user_id": "u", "prioritization": ["identified"]}]
    assert "prioritization" not in request.body


def test_segment_version_picks_the_release_and_refuses_unknown_ones() -> None:
    order = {
        "type": "track",
        "event": "Order Completed",
        "userId": "u1",
        "properties": {"products": [{"product_id": "p1", "price": 5}]},
        "receivedAt": "2024-03-01T12:00:00Z",
        "timestamp": "2024-03-01T12:00:00Z",
    }
    assert translate(order).preset == "Order Placed (beta)"
    older = translate(order, segment_version="3.387.0")
    assert (older.preset, older.action) == ("Order Completed Calls", "trackPurchase")
    assert older.requests[0].body["purchases"][0]["product_id"] == "p1"
    assert translate(order, settings={"segment_version": "3.387.0"}).preset == "Order Completed Calls"
    assert translate(order, action="ecommerce", segment_version="3.387.0").error is not None
    unknown = translate(order, segment_version="3.999.0").error
    assert unknown is not None and unknown.name == "CaseError"
    assert (
        unknown.message
        == 'unknown segment_version 3.999.0: the supported versions are "3.497.0" (the default), "3.387.0"'
    )
    case = {"destination": "braze", "action": "trackEvent", "event": order, "segment_version": "1"}
    assert run_case(case)["error"]["message"].startswith("unknown segment_version 1:")
