"""Definitions as JSON (contract + loader) and as Python objects."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.contracts import contract
from harness.engage import (
    BRAZE_CLOUD,
    Audience,
    ComputedTrait,
    DefinitionError,
    Destination,
    EventCounter,
    Performed,
    TraitEquals,
    load_definitions,
)
from harness.resources import fixtures_dir

FIXTURES = sorted((fixtures_dir() / "engage").glob("*.json"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_definitions_load_and_round_trip(path: Any) -> None:
    space = load_definitions(path.read_text(encoding="utf-8"))
    assert space.definitions
    again = load_definitions(space.to_json())
    assert again == space
    for definition in space.definitions:
        assert contract("engage/definition").violations(definition.to_json()) == []


def test_space_level_destinations_are_the_default() -> None:
    space = load_definitions((fixtures_dir() / "engage" / "space.json").read_text(encoding="utf-8"))
    assert space.space_id == "spa_demoSpace0000000000001"
    by_key = {d.key: d for d in space.definitions}
    assert by_key["frequent_buyers"].destinations == (Destination(send_identify=True, send_track=True),)
    assert by_key["pro_browsers"].destinations == (Destination(send_identify=True, send_track=False),)


def test_realtime_unless_windowed_or_forced_to_batch() -> None:
    assert Audience("a", Performed("E")).realtime
    assert not Audience("a", Performed("E", within_days=3)).realtime
    assert not Audience("a", TraitEquals("plan", "pro"), compute="batch").realtime
    assert not ComputedTrait("t", EventCounter("E", within_days=1)).realtime
    with pytest.raises(ValueError, match="batch"):
        Audience("a", Performed("E", within_days=3), compute="realtime")


def test_defaults_and_ids() -> None:
    audience = Audience("first_time_shopper", Performed("Order Completed", exactly=1))
    assert audience.destinations == (Destination(),)
    assert Destination().name == BRAZE_CLOUD == "Braze Cloud Mode (Actions)"
    assert (Destination().enter_event, Destination().exit_event) == ("Audience Entered", "Audience Exited")
    assert Destination().compute_event == "Trait Computed"
    assert audience.computation_id.startswith("aud_") and len(audience.computation_id) == 31
    assert audience.computation_id == Audience("first_time_shopper", Performed("X")).computation_id
    assert ComputedTrait("t", EventCounter("E")).computation_id.startswith("tra_")
    assert Audience("a", Performed("E"), id="aud_given").computation_id == "aud_given"
    with pytest.raises(ValueError, match="identify, track, or both"):
        Destination(send_identify=False, send_track=False)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"type": "audience", "key": "a"}, "$"),
        ({"type": "audience", "key": "has space", "condition": {"performed": "E"}}, "$.key"),
        (
            {"type": "audience", "key": "a", "condition": {"performed": "E", "at_least": -1}},
            "$.condition.at_least",
        ),
        ({"type": "audience", "key": "a", "condition": {"and": []}}, "$.condition.and"),
        ({"type": "audience", "key": "a", "condition": {"trait": "x"}}, "$.condition"),
        ({"type": "audience", "key": "a", "condition": {"performed": "E"}, "extra": 1}, "$"),
        (
            {"type": "computed_trait", "key": "t", "computation": {"kind": "aggregation", "event": "E"}},
            "$.computation",
        ),
        (
            {"type": "computed_trait", "key": "t", "computation": {"kind": "last", "event": "E"}},
            "$.computation",
        ),
        (
            {
                "type": "computed_trait",
                "key": "t",
                "computation": {"kind": "event_counter", "event": "E", "property": "p"},
            },
            "$.computation",
        ),
        (
            {"definitions": [{"type": "audience", "key": "a", "condition": {"performed": "E"}, "destinations": [{}]}]},
            None,
        ),
        ({"definitions": [{"type": "nope", "key": "a"}]}, "$.definitions[0].type"),
        ({"definitions": [], "space_id": "spa_x"}, "$.definitions"),
    ],
)
def test_contract_violations_name_the_path(data: dict[str, Any], path: str | None) -> None:
    if path is None:
        assert load_definitions(data).definitions[0].destinations == (Destination(),)
        return
    with pytest.raises(DefinitionError) as caught:
        load_definitions(data)
    assert path in {v.path for v in caught.value.violations}


def test_engage_rules_beyond_the_schema() -> None:
    windowed_realtime = {
        "type": "audience",
        "key": "a",
        "compute": "realtime",
        "condition": {"performed": "E", "within_days": 2},
    }
    twice = {"definitions": [{"type": "audience", "key": "a", "condition": {"performed": "E"}}] * 2}
    with pytest.raises(DefinitionError, match="cannot be realtime"):
        load_definitions(windowed_realtime)
    with pytest.raises(DefinitionError, match="used twice"):
        load_definitions(twice)
    with pytest.raises(DefinitionError, match="not JSON"):
        load_definitions("{")


def test_loads_text() -> None:
    text = json.dumps({"type": "computed_trait", "key": "n", "computation": {"kind": "event_counter", "event": "E"}})
    (definition,) = load_definitions(text).definitions
    assert definition == ComputedTrait("n", EventCounter("E"))


def test_not_rules_are_explained() -> None:
    cases = [
        ({"performed": "E", "at_least": 1, "exactly": 1}, "give at most one of at_least, at_most, exactly"),
    ]
    for condition, reason in cases:
        with pytest.raises(DefinitionError) as caught:
            load_definitions({"type": "audience", "key": "a", "condition": condition})
        assert [(v.path, v.reason) for v in caught.value.violations] == [("$.condition", reason)]
    with pytest.raises(DefinitionError, match="must send identify, track, or both"):
        load_definitions(
            {
                "type": "audience",
                "key": "a",
                "condition": {"performed": "E"},
                "destinations": [{"send_identify": False, "send_track": False}],
            }
        )
    with pytest.raises(DefinitionError, match="event_counter takes no property"):
        load_definitions(
            {
                "type": "computed_trait",
                "key": "t",
                "computation": {"kind": "event_counter", "event": "E", "function": "sum"},
            }
        )
