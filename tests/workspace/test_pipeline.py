"""Ingestion → Engage → each destination's filters and mappings → batched delivery into the fake Braze."""

from __future__ import annotations

from typing import Any

from harness.braze import Fault
from harness.engage import Audience, EngageSpace, Performed
from harness.workspace import default_workspace
from tests.workspace.support import fakes, identify, track

BRAZE = "Braze Cloud Mode (Actions)"


def _braze(mappings: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    destination: dict[str, Any] = {"type": "braze", **extra}
    if mappings is not None:
        destination["mappings"] = mappings
    return {"destinations": [destination]}


def test_a_batch_request_is_delivered_per_mapping_in_segments_batches() -> None:
    segment, braze = fakes()
    calls = [identify(f"u{n}") for n in range(3)] + [track(user=f"u{n}") for n in range(3)]
    segment.send("/v1/batch", {"batch": calls}, write_key="wk")
    tracked = braze.requests
    assert [(e.path, e.headers.get("x-braze-batch")) for e in tracked] == [
        ("/users/track", "true"),  # Identify Calls: the three identifies in one request
        ("/users/track", "true"),  # Track Calls: the three tracks in another
    ]
    assert len(tracked[0].body["attributes"]) == 3 and len(tracked[1].body["events"]) == 3
    [record] = segment.events(type="identify", user_id="u0")
    [cloud] = [d for d in record.deliveries if d.destination == BRAZE]
    assert (cloud.mapping, cloud.action, cloud.stage, cloud.status) == (
        "Identify Calls",
        "updateUserProfile",
        "delivered",
        200,
    )
    assert cloud.objects == [tracked[0].body["attributes"][0]]  # its own object of the shared request


def test_batch_size_and_enable_batching_of_a_mapping_are_honoured() -> None:
    small = _braze([{"preset": "Track Calls", "mapping": {"batch_size": 2}}])
    segment, braze = fakes(small)
    segment.send("/v1/batch", {"batch": [track(user=f"u{n}") for n in range(5)]}, write_key="wk")
    assert [len(e.body["events"]) for e in braze.requests] == [2, 2, 1]
    one_by_one = _braze([{"preset": "Track Calls", "mapping": {"enable_batching": False}}])
    segment, braze = fakes(one_by_one)
    segment.send("/v1/batch", {"batch": [track(user=f"u{n}") for n in range(3)]}, write_key="wk")
    assert [len(e.body["events"]) for e in braze.requests] == [1, 1, 1]
    assert all("x-braze-batch" not in e.headers for e in braze.requests)  # perform, not performBatch


def test_a_custom_mapping_with_its_own_trigger_and_field_mapping() -> None:
    workspace = _braze(
        [
            {
                "name": "Signups as purchases of a plan",
                "action": "trackEvent",
                "trigger": 'type = "track" and event = "Plan Chosen"',
                "mapping": {"name": {"@template": "plan_{{properties.plan}}"}},
            }
        ]
    )
    segment, braze = fakes(workspace)
    segment.send("/v1/batch", {"batch": [track("Plan Chosen", plan="gold"), track("Other")]}, write_key="wk")
    user = braze.user("u1")
    assert user is not None and list(user.custom_events) == ["plan_gold"]
    [other] = segment.events(name="Other")
    assert [(d.stage, d.code) for d in other.deliveries] == [("filtered_at_destination", "NO_MATCHING_MAPPING")]


def test_the_integrations_object_and_bundled_device_mode_filter_at_destination() -> None:
    segment, braze = fakes()
    calls = [
        {**track("Off"), "integrations": {"All": False}},
        {**track("Named off"), "integrations": {BRAZE: False}},
        {**track("Named on"), "integrations": {"All": False, BRAZE: True}},
        {**track("Options"), "integrations": {"All": False, BRAZE: {"braze_id": "b1"}}},
        {**track("Bundled"), "_metadata": {"bundled": [BRAZE]}},
    ]
    segment.send("/v1/batch", {"batch": calls}, write_key="wk")
    user = braze.user("u1")
    assert user is not None and sorted(user.custom_events) == ["Named on", "Options"]
    codes = {r.name: next(d.code for d in r.deliveries if d.destination == BRAZE) for r in segment.events()}
    assert codes == {
        "Off": "FILTERED_BY_INTEGRATIONS_OBJECT",
        "Named off": "FILTERED_BY_INTEGRATIONS_OBJECT",
        "Named on": None,
        "Options": None,
        "Bundled": "MESSAGE_SENT_CLIENT_SIDE",
    }


def test_only_connected_sources_reach_a_destination() -> None:
    workspace = {
        "sources": [{"name": "Web", "write_key": "wk-web"}, {"name": "Backend", "write_key": "wk-backend"}],
        "destinations": [{"type": "braze", "sources": ["Backend"]}],
    }
    segment, braze = fakes(workspace)
    segment.send("/v1/track", track("From web", user="w1"), write_key="wk-web")
    segment.send("/v1/track", track("From backend", user="b1"), write_key="wk-backend")
    assert braze.user("w1") is None and braze.user("b1") is not None
    [web] = segment.events(source="Web")
    assert web.deliveries == [] and web.stage == "received"


def test_engage_computes_on_the_stream_and_its_audience_reaches_attribute_and_cohort() -> None:
    buyers = Audience("repeat_buyers", Performed("Order Completed", at_least=2))
    segment, braze = fakes(default_workspace(engage=EngageSpace((buyers,), "spa_shop")))
    order = track("Order Completed", order_id="o1", products=[{"product_id": "p1", "price": 5, "variant": "v"}])
    segment.send("/v1/batch", {"batch": [identify("u1"), order]}, write_key="wk")
    first = braze.user("u1")
    assert first is not None and "repeat_buyers" not in first.custom_attributes
    second = {**order, "properties": {**order["properties"], "order_id": "o2"}}
    segment.send("/v1/track", second, write_key="wk")
    user = braze.user("u1")
    assert user is not None and user.custom_attributes["repeat_buyers"] is True  # identify, to Braze Cloud Mode
    assert braze.in_cohort("u1", "repeat_buyers")  # Audience Entered, to Braze Cohorts
    engage = segment.events(source="Engage (spa_shop)")
    assert [(r.type, r.name) for r in engage] == [("identify", None), ("track", "Audience Entered")]
    assert {r.origin for r in engage} == {segment.events(name="Order Completed")[-1].id}
    assert [d.stage for r in engage for d in r.deliveries] == [
        "delivered", "filtered_at_destination", "filtered_at_destination", "delivered",
    ]  # fmt: skip


def test_segment_retries_a_5xx_at_once_and_keeps_every_try() -> None:
    segment, braze = fakes()
    braze.faults.add(Fault.error(503, times=2))
    segment.send("/v1/track", track(), write_key="wk")
    [record] = segment.events()
    [cloud] = [d for d in record.deliveries if d.destination == BRAZE]
    assert cloud.stage == "delivered"
    [request] = cloud.requests
    assert [a.status for a in request.retries] + [request.status] == [503, 503, 201]
    assert [a.attempt for a in [*request.retries, request]] == [1, 2, 3]


def test_retries_are_bounded_and_a_lost_connection_fails_as_econnreset() -> None:
    segment, braze = fakes({"destinations": [{"type": "braze"}], "delivery": {"max_attempts": 2}})
    braze.faults.add(Fault.drop())
    segment.send("/v1/track", track(), write_key="wk")
    [cloud] = segment.events()[0].deliveries
    assert (cloud.stage, cloud.code) == ("failed_delivery", "ECONNRESET")
    assert [a.error for a in cloud.requests] == ["ECONNRESET", "ECONNRESET"]
    braze.faults.clear()
    braze.faults.add(Fault.error(500))
    segment.send("/v1/track", track(), write_key="wk")
    [failed] = segment.events()[1].deliveries
    assert (failed.stage, failed.code, failed.status) == ("failed_delivery", "500", 500)


def test_a_failed_delivery_carries_segments_error_and_the_diagnosis() -> None:
    diagnosed: list[Any] = []

    def diagnose(record: Any, delivery: Any) -> list[dict[str, Any]]:
        diagnosed.append((record.id, delivery.code))
        return [{"code": "explained"}]

    segment, _ = fakes(diagnose=diagnose)
    segment.send("/v1/track", {"anonymousId": "a1", "event": "E"}, write_key="wk")  # Braze needs an identifier
    [cloud] = [d for d in segment.events()[0].deliveries if d.destination == BRAZE]
    assert cloud.stage == "failed_delivery" and cloud.error is not None
    assert cloud.error["message"] == 'One of "external_id" or "user_alias" or "braze_id" or "email" is required.'
    assert cloud.diagnoses == [{"code": "explained"}] and diagnosed == [(1, cloud.code)]


def test_delivery_flush_holds_events_until_flush() -> None:
    segment, braze = fakes(delivery="flush")
    segment.send("/v1/batch", {"batch": [identify(), track()]}, write_key="wk")
    assert braze.requests == [] and segment.pending == 2
    assert [d.stage for d in segment.events()[0].deliveries if d.destination == BRAZE] == ["pending"]
    assert segment.flush() == 2
    assert braze.user("u1") is not None and segment.pending == 0


def test_the_debugger_hears_each_finished_record_and_counts_steps() -> None:
    segment, _ = fakes()
    heard: list[tuple[int, str]] = []
    segment.debugger.subscribe(lambda record: heard.append((record.id, record.stage)))
    segment.send("/v1/batch", {"batch": [track(), {"type": "track", "event": "E"}]}, write_key="wk")
    assert heard == [(1, "delivered"), (2, "failed_on_ingest")]
    overview = segment.debugger.delivery_overview()
    assert overview["failed_on_ingest"] == {"no_user_anon_id": 1}
    assert overview["destinations"][BRAZE]["steps"] == {"delivered": 1}
    assert overview["destinations"]["Braze Cohorts"]["discards"] == {
        "filtered_at_destination": {"NO_MATCHING_MAPPING": 1}
    }


def test_reset_forgets_events_requests_and_engage() -> None:
    segment, _ = fakes()
    segment.send("/v1/track", {**track(), "messageId": "m1"}, write_key="wk")
    segment.reset()
    assert segment.events() == [] and segment.requests == []
    [record] = segment.send("/v1/track", {**track(), "messageId": "m1"}, write_key="wk").records
    assert record.id == 1 and record.discard is None  # no longer a duplicate
