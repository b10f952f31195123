"""mapping-kit directives, their validation messages and runtime errors."""

from __future__ import annotations

from typing import Any

import pytest

from harness.js import MISSING
from harness.translate.errors import JSError, MappingValidationError, UnsupportedDirectiveError
from harness.translate.mapping import compile_mapping

EVENT = {
    "event": "Signed Up",
    "userId": "u1",
    "properties": {
        "name": "Ada Lovelace",
        "n": 3,
        "zero": 0,
        "items": [{"sku": "a"}, {"sku": "b"}],
        "nested": {"a": 1},
    },
}


def resolve(mapping: dict[str, Any]) -> dict[str, Any]:
    return compile_mapping(mapping)(EVENT)


def test_path_template_literal() -> None:
    out = resolve(
        {
            "a": {"@path": "$.properties.name"},
            "b": {"@template": "{{event}} by {{userId}}{{missing}}"},
            "c": {"@literal": {"x": {"@path": "$.properties.n"}}},
            "d": {"@path": "$.nope"},
        }
    )
    assert out == {"a": "Ada Lovelace", "b": "Signed Up by u1", "c": {"x": 3}}


def test_path_stops_at_falsy_values_like_javascript() -> None:
    assert resolve({"x": {"@path": "$.properties.zero.deeper"}}) == {"x": 0}
    assert resolve({"x": {"@path": "$.properties.items.length"}}) == {"x": 2}


def test_if_case_replace_arraypath_merge_json() -> None:
    out = resolve(
        {
            "if": {"@if": {"blank": {"@path": "$.properties.zero"}, "then": "set", "else": "blank"}},
            "case": {"@case": {"operator": "upper", "value": {"@path": "$.event"}}},
            "replace": {"@replace": {"pattern": " ", "replacement": "-", "value": {"@path": "$.properties.name"}}},
            "skus": {"@arrayPath": ["$.properties.items", {"id": {"@path": "$.sku"}}]},
            "merge": {"@merge": {"direction": "left", "objects": [{"a": 2}, {"@path": "$.properties.nested"}]}},
            "json": {"@json": {"mode": "encode", "value": {"@path": "$.properties.nested"}}},
        }
    )
    assert out == {
        "if": "blank",
        "case": "SIGNED UP",
        "replace": "Ada-Lovelace",
        "skus": [{"id": "a"}, {"id": "b"}],
        "merge": {"a": 2},
        "json": '{"a":1}',
    }


def test_validation_reports_every_problem_with_segments_wording() -> None:
    with pytest.raises(MappingValidationError) as caught:
        resolve({"a": {"@nope": 1}, "b": {"@path": {"x": 1}}})
    assert caught.value.to_json() == {
        "name": "AggregateError",
        "message": "\n    ValidationError: /a has an invalid directive: @nope."
        "\n    ValidationError: /b/@path should be a string or a mapping directive but it is an object.",
    }


def test_runtime_errors_are_plain_errors() -> None:
    with pytest.raises(JSError, match='@if requires an "exists" key or a "blank" key'):
        resolve({"a": {"@if": {"then": 1}}})


def test_liquid_is_not_supported_and_says_so() -> None:
    with pytest.raises(UnsupportedDirectiveError, match="@liquid is not supported"):
        resolve({"a": {"@liquid": "{{ event }}"}})


def test_undefined_is_not_null() -> None:
    mapping = compile_mapping({"a": {"@if": {"exists": {"@path": "$.nope"}, "then": 1}}})
    assert mapping(EVENT) == {}
    assert MISSING not in mapping(EVENT).values()
