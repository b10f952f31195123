"""Braze's recommended eCommerce events (`ecommerce.order_placed`, ...): property checks in Braze's words.

Braze validates these events against a schema on ingestion (ecommerce_events.md, recommended events
FAQ). The documented error is `'currency' must be an ISO 4217 currency`; other rejections seen on real
`/users/track` responses carry the Ruby json-schema gem's wording, e.g. `The property '#/' did not
contain a required property of 'product_id'` (RudderStack's recorded fixtures), so the fake renders
violations of `contracts/braze/ecommerce-events.json` the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from harness.braze.model.notes import Code, Note
from harness.braze.service.values import is_currency
from harness.contracts import contract, contract_definition

if TYPE_CHECKING:
    import jsonschema

__all__ = ["ECOMMERCE_EVENTS", "ecommerce_problems"]

ECOMMERCE_EVENTS = frozenset(
    name for name in contract("braze/ecommerce-events").schema["$defs"] if name.startswith("ecommerce.")
)
CURRENCY_ERROR = "'currency' must be an ISO 4217 currency"


def ecommerce_problems(name: str, properties: Any) -> list[Note]:
    """Braze-worded problems with a recommended event's properties (empty when valid or not such an event)."""
    if name not in ECOMMERCE_EVENTS:
        return []
    if properties is None:
        properties = {}
    checker = contract_definition("braze/ecommerce-events", name)
    if checker.is_valid(properties):
        return []
    problems: list[Note] = []
    currency = properties.get("currency") if isinstance(properties, dict) else None
    if isinstance(currency, str) and not is_currency(currency):
        problems.append(Note(Code.VALUE_CURRENCY, None, CURRENCY_ERROR, "error"))
    for error in checker.iter_errors(properties):
        if list(error.absolute_path) == ["currency"] and error.validator == "enum":
            continue
        problems.append(Note(Code.VALUE_ECOMMERCE, None, _ruby_wording(error), "error"))
    return problems


def _pointer(error: jsonschema.ValidationError) -> str:
    return "#/" + "/".join(str(part) for part in error.absolute_path)


def _ruby_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}.get(type(value), "object")


def _ruby_wording(error: jsonschema.ValidationError) -> str:
    where = f"The property '{_pointer(error)}'"
    values = error.validator_value
    if error.validator == "required" and isinstance(error.instance, dict) and isinstance(values, list):
        missing = next((k for k in values if k not in error.instance), "?")
        return f"{where} did not contain a required property of '{missing}'"
    if error.validator == "type":
        expected = error.validator_value
        if isinstance(expected, list):
            return (
                f"{where} of type {_ruby_type(error.instance)} did not match one or more of the following types: "
                + ", ".join(expected)
            )
        return f"{where} of type {_ruby_type(error.instance)} did not match the following type: {expected}"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extras = ", ".join(f'"{k}"' for k in error.instance if k not in allowed)
        return f"{where} contains additional properties [{extras}] outside of the schema when none are allowed"
    if error.validator == "minItems":
        return f"{where} did not contain a minimum number of items {error.validator_value}"
    return f"{where} {error.message}"
