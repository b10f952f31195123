"""ajv's type coercion (`coerceTypes: 'array'`) and @segment/ajv-human-errors' wording, as helpers.

Kept apart from the validator so each stays readable: what a value of the wrong type becomes
(`"12.5"` → 12.5, 12 → `"12"`, null → `""`, a scalar → `[scalar]`), how types and values are named
in messages (`a string or number`, `an object`), and ajv's deep equality for `enum`/`const`.
"""

from __future__ import annotations

import math
from typing import Any

from harness.js import MISSING, js_number_to_string, js_to_number, js_type

__all__ = [
    "COERCIBLE",
    "NO",
    "article",
    "coerce",
    "escape_pointer",
    "humanize_list",
    "is_type",
    "js_equal",
    "type_of",
]

COERCIBLE = ("string", "number", "integer", "boolean", "null", "array")
NO = object()


def is_type(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "object":
        return type(value) is dict
    if kind == "array":
        return type(value) is list
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "integer":
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and value == value
            and (isinstance(value, int) or value.is_integer())
        )
    return False


def coerce(kind: str, value: Any) -> Any:
    """ajv `coerceSpecificType`; `NO` when this type cannot take the value."""
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return js_number_to_string(value)
        if value is None:
            return ""
        return NO
    if kind in ("number", "integer"):
        if isinstance(value, bool) or value is None:
            return js_to_number(value)
        if isinstance(value, str) and value != "":
            number = js_to_number(value)
            if number == number and (kind == "number" or math.isinf(number) or float(number).is_integer()):
                return number
        return NO
    if kind == "boolean":
        if value == "false" or value is None or (is_type("number", value) and value == 0):
            return False
        if value == "true" or (is_type("number", value) and value == 1):
            return True
        return NO
    if kind == "null":
        if value == "" or value is False or (is_type("number", value) and value == 0):
            return None
        return NO
    if kind == "array":
        if isinstance(value, str | bool | int | float) or value is None:
            return [value]
        return NO
    return NO


def humanize_list(items: list[str], conjunction: str) -> str:
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    return f"{', '.join(items[:-1])}, {conjunction} {items[-1]}"


def article(text: str) -> str:
    return "an" if text[:1] in ("a", "e", "i", "o", "u") else "a"


def type_of(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is list:
        return "an array"
    if type(value) is dict:
        return "an object"
    if value is MISSING:
        return "undefined"
    kind = js_type(value)
    return f"{article(kind)} {kind}"


def escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def js_equal(a: Any, b: Any) -> bool:
    """ajv's deep `equal` (no bool/number confusion, 1 == 1.0)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if type(a) is dict and type(b) is dict:
        return a.keys() == b.keys() and all(js_equal(a[k], b[k]) for k in a)
    if type(a) is list and type(b) is list:
        return len(a) == len(b) and all(js_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b
