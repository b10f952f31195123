"""Segment's HTTP Tracking API on the fake: paths, auth, answers, limits, and what Segment adds on ingestion."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import pytest

from harness.workspace import Source, Workspace, default_workspace
from tests.workspace.support import NOW, fakes, identify, track


def test_every_documented_path_answers_200_success_and_delivers() -> None:
    segment, braze = fakes()
    for path, body in [
        ("/v1/identify", {"userId": "u1", "traits": {"plan": "pro"}}),
        ("/v1/track", {"userId": "u1", "event": "Signed Up"}),
        ("/v1/page", {"userId": "u1", "name": "Home"}),
        ("/v1/screen", {"userId": "u1", "name": "Home"}),
        ("/v1/group", {"userId": "u1", "groupId": "g1"}),
        ("/v1/alias", {"userId": "u1", "previousId": "anon-1"}),
        ("/v1/batch", {"batch": [track("Logged In")]}),
        ("/v1/import", {"batch": [track("Logged In")]}),  # an alias of /v1/batch
        ("/v1/t", {"userId": "u1", "event": "Clicked"}),  # analytics.js's short paths
        ("/v1/b", {"batch": [track("Clicked")]}),
    ]:
        reply = segment.send(path, body, write_key="wk")
        assert (reply.status, reply.body) == (200, {"success": True}), path
    user = braze.user("u1")
    assert user is not None and user.custom_attributes == {"plan": "pro"}
    assert {name: s.count for name, s in user.custom_events.items()} == {"Signed Up": 1, "Logged In": 2, "Clicked": 2}
    assert [r.type for r in segment.events()] == [
        "identify", "track", "page", "screen", "group", "alias", "track", "track", "track", "track",
    ]  # fmt: skip


def test_the_path_fixes_the_call_type() -> None:
    segment, _ = fakes()
    reply = segment.send("/v1/track", {"type": "identify", "userId": "u1", "event": "E"}, write_key="wk")
    assert reply.records[0].payload["type"] == "track"


def test_write_key_by_basic_auth_or_in_the_body_and_missing_is_a_400() -> None:
    segment, _ = fakes()
    basic = base64.b64encode(b"wk-basic:").decode()
    no_colon = base64.b64encode(b"wk-old").decode()  # "might work due to backward compatibility"
    assert segment.send("/v1/track", track(), headers={"Authorization": f"Basic {basic}"}).status == 200
    assert segment.send("/v1/track", track(), headers={"Authorization": f"Basic {no_colon}"}).status == 200
    assert segment.send("/v1/track", {**track(), "writeKey": "wk-body"}).status == 200
    assert [r.write_key for r in segment.events()] == ["wk-basic", "wk-old", "wk-body"]
    assert "writeKey" not in segment.events()[2].payload  # authentication, not part of the event
    missing = segment.send("/v1/track", track())
    assert (missing.status, missing.body) == (400, {"code": "bad_request", "message": "Source missing write key"})


def test_unknown_write_key_is_answered_200_and_dropped_when_the_workspace_names_its_keys() -> None:
    workspace = Workspace(sources=(Source("Backend", "wk-right"),), destinations=default_workspace().destinations)
    segment, braze = fakes(workspace)
    reply = segment.send("/v1/track", track(), write_key="wk-wrong")
    assert (reply.status, reply.body) == (200, {"success": True})  # Segment's Tracking API is stateless
    [record] = reply.records
    assert record.discard is not None and record.discard["code"] == "unknown_source"
    assert record.discard["text"] == "Failed to find source with [write_key]"
    assert braze.user("u1") is None
    assert segment.send("/v1/track", track(), write_key="wk-right").records[0].source == "Backend"


def test_json_errors_and_oversize_payloads_are_the_only_400s() -> None:
    segment, braze = fakes()
    bad_json = segment.send("/v1/track", raw=b'{"userId": "u1", "event": ', write_key="wk")
    assert bad_json.status == 400 and bad_json.body["message"].startswith("Could not parse request body")
    not_object = segment.send("/v1/track", raw=b"[1, 2]", write_key="wk")
    assert not_object.status == 400
    big_call = track(blob="x" * (32 * 1024))
    too_big = segment.send("/v1/track", big_call, write_key="wk")
    assert too_big.status == 400
    assert too_big.body["message"].startswith("the message is too large and over the maximum 32KB limit")
    in_batch = segment.send("/v1/batch", {"batch": [track(), big_call]}, write_key="wk")
    assert in_batch.status == 400 and "batch[1]" in in_batch.body["message"]
    calls = [track(blob="y" * 20_000, n=n) for n in range(30)]  # each under 32 KB, together over 500 KB
    huge = segment.send("/v1/batch", {"batch": calls}, write_key="wk")
    assert huge.status == 400
    assert huge.body["message"].startswith("the batch is too large and over the maximum 500KB limit")
    assert braze.user("u1") is None and segment.events() == []  # nothing of a refused request is kept
    assert [e.status for e in segment.requests] == [400, 400, 400, 400, 400]  # ... but every one is journaled
    assert segment.requests[0].violations[0].reason.startswith("bad_request: Could not parse request body")


def test_a_wrong_content_type_is_read_as_json_as_segment_reads_analytics_js_text_plain() -> None:
    segment, braze = fakes()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", ""):
        reply = segment.send("/v1/track", track(), write_key="wk", headers={"Content-Type": content_type})
        assert reply.status == 200
    user = braze.user("u1")
    assert user is not None and user.custom_events["Signed Up"].count == 3


def test_gzip_bodies_are_decompressed_and_a_broken_one_is_a_400() -> None:
    segment, braze = fakes()
    assert segment.send("/v1/batch", {"batch": [identify(), track()]}, write_key="wk", gzip=True).status == 200
    assert braze.user("u1") is not None
    broken = segment.send("/v1/track", raw=b"not gzip", write_key="wk", headers={"Content-Encoding": "gzip"})
    assert broken.status == 400 and broken.body["message"].startswith("Could not decode payload")
    bomb = gzip.compress(json.dumps({"batch": [track(pad="z" * 30_000)] * 40}).encode())
    assert len(bomb) < 10_000
    assert segment.send("/v1/batch", raw=bomb, write_key="wk", headers={"Content-Encoding": "gzip"}).status == 400


def test_a_batch_past_2500_events_keeps_2500_and_answers_200() -> None:
    segment, braze = fakes()
    calls = [{"type": "track", "userId": "u1", "event": "E"} for _ in range(2503)]
    reply = segment.send("/v1/batch", {"batch": calls}, write_key="wk")
    assert reply.status == 200
    dropped = [r for r in reply.records if r.discard is not None]
    assert len(dropped) == 3 and {r.discard["code"] for r in dropped if r.discard} == {"batch_event_limit"}
    user = braze.user("u1")
    assert user is not None and user.custom_events["E"].count == 2500


def test_an_empty_batch_is_200_and_journaled_as_segments_empty_batch() -> None:
    segment, _ = fakes()
    assert segment.send("/v1/batch", {"batch": []}, write_key="wk").status == 200
    assert segment.requests[-1].violations[0].reason == "empty_batch: The batch request contained no messages"


def test_other_paths_and_methods_are_refused_without_a_crash() -> None:
    segment, _ = fakes()
    assert segment.send("/v1/nope", {}, write_key="wk").status == 404
    assert segment.send("/v1/track", None, method="GET", write_key="wk").status == 405


def test_what_segment_adds_on_ingestion() -> None:
    segment, _ = fakes()
    sent = {
        "type": "track",
        "userId": "u1",
        "event": "Signed Up",
        "timestamp": "2024-05-01T11:59:00.000Z",  # the device's clock: 2 minutes behind ...
        "sentAt": "2024-05-01T11:59:50.000Z",  # ... and sent 50 s after the call
        "context": {"library": {"name": "analytics-python", "version": "2.4.0"}},
    }
    [record] = segment.send("/v1/batch", {"batch": [sent]}, write_key="wk").records
    event = record.payload
    assert event["receivedAt"] == "2024-05-01T12:00:00.000Z"
    assert event["originalTimestamp"] == "2024-05-01T11:59:00.000Z"
    assert event["timestamp"] == "2024-05-01T11:59:10.000Z"  # receivedAt - (sentAt - originalTimestamp)
    assert event["context"]["library"] == {"name": "analytics-python", "version": "2.4.0"}
    assert event["messageId"].startswith("api-") and len(event["messageId"]) == 4 + 27  # api-<KSUID>
    [later] = segment.send("/v1/track", track(), write_key="wk").records
    assert later.payload["timestamp"] == later.payload["receivedAt"]  # no timestamp: Segment's own time
    assert later.payload["messageId"] != event["messageId"]


def test_batch_context_and_integrations_are_merged_into_each_call() -> None:
    segment, _ = fakes()
    body: dict[str, Any] = {
        "batch": [track(), {**track(), "context": {"ip": "10.0.0.1"}, "integrations": {"Braze Cohorts": False}}],
        "context": {"device": {"type": "phone"}, "ip": "1.2.3.4"},
        "integrations": {"All": True},
        "sentAt": NOW,
    }
    first, second = (r.payload for r in segment.send("/v1/batch", body, write_key="wk").records)
    assert first["context"] == {"device": {"type": "phone"}, "ip": "1.2.3.4"} and first["sentAt"] == NOW
    assert second["context"] == {"device": {"type": "phone"}, "ip": "10.0.0.1"}
    assert second["integrations"] == {"All": True, "Braze Cohorts": False}


def test_a_repeated_message_id_is_deduplicated() -> None:
    segment, braze = fakes()
    call = {**track(), "messageId": "m-1"}
    segment.send("/v1/track", call, write_key="wk")
    [again] = segment.send("/v1/track", call, write_key="wk").records  # a client's retry
    assert again.discard is not None and again.discard["code"] == "duplicate_message_id"
    user = braze.user("u1")
    assert user is not None and user.custom_events["Signed Up"].count == 1


@pytest.mark.parametrize(
    ("call", "code"),
    [
        ({"type": "track", "event": "E"}, "no_user_anon_id"),
        ({"type": "track", "userId": None, "anonymousId": None, "event": "E"}, "no_user_anon_id"),
        ({"type": "track", "userId": 42, "event": "E"}, "id_not_string"),
        ({"type": "track", "userId": "", "event": "E"}, "id_not_string"),
        ({"type": "track", "userId": "u1"}, "event_not_defined"),
        ({"type": "track", "userId": "u1", "event": 7}, "event_not_string"),
        ({"type": "track", "userId": "u1", "event": "E", "properties": [1]}, "properties_not_object"),
        ({"type": "identify", "userId": "u1", "traits": "pro"}, "traits_not_object"),
        ({"type": "page", "userId": "u1", "name": ""}, "name_not_string"),
        ({"type": "screen", "userId": "u1", "category": 3}, "category_not_string"),
        ({"type": "purchase", "userId": "u1"}, "bad_request"),
        ({"userId": "u1", "event": "E"}, "bad_request"),
        ("not an object", "bad_request"),
    ],
)
def test_calls_segment_drops_at_ingestion_get_200_and_delivery_overviews_code(call: Any, code: str) -> None:
    segment, braze = fakes()
    reply = segment.send("/v1/batch", {"batch": [call]}, write_key="wk")
    assert (reply.status, reply.body) == (200, {"success": True})
    [record] = reply.records
    assert record.stage == "failed_on_ingest" and record.discard is not None and record.discard["code"] == code
    assert record.deliveries == [] and braze.requests == []
    assert segment.requests[-1].violations[0].path == "$.batch[0]"
    assert segment.requests[-1].violations[0].reason.startswith(code)


def test_anonymous_calls_are_accepted() -> None:
    segment, _ = fakes()
    [record] = segment.send("/v1/track", {"anonymousId": "a1", "event": "E"}, write_key="wk").records
    assert record.discard is None
