"""The contracts themselves: well-formed 2020-12 schemas, addressable by name, explaining failures."""

from __future__ import annotations

import json

import jsonschema
import pytest

from harness.contracts import BASE_URI, contract, contract_names
from harness.resources import contracts_dir


@pytest.mark.parametrize("name", contract_names())
def test_every_contract_is_a_valid_2020_12_schema_with_its_own_id(name: str) -> None:
    schema = json.loads((contracts_dir() / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"{BASE_URI}{name}.json"


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
