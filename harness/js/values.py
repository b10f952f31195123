"""JavaScript's conversions and comparisons of values, as Segment's Node code relies on them.

`""`, `0` and NaN are falsy while `[]` and `{}` are truthy; `String([1, null])` is `"1,"`;
`Number([" 5 "])` is 5; `"abc".length` counts UTF-16 code units; `arr["01"]` is undefined. Whenever
the published code leans on one of those rules, the harness calls a helper from here instead of
guessing with Python's own semantics.
"""

from __future__ import annotations

import math
from typing import Any

from harness.js.numbers import js_number_to_string, string_to_number
from harness.js.undefined import MISSING

__all__ = [
    "js_index",
    "js_loose_equals_empty_string",
    "js_property",
    "js_string",
    "js_to_number",
    "js_truthy",
    "js_type",
    "utf16_len",
    "utf16_units",
]


def js_type(value: Any) -> str:
    """`Object.prototype.toString` type names, as actions-core's `realTypeOf` reports them."""
    if value is None:
        return "null"
    if value is MISSING:
        return "undefined"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness: `[]` and `{}` are truthy, `0`, `NaN` and `""` are not."""
    if value is None or value is MISSING or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, int | float):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ""
    return True


def js_string(value: Any) -> str:
    """`String(value)`: arrays join with commas (null/undefined as ""), objects are `[object Object]`."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is MISSING:
        return "undefined"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return js_number_to_string(value)
    if isinstance(value, list):
        return ",".join("" if item is None or item is MISSING else js_string(item) for item in value)
    return "[object Object]"


def js_to_number(value: Any) -> float | int:
    """`Number(value)` / unary `+` for JSON values (and `undefined`); integral results as int."""
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if value is MISSING:
        return math.nan
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, list):
        # ToPrimitive of an array is its String(): [] is "" (0), [x] is String(x), longer ones NaN.
        if len(value) > 1:
            return math.nan
        return string_to_number(js_string(value))
    return math.nan


def js_loose_equals_empty_string(value: Any) -> bool:
    """`value == ''` with JavaScript's loose equality (used by mapping-kit's `@if` `blank`)."""
    if value is None or value is MISSING:
        return False
    if isinstance(value, bool):
        return value is False
    if isinstance(value, int | float):
        return value == 0
    if isinstance(value, str):
        return value == ""
    if isinstance(value, list):
        return js_string(value) == ""
    return False


def _array_index(key: Any) -> int | None:
    """The element index a property key names (`1`, `1.0`, `"1"`), None for any other key (`"01"`)."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, float):
        return int(key) if key.is_integer() else None
    if isinstance(key, str) and key.isdigit() and key.isascii() and (key == "0" or key[0] != "0"):
        return int(key)
    return None


def js_index(container: list[Any] | str, key: Any) -> Any:
    """`array[key]` (or `string[key]`) for a key that may be a number or a numeric string.

    MISSING when the key names no element. Strings must already be UTF-16 code units (`utf16_units`)
    when they hold characters outside the Basic Multilingual Plane.
    """
    index = _array_index(key)
    if index is not None and 0 <= index < len(container):
        return container[index]
    return MISSING


def utf16_units(text: str) -> list[str]:
    """The UTF-16 code units of a string, as JavaScript indexes it (astral characters are two)."""
    units: list[str] = []
    for ch in text:
        code = ord(ch)
        if code > 0xFFFF:
            code -= 0x10000
            units.append(chr(0xD800 + (code >> 10)))
            units.append(chr(0xDC00 + (code & 0x3FF)))
        else:
            units.append(ch)
    return units


def utf16_len(text: str) -> int:
    """`text.length` in JavaScript: UTF-16 code units, so an emoji counts as two."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def js_property(value: Any, key: str) -> Any:
    """`value[key]` for a JSON value: object keys, array and string indexes, and `length`.

    Other prototype members (`toString`, `constructor`, ...) are not modelled: they read as undefined.
    Reading a property of null/undefined is the caller's concern (JavaScript throws a TypeError).
    """
    if type(value) is dict:
        return value.get(key, MISSING)
    if type(value) is list:
        if key == "length":
            return len(value)
        return js_index(value, key)
    if isinstance(value, str):
        if key == "length":
            return utf16_len(value)
        return js_index(value if value.isascii() else utf16_units(value), key)
    return MISSING
