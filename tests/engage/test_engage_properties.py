"""Property: what Engage emits reconstructs the membership (or trait value) computed directly.

The oracle below is independent of the simulator: it groups identifiers with a union-find over the
calls that carry them (the generated people never share an identifier or exceed a limit), replays
traits and events per group, and evaluates the definition's JSON at the last sync tick. Every
identifier a destination keys on (userId and email; anonymousId too with Include Anonymous Users)
must have last received exactly its group's value, as Braze would hold it after the stream.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from harness.engage import EngageSimulator, SimulatedClock, load_definitions
from harness.segment import parse_timestamp
from harness.testing.strategies.engage import (
    Population,
    audience_definitions,
    computed_trait_definitions,
    populations,
)
from tests.engage.engage_oracle import direct, reconstruct


def run(definition: dict[str, Any], population: Population, split: float, interval: int) -> tuple[Any, Any]:
    times = [parse_timestamp(e["timestamp"]) for e in population.events]
    created = times[0] + (times[-1] - times[0]) * split
    step = timedelta(hours=interval)
    sim = EngageSimulator(load_definitions(definition).definitions, clock=SimulatedClock(created), sync_interval=step)
    emitted = sim.run(list(population.events))
    ticks = max(1, -(-(max(times[-1], created) - created) // step))
    return reconstruct(definition, emitted), direct(definition, population, created + ticks * step)


SPLIT = st.sampled_from((0.0, 0.3, 0.7, 1.0))
INTERVAL = st.sampled_from((1, 8, 24))


@given(audience_definitions(), populations(), SPLIT, INTERVAL)
def test_audience_events_reconstruct_membership_at_the_last_sync(
    definition: dict[str, Any], population: Population, split: float, interval: int
) -> None:
    received, expected = run(definition, population, split, interval)
    assert {i for i, v in received.items() if v is True} == {i for i, v in expected.items() if v}
    assert set(received) <= set(expected)  # nothing is ever sent for an ineligible profile


@given(computed_trait_definitions(), populations(), SPLIT, INTERVAL)
def test_trait_events_reconstruct_values_at_the_last_sync(
    definition: dict[str, Any], population: Population, split: float, interval: int
) -> None:
    received, expected = run(definition, population, split, interval)
    assert {g: v for g, v in received.items() if v is not None} == {g: v for g, v in expected.items() if v is not None}
