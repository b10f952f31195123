"""The replay loop: read → check and route → batch per route → deliver → diagnose → yield, in input order.

Production delivers in batches (the Braze presets set `enable_batching`, `batch_size` 75), one batch per
mapping (and per cohort for Braze Cohorts). Events wait in a window with one queue per route; when a
queue is full, or the window holds four batches' worth of events, every queue is delivered, oldest
first, and the window's events are diagnosed and yielded in input order. Memory is the window plus
the fake's profiles (the fake's journal is capped), so it stays flat however long the input is.

The fake runs on a fixed clock that follows the events: it is set to the latest `receivedAt` /
`timestamp` seen before each delivery, so Braze's "in the last N days" filters and "time in the future"
checks see the replayed traffic's own time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from harness.braze import FakeBraze, FakeBrazeConfig, Identifier, SeedError
from harness.clock import FixedClock
from harness.replay.clientside import device_mode
from harness.replay.config import ConfigError, ReplayConfig
from harness.replay.delivery import DeliveryContext, Sender, deliver
from harness.replay.diagnose.event import Diagnoser
from harness.replay.inputs import InputItem, from_batch
from harness.replay.journal_out import JournalWriter
from harness.replay.model import EventCase
from harness.replay.routes import Route, routes_for
from harness.replay.views import ProfileViewer
from harness.segment import validate_event
from harness.segment.tracking_api import refused_by_tracking_api
from harness.workspace.limits import MAX_CALL_BYTES
from harness.workspace.tracking import call_size

__all__ = ["Replayer", "build_fake"]

WINDOW_BATCHES = 4


def build_fake(config: ReplayConfig) -> FakeBraze:
    """A fake Braze holding the user's workspace model, no rate limits (Segment retries 429s), capped journal."""
    workspaces = config.all_workspaces()
    fake_config = FakeBrazeConfig(
        instance=workspaces[0].instance,
        workspaces=workspaces,
        rate_limited=False,
        journal_max_entries=config.journal_cap,
        journal_max_bytes=max(config.journal_cap, 1) * 64 * 1024,
        clock=FixedClock(datetime.now(UTC).replace(microsecond=0)),
    )
    fake = FakeBraze(fake_config)
    if config.seed is not None:
        try:
            fake.seed(config.seed, workspace=workspaces[0].name)
        except SeedError as exc:
            raise ConfigError(str(exc)) from None
    return fake


def _event_time(event: dict[str, Any]) -> datetime | None:
    latest = None
    for key in ("receivedAt", "timestamp"):
        value = event.get(key)
        if type(value) is str:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                continue
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
            if latest is None or moment > latest:
                latest = moment
    return latest


class Replayer:
    """Replays events into a fresh fake Braze built from `config` (or the one given)."""

    def __init__(self, config: ReplayConfig, *, journal: JournalWriter | None = None, fake: FakeBraze | None = None):
        self.config = config
        self.fake = fake or build_fake(config)
        clock = self.fake.clock
        if not isinstance(clock, FixedClock):
            raise ConfigError("a replay needs a fake Braze on a FixedClock")
        self.clock: FixedClock = clock
        self._latest: datetime | None = None
        self.context = DeliveryContext(config, Sender(self.fake, journal), ProfileViewer(self.fake, config.segments))
        self.diagnoser = Diagnoser(config)
        self._routes: dict[tuple[Any, ...], Route] = {}
        self.batch_size = max(1, config.batch_size)
        self._window: list[EventCase] = []
        self._queues: dict[Route, list[EventCase]] = {}

    def prepare(self, item: InputItem) -> EventCase:
        """Check, classify and route one input value (nothing is sent yet)."""
        case = EventCase(item.number, item.source, item.payload, item.error)
        event = item.payload
        if item.error is not None or type(event) is not dict:
            return case
        case.violations = validate_event(event)
        moment = _event_time(event)
        if moment is not None and (self._latest is None or moment > self._latest):
            self._latest = moment
        if item.text is None or len(item.text) > MAX_CALL_BYTES:  # a line within the limit is within it compact
            size = call_size(event)
            if size > MAX_CALL_BYTES:
                # Only a call on its way in (a /v1/batch body from a server's logs) is refused here: an event
                # copied from the debugger was accepted, so it came from a source without the limit.
                case.oversize, case.refused = size, from_batch(item.source)
        case.device = device_mode(event)
        refused = case.refused or any(refused_by_tracking_api(v) for v in case.violations)
        if case.device is None and not refused:
            case.routes = routes_for(event, self.config, self._routes)
        return case

    def run(self, items: Iterable[InputItem]) -> Iterator[EventCase]:
        """Replay every item; yield each case, diagnosed, in input order."""
        for item in items:
            yield from self.feed(self.prepare(item))
        yield from self.finish()

    def feed(self, case: EventCase) -> list[EventCase]:
        """Add one prepared case to the window; the cases a delivery completed (in input order), if it filled."""
        self._window.append(case)
        full = False
        for route in case.routes:
            queue = self._queues.get(route)
            if queue is None:
                queue = self._queues[route] = []
            queue.append(case)
            full = full or len(queue) >= self.batch_size
        if full or len(self._window) >= self.batch_size * WINDOW_BATCHES:
            return self.finish()
        return []

    def finish(self) -> list[EventCase]:
        """Deliver what the window holds; its cases, diagnosed, in input order."""
        window, queues = self._window, self._queues
        self._window, self._queues = [], {}
        return list(self._flush(window, queues))

    def _flush(self, window: list[EventCase], queues: dict[Route, list[EventCase]]) -> Iterator[EventCase]:
        if self._latest is not None:
            self.clock.set(self._latest)  # a running maximum: only the first set may move the clock back
        ordered = sorted(queues.items(), key=lambda item: (item[1][0].number, item[0].destination != "braze"))
        size = self.batch_size
        for route, cases in ordered:
            for start in range(0, len(cases), size):
                deliver(route, cases[start : start + size], self.context)
        viewer = self.context.viewer
        your_workspace = self.config.your_workspace.name
        for case in window:
            if not case.deliveries and type(case.payload) is dict:
                user_id = case.payload.get("userId")
                if isinstance(user_id, str) and user_id:
                    case.profile, case.segments = viewer.view(your_workspace, Identifier("external_id", user_id))
            case.diagnoses = self.diagnoser.diagnose(case)
            case.final = case.outcome
            yield case
