"""The simulator: real-time and batch sync, backfill on/off, identity, and only-on-change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from harness.engage import (
    Aggregation,
    Audience,
    ComputedTrait,
    Destination,
    EngageSimulator,
    EventCounter,
    LastValue,
    Performed,
    SimulatedClock,
    TraitEquals,
    simulate,
)
from tests.engage.engage_builders import assert_engage_valid, at, identify, identify_with_email, track

BUYERS = Audience("buyers", Performed("Order Completed", at_least=2))
RECENT = Audience("recent_buyers", Performed("Order Completed", within_days=1))
REVENUE = ComputedTrait("revenue", Aggregation("Order Completed", "revenue", "sum"))


def summary(events: list[dict[str, Any]]) -> list[tuple[str, str | None, Any]]:
    """(timestamp, userId or email, {key: value}) for each identify."""
    out = []
    for e in events:
        if e["type"] == "identify":
            values = {k: v for k, v in e["traits"].items() if k != "email"}
            out.append((e["timestamp"][:16], e.get("userId") or e["traits"].get("email"), values))
    return out


def test_realtime_audience_emits_as_events_arrive_and_only_on_change() -> None:
    emitted = simulate(
        [BUYERS],
        [
            track(1, user="u1"),
            track(2, user="u1"),
            track(3, user="u1"),
            identify(4, {"plan": "pro"}, user="u1"),
        ],
    )
    assert summary(emitted) == [("2024-03-01T02:00", "u1", {"buyers": True})]
    assert_engage_valid(emitted)


def test_realtime_exit_is_sent() -> None:
    vip = Audience("vip", TraitEquals("plan", "pro"))
    emitted = simulate([vip], [identify(1, {"plan": "pro"}, user="u1"), identify(2, {"plan": "free"}, user="u1")])
    assert summary(emitted) == [
        ("2024-03-01T01:00", "u1", {"vip": True}),
        ("2024-03-01T02:00", "u1", {"vip": False}),
    ]


def test_windowed_audience_emits_only_at_sync_ticks() -> None:
    sim = EngageSimulator([RECENT])
    assert sim.consume(track(1, user="u1")) == []  # created at hour 1; batch waits for the tick
    assert sim.advance_to(at(8.99)) == []
    assert summary(sim.advance_to(at(9))) == [("2024-03-01T09:00", "u1", {"recent_buyers": True})]
    assert sim.advance_to(at(24)) == []  # 17:00 tick: still within 1 day
    exited = sim.advance_to(at(33))  # 01:00 next day: 24 h passed at exactly 01:00 → outside (now-1d, now]
    assert summary(exited) == [("2024-03-02T01:00", "u1", {"recent_buyers": False})]
    assert_engage_valid(sim.emitted)


def test_sync_interval_is_configurable() -> None:
    emitted = simulate([RECENT], [track(0, user="u1")], sync_interval=timedelta(hours=2), until=at(2))
    assert summary(emitted) == [("2024-03-01T02:00", "u1", {"recent_buyers": True})]


def test_forced_batch_waits_for_the_tick_too() -> None:
    batch = Audience("vip", TraitEquals("plan", "pro"), compute="batch")
    sim = EngageSimulator([batch])
    assert sim.consume(identify(0, {"plan": "pro"}, user="u1")) == []
    assert len(sim.advance_to(at(8))) == 1


def test_default_run_ends_at_the_first_tick_after_the_last_event() -> None:
    emitted = simulate([RECENT], [track(0, user="u1"), track(10, user="u2")])
    assert [e["timestamp"][:16] for e in emitted] == ["2024-03-01T08:00", "2024-03-01T16:00"]


HISTORY = [track(1, user="u1"), track(2, user="u1"), track(3, user="u2")]


def test_backfill_on_sends_members_at_creation() -> None:
    sim = EngageSimulator([BUYERS, RECENT], clock=SimulatedClock(at(10)))
    emitted = sim.run([*HISTORY, track(11, user="u2")], until=at(18))
    assert summary(emitted) == [
        ("2024-03-01T10:00", "u1", {"buyers": True}),  # backfill at creation
        ("2024-03-01T10:00", "u1", {"recent_buyers": True}),
        ("2024-03-01T10:00", "u2", {"recent_buyers": True}),
        ("2024-03-01T11:00", "u2", {"buyers": True}),  # real-time after creation
    ]


def test_backfill_off_ignores_history_and_sends_only_later_changes() -> None:
    sim = EngageSimulator([BUYERS, RECENT], clock=SimulatedClock(at(10)), backfill=False)
    emitted = sim.run([*HISTORY, track(11, user="u2"), track(12, user="u2")], until=at(18))
    assert summary(emitted) == [
        ("2024-03-01T12:00", "u2", {"buyers": True}),  # two purchases after creation; u1's history is ignored
        ("2024-03-01T18:00", "u2", {"recent_buyers": True}),
    ]


def test_backfill_off_records_members_at_creation_without_sending_them() -> None:
    never = Audience("never_bought", Performed("Order Completed", at_most=0))
    sim = EngageSimulator([never], clock=SimulatedClock(at(10)), backfill=False)
    emitted = sim.run([identify(1, user="u1"), track(11, user="u1")])
    assert summary(emitted) == [("2024-03-01T11:00", "u1", {"never_bought": False})]


def test_computed_traits_realtime_and_windowed() -> None:
    orders_1d = ComputedTrait("orders_1d", EventCounter("Order Completed", within_days=1))
    emitted = simulate(
        [REVENUE, orders_1d],
        [track(0, properties={"revenue": 5}, user="u1"), track(1, properties={"revenue": 7}, user="u1")],
        until=at(32),
    )
    assert summary(emitted) == [
        ("2024-03-01T00:00", "u1", {"revenue": 5}),
        ("2024-03-01T01:00", "u1", {"revenue": 12}),
        ("2024-03-01T08:00", "u1", {"orders_1d": 2}),
        ("2024-03-02T00:00", "u1", {"orders_1d": 1}),  # the hour-0 order left the 1-day window
        ("2024-03-02T08:00", "u1", {"orders_1d": 0}),
    ]


def test_unchanged_trait_values_are_not_resent() -> None:
    last = ComputedTrait("last_viewed", LastValue("Product Viewed", "name"))
    events = [track(h, "Product Viewed", {"name": n}, user="u1") for h, n in ((0, "Hat"), (1, "Hat"), (2, "Boots"))]
    assert summary(simulate([last], events)) == [
        ("2024-03-01T00:00", "u1", {"last_viewed": "Hat"}),
        ("2024-03-01T02:00", "u1", {"last_viewed": "Boots"}),
    ]


def test_anonymous_profiles_are_left_out_until_identified() -> None:
    emitted = simulate(
        [BUYERS],
        [track(0, anon="a1"), track(1, anon="a1"), identify(2, user="u1", anon="a1")],
    )
    assert [(e.get("userId"), e.get("anonymousId")) for e in emitted] == [("u1", "a1")]
    assert emitted[0]["timestamp"].startswith("2024-03-01T02:00")


def test_an_email_alone_makes_a_profile_eligible() -> None:
    emitted = simulate(
        [BUYERS],
        [identify_with_email(0, "x@example.com", anon="a1"), track(1, anon="a1"), track(2, anon="a1")],
    )
    (event,) = emitted
    assert "userId" not in event
    assert event["anonymousId"] == "a1"
    assert event["traits"] == {"buyers": True, "email": "x@example.com"}


def test_include_anonymous_users_sends_one_event_per_anonymous_id() -> None:
    anonymous = Audience("buyers", Performed("Order Completed"), include_anonymous_users=True)
    emitted = simulate(
        [anonymous], [track(0, anon="a1"), identify(1, user="u1", anon="a1"), track(2, user="u1", anon="a2")]
    )
    assert [(e.get("userId"), e["anonymousId"]) for e in emitted] == [
        (None, "a1"),
        ("u1", "a1"),
        ("u1", "a2"),
    ]


def test_one_event_per_email_and_a_resync_when_an_email_is_added() -> None:
    emitted = simulate(
        [BUYERS],
        [
            identify_with_email(0, "one@example.com", user="u1"),
            track(1, user="u1"),
            track(2, user="u1"),
            identify_with_email(3, "two@example.com", user="u1"),
            identify(4, {"plan": "pro"}, user="u1"),
        ],
    )
    assert [(e["timestamp"][11:13], e["traits"]["email"]) for e in emitted] == [
        ("02", "one@example.com"),
        ("03", "two@example.com"),  # the new email gets the unchanged value; the old one does not
    ]
    exit_ = simulate(
        [Audience("vip", TraitEquals("plan", "pro"))],
        [
            identify_with_email(0, "one@example.com", {"plan": "pro"}, user="u1"),
            identify_with_email(1, "two@example.com", user="u1"),
            identify(2, {"plan": "free"}, user="u1"),
        ],
    )
    exits = [e["traits"]["email"] for e in exit_ if e["traits"]["vip"] is False]
    assert exits == ["one@example.com", "two@example.com"]  # exits go to every identity


def test_merge_sends_the_merged_profiles_value_to_identities_that_had_another() -> None:
    emitted = simulate(
        [BUYERS],
        [
            identify_with_email(0, "anon@example.com", anon="a1"),
            track(1, anon="a1"),
            track(2, anon="a1"),  # the anonymous-with-email profile enters
            identify(3, user="u1"),  # another profile, not a member
            identify(4, user="u1", anon="a1"),  # merge: u1 now carries the membership
        ],
    )
    assert [(e.get("userId"), e["traits"]["buyers"]) for e in emitted] == [(None, True), ("u1", True)]


def test_events_can_arrive_out_of_order_in_run() -> None:
    events = [track(2, user="u1"), track(1, user="u1")]
    assert summary(simulate([BUYERS], events)) == [("2024-03-01T02:00", "u1", {"buyers": True})]


def test_late_event_after_creation_is_applied_now() -> None:
    sim = EngageSimulator([BUYERS])
    sim.consume(track(5, user="u1"))
    late = sim.consume(track(1, user="u1"))
    assert summary(late) == [("2024-03-01T05:00", "u1", {"buyers": True})]


def test_only_identify_and_track_feed_profiles() -> None:
    page = {
        "type": "page",
        "userId": "u1",
        "name": "Home",
        "messageId": "p",
        "timestamp": "2024-03-01T00:00:00Z",
    }
    assert simulate([BUYERS], [page, track(1, user="u1")]) == []


def test_an_event_without_any_time_is_refused() -> None:
    with pytest.raises(ValueError, match="no timestamp"):
        simulate([BUYERS], [{"type": "track", "userId": "u1", "event": "E"}])


def test_several_destinations_get_their_own_events() -> None:
    both = Audience("buyers", Performed("Order Completed"), destinations=(Destination(), Destination(name="Braze")))
    emitted = simulate([both], [track(0, user="u1")])
    assert [e["integrations"] for e in emitted] == [
        {"All": False, "Braze Cloud Mode (Actions)": True},
        {"All": False, "Braze": True},
    ]


def test_bad_sync_interval() -> None:
    with pytest.raises(ValueError):
        EngageSimulator([BUYERS], sync_interval=timedelta(0))
