"""The replay's records: one `EventCase` per input value, its `Delivery` per route, the `SentRequest`s.

A case is filled in stages (read → checked and routed → delivered in a batch → diagnosed) and then
rendered; nothing here performs work. Requests are shared by the events of a batch, so a case keeps
references to them plus its own part of the body (`objects`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from harness.braze import Note
from harness.contracts import Violation
from harness.replay.clientside import DeviceMode
from harness.replay.routes import Route

__all__ = ["Delivery", "Diagnosis", "EventCase", "Outcome", "SentRequest", "Severity", "shown"]

Severity = Literal["error", "warning", "info"]
Outcome = Literal["delivered", "failed", "not_sent"]


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """One known failure mode (or caveat) found on an event, with the fix."""

    code: str
    severity: Severity
    message: str
    hint: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message, "hint": self.hint}


@dataclass(slots=True)
class SentRequest:
    """One request Segment would send, as the fake received and answered it."""

    id: int
    destination: str
    method: str
    url: str
    path: str
    headers: dict[str, str]
    """As sent, secrets redacted to their last four characters."""
    body: Any
    """As sent, secrets redacted."""
    events: int
    """How many events of the batch the request carries."""
    status: int
    response: Any
    violations: list[Violation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    """What the fake noted (coded; see `harness.braze.Note`), object errors included."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def warnings(self) -> list[str]:
        """The warning and refusal notes as the journal shows them."""
        return [str(note) for note in self.notes if note.kind != "error"]


@dataclass(slots=True)
class Delivery:
    """What happened to one event on one route (mapping)."""

    route: Route
    status: int | None = None
    """Segment's per-event status (multistatus), or the batch error's status; None when nothing was sent."""
    error: dict[str, Any] | None = None
    """Segment's error for this event: `{"type", "message", "status"}`."""
    requests: list[SentRequest] = field(default_factory=list)
    objects: list[Any] | None = None
    """This event's own objects in a `/users/track` body (None for other endpoints)."""
    array: str | None = None
    """The `/users/track` array the objects are in (`attributes`, `events`, `purchases`)."""
    braze_errors: list[Note] = field(default_factory=list)
    """Braze's errors for this event's objects (the `errors` items, coded)."""
    warnings: list[Note] = field(default_factory=list)
    """The fake's warnings and refusal notes for this event."""
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300 and not self.braze_errors


@dataclass(slots=True)
class EventCase:
    """One input value through the replay."""

    number: int
    source: str
    payload: Any = None
    input_error: str | None = None
    violations: list[Violation] = field(default_factory=list)
    oversize: int | None = None
    """The call's size as JSON when it is over Segment's 32 KB per call."""
    refused: bool = False
    """Segment's Tracking API drops the call before any destination (too large, in a `/v1/batch` body)."""
    device: DeviceMode | None = None
    routes: list[Route] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    profile: dict[str, Any] | None = None
    segments: list[str] | None = None
    diagnoses: list[Diagnosis] = field(default_factory=list)
    final: Outcome | None = None
    """The outcome, fixed once the case is diagnosed (computed on demand before that)."""

    @property
    def event(self) -> dict[str, Any]:
        """The payload when it is a JSON object, else an empty dict (for uniform reads)."""
        return self.payload if type(self.payload) is dict else {}

    @property
    def outcome(self) -> Outcome:
        if self.final is not None:
            return self.final
        if any(d.severity == "error" for d in self.diagnoses):
            return "failed"
        if any(d.ok for d in self.deliveries):
            return "delivered"
        return "not_sent"

    @property
    def fails(self) -> bool:
        """Would this event fail in production (Segment fails it, or Braze drops what it carries)?"""
        return self.outcome == "failed"


_OBJECT = re.compile(r"(attributes|events|purchases)\[\d+\]")


def shown(note: Note) -> str:
    """A note as reports show it: an object's note without its `events[3]` (the event is that object), others whole."""
    return note.text if note.where and _OBJECT.fullmatch(note.where) else str(note)
