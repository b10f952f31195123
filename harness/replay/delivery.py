"""One batch on one route: the shared delivery (`harness.workspace.delivery`) into the replay's fake, and
each event's share recorded as its `Delivery` on that route, with the profile it left.

The translate-send-replan loop and the per-event attribution are the fake Segment's too; what is replay's
own is the `Sender` (numbering, redaction, `--out` journal), the workspace model behind `workspace_for`,
and the profile views.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from harness.braze import FakeBraze, Identifier, identifier_of, redact, redact_body
from harness.replay.config import ReplayConfig
from harness.replay.journal_out import JournalWriter
from harness.replay.model import Delivery, EventCase, SentRequest
from harness.replay.routes import Route
from harness.replay.views import ProfileViewer
from harness.translate import BrazeRequest
from harness.workspace.delivery import BatchRun, Target, host_of, run_batch, shares

__all__ = ["HARNESS_ERROR", "DeliveryContext", "Sender", "deliver"]

HARNESS_ERROR = "HarnessError"


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
            request.path, request.body, method=request.method, host=host_of(request.url), headers=request.headers
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


def _target(route: Route, ctx: DeliveryContext) -> Target:
    action = None if route.preset else route.action
    return Target(route.destination, action, route.preset, ctx.settings_for(route), route.mapping_dict)


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
    run = run_batch(events, _target(route, ctx), ctx.states.get(route), lambda r: ctx.sender.send(r, route, numbers))
    if run.final.state_set:
        ctx.states.setdefault(route, {}).update(run.final.state_set)
    _attribute(route, cases, run, ctx)


def _attribute(route: Route, cases: list[EventCase], run: BatchRun[SentRequest], ctx: DeliveryContext) -> None:
    workspace = ctx.workspace_for(route)
    views: dict[Any, Any] = {}
    for case, share in zip(cases, shares(run, [case.payload for case in cases]), strict=True):
        delivery = Delivery(
            route,
            status=share.status,
            error=share.error,
            requests=share.requests,
            objects=share.objects,
            array=share.array,
            braze_errors=share.braze_errors,
            warnings=share.warnings,
            violations=share.violations,
        )
        case.deliveries.append(delivery)
        ident = _identifier(delivery, case)
        key = (ident, workspace)
        if key not in views:
            views[key] = ctx.viewer.view(workspace, ident)
        case.profile, case.segments = views[key]


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
