"""Contract violations of Segment events, worded in JSON terms: `null`, `true`, `"x"`, never Python's.

python-jsonschema words its errors with Python reprs (`None is not of type 'string'`), which reads
wrong next to the JSON a user pasted from Segment's debugger. The Segment contracts use a handful of
keywords; each gets a message that renders values the way the payload wrote them. Anything else
falls back to python-jsonschema's own message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from harness.contracts import Contract, Violation, json_path

__all__ = ["as_json", "segment_violations"]

_LONGEST = 60


class SchemaError(Protocol):
    """What this module reads of a python-jsonschema `ValidationError`."""

    @property
    def validator(self) -> Any: ...
    @property
    def validator_value(self) -> Any: ...
    @property
    def instance(self) -> Any: ...
    @property
    def message(self) -> str: ...
    @property
    def absolute_path(self) -> Sequence[str | int]: ...


def as_json(value: Any) -> str:
    """A value as JSON text, cut to a readable length (`null`, `true`, `"x"`, `{"a": 1}`)."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        text = json.dumps(str(value), ensure_ascii=False)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 3] + "..."


def _types(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " or ".join(json.dumps(name) for name in names)


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


_WORDING: dict[str, Callable[[SchemaError], str]] = {
    "type": lambda e: f"{as_json(e.instance)} is not of type {_types(e.validator_value)}",
    "required": lambda e: f"{json.dumps(_missing(e))} is a required property",
    "enum": lambda e: f"{as_json(e.instance)} is not one of {as_json(e.validator_value)}",
    "const": lambda e: f"{as_json(e.instance)} is not {as_json(e.validator_value)}",
    "pattern": lambda e: f"{as_json(e.instance)} does not match {json.dumps(e.validator_value)}",
    "minLength": lambda e: (
        f"{as_json(e.instance)} is shorter than {_count(e.validator_value, 'character', 'characters')}"
    ),
    "maxLength": lambda e: (
        f"{as_json(e.instance)} is longer than {_count(e.validator_value, 'character', 'characters')}"
    ),
    "minProperties": lambda e: (
        f"{as_json(e.instance)} has fewer than {_count(e.validator_value, 'property', 'properties')}"
    ),
    "anyOf": lambda e: f"{as_json(e.instance)} does not match any of the allowed forms",
}


def _missing(error: SchemaError) -> str:
    """The property a `required` error is about (python-jsonschema names it only in its message)."""
    present = error.instance if isinstance(error.instance, dict) else {}
    for key in error.validator_value:
        if key not in present:
            return str(key)
    return str(error.message)


def _reason(error: SchemaError) -> str:
    word = _WORDING.get(str(error.validator))
    return word(error) if word is not None else error.message


def segment_violations(contract: Contract, payload: Any) -> list[Violation]:
    """Every violation of `payload` against a Segment contract, in JSON terms; [] when valid."""
    if contract.is_valid(payload):
        return []
    return [
        Violation(json_path(list(error.absolute_path)), _reason(error), str(error.validator))
        for error in contract.iter_errors(payload)
    ]
