"""Computed traits: each kind, windows, and the documented empty-value choices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness.engage import (
    Aggregation,
    EventCounter,
    FirstValue,
    LastValue,
    MostFrequent,
    PerformedEvent,
    ProfileView,
    UniqueList,
    UniqueListCount,
    computation_from_json,
)
from harness.engage.computations import Computation

NOW = datetime(2024, 1, 31, tzinfo=UTC)


def view(*events: tuple[float, str, dict[str, Any]]) -> ProfileView:
    performed = [PerformedEvent(NOW - timedelta(days=d), name, props) for d, name, props in events]
    return ProfileView({}, sorted(performed, key=lambda e: e.at), NOW)


ORDERS = view(
    (20, "Order Completed", {"revenue": 10, "product": "Boots"}),
    (10, "Order Completed", {"revenue": 30.5, "product": "Scarf"}),
    (5, "Order Completed", {"revenue": "n/a", "product": "Boots"}),
    (3, "Order Completed", {"revenue": True, "product": None}),
    (2, "Order Completed", {"product": "Scarf"}),
    (1, "Product Viewed", {"product": "Hat", "revenue": 1000}),
)


@pytest.mark.parametrize(
    ("computation", "expected"),
    [
        (EventCounter("Order Completed"), 5),
        (EventCounter("Order Completed", within_days=7), 3),
        (Aggregation("Order Completed", "revenue", "sum"), 40.5),
        (Aggregation("Order Completed", "revenue", "min"), 10),
        (Aggregation("Order Completed", "revenue", "max"), 30.5),
        (Aggregation("Order Completed", "revenue", "average"), 20.25),
        (Aggregation("Order Completed", "revenue", "sum", within_days=7), 0),
        (Aggregation("Order Completed", "revenue", "max", within_days=7), None),
        (MostFrequent("Order Completed", "product"), "Scarf"),  # 2-2 tie: the most recent wins
        (MostFrequent("Order Completed", "product", within_days=15), "Scarf"),
        (FirstValue("Order Completed", "product"), "Boots"),
        (LastValue("Order Completed", "product"), "Scarf"),
        (LastValue("Order Completed", "product", within_days=4), "Scarf"),
        (UniqueList("Order Completed", "product"), ["Boots", "Scarf"]),
        (UniqueListCount("Order Completed", "product"), 2),
        (UniqueList("Order Completed", "product", within_days=1), []),
        (UniqueListCount("Order Completed", "product", within_days=1), 0),
        (FirstValue("Order Completed", "product", within_days=1), None),
    ],
)
def test_values(computation: Computation, expected: Any) -> None:
    assert computation.value(ORDERS) == expected


def test_most_frequent_prefers_the_higher_count() -> None:
    v = view((3, "E", {"p": "a"}), (2, "E", {"p": "a"}), (1, "E", {"p": "b"}))
    assert MostFrequent("E", "p").value(v) == "a"


def test_no_matching_event_means_no_value() -> None:
    empty = view((1, "Other", {}))
    for computation in (
        EventCounter("E"),
        Aggregation("E", "p"),
        UniqueList("E", "p"),
        UniqueListCount("E", "p"),
    ):
        assert computation.value(empty) is None


def test_windowed_traits_are_batch() -> None:
    assert EventCounter("E", within_days=1).windowed
    assert not LastValue("E", "p").windowed


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "event_counter", "event": "E"},
        {"kind": "event_counter", "event": "E", "within_days": 30},
        {"kind": "aggregation", "event": "E", "function": "average", "property": "p"},
        {"kind": "most_frequent", "event": "E", "property": "p"},
        {"kind": "first", "event": "E", "property": "p"},
        {"kind": "last", "event": "E", "property": "p", "within_days": 2},
        {"kind": "unique_list", "event": "E", "property": "p"},
        {"kind": "unique_list_count", "event": "E", "property": "p"},
    ],
)
def test_json_round_trip(data: dict[str, Any]) -> None:
    assert computation_from_json(data).to_json() == data


def test_bad_computations_are_refused() -> None:
    with pytest.raises(ValueError, match="function must be one of"):
        Aggregation("E", "p", "median")
    with pytest.raises(ValueError, match="unknown computed trait kind"):
        computation_from_json({"kind": "median", "event": "E"})
