"""Property: an Engage audience, simulated, translated and delivered, is exactly the Braze segment it should be.

For any generated stream of identify/track events and any generated audience definition: the stream goes
to Braze Cloud Mode as a default install routes it (so the users exist in Braze), Engage's output goes to
Braze Cloud Mode (identify: custom attribute `<key>`) and to Braze Cohorts (Audience Entered / Exited).
Then the members of "custom attribute `<key>` equals true" and of "in Segment cohort `<key>`" are exactly
the users the definition selects, evaluated directly on the stream at the last sync (the oracle of
tests/engage). Every request is Segment's own (harness.translate) and every answer is checked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from hypothesis import given, settings

from harness.braze import FakeBraze
from harness.engage import EngageSimulator, SimulatedClock, load_definitions
from harness.segment import parse_timestamp
from harness.testing.strategies.engage import Population, audience_definitions, populations
from harness.translate import TranslationResult, translate
from tests.braze.support import check_response
from tests.engage.engage_oracle import direct

BOTH = [{"name": "Braze Cloud Mode (Actions)", "send_identify": True, "send_track": True}]
STEP = timedelta(hours=8)


def deliver(fake: FakeBraze, result: TranslationResult) -> None:
    for request in result.requests:
        auth = request.headers.get("authorization")
        reply = fake.call(
            request.path,
            request.body,
            host=urlsplit(request.url).netloc,
            headers={"Authorization": auth} if auth else {},
        )
        check_response(request.path, reply.status, reply.body)
        assert reply.status < 300 or reply.status == 400, reply.body


def with_received_at(event: dict[str, Any]) -> dict[str, Any]:
    return {**event, "receivedAt": event["timestamp"]}  # Segment stamps every event it receives


def expected_members(definition: dict[str, Any], population: Population) -> set[str]:
    times = [parse_timestamp(e["timestamp"]) for e in population.events]
    ticks = max(1, -(-(times[-1] - times[0]) // STEP))
    values = direct(definition, population, times[0] + ticks * STEP)
    return {value for (kind, value), member in values.items() if kind == "user_id" and member}


@settings(max_examples=25)
@given(audience_definitions(), populations())
def test_braze_segments_hold_exactly_the_audience(definition: dict[str, Any], population: Population) -> None:
    definition = {**definition, "destinations": BOTH}
    key = definition["key"]
    fake = FakeBraze()
    stream = [with_received_at(e) for e in population.events]
    for event in stream:
        deliver(fake, translate(event))
    start = parse_timestamp(stream[0]["timestamp"])
    simulator = EngageSimulator(
        load_definitions(definition).definitions, clock=SimulatedClock(start), sync_interval=STEP
    )
    state: dict[str, Any] = {}
    for emitted in simulator.run(list(population.events)):
        deliver(fake, translate(emitted))
        if emitted["type"] == "track":
            cohort = translate(
                emitted, destination="braze-cohorts", mapping={"personas_audience_key": key}, state=state
            )
            assert cohort.error is None, cohort.error
            deliver(fake, cohort)
            state.update(cohort.state_set or {})
    expected = expected_members(definition, population)
    as_attribute = fake.segment_members({"custom_attribute": key, "op": "equals", "value": True}).external_ids
    in_cohort = fake.segment_members({"cohort": key, "op": "in"}).external_ids
    assert set(as_attribute) == expected
    assert set(in_cohort) == expected
