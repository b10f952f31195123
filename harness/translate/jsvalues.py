"""JavaScript value semantics that Segment's Node code relies on, reproduced in Python.

Segment's destinations run on Node: `""` and `0` are falsy, `"" + 1e21` is `"1e+21"`, `+" 12 "` is
`12`, `undefined` differs from `null`. Whenever the published code leans on one of those rules, the
translation core calls a helper from here instead of guessing with Python's own semantics.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Final

__all__ = [
    "JS_WHITESPACE",
    "MISSING",
    "Missing",
    "js_index",
    "js_json_dumps",
    "js_loose_equals_empty_string",
    "js_number_to_string",
    "js_string",
    "js_to_number",
    "js_truthy",
    "js_type",
    "normalize_json_numbers",
    "utf16_len",
]


class Missing:
    """JavaScript's `undefined`: a value that is absent, as opposed to `null` (Python `None`)."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = Missing()

_MAX_SAFE = 2**53


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
    if isinstance(value, dict):
        return "object"
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


def js_number_to_string(value: float | int) -> str:
    """`Number.prototype.toString()`: shortest round-trip digits, exponent only past 1e21 / below 1e-6."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if -_MAX_SAFE <= value <= _MAX_SAFE and abs(value) < 10**21:
            return str(value)
        value = float(value)
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    text = repr(abs(value))
    mantissa, _, exp_text = text.partition("e")
    exponent = int(exp_text) if exp_text else 0
    int_part, _, frac_part = mantissa.partition(".")
    digits = (int_part + frac_part).lstrip("0")
    point = len(int_part) + exponent - (len(int_part + frac_part) - len((int_part + frac_part).lstrip("0")))
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    n = point
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    exp = n - 1
    exp_str = ("+" if exp >= 0 else "-") + str(abs(exp))
    if k == 1:
        return sign + digits + "e" + exp_str
    return sign + digits[0] + "." + digits[1:] + "e" + exp_str


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


# ECMAScript StrWhiteSpaceChar: WhiteSpace and LineTerminator code points.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?)|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_RADIX = re.compile(r"0([xXoObB])([0-9a-fA-F]+)", re.ASCII)
_RADIX_BASE = {"x": 16, "o": 8, "b": 2}


def _integral(number: float) -> float | int:
    if number.is_integer() and abs(number) < _MAX_SAFE:
        return int(number)
    return number


def js_to_number(value: Any) -> float | int:
    """`Number(value)` / unary `+`; NaN comes back as `float('nan')`. Integral results come back as int."""
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if value is MISSING:
        return math.nan
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip(JS_WHITESPACE)
        if text == "":
            return 0
        if text in ("Infinity", "+Infinity"):
            return math.inf
        if text == "-Infinity":
            return -math.inf
        radix = _RADIX.fullmatch(text)
        if radix:
            base = _RADIX_BASE[radix.group(1).lower()]
            try:
                return _integral(float(int(radix.group(2), base)))
            except ValueError:
                return math.nan
        if _DECIMAL.fullmatch(text):
            return _integral(float(text))
        return math.nan
    if isinstance(value, list):
        if not value:
            return 0
        if len(value) == 1:
            return js_to_number(js_string(value))
        return math.nan
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


def js_index(container: list[Any], key: Any) -> Any:
    """`array[key]` for a key that may be a number or a numeric string; MISSING when out of range."""
    if isinstance(key, bool):
        return MISSING
    if (isinstance(key, float) and key.is_integer()) or (
        isinstance(key, str) and key.isdigit() and key.isascii() and (key == "0" or key[0] != "0")
    ):
        key = int(key)
    if isinstance(key, int) and 0 <= key < len(container):
        return container[key]
    return MISSING


def _is_array_index(key: str) -> bool:
    return key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and int(key) < 2**32 - 1


def _js_keys(obj: dict[str, Any]) -> list[str]:
    """Own property order of a JavaScript object: array-index keys ascending first, then insertion order."""
    keys = list(obj)
    index_keys = [k for k in keys if _is_array_index(k)]
    if not index_keys:
        return keys
    index_keys.sort(key=int)
    return index_keys + [k for k in keys if not _is_array_index(k)]


def js_json_dumps(value: Any) -> str | Missing:
    """`JSON.stringify(value)`: compact, JS number format, JS key order; MISSING for undefined."""
    if value is MISSING:
        return MISSING
    parts: list[str] = []
    _dump(value, parts)
    return "".join(parts)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _quote(text: str) -> str:
    """A JSON string as `JSON.stringify` writes it: non-ASCII raw, lone surrogates escaped."""
    quoted = json.dumps(text, ensure_ascii=False)
    if _LONE_SURROGATE.search(quoted):
        quoted = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
    return quoted


def _dump(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_quote(value))
    elif value is None or value is MISSING:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int | float):
        if isinstance(value, float) and (value != value or math.isinf(value)):
            out.append("null")
        else:
            out.append(js_number_to_string(value))
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _dump(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        first = True
        for key in _js_keys(value):
            item = value[key]
            if item is MISSING:
                continue
            if not first:
                out.append(",")
            first = False
            out.append(_quote(key))
            out.append(":")
            _dump(item, out)
        out.append("}")
    else:
        out.append("null")


def normalize_json_numbers(value: Any) -> Any:
    """Numbers as `JSON.parse` holds them: integers beyond 2**53 lose precision like a double, and
    integral floats are integers (`1.0` is `1`).

    Returns the same object when nothing changes, so the common case costs one walk and no copies.
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        # A double holding an integer reads back (and prints) as its shortest decimal digits.
        if value.is_integer() and abs(value) < 1e21:
            return int(value) if abs(value) <= _MAX_SAFE else int(js_number_to_string(value))
        return value
    if isinstance(value, int):
        if -_MAX_SAFE <= value <= _MAX_SAFE:
            return value
        as_float = float(value)
        if abs(as_float) >= 1e21:
            return as_float
        return int(js_number_to_string(as_float))
    if isinstance(value, list):
        changed = None
        for i, item in enumerate(value):
            new = normalize_json_numbers(item)
            if new is not item:
                if changed is None:
                    changed = list(value)
                changed[i] = new
        return value if changed is None else changed
    if isinstance(value, dict):
        changed_d = None
        for key, item in value.items():
            new = normalize_json_numbers(item)
            if new is not item:
                if changed_d is None:
                    changed_d = dict(value)
                changed_d[key] = new
        return value if changed_d is None else changed_d
    return value


def utf16_len(text: str) -> int:
    """`text.length` in JavaScript: UTF-16 code units, so an emoji counts as two."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
