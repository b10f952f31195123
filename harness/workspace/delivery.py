"""One batch on one mapping: translate as Segment does, send to a fake Braze, fold Braze's answers back,
and give each event its share of what happened. Replay and the fake Segment both deliver with this.

Segment reacts to Braze's replies (multistatus, a failed cohort name call stops the users call), so the
translator has to see the fake's real answers. The batch is translated once assuming success; each
request is sent (the caller's `send`, e.g. `FakeBraze.call`, no HTTP) in order; as soon as an answer is
not a plain success, the batch is translated again with the answers so far scripted, which yields
Segment's own per-event statuses and tells whether further requests would still be sent. Plain
successes, the bulk of real traffic, cost one translation.

Each event's share: its multistatus entry (or the batch's error), the requests it travelled in, its own
objects of a `/users/track` body and the fake's notes and contract violations about them
(`harness.workspace.attribution`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from harness.braze import Note
from harness.contracts import Violation
from harness.translate import BrazeRequest, TranslationResult, translate
from harness.workspace.attribution import ObjectRange, object_ranges, split_notes

__all__ = ["Answered", "BatchRun", "Share", "Target", "host_of", "plain_success", "run_batch", "shares"]

_SUCCESS = {"status": 201, "body": {"message": "success"}}
_ARRAYS = ("attributes", "events", "purchases")


class Answered(Protocol):
    """A request as the fake received and answered it (replay's `SentRequest`, the fake Segment's `Attempt`)."""

    @property
    def path(self) -> str: ...
    @property
    def body(self) -> Any: ...
    @property
    def status(self) -> int: ...
    @property
    def response(self) -> Any: ...
    @property
    def notes(self) -> list[Note]: ...
    @property
    def violations(self) -> list[Violation]: ...


A = TypeVar("A", bound=Answered)


@dataclass(frozen=True, slots=True)
class Target:
    """What a batch is translated with: one mapping of one destination, and its settings."""

    destination: str
    action: str | None
    """The action slug; None when `preset` names it."""
    preset: str | None = None
    settings: dict[str, Any] | None = None
    mapping: dict[str, Any] | None = None
    """Overrides merged over the preset's (or the action's default) mapping."""
    batched: bool = True
    """Through the action's `performBatch` (the mapping's `enable_batching`), else `perform`, one event."""


@dataclass(slots=True)
class BatchRun(Generic[A]):
    """One batch delivered: the first translation (assuming success), the final one, the answered requests."""

    first: TranslationResult
    final: TranslationResult
    sent: list[A]
    batched: bool = True


@dataclass(slots=True)
class Share(Generic[A]):
    """What one event of a batch got."""

    status: int | None = None
    """Segment's per-event status (multistatus), or the batch error's status; None when nothing was sent."""
    error: dict[str, Any] | None = None
    """Segment's error for this event: `{"type", "message", "status"}`."""
    requests: list[A] = field(default_factory=list)
    objects: list[Any] | None = None
    """This event's own objects in a `/users/track` body (None for other endpoints)."""
    array: str | None = None
    braze_errors: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


@lru_cache(maxsize=64)
def host_of(url: str) -> str:
    """`rest.iad-01.braze.com` from a request URL: the host the fake Braze takes the instance from."""
    return urlsplit(url).netloc


def plain_success(sent: Answered) -> bool:
    """A 2xx without per-object errors: nothing Segment's code would react to."""
    ok = 200 <= sent.status < 300
    return ok and not (isinstance(sent.response, dict) and sent.response.get("errors"))


def _translate(events: list[Any], target: Target, state: dict[str, Any] | None, script: Any) -> TranslationResult:
    return translate(
        events if target.batched else events[0],
        destination=target.destination,
        action=target.action,
        preset=target.preset,
        settings=target.settings,
        mapping=target.mapping,
        state=state,
        responses=script,
    )


def run_batch(
    events: list[Any], target: Target, state: dict[str, Any] | None, send: Callable[[BrazeRequest], A]
) -> BatchRun[A]:
    """Translate and send one batch (at most the batch size; exactly one event when not `batched`)."""
    if not target.batched and len(events) != 1:
        raise ValueError(f"an unbatched mapping delivers one event at a time, not {len(events)}")
    first = _translate(events, target, state, None)
    result = first
    sent: list[A] = []
    while True:
        replan = False
        for request in result.requests[len(sent) :]:
            answered = send(request)
            sent.append(answered)
            if not plain_success(answered):
                replan = True
                break
        if not replan:
            break
        script = [{"status": s.status, "body": s.response} for s in sent] + [_SUCCESS]
        result = _translate(events, target, state, script)
        if len(result.requests) <= len(sent):
            break
    return BatchRun(first, result, sent, target.batched)


def shares(run: BatchRun[A], events: list[Any]) -> list[Share[A]]:
    """Each event's share of a delivered batch, in the batch's order."""
    first, final, sent = run.first, run.final, run.sent
    track = next((s for s in sent if s.path == "/users/track"), None)
    ranges = object_ranges(first.multistatus, track.body) if track is not None else None
    if ranges is None and track is not None and not run.batched:
        ranges = [_whole(track.body)]  # one event per request: every object is its own
    notes = split_notes(track.notes, track.violations) if track is not None else None
    statuses = final.multistatus
    out: list[Share[A]] = []
    for index, event in enumerate(events):
        share: Share[A] = Share()
        entry = statuses[index] if statuses is not None and index < len(statuses) else None
        if isinstance(entry, dict):
            share.status = entry.get("status")
            if not (isinstance(share.status, int) and 200 <= share.status < 300):
                share.error = {
                    "type": entry.get("errortype"),
                    "message": entry.get("errormessage"),
                    "status": share.status,
                }
        elif final.error is not None:
            share.status = final.error.status
            share.error = {"type": final.error.name, "message": final.error.message, "status": final.error.status}
        own = ranges[index] if ranges is not None and index < len(ranges) else None
        if track is not None and notes is not None:
            if own is not None:
                share.array = own.array
                share.objects = track.body[own.array][own.start : own.stop]
            share.braze_errors, share.warnings, share.violations = notes.for_range(own)
            empty = not any(track.body.get(a) for a in _ARRAYS)
            share.requests = [s for s in sent if s is not track or own is not None or empty]
        else:
            share.requests = list(sent)
            share.warnings = [n for s in sent for n in s.notes if n.kind != "error" and _names(n, event)]
        if share.status is None and sent and final.error is None and statuses is None:
            share.status = sent[-1].status  # a single request with no per-event status (not batched)
        out.append(share)
    return out


def _whole(body: Any) -> ObjectRange | None:
    arrays = [a for a in _ARRAYS if isinstance(body, dict) and isinstance(body.get(a), list) and body[a]]
    return ObjectRange(arrays[0], 0, len(body[arrays[0]])) if len(arrays) == 1 else None


def _names(note: Note, event: Any) -> bool:
    """Whether a note is about this event's user (or about no user in particular)."""
    if note.subject is None:
        return True
    payload = event if type(event) is dict else {}
    return any(
        isinstance(value, str) and repr(value) in note.subject
        for value in (payload.get("userId"), payload.get("anonymousId"))
    )
