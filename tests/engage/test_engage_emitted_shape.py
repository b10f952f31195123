"""The exact shape of every event the simulator emits, and its contract."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from harness.engage import (
    Audience,
    ComputedTrait,
    Destination,
    EngageSimulator,
    LastValue,
    Performed,
    SimulatedClock,
    load_definitions,
    simulate,
)
from harness.resources import fixtures_dir
from harness.segment import parse_events, validate_event
from tests.engage.engage_builders import at, identify_with_email, track

SPACE = "spa_testSpace"
CONNECTION = Destination(send_identify=True, send_track=True, enter_event="Joined", exit_event="Left")
AUDIENCE = Audience(
    "first_time_shopper", Performed("Order Completed", exactly=1), id="aud_1", destinations=(CONNECTION,)
)
TRAIT = ComputedTrait(
    "last_product_viewed", LastValue("Order Completed", "name"), id="tra_1", destinations=(CONNECTION,)
)


def run() -> list[dict[str, Any]]:
    return simulate(
        [AUDIENCE, TRAIT],
        [
            identify_with_email(0, "ada@example.com", user="u1", anon="a1"),
            track(1, properties={"name": "Boots"}, user="u1"),
            track(2, properties={"name": "Boots"}, user="u1"),
        ],
        space_id=SPACE,
        seed=7,
    )


def personas(kind: str, key: str, cid: str) -> dict[str, Any]:
    return {
        "computation_class": kind,
        "computation_id": cid,
        "computation_key": key,
        "namespace": SPACE,
        "space_id": SPACE,
    }


def test_exact_events() -> None:
    emitted = run()
    ids = [e.pop("messageId") for e in emitted]
    assert all(i.startswith("personas_") and len(i) == 36 for i in ids)
    assert len(set(ids)) == len(ids)
    envelope = {"integrations": {"All": False, "Braze Cloud Mode (Actions)": True}}
    hour1 = {"timestamp": "2024-03-01T01:00:00.000Z", "receivedAt": "2024-03-01T01:00:01.000Z"}
    hour2 = {"timestamp": "2024-03-01T02:00:00.000Z", "receivedAt": "2024-03-01T02:00:01.000Z"}
    audience_ctx = personas("audience", "first_time_shopper", "aud_1")
    trait_ctx = personas("trait", "last_product_viewed", "tra_1")
    assert emitted == [
        {
            "type": "identify",
            "userId": "u1",
            "anonymousId": "a1",
            "traits": {"first_time_shopper": True, "email": "ada@example.com"},
            "context": {"personas": audience_ctx},
            **envelope,
            **hour1,
        },
        {
            "type": "track",
            "event": "Joined",
            "userId": "u1",
            "anonymousId": "a1",
            "properties": {"audience_key": "first_time_shopper", "first_time_shopper": True},
            "context": {"personas": audience_ctx, "traits": {"email": "ada@example.com"}},
            **envelope,
            **hour1,
        },
        {
            "type": "identify",
            "userId": "u1",
            "anonymousId": "a1",
            "traits": {"last_product_viewed": "Boots", "email": "ada@example.com"},
            "context": {"personas": trait_ctx},
            **envelope,
            **hour1,
        },
        {
            "type": "track",
            "event": "Trait Computed",
            "userId": "u1",
            "anonymousId": "a1",
            "properties": {"trait_key": "last_product_viewed", "last_product_viewed": "Boots"},
            "context": {"personas": trait_ctx, "traits": {"email": "ada@example.com"}},
            **envelope,
            **hour1,
        },
        {
            "type": "identify",
            "userId": "u1",
            "anonymousId": "a1",
            "traits": {"first_time_shopper": False, "email": "ada@example.com"},
            "context": {"personas": audience_ctx},
            **envelope,
            **hour2,
        },
        {
            "type": "track",
            "event": "Left",
            "userId": "u1",
            "anonymousId": "a1",
            "properties": {"audience_key": "first_time_shopper", "first_time_shopper": False},
            "context": {"personas": audience_ctx, "traits": {"email": "ada@example.com"}},
            **envelope,
            **hour2,
        },
    ]


def test_every_emitted_event_meets_the_engage_contracts() -> None:
    emitted = run()
    for event in emitted:
        name = f"segment/engage-{event['type']}"
        assert validate_event(event, name) == [], event
        assert validate_event(event, "segment/debugger-event") == []


def test_message_ids_are_deterministic_per_seed() -> None:
    assert [e["messageId"] for e in run()] == [e["messageId"] for e in run()]
    other = simulate([AUDIENCE], [track(1, user="u1")], seed=8)
    assert other[0]["messageId"] != run()[0]["messageId"]


def test_default_space_id_looks_like_engages() -> None:
    event = simulate([AUDIENCE], [track(1, user="u1")])[0]
    assert event["context"]["personas"]["space_id"].startswith("spa_")
    assert event["context"]["personas"]["namespace"] == event["context"]["personas"]["space_id"]


def test_delivery_delay_sets_received_at() -> None:
    event = simulate([AUDIENCE], [track(1, user="u1")], delivery_delay=timedelta(seconds=16))[0]
    assert event["receivedAt"] == "2024-03-01T01:00:16.000Z"


@pytest.mark.parametrize("backfill", [True, False])
def test_fixture_space_output_meets_the_contracts(backfill: bool) -> None:
    folder = fixtures_dir() / "engage"
    space = load_definitions((folder / "space.json").read_text(encoding="utf-8"))
    events = parse_events((folder / "events.jsonl").read_text(encoding="utf-8"))
    sim = EngageSimulator(space.definitions, clock=SimulatedClock(at(30)), backfill=backfill, space_id=space.space_id)
    emitted = sim.run(events, until=at(days=14))
    assert emitted
    for event in emitted:
        assert validate_event(event) == [], event
        assert event["context"]["personas"]["space_id"] == "spa_demoSpace0000000000001"
