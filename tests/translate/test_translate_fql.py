"""FQL subscriptions: the grammar Segment's presets and default subscriptions use, and its quirks."""

from __future__ import annotations

import pytest

from harness.segment.fql import FQLError, parse_fql, subscribed
from harness.translate import PRESETS

TRACK_CALLS = next(p.subscribe for p in PRESETS if p.name == "Track Calls")


@pytest.mark.parametrize(
    ("fql", "event", "expected"),
    [
        ('type = "identify"', {"type": "identify"}, True),
        ('type = "identify"', {"type": "track"}, False),
        ('event != "Order Completed"', {"type": "identify"}, True),
        (
            'type = "track" and event != "Order Completed"',
            {"type": "track", "event": "Order Completed"},
            False,
        ),
        ('event = "Audience Entered" or event = "Audience Exited"', {"event": "Audience Exited"}, True),
        ('type = "track" and (event = "A" or event = "B")', {"type": "track", "event": "B"}, True),
        ('type = "track" and (event = "A" or event = "B")', {"type": "identify", "event": "B"}, False),
        # one operator per group: the last conditional wins for every term
        ('type = "track" and event = "A" or event = "B"', {"type": "identify", "event": "B"}, True),
        ('properties.plan = "pro"', {"properties": {"plan": "pro"}}, True),
        ("properties.count > 2", {"properties": {"count": 3}}, True),
        ("properties.count > 2", {"properties": {"count": "3"}}, False),
        ("properties.plan != null", {"properties": {"plan": None}}, False),
        ("traits.vip = true", {"traits": {"vip": True}}, True),
        ("properties.nested.a = 1", {"properties": {"nested": {"a": 1}}}, True),
        ('contains(event, "Order")', {"event": "Order Shipped"}, True),
        ('!contains(event, "Order")', {"event": "Order Shipped"}, False),
        ('match(event, "Ord*")', {"event": "Order"}, True),
        ("event = 'X'", {"event": "X"}, False),
        ("userId = null", {"type": "track"}, True),
    ],
)
def test_subscribed(fql: str, event: dict, expected: bool) -> None:
    assert subscribed(fql, event) is expected


def test_track_calls_preset_excludes_the_ecommerce_events() -> None:
    assert TRACK_CALLS is not None
    for name in (
        "Order Completed",
        "Checkout Started",
        "Order Refunded",
        "Order Cancelled",
        "Product Viewed",
    ):
        assert not subscribed(TRACK_CALLS, {"type": "track", "event": name})
    assert subscribed(TRACK_CALLS, {"type": "track", "event": "Signed Up"})
    assert not subscribed(TRACK_CALLS, {"type": "identify"})


@pytest.mark.parametrize("fql", ['event ~ "X"', 'event = "unterminated', "(", ""])
def test_invalid_fql_raises_segments_message(fql: str) -> None:
    with pytest.raises(FQLError, match="Cannot read properties of undefined"):
        parse_fql(fql)


def test_a_trailing_conditional_is_a_missing_operand_not_an_error() -> None:
    assert parse_fql('event = "X" and')["type"] == "group"
