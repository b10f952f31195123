"""Computed-trait calculations: event counter, aggregation, most frequent, first, last, unique list.

The types are Engage's (segment-docs `src/unify/Traits/computed-traits.md`). JSON form:
`{"kind": "event_counter", "event": "Order Completed", "within_days": 30}`,
`{"kind": "aggregation", "function": "sum", "event": "Order Completed", "property": "revenue"}`,
`{"kind": "most_frequent" | "first" | "last" | "unique_list" | "unique_list_count", "event", "property"}`.

Where the docs are silent, these are the choices (also in the report):
- A profile with no matching event (in the usable history) has no value: nothing is sent.
- Once it has one, an empty window gives 0 for counter, sum and unique_list_count, [] for unique
  list, and null for the rest; so a sliding window emptying out is sent as a change.
- Aggregations read numbers only (booleans are not numbers); first / last / most frequent /
  unique list ignore events without the property (or with it null).
- Most frequent breaks ties by the most recent occurrence; unique list keeps first-seen order.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from harness.engage.profiles import PerformedEvent, ProfileView
from harness.engage.values import json_equal

__all__ = [
    "AGGREGATIONS",
    "Aggregation",
    "Computation",
    "EventCounter",
    "FirstValue",
    "LastValue",
    "MostFrequent",
    "UniqueList",
    "UniqueListCount",
    "computation_from_json",
]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


AGGREGATIONS: Mapping[str, Callable[[list[Any]], Any]] = {
    "sum": sum,
    "min": min,
    "max": max,
    "average": _mean,
}


class Computation(ABC):
    """How one computed trait's value follows from a profile's events."""

    kind: ClassVar[str]
    event: str
    within_days: int | None

    @property
    def windowed(self) -> bool:
        """Sliding-window traits are batch computations (segment-docs computed-traits.md)."""
        return self.within_days is not None

    def value(self, view: ProfileView) -> Any:
        """The trait value at `view.now`, or None when the profile has none."""
        if not view.performed(self.event):
            return None
        after = None if self.within_days is None else view.now - timedelta(days=self.within_days)
        return self._compute(view.performed(self.event, after))

    @abstractmethod
    def _compute(self, events: list[PerformedEvent]) -> Any: ...

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "event": self.event}
        for name in ("function", "property", "within_days"):
            if getattr(self, name, None) is not None:
                out[name] = getattr(self, name)
        return out


@dataclass(frozen=True, slots=True)
class EventCounter(Computation):
    """How many times the event was performed."""

    kind: ClassVar[str] = "event_counter"
    event: str
    within_days: int | None = None

    def _compute(self, events: list[PerformedEvent]) -> Any:
        return len(events)


@dataclass(frozen=True, slots=True)
class Aggregation(Computation):
    """sum / min / max / average of a numeric property."""

    kind: ClassVar[str] = "aggregation"
    event: str
    property: str
    function: str = "sum"
    within_days: int | None = None

    def __post_init__(self) -> None:
        if self.function not in AGGREGATIONS:
            raise ValueError(f"function must be one of {sorted(AGGREGATIONS)}, not {self.function!r}")

    def _compute(self, events: list[PerformedEvent]) -> Any:
        numbers = [v for v in (e.properties.get(self.property) for e in events) if _is_number(v)]
        if not numbers:
            return 0 if self.function == "sum" else None
        return AGGREGATIONS[self.function](numbers)


@dataclass(frozen=True, slots=True)
class MostFrequent(Computation):
    """The property value seen most often; a tie goes to the value seen most recently."""

    kind: ClassVar[str] = "most_frequent"
    event: str
    property: str
    within_days: int | None = None

    def _compute(self, events: list[PerformedEvent]) -> Any:
        tally: list[list[Any]] = []  # [value, count, last position]
        for position, value in enumerate(_present(events, self.property)):
            entry = next((t for t in tally if json_equal(t[0], value)), None)
            if entry is None:
                tally.append([value, 1, position])
            else:
                entry[1] += 1
                entry[2] = position
        return max(tally, key=lambda t: (t[1], t[2]))[0] if tally else None


@dataclass(frozen=True, slots=True)
class FirstValue(Computation):
    """The property value on the earliest event that has it."""

    kind: ClassVar[str] = "first"
    event: str
    property: str
    within_days: int | None = None

    def _compute(self, events: list[PerformedEvent]) -> Any:
        values = _present(events, self.property)
        return values[0] if values else None


@dataclass(frozen=True, slots=True)
class LastValue(Computation):
    """The property value on the latest event that has it."""

    kind: ClassVar[str] = "last"
    event: str
    property: str
    within_days: int | None = None

    def _compute(self, events: list[PerformedEvent]) -> Any:
        values = _present(events, self.property)
        return values[-1] if values else None


@dataclass(frozen=True, slots=True)
class UniqueList(Computation):
    """The distinct property values, in the order first seen."""

    kind: ClassVar[str] = "unique_list"
    event: str
    property: str
    within_days: int | None = None

    def _compute(self, events: list[PerformedEvent]) -> Any:
        return _unique(_present(events, self.property))


@dataclass(frozen=True, slots=True)
class UniqueListCount(Computation):
    """How many distinct property values."""

    kind: ClassVar[str] = "unique_list_count"
    event: str
    property: str
    within_days: int | None = None

    def _compute(self, events: list[PerformedEvent]) -> Any:
        return len(_unique(_present(events, self.property)))


_BY_KIND: Mapping[str, type[Computation]] = {
    cls.kind: cls
    for cls in (EventCounter, Aggregation, MostFrequent, FirstValue, LastValue, UniqueList, UniqueListCount)
}


def computation_from_json(data: Mapping[str, Any]) -> Computation:
    """Build a Computation from its JSON form (already checked against the contract)."""
    cls = _BY_KIND.get(data.get("kind", ""))
    if cls is None:
        raise ValueError(f"unknown computed trait kind {data.get('kind')!r}; known: {sorted(_BY_KIND)}")
    fields = {k: v for k, v in data.items() if k != "kind"}
    return cls(**fields)


def _present(events: list[PerformedEvent], name: str) -> list[Any]:
    return [e.properties[name] for e in events if e.properties.get(name) is not None]


def _unique(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if not any(json_equal(value, seen) for seen in out):
            out.append(value)
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
