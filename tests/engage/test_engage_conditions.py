"""Audience conditions: each kind, windows, JSON round trips, operators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness.engage import (
    And,
    Not,
    Or,
    Performed,
    PerformedEvent,
    ProfileView,
    TraitContains,
    TraitEquals,
    TraitExists,
    condition_from_json,
)

NOW = datetime(2024, 1, 31, tzinfo=UTC)


def view(
    traits: dict[str, Any] | None = None, days_ago: tuple[float, ...] = (), since: datetime | None = None
) -> ProfileView:
    events = [PerformedEvent(NOW - timedelta(days=d), "Order Completed", {}) for d in sorted(days_ago, reverse=True)]
    events.append(PerformedEvent(NOW - timedelta(days=1), "Product Viewed", {}))
    events.append(PerformedEvent(NOW + timedelta(days=1), "Order Completed", {}))  # the future never counts
    return ProfileView(traits or {}, events, NOW, since)


@pytest.mark.parametrize(
    ("condition", "count", "expected"),
    [
        (Performed("Order Completed"), 0, False),
        (Performed("Order Completed"), 1, True),
        (Performed("Order Completed", at_least=2), 1, False),
        (Performed("Order Completed", at_least=2), 2, True),
        (Performed("Order Completed", at_most=1), 0, True),
        (Performed("Order Completed", at_most=1), 2, False),
        (Performed("Order Completed", exactly=2), 2, True),
        (Performed("Order Completed", exactly=2), 3, False),
        (Performed("Order Completed", at_least=0), 0, True),
    ],
)
def test_performed_counts(condition: Performed, count: int, expected: bool) -> None:
    assert condition.evaluate(view(days_ago=tuple(range(2, 2 + count)))) is expected


def test_window_is_the_last_n_days_up_to_now() -> None:
    recent = Performed("Order Completed", within_days=7)
    assert recent.evaluate(view(days_ago=(6.99,)))
    assert not recent.evaluate(view(days_ago=(7,)))  # exactly 7 days ago is outside (now - 7d, now]
    assert Performed("Order Completed", at_least=2, within_days=30).evaluate(view(days_ago=(1, 29, 40)))
    assert recent.windowed and not Performed("X").windowed


def test_since_hides_history() -> None:
    assert not Performed("Order Completed").evaluate(view(days_ago=(5,), since=NOW - timedelta(days=2)))


def test_trait_tests() -> None:
    traits = {"plan": "pro", "vip": True, "age": 30, "tags": ["a", 1], "gone": None}
    v = view(traits)
    assert TraitEquals("plan", "pro").evaluate(v)
    assert not TraitEquals("vip", 1).evaluate(v)  # JSON: true is not 1
    assert TraitEquals("age", 30.0).evaluate(v)
    assert not TraitEquals("missing", None).evaluate(v)
    assert TraitEquals("gone", None).evaluate(v)
    assert TraitContains("plan", "ro").evaluate(v)
    assert not TraitContains("plan", "PRO").evaluate(v)  # case-sensitive
    assert TraitContains("tags", 1).evaluate(v) and not TraitContains("tags", True).evaluate(v)
    assert not TraitContains("age", 3).evaluate(v)
    assert TraitExists("plan").evaluate(v)
    assert not TraitExists("gone").evaluate(v)  # null counts as not set
    assert TraitExists("missing", exists=False).evaluate(v)


def test_and_or_not_and_operators() -> None:
    pro, vip = TraitEquals("plan", "pro"), TraitEquals("vip", True)
    v = view({"plan": "pro", "vip": False})
    assert not And((pro, vip)).evaluate(v)
    assert Or((pro, vip)).evaluate(v)
    assert Not(vip).evaluate(v)
    assert (pro & ~vip) == And((pro, Not(vip)))
    assert (pro | vip) == Or((pro, vip))
    assert (pro & Performed("X", within_days=3)).windowed
    assert Not(Performed("X", within_days=3)).windowed


@pytest.mark.parametrize(
    "data",
    [
        {"performed": "Order Completed"},
        {"performed": "Order Completed", "at_most": 0, "within_days": 30},
        {"trait": "plan", "equals": {"tier": [1, 2]}},
        {"trait": "tags", "contains": "vip"},
        {"trait": "email", "exists": False},
        {"and": [{"or": [{"performed": "A", "exactly": 2}]}, {"not": {"trait": "x", "exists": True}}]},
    ],
)
def test_json_round_trip(data: dict[str, Any]) -> None:
    assert condition_from_json(data).to_json() == data


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="at most one"):
        Performed("X", at_least=1, exactly=1)
    with pytest.raises(ValueError):
        Performed("X", within_days=0)
    with pytest.raises(ValueError, match="not a condition"):
        condition_from_json({"nope": 1})
