"""Audience conditions as data: performed-event counts, trait tests, and / or / not.

JSON forms (contract `engage/definition`, `$defs/condition`):
`{"performed": "Order Completed", "at_least": 2, "within_days": 30}` (or `at_most` / `exactly`;
no count means at least once), `{"trait": "plan", "equals": "pro"}`, `{"trait": "tags", "contains":
"vip"}`, `{"trait": "email", "exists": true}`, `{"and": [...]}`, `{"or": [...]}`, `{"not": {...}}`.
Python: the classes below, combined with `&`, `|` and `~`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from harness.engage.profiles import ProfileView
from harness.engage.values import json_contains, json_equal

__all__ = [
    "And",
    "Condition",
    "Not",
    "Or",
    "Performed",
    "TraitContains",
    "TraitEquals",
    "TraitExists",
    "condition_from_json",
]


class Condition(ABC):
    """A test of one profile at one moment."""

    @abstractmethod
    def evaluate(self, view: ProfileView) -> bool: ...

    @abstractmethod
    def to_json(self) -> dict[str, Any]: ...

    @property
    def windowed(self) -> bool:
        """True if any part looks at a time window: Engage computes such audiences in batch."""
        return False

    def __and__(self, other: Condition) -> Condition:
        return And((self, other))

    def __or__(self, other: Condition) -> Condition:
        return Or((self, other))

    def __invert__(self) -> Condition:
        return Not(self)


@dataclass(frozen=True, slots=True)
class Performed(Condition):
    """Performed `event` at least / at most / exactly N times, optionally within the last N days.

    The window is (now - within_days, now], taken on the event `timestamp` ("Historical lookback
    windows are based on the event `timestamp` field", segment-docs `src/engage/faqs.md`).
    """

    event: str
    at_least: int | None = None
    at_most: int | None = None
    exactly: int | None = None
    within_days: int | None = None

    def __post_init__(self) -> None:
        given = [n for n in (self.at_least, self.at_most, self.exactly) if n is not None]
        if len(given) > 1:
            raise ValueError("give at most one of at_least, at_most, exactly")
        if any(n < 0 for n in given) or (self.within_days is not None and self.within_days < 1):
            raise ValueError("counts must be >= 0 and within_days >= 1")

    def evaluate(self, view: ProfileView) -> bool:
        after = None if self.within_days is None else view.now - timedelta(days=self.within_days)
        count = len(view.performed(self.event, after))
        if self.exactly is not None:
            return count == self.exactly
        if self.at_most is not None:
            return count <= self.at_most
        return count >= (1 if self.at_least is None else self.at_least)

    @property
    def windowed(self) -> bool:
        return self.within_days is not None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"performed": self.event}
        for name in ("at_least", "at_most", "exactly", "within_days"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out


@dataclass(frozen=True, slots=True)
class TraitEquals(Condition):
    """The profile trait equals `value` (JSON equality: `true` is not `1`)."""

    trait: str
    value: Any

    def evaluate(self, view: ProfileView) -> bool:
        return self.trait in view.traits and json_equal(view.traits[self.trait], self.value)

    def to_json(self) -> dict[str, Any]:
        return {"trait": self.trait, "equals": self.value}


@dataclass(frozen=True, slots=True)
class TraitContains(Condition):
    """A string trait contains `value` as a substring, or a list trait has it as a member."""

    trait: str
    value: Any

    def evaluate(self, view: ProfileView) -> bool:
        return json_contains(view.traits.get(self.trait), self.value)

    def to_json(self) -> dict[str, Any]:
        return {"trait": self.trait, "contains": self.value}


@dataclass(frozen=True, slots=True)
class TraitExists(Condition):
    """The trait is set to a non-null value (`exists: false` tests the opposite).

    A trait explicitly set to null counts as not existing: a choice, the docs do not say.
    """

    trait: str
    exists: bool = True

    def evaluate(self, view: ProfileView) -> bool:
        return (view.traits.get(self.trait) is not None) == self.exists

    def to_json(self) -> dict[str, Any]:
        return {"trait": self.trait, "exists": self.exists}


@dataclass(frozen=True, slots=True)
class And(Condition):
    """Every part holds (`and`)."""

    parts: tuple[Condition, ...]

    def evaluate(self, view: ProfileView) -> bool:
        return all(part.evaluate(view) for part in self.parts)

    @property
    def windowed(self) -> bool:
        return any(part.windowed for part in self.parts)

    def to_json(self) -> dict[str, Any]:
        return {"and": [part.to_json() for part in self.parts]}


@dataclass(frozen=True, slots=True)
class Or(Condition):
    """At least one part holds (`or`)."""

    parts: tuple[Condition, ...]

    def evaluate(self, view: ProfileView) -> bool:
        return any(part.evaluate(view) for part in self.parts)

    @property
    def windowed(self) -> bool:
        return any(part.windowed for part in self.parts)

    def to_json(self) -> dict[str, Any]:
        return {"or": [part.to_json() for part in self.parts]}


@dataclass(frozen=True, slots=True)
class Not(Condition):
    """The part does not hold."""

    part: Condition

    def evaluate(self, view: ProfileView) -> bool:
        return not self.part.evaluate(view)

    @property
    def windowed(self) -> bool:
        return self.part.windowed

    def to_json(self) -> dict[str, Any]:
        return {"not": self.part.to_json()}


def condition_from_json(data: Mapping[str, Any]) -> Condition:
    """Build a Condition from its JSON form (already checked against the contract)."""
    if "and" in data:
        return And(tuple(condition_from_json(part) for part in data["and"]))
    if "or" in data:
        return Or(tuple(condition_from_json(part) for part in data["or"]))
    if "not" in data:
        return Not(condition_from_json(data["not"]))
    if "performed" in data:
        return Performed(
            data["performed"],
            at_least=data.get("at_least"),
            at_most=data.get("at_most"),
            exactly=data.get("exactly"),
            within_days=data.get("within_days"),
        )
    if "equals" in data:
        return TraitEquals(data["trait"], data["equals"])
    if "contains" in data:
        return TraitContains(data["trait"], data["contains"])
    if "exists" in data:
        return TraitExists(data["trait"], bool(data["exists"]))
    raise ValueError(f"not a condition: {data!r}")
