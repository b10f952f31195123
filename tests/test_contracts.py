"""The contracts themselves: well-formed 2020-12 schemas, addressable by name, explaining failures."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.contracts import BASE_URI, contract, contract_names
from harness.resources import contracts_dir
from harness.testing.strategies.braze import MutatedBody, invalid_track_bodies


@pytest.mark.parametrize("name", contract_names())
def test_every_contract_is_a_valid_2020_12_schema_with_its_own_id(name: str) -> None:
    schema = json.loads((contracts_dir() / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"{BASE_URI}{name}.json"


def test_a_string_over_its_limit_is_told_by_its_length_not_quoted_whole() -> None:
    track = contract("braze/users-track.request")
    event = {"external_id": "u1", "name": "E", "time": "2024-01-01T00:00:00Z", "properties": {"blob": "a" * 20_000}}
    [violation] = track.violations({"events": [event]})
    assert violation.path == "$.events[0].properties.blob"
    assert violation.keyword == "maxLength"
    assert violation.reason.endswith("is 20,000 characters; at most 255 are allowed")
    assert len(violation.reason) < 120


def test_violations_name_the_path_and_carry_brazes_wording() -> None:
    track = contract("braze/users-track.request")
    body = {
        "purchases": [
            {
                "external_id": "u1",
                "product_id": "p",
                "currency": "EURO",
                "price": 1,
                "time": "2024-01-01T00:00:00Z",
            }
        ]
    }
    assert not track.is_valid(body)
    [violation] = track.violations(body)
    assert violation.path == "$.purchases[0].currency"
    assert violation.braze_message == "'currency' must be an ISO 4217 currency"


def test_fast_and_full_validators_agree_on_a_valid_body() -> None:
    track = contract("braze/users-track.request")
    body = {
        "attributes": [{"external_id": "u1", "plan": "pro"}],
        "events": [{"external_id": "u1", "name": "Signed Up", "time": "2024-01-01T00:00:00.000Z"}],
    }
    assert track.is_valid(body)
    assert track.violations(body) == []
    assert track.check(body) == []


def test_unknown_contract_name_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"braze/users-track\.request"):
        contract("braze/nope")


@settings(max_examples=settings.default.max_examples if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 25)
@given(invalid_track_bodies(max_objects=12), st.integers(0, 3))
def test_violations_of_a_long_body_are_those_of_a_full_walk(mutated: MutatedBody, padding: int) -> None:
    """`violations` walks only the failing objects of long arrays (see Contract._prune); same answer."""
    body = mutated.body
    for kind in ("attributes", "events"):
        if isinstance(body.get(kind), list):
            body[kind] = body[kind] + [{"external_id": "pad", "name": "E", "time": "2024-01-01"}] * (padding * 4)
    track = contract("braze/users-track.request")
    full = sorted(track._violations(body, {}, 200), key=lambda v: v.path)
    assert track.violations(body) == full
