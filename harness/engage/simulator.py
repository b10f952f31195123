"""The Engage simulator: Segment events in, the Segment events Engage would send out.

Time is simulated (`SimulatedClock`). Definitions are created at `created_at`:
- events before it are history. With backfill on (Engage's default, "By default, Segment opts to
  include historical data", segment-docs `src/engage/using-engage-data.md`) the creation sync sends
  every member / every trait value. With it off, "only data that arrives after you set up the trait
  or audience" is used (same page): earlier events are ignored by the definition, and whatever holds
  at creation is recorded as already sent, so only later changes go out.
- real-time definitions are evaluated for a profile as each of its events arrives;
- batch definitions (time windows) are evaluated for every profile at sync ticks, every
  `sync_interval` after creation ("The default schedule is once every eight hours",
  `src/engage/product-limits.md`). A tick at T sees every event with timestamp <= T.
Events must arrive in timestamp order after creation; a late one is applied at the current time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from harness.engage.clock import SimulatedClock
from harness.engage.computations import Computation
from harness.engage.definitions import Audience, Definition
from harness.engage.emit import Emitter
from harness.engage.identity import DEFAULT_LIMITS, IdentityGraph
from harness.engage.ids import MessageIds, space_id_for
from harness.engage.ledger import Ledger
from harness.engage.profiles import PerformedEvent, Profile
from harness.segment import SegmentEvent, SegmentEventError, parse_event

__all__ = ["DEFAULT_SYNC_INTERVAL", "EngageSimulator", "simulate"]

DEFAULT_SYNC_INTERVAL = timedelta(hours=8)
Payload = dict[str, Any]


class EngageSimulator:
    """Keeps profiles, computes the definitions, and returns what Engage sends, in order."""

    def __init__(
        self,
        definitions: Sequence[Definition],
        *,
        clock: SimulatedClock | None = None,
        created_at: datetime | None = None,
        sync_interval: timedelta = DEFAULT_SYNC_INTERVAL,
        backfill: bool = True,
        space_id: str | None = None,
        seed: int | str = 0,
        delivery_delay: timedelta = timedelta(seconds=1),
        identity_limits: Mapping[str, int] = DEFAULT_LIMITS,
    ) -> None:
        """`created_at` defaults to the injected clock's time, else to the first event's timestamp."""
        if sync_interval <= timedelta(0):
            raise ValueError("sync_interval must be positive")
        self.definitions = tuple(definitions)
        self.sync_interval = sync_interval
        self.backfill = backfill
        self.space_id = space_id or space_id_for("segment-braze-harness")
        self.graph = IdentityGraph(dict(identity_limits))
        self.ledger = Ledger()
        self.emitted: list[Payload] = []
        self._emitter = Emitter(self.space_id, MessageIds(seed), delivery_delay)
        self._clock = clock
        self._created_at = created_at or (clock.now() if clock else None)
        self._created = False
        self._next_tick: datetime | None = None

    @property
    def created_at(self) -> datetime | None:
        return self._created_at

    @property
    def now(self) -> datetime | None:
        return self._clock.now() if self._clock else None

    @property
    def profiles(self) -> list[Profile]:
        return self.graph.profiles

    def consume(self, event: SegmentEvent | Mapping[str, Any] | str) -> list[Payload]:
        """Take one identify / track call; return what Engage sends because of it (and earlier ticks)."""
        parsed = event if isinstance(event, SegmentEvent) else parse_event(event)
        at = _time_of(parsed)
        if self._created_at is None:
            self._created_at = at
        if not self._created and at < self._created_at:
            self._ingest(parsed, at)
            return []
        out = [] if self._created else self._create()
        out.extend(self._advance(at, inclusive=False))
        now = self._clock_at(at)
        touched = self._ingest(parsed, at)
        if touched is not None:
            out.extend(self._sync(touched, now, [d for d in self.definitions if d.realtime]))
        return out

    def advance_to(self, moment: datetime) -> list[Payload]:
        """Let time pass to `moment`: creation (if due) and every sync tick <= moment."""
        if self._created_at is None:
            self._created_at = moment
        return self._advance(moment, inclusive=True)

    def run(self, events: Iterable[SegmentEvent | Mapping[str, Any]], until: datetime | None = None) -> list[Payload]:
        """Consume `events` in timestamp order, then advance to `until` (default: `default_until`)."""
        timed = sorted((_time_of(e), n, e) for n, e in enumerate(_parse_all(events)))
        out: list[Payload] = []
        for _, _, event in timed:
            out.extend(self.consume(event))
        end = until or self.default_until(timed[-1][0] if timed else None)
        if end is not None:
            out.extend(self.advance_to(end))
        return out

    def default_until(self, last_event: datetime | None) -> datetime | None:
        """The first sync tick at or after the last event, so batch definitions get a final sync."""
        start = self._created_at or last_event
        if start is None:
            return None
        target = max(start, last_event or start)
        ticks = -(-(target - start) // self.sync_interval)  # ceiling division
        return start + max(ticks, 1) * self.sync_interval

    def value(self, definition: Definition, profile: Profile, at: datetime) -> Any:
        """A definition's value for a profile at `at` (what a sync at `at` would compute)."""
        since = None if self.backfill else self._created_at
        view = profile.view(at, since)
        if isinstance(definition, Audience):
            return definition.condition.evaluate(view)
        computation: Computation = definition.computation
        return computation.value(view)

    # -- internals ---------------------------------------------------------------------------

    def _clock_at(self, at: datetime) -> datetime:
        if self._clock is None:
            self._clock = SimulatedClock(at)
        return self._clock.advance_to(at)

    def _advance(self, moment: datetime, *, inclusive: bool) -> list[Payload]:
        out: list[Payload] = []
        assert self._created_at is not None
        if not self._created and moment >= self._created_at:
            out.extend(self._create())
        while self._next_tick is not None and (self._next_tick < moment or (inclusive and self._next_tick == moment)):
            tick = self._next_tick
            self._clock_at(tick)
            batch = [d for d in self.definitions if not d.realtime]
            for profile in self.profiles:
                out.extend(self._sync(profile, tick, batch))
            self._next_tick = tick + self.sync_interval
        if inclusive:
            self._clock_at(moment)
        return out

    def _create(self) -> list[Payload]:
        assert self._created_at is not None
        self._created = True
        self._next_tick = self._created_at + self.sync_interval
        at = self._clock_at(self._created_at)
        out: list[Payload] = []
        for profile in self.profiles:
            out.extend(self._sync(profile, at, list(self.definitions), send=self.backfill))
        return out

    def _ingest(self, event: SegmentEvent, at: datetime) -> Profile | None:
        if event.type not in ("identify", "track"):
            return None
        ids = [
            (kind, value)
            for kind, value in (
                ("user_id", event.user_id),
                ("email", event.email),
                ("anonymous_id", event.anonymous_id),
            )
            if value
        ]
        resolution = self.graph.resolve(ids)
        if resolution is None:
            return None
        profile = resolution.profile
        if event.type == "identify":
            profile.set_traits(event.traits, at)
        elif event.event:
            profile.add_event(PerformedEvent(at, event.event, dict(event.properties)))
        return profile

    def _sync(
        self, profile: Profile, at: datetime, definitions: Sequence[Definition], *, send: bool = True
    ) -> list[Payload]:
        out: list[Payload] = []
        for definition in definitions:
            value = self.value(definition, profile, at)
            for identity in self.ledger.targets(definition, profile, value):
                if send:
                    for destination in definition.destinations:
                        out.extend(self._emitter.events(definition, destination, identity, value, at))
        self.emitted.extend(out)
        return out


def simulate(
    definitions: Sequence[Definition],
    events: Iterable[SegmentEvent | Mapping[str, Any]],
    *,
    until: datetime | None = None,
    **options: Any,
) -> list[Payload]:
    """Run `definitions` over `events`; return every event Engage would send, in order.

    This is the seam for delivery: the list feeds the translator and the fake Braze unchanged.
    `options` are EngageSimulator's keyword arguments.
    """
    return EngageSimulator(definitions, **options).run(events, until)


def _parse_all(events: Iterable[SegmentEvent | Mapping[str, Any]]) -> list[SegmentEvent]:
    return [e if isinstance(e, SegmentEvent) else parse_event(e) for e in events]


def _time_of(event: SegmentEvent) -> datetime:
    at = event.effective_time
    if at is None:
        raise SegmentEventError("event has no timestamp, so it cannot be placed in time")
    return at
