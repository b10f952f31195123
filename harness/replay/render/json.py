"""`--json`: one object per event, the stable schema of `contracts/replay/report-event.json`.

A request appears in every event it carries; its full `body` only when it carries that event alone
(the debugger case), otherwise `null` with the event's own `objects` on the delivery (the whole request
is in `--out DIR/journal.jsonl`), so output stays proportional to the input at Segment's batch sizes.
"""

from __future__ import annotations

from typing import Any

from harness.contracts import Violation
from harness.replay.model import Delivery, EventCase, SentRequest, shown

__all__ = ["SCHEMA_VERSION", "event_json"]

SCHEMA_VERSION = 1


def _text(event: dict[str, Any], key: str) -> str | None:
    value = event.get(key)
    return value if isinstance(value, str) else None


def _violations(found: list[Violation]) -> list[dict[str, str]]:
    return [v.to_json() for v in found]


def _request(sent: SentRequest) -> dict[str, Any]:
    return {
        "id": sent.id,
        "method": sent.method,
        "url": sent.url,
        "path": sent.path,
        "headers": sent.headers,
        "body": sent.body if sent.events == 1 else None,
        "events": sent.events,
        "status": sent.status,
        "response": sent.response,
    }


def _delivery(delivery: Delivery) -> dict[str, Any]:
    route = delivery.route
    return {
        "destination": route.destination,
        "destination_name": route.destination_name,
        "subscription": route.subscription,
        "action": route.action,
        "preset": route.preset,
        "ok": delivery.ok,
        "status": delivery.status,
        "error": delivery.error,
        "requests": [_request(s) for s in delivery.requests],
        "array": delivery.array,
        "objects": delivery.objects,
        "braze_errors": [note.text for note in delivery.braze_errors],
        "warnings": [shown(note) for note in delivery.warnings],
        "violations": _violations(delivery.violations),
    }


def event_json(case: EventCase) -> dict[str, Any]:
    """The report object of one event."""
    event = case.event
    is_event = type(case.payload) is dict
    return {
        "schema": SCHEMA_VERSION,
        "number": case.number,
        "source": case.source,
        "message_id": _text(event, "messageId"),
        "type": _text(event, "type"),
        "event": _text(event, "event"),
        "user_id": _text(event, "userId"),
        "anonymous_id": _text(event, "anonymousId"),
        "valid": is_event and case.input_error is None and not case.violations,
        "violations": _violations(case.violations),
        "device_mode": {"library": case.device.library, "evidence": case.device.evidence} if case.device else None,
        "routes": [
            {"destination": r.destination, "subscription": r.subscription, "action": r.action, "preset": r.preset}
            for r in case.routes
        ],
        "deliveries": [_delivery(d) for d in case.deliveries],
        "profile": case.profile,
        "segments": case.segments,
        "diagnoses": [d.to_json() for d in case.diagnoses],
        "outcome": case.outcome,
        "fails_in_production": case.fails,
    }
