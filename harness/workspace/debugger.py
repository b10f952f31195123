"""The store behind the fake Segment's debugger: every event record, capped, queryable, with listeners.

Segment's Source Debugger keeps "a sample of the events that the Source receives in real time, with a cap
of 500 events" (segment-docs `src/connections/sources/debugger.md`); the fake keeps them all up to its
own cap (oldest dropped first, counted), since a test wants every one. `delivery_overview` counts them the
way a destination's Delivery Overview does: per pipeline step, and per discard code.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from harness.workspace.records import EventRecord

__all__ = ["Debugger", "EventFilter"]

Listener = Callable[[EventRecord], None]


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What to list: any field left None matches every record."""

    source: str | None = None
    type: str | None = None
    name: str | None = None
    user_id: str | None = None
    stage: str | None = None
    destination: str | None = None

    def __call__(self, record: EventRecord) -> bool:
        return (
            (self.source is None or record.source == self.source)
            and (self.type is None or record.type == self.type)
            and (self.name is None or record.name == self.name)
            and (self.user_id is None or record.user_id == self.user_id)
            and (
                self.stage is None
                or record.stage == self.stage
                or any(d.stage == self.stage for d in record.deliveries)
            )
            and (self.destination is None or any(d.destination == self.destination for d in record.deliveries))
        )


class Debugger:
    """Event records by id, oldest first, at most `max_events`; `subscribe` hears every finished record."""

    def __init__(self, max_events: int = 10_000) -> None:
        self.max_events = max_events
        self.dropped = 0
        self._records: OrderedDict[int, EventRecord] = OrderedDict()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def next_id(self) -> int:
        with self._lock:
            return next(self._ids)

    def add(self, record: EventRecord) -> EventRecord:
        with self._lock:
            self._records[record.id] = record
            while len(self._records) > self.max_events:
                self._records.popitem(last=False)
                self.dropped += 1
        return record

    def announce(self, records: list[EventRecord]) -> None:
        """Tell the listeners about records a request has finished with (received, filtered, delivered)."""
        for record in records:
            for listener in list(self._listeners):
                listener(record)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with each record once its request is done with it; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def get(self, record_id: int) -> EventRecord | None:
        with self._lock:
            return self._records.get(record_id)

    def records(self, matching: Callable[[EventRecord], bool] | None = None) -> list[EventRecord]:
        with self._lock:
            items = list(self._records.values())
        return items if matching is None else [r for r in items if matching(r)]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self._ids = itertools.count(1)
            self.dropped = 0

    def __iter__(self) -> Iterator[EventRecord]:
        return iter(self.records())

    def __len__(self) -> int:
        return len(self._records)

    def delivery_overview(self, destination: str | None = None) -> dict[str, Any]:
        """Counts per destination: events per pipeline step, and per discard code within a step."""
        out: dict[str, Any] = {}
        for record in self.records():
            for delivery in record.deliveries:
                if destination is not None and delivery.destination != destination:
                    continue
                entry = out.setdefault(
                    delivery.destination, {"steps": Counter(), "discards": {}, "mappings": Counter()}
                )
                entry["steps"][delivery.stage] += 1
                if delivery.mapping is not None:
                    entry["mappings"][delivery.mapping] += 1
                if delivery.code is not None:
                    entry["discards"].setdefault(delivery.stage, Counter())[delivery.code] += 1
        ingest = Counter(r.discard["code"] for r in self.records() if r.discard is not None)
        return {
            "failed_on_ingest": dict(ingest),
            "destinations": {
                name: {
                    "steps": dict(e["steps"]),
                    "mappings": dict(e["mappings"]),
                    "discards": {stage: dict(codes) for stage, codes in e["discards"].items()},
                }
                for name, e in out.items()
            },
        }
