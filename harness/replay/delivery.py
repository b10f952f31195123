"""One batch on one route: translate as Segment does, send to the fake, and fold Braze's answers back.

Segment reacts to Braze's replies (multistatus, a failed cohort name call stops the users call), so the
translator has to see the fake's real answers. The batch is translated once assuming success; each
request goes to the fake (`FakeBraze.call`, no HTTP) in order; as soon as an answer is not a plain
success, the batch is translated again with the answers so far scripted, which yields Segment's own
per-event statuses and tells whether further requests would still be sent. Plain successes, the bulk of
real traffic, cost one translation.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from harness.braze import FakeBraze, Identifier, Note, identifier_of, redact, redact_body
from harness.replay.attribution import object_ranges, split_notes
from harness.replay.config import ReplayConfig
from harness.replay.journal_out import JournalWriter
from harness.replay.model import Delivery, EventCase, SentRequest
from harness.replay.routes import Route
from harness.replay.views import ProfileViewer
from harness.translate import BrazeRequest, TranslationResult, translate

__all__ = ["HARNESS_ERROR", "DeliveryContext", "Sender", "deliver"]

_SUCCESS = {"status": 201, "body": {"message": "success"}}
HARNESS_ERROR = "HarnessError"


@lru_cache(maxsize=64)
def _host(url: str) -> str:
    return urlsplit(url).netloc


def _redacted_headers(headers: dict[str, str]) -> dict[str, str]:
    auth = headers.get("authorization")
    return {**headers, "authorization": redact(auth)} if auth else headers


class Sender:
    """Sends requests to the fake in-process, numbers them, and journals them to `--out`."""

    def __init__(self, fake: FakeBraze, journal: JournalWriter | None = None) -> None:
        self.fake = fake
        self.journal = journal
        self._ids = itertools.count(1)
        self.count = 0

    def send(self, request: BrazeRequest, route: Route, numbers: list[int]) -> SentRequest:
        reply = self.fake.call(
            request.path, request.body, method=request.method, host=_host(request.url), headers=request.headers
        )
        self.count += 1
        sent = SentRequest(
            id=next(self._ids),
            destination=route.destination,
            method=request.method,
            url=request.url,
            path=request.path,
            headers=_redacted_headers(request.headers),
            body=redact_body(request.body),
            events=len(numbers),
            status=reply.status,
            response=reply.body,
            violations=reply.violations,
            notes=reply.notes,
        )
        if self.journal is not None:
            self.journal.write(sent, route, numbers)
        return sent


@dataclass(slots=True)
class DeliveryContext:
    """What every batch of a run shares: settings, the fake, the sender, cohort state, profile views."""

    config: ReplayConfig
    sender: Sender
    viewer: ProfileViewer
    states: dict[Route, dict[str, Any]] = field(default_factory=dict)

    def settings_for(self, route: Route) -> dict[str, Any]:
        if route.destination == "braze-cohorts":
            assert self.config.cohorts_settings is not None
            return self.config.cohorts_settings
        return self.config.braze_settings

    def workspace_for(self, route: Route) -> str:
        """The modelled workspace the route's credentials belong to (yours when none does)."""
        config = self.config
        if route.destination == "braze":
            owner = config.key_owner
        else:
            secret = (config.cohorts_settings or {}).get("client_secret")
            owner = next((w for w in config.all_workspaces() if w.data_import_key == secret), None)
        return (owner or config.your_workspace).name


def _plain_success(sent: SentRequest) -> bool:
    return sent.ok and not (isinstance(sent.response, dict) and sent.response.get("errors"))


def _translate(route: Route, events: list[Any], ctx: DeliveryContext, script: list[dict[str, Any]] | None) -> Any:
    return translate(
        events,
        destination=route.destination,
        action=None if route.preset else route.action,
        preset=route.preset,
        settings=ctx.settings_for(route),
        mapping=route.mapping_dict,
        state=ctx.states.get(route),
        responses=script,
    )


def deliver(route: Route, cases: list[EventCase], ctx: DeliveryContext) -> None:
    """Translate, send and attribute one batch (at most the batch size) of events on `route`.

    A failure of the harness itself (a bug, not Segment's or Braze's behaviour) is recorded on each
    event of the batch as a `HarnessError` instead of ending a long replay.
    """
    try:
        _deliver(route, cases, ctx)
    except Exception as exc:  # a harness bug must not lose the rest of a million-event replay
        error = {"type": HARNESS_ERROR, "message": f"{type(exc).__name__}: {exc}", "status": None}
        for case in cases:
            if not any(d.route is route for d in case.deliveries):
                case.deliveries.append(Delivery(route, error=error))


def _deliver(route: Route, cases: list[EventCase], ctx: DeliveryContext) -> None:
    events = [case.payload for case in cases]
    numbers = [case.number for case in cases]
    first: TranslationResult = _translate(route, events, ctx, None)
    result = first
    sent: list[SentRequest] = []
    while True:
        replan = False
        for request in result.requests[len(sent) :]:
            answered = ctx.sender.send(request, route, numbers)
            sent.append(answered)
            if not _plain_success(answered):
                replan = True
                break
        if not replan:
            break
        script = [{"status": s.status, "body": s.response} for s in sent] + [_SUCCESS]
        result = _translate(route, events, ctx, script)
        if len(result.requests) <= len(sent):
            break
    if result.state_set:
        ctx.states.setdefault(route, {}).update(result.state_set)
    _attribute(route, cases, first, result, sent, ctx)


def _attribute(
    route: Route,
    cases: list[EventCase],
    first: TranslationResult,
    final: TranslationResult,
    sent: list[SentRequest],
    ctx: DeliveryContext,
) -> None:
    track = next((s for s in sent if s.path == "/users/track"), None)
    ranges = object_ranges(first.multistatus, track.body) if track is not None else None
    notes = split_notes(track.notes, track.violations) if track is not None else None
    statuses = final.multistatus
    workspace = ctx.workspace_for(route)
    views: dict[Any, Any] = {}
    for index, case in enumerate(cases):
        delivery = Delivery(route)
        entry = statuses[index] if statuses is not None and index < len(statuses) else None
        if isinstance(entry, dict):
            delivery.status = entry.get("status")
            if not (isinstance(delivery.status, int) and 200 <= delivery.status < 300):
                delivery.error = {
                    "type": entry.get("errortype"),
                    "message": entry.get("errormessage"),
                    "status": delivery.status,
                }
        elif final.error is not None:
            delivery.status = final.error.status
            delivery.error = {"type": final.error.name, "message": final.error.message, "status": final.error.status}
        own = ranges[index] if ranges is not None and index < len(ranges) else None
        if track is not None and notes is not None:
            if own is not None:
                delivery.array = own.array
                delivery.objects = track.body[own.array][own.start : own.stop]
            delivery.braze_errors, delivery.warnings, delivery.violations = notes.for_range(own)
            empty = not any(track.body.get(a) for a in ("attributes", "events", "purchases"))
            delivery.requests = [s for s in sent if s is not track or own is not None or empty]
        else:
            delivery.requests = list(sent)
            delivery.warnings = [n for s in sent for n in s.notes if n.kind != "error" and _names_case(n, case)]
        if delivery.status is None and sent and final.error is None and statuses is None:
            delivery.status = sent[-1].status  # a single request with no per-event status (not batched)
        case.deliveries.append(delivery)
        ident = _identifier(delivery, case)
        key = (ident, workspace)
        if key not in views:
            views[key] = ctx.viewer.view(workspace, ident)
        case.profile, case.segments = views[key]


def _names_case(note: Note, case: EventCase) -> bool:
    """Whether a note is about this event's user (or about no user in particular)."""
    if note.subject is None:
        return True
    event = case.event
    return any(
        isinstance(value, str) and repr(value) in note.subject
        for value in (event.get("userId"), event.get("anonymousId"))
    )


def _identifier(delivery: Delivery, case: EventCase) -> Identifier | None:
    """The Braze user an event's delivery names: its first object's identifier, else its userId."""
    if delivery.objects:
        first = delivery.objects[0]
        if isinstance(first, dict):
            ident, _ = identifier_of(first)
            if ident is not None:
                return ident
    user_id = case.event.get("userId")
    return Identifier("external_id", user_id) if isinstance(user_id, str) and user_id else None
