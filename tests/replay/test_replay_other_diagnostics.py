"""The remaining diagnoses (input, routing, settings, cohorts auth, generic rejections), on inline events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .support import SEGMENT, codes, replay_json

BASE: dict[str, Any] = {
    "messageId": "api-1",
    "timestamp": "2024-03-01T10:00:00.000Z",
    "receivedAt": "2024-03-01T10:00:00.200Z",
    "context": {"library": {"name": "analytics-node-next", "version": "1.53.0"}},
}


def one(event: Any, *args: str) -> tuple[int, dict[str, Any]]:
    result, [report] = replay_json("-", *args, input=json.dumps(event))
    return result.exit_code, report


def test_not_json_is_reported_and_the_next_line_still_replays() -> None:
    text = '{"type": "track", "userId": "u1", broken}\n' + json.dumps({**BASE, "type": "identify", "userId": "u1"})
    result, [bad, good] = replay_json("-", input=text)
    assert result.exit_code == 1
    assert codes(bad) == ["not_json"] and bad["source"] == "line 1" and not bad["valid"]
    assert good["outcome"] == "delivered" and good["source"] == "line 2"


def test_invalid_event_and_spec_violation() -> None:
    code, report = one({**BASE, "type": "track", "event": "Signed Up"})
    assert code == 1 and codes(report) == ["invalid_event"]  # the Tracking API refuses it: nothing is routed
    assert report["routes"] == []
    assert report["violations"][0]["path"] == "$"
    code, report = one({**BASE, "type": "track", "userId": "u1", "event": "Paid", "properties": {"revenue": "12"}})
    assert code == 0 and codes(report) == ["spec_violation"]
    code, report = one("not an event")
    assert code == 1 and codes(report) == ["invalid_event"]
    assert report["diagnoses"][0]["message"] == 'a Segment event is a JSON object, not "not an event"'


def test_calls_no_preset_takes_and_events_the_integrations_object_excludes() -> None:
    code, report = one({**BASE, "type": "page", "userId": "u1", "name": "Home"})
    assert code == 0 and codes(report) == ["not_subscribed"] and report["outcome"] == "not_sent"
    code, report = one({**BASE, "type": "track", "userId": "u1", "event": "E", "integrations": {"All": False}})
    assert code == 0 and codes(report) == ["filtered_by_integrations"]


def test_device_mode_from_a_mobile_library_marking_braze_false() -> None:
    android = {
        **BASE,
        "type": "track",
        "userId": "u1",
        "event": "Level Up",
        "context": {"library": {"name": "analytics-android", "version": "4.11.3"}},
        "integrations": {"Appboy": False},
    }
    code, report = one(android)
    assert code == 0 and codes(report) == ["device_mode"]
    server = {**android, "context": {"library": {"name": "analytics-python", "version": "2.3.2"}}}
    assert codes(one(server)[1]) == []


def test_invalid_settings() -> None:
    code, report = one({**BASE, "type": "identify", "userId": "u1"}, "--endpoint", "https://rest.example.com")
    assert code == 1 and codes(report) == ["invalid_settings"]
    assert "REST Endpoint must be one of" in report["diagnoses"][0]["message"]


def test_wrong_client_secret_for_cohorts() -> None:
    event = SEGMENT / "cohort-unknown-user.json"
    result, [report] = replay_json(event, "--client-secret", "old", "--workspace-data-import-key", "current")
    assert result.exit_code == 1 and codes(report) == ["wrong_client_secret"]
    [request] = report["deliveries"][0]["requests"]  # the users call is not sent after a failed name call
    assert request["path"] == "/partners/segment/cohorts" and request["status"] == 401


def test_a_key_of_another_workspace_on_the_same_instance(tmp_path: Any) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(
        json.dumps(
            {
                "api_key": "key-b",
                "workspaces": [
                    {"name": "prod", "instance": "US-01", "api_keys": ["key-a"]},
                    {"name": "sandbox", "instance": "US-01", "api_keys": ["key-b"]},
                ],
            }
        )
    )
    code, report = one({**BASE, "type": "identify", "userId": "u1"}, "--settings", str(settings))
    assert code == 0 and codes(report) == ["other_workspace"]


def test_segment_and_braze_rejections_and_braze_notes() -> None:
    order = {**BASE, "type": "track", "userId": "u1", "event": "Order Completed", "properties": {"total": 3}}
    code, report = one(order)
    assert code == 1 and codes(report) == ["ecommerce_fields_missing"]  # the preset needs source, products
    atlantis = {**BASE, "type": "identify", "userId": "u1", "context": {"location": {"country": "Atlantis"}}}
    code, report = one(atlantis)
    assert code == 0 and codes(report) == ["braze_note"]
    assert "matches no ISO-3166-1 country" in report["diagnoses"][0]["message"]
    future = {**BASE, "type": "track", "userId": "u1", "event": "E", "properties": {"$bad": 1}}
    code, report = one(future)
    assert code == 1 and codes(report) == ["braze_rejected"]
    assert report["deliveries"][0]["violations"]


def test_a_harness_failure_is_reported_on_the_batch_and_the_replay_goes_on(monkeypatch: Any) -> None:
    import harness.replay.delivery as delivery

    real = delivery.run_batch

    def flaky(events: list[Any], target: Any, state: Any, send: Any) -> Any:
        if any(e.get("event") == "Boom" for e in events):
            raise RuntimeError("boom")
        return real(events, target, state, send)

    monkeypatch.setattr(delivery, "run_batch", flaky)
    lines = "\n".join(json.dumps({**BASE, "type": "track", "userId": "u1", "event": e}) for e in ("Boom", "Fine"))
    result, [boom, fine] = replay_json("-", "--batch-size", "1", input=lines)
    assert result.exit_code == 1
    assert codes(boom) == ["harness_error"] and "RuntimeError: boom" in boom["diagnoses"][0]["message"]
    assert fine["outcome"] == "delivered"


@pytest.mark.parametrize("integrations", [None, {}])
def test_an_engage_event_without_integrations_is_delivered_not_failed(integrations: object, tmp_path: Path) -> None:
    """Engage sends events with no `integrations` or `integrations: {}`: Segment delivers them to every
    destination, so the replay must not call them failures (issue 15)."""
    event = json.loads((SEGMENT / "cohort-unknown-user.json").read_text())
    if integrations is None:
        event.pop("integrations")
    else:
        event["integrations"] = integrations
    path = tmp_path / "engage.json"
    path.write_text(json.dumps(event))
    result, [report] = replay_json(path, "--client-secret", "k")
    assert result.exit_code == 0
    assert [d["code"] for d in report["diagnoses"] if d["severity"] == "error"] == []
    assert report["profile"]["cohorts"] == ["dormant_shopper"]


def test_a_batched_call_over_32_kb_is_refused_with_its_batch_and_not_sent() -> None:
    big = {**BASE, "type": "track", "userId": "u1", "event": "Big", "properties": {"blob": "a" * 40_000}}
    small = {**BASE, "type": "identify", "userId": "u2", "traits": {"plan": "pro"}}
    result, [refused, other] = replay_json("-", input=json.dumps({"batch": [big, small]}))
    assert result.exit_code == 1
    assert codes(refused) == ["limit_exceeded"] and refused["deliveries"] == [] and refused["routes"] == []
    message = refused["diagnoses"][0]["message"]
    assert "this /v1/batch request 400" in message and "message is too large" in message
    assert other["outcome"] == "delivered"


def test_an_event_property_over_255_characters_is_a_limit_with_its_path_and_length() -> None:
    code, report = one({**BASE, "type": "track", "userId": "u1", "event": "Big", "properties": {"blob": "a" * 300}})
    assert code == 1 and codes(report) == ["limit_exceeded"]
    message = report["diagnoses"][0]["message"]
    assert "'properties' is not valid" in message  # Braze's words
    assert "$.events[0].properties.blob:" in message and "is 300 characters; at most 255 are allowed" in message
