"""The fake Segment's debugger records: each event a source received, with what happened to it.

Segment shows this in two places: the Source Debugger ("The **Raw view** is the complete JSON object
Segment received", segment-docs `src/connections/sources/debugger.md`) and a destination's Event
Delivery / Delivery Overview (its pipeline steps and, per failure, "**You Sent**, **Request to
Destination**, **Response from Destination**", `src/connections/event-delivery.md`,
`src/connections/delivery-overview.md`). An `EventRecord` is the first, its `DeliveryRecord`s (one per
destination mapping it reached, or one per destination that filtered it) the second, and each
`Attempt` one request to Braze with Braze's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from harness.braze import Note
from harness.contracts import Violation
from harness.segment import format_timestamp
from harness.workspace.discards import Stage

__all__ = ["Attempt", "DeliveryRecord", "EventRecord"]


@dataclass(slots=True)
class Attempt:
    """One request Segment's destination sent to Braze, as the fake Braze received and answered it."""

    method: str
    url: str
    path: str
    headers: dict[str, str]
    """As sent, credentials redacted to their last four characters."""
    body: Any
    status: int
    """Braze's status; 0 when the connection was lost (no answer)."""
    response: Any = None
    notes: list[Note] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    attempt: int = 1
    """1 for the first try, 2 for Segment's first retry, ..."""
    error: str | None = None
    """The connection error Segment saw instead of an answer (`ECONNRESET`, `ETIMEDOUT`)."""
    braze_request: int | None = None
    """The id of the request in the fake Braze's journal."""
    retries: list[Attempt] = field(default_factory=list)
    """The earlier tries of this request that Segment retried (a 429, a 5xx, a lost connection)."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "path": self.path,
            "headers": self.headers,
            "body": self.body,
            "attempt": self.attempt,
            "status": self.status,
            "response": self.response,
            "error": self.error,
            "violations": [v.to_json() for v in self.violations],
            "notes": [n.to_json() for n in self.notes],
            "braze_request": self.braze_request,
            "retries": [r.to_json() for r in self.retries],
        }


@dataclass(slots=True)
class DeliveryRecord:
    """What happened to one event at one destination (one mapping of it, when a mapping took it)."""

    destination: str
    kind: str
    stage: Stage
    mapping: str | None = None
    action: str | None = None
    code: str | None = None
    """Delivery Overview's discard code (`FILTERED_BY_INTEGRATIONS_OBJECT`, `NO_MATCHING_MAPPING`, `400`,
    `ECONNRESET`, ...); None when delivered or pending."""
    reason: dict[str, Any] | None = None
    status: int | None = None
    """Segment's per-event status (multistatus), or the batch error's."""
    error: dict[str, Any] | None = None
    """Segment's error for this event: `{"type", "message", "status"}`."""
    requests: list[Attempt] = field(default_factory=list)
    objects: list[Any] | None = None
    """This event's own objects in the `/users/track` body."""
    array: str | None = None
    braze_errors: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    diagnoses: list[dict[str, Any]] = field(default_factory=list)
    """Replay's diagnoses of a failed delivery (`{code, severity, message, hint}`), when the owner set them up."""

    @property
    def ok(self) -> bool:
        return self.stage == "delivered" and not self.braze_errors

    def to_json(self) -> dict[str, Any]:
        return {
            "destination": self.destination,
            "type": self.kind,
            "mapping": self.mapping,
            "action": self.action,
            "stage": self.stage,
            "code": self.code,
            "reason": self.reason,
            "status": self.status,
            "error": self.error,
            "requests": [r.to_json() for r in self.requests],
            "array": self.array,
            "objects": self.objects,
            "braze_errors": [n.to_json() for n in self.braze_errors],
            "warnings": [n.to_json() for n in self.warnings],
            "violations": [v.to_json() for v in self.violations],
            "diagnoses": self.diagnoses,
        }


_ORDER: tuple[Stage, ...] = ("failed_delivery", "pending", "delivered", "filtered_at_destination")


@dataclass(slots=True)
class EventRecord:
    """One event a source received (or Engage produced), as stored, and everything that happened to it."""

    id: int
    source: str
    received_at: datetime
    payload: Any
    """The event as Segment stored it (enriched), or the raw value of a call it could not read."""
    request: int | None = None
    """The id of the Tracking API request in the fake Segment's journal (None for Engage's events)."""
    index: int | None = None
    """Its position in a batch request."""
    write_key: str | None = None
    discard: dict[str, Any] | None = None
    """Why it failed on ingest: `{stage, code, text, detail}`; None when accepted."""
    origin: int | None = None
    """For an event Engage produced: the id of the event that made Engage produce it."""
    deliveries: list[DeliveryRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What else happened on the way (Engage could not read it, ...)."""

    @property
    def event(self) -> dict[str, Any]:
        return self.payload if type(self.payload) is dict else {}

    @property
    def type(self) -> str | None:
        value = self.event.get("type")
        return value if isinstance(value, str) else None

    @property
    def name(self) -> str | None:
        """The track event name (page / screen name), else None."""
        value = self.event.get("event") if self.type == "track" else self.event.get("name")
        return value if isinstance(value, str) else None

    @property
    def user_id(self) -> str | None:
        value = self.event.get("userId")
        return value if isinstance(value, str) else None

    @property
    def message_id(self) -> str | None:
        value = self.event.get("messageId")
        return value if isinstance(value, str) else None

    @property
    def stage(self) -> Stage:
        """The furthest Delivery Overview step it reached: failed on ingest, else the worst of its deliveries
        (failed delivery, pending, delivered, filtered at destination), else received."""
        if self.discard is not None:
            stage: Stage = self.discard["stage"]
            return stage
        stages = {d.stage for d in self.deliveries}
        return next((s for s in _ORDER if s in stages), "received")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "received_at": format_timestamp(self.received_at),
            "request": self.request,
            "index": self.index,
            "origin": self.origin,
            "type": self.type,
            "name": self.name,
            "user_id": self.user_id,
            "message_id": self.message_id,
            "stage": self.stage,
            "discard": self.discard,
            "notes": self.notes,
            "event": self.payload,
            "deliveries": [d.to_json() for d in self.deliveries],
        }
