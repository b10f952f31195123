"""JSON as Node reads and writes it: `JSON.stringify`'s bytes and `JSON.parse`'s numbers.

`JSON.stringify` writes numbers the JavaScript way (`1e21` is `1e+21`, `1.0` is `1`), puts
integer-like keys first in ascending order (JavaScript's own property order), drops `undefined`
values in objects and writes them as `null` in arrays, and writes NaN/Infinity as `null`. `JSON.parse`
holds every number as a double, so integers past 2**53 lose precision and `1.0` reads back as `1`.
"""

from __future__ import annotations

import json
import json.encoder
import math
import re
from collections.abc import Callable
from typing import Any

from harness.js.numbers import MAX_SAFE_INTEGER, js_number_to_string
from harness.js.undefined import MISSING, Missing

__all__ = ["js_json_dumps", "json_parse", "normalize_json_numbers"]


def _is_array_index(key: str) -> bool:
    return key.isdigit() and key.isascii() and (key == "0" or key[0] != "0") and int(key) < 2**32 - 1


def _js_keys(obj: dict[str, Any]) -> list[str] | None:
    """Own property order of a JavaScript object when it differs from insertion order (array-index
    keys first, ascending); None when the insertion order is already JavaScript's."""
    index_keys = [k for k in obj if k[:1].isdigit() and _is_array_index(k)]
    if not index_keys:
        return None
    index_keys.sort(key=int)
    return index_keys + [k for k in obj if not (k[:1].isdigit() and _is_array_index(k))]


def js_json_dumps(value: Any) -> str | Missing:
    """`JSON.stringify(value)`: compact, JS number format, JS key order; MISSING for undefined."""
    if isinstance(value, Missing):
        return value
    parts: list[str] = []
    _dump(value, parts)
    return "".join(parts)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_encode_string: Callable[[str], str] = json.encoder.encode_basestring


def _quote(text: str) -> str:
    """A JSON string as `JSON.stringify` writes it: non-ASCII raw, lone surrogates escaped.

    The standard library's string encoder (C) escapes exactly what JSON.stringify escapes (`"`, `\\`,
    control characters, with the same short forms); only lone surrogates need JavaScript's `\\uXXXX`.
    """
    quoted = _encode_string(text)
    if not text.isascii() and _LONE_SURROGATE.search(quoted):
        quoted = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
    return quoted


def _float_text(value: float) -> str:
    """A finite float as JavaScript prints it; repr already agrees whenever it uses no exponent."""
    if value == 0:
        return "0"  # -0 too
    text = repr(value)
    if "e" in text or "n" in text:  # exponent, inf or nan: JavaScript's own layout
        return "null" if value != value or value in (math.inf, -math.inf) else js_number_to_string(value)
    return text[:-2] if text.endswith(".0") else text


def _dump(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(_quote(value))
    elif kind is dict:
        out.append("{")
        first = True
        for key in _js_keys(value) or value:
            item = value[key]
            if item is MISSING:
                continue
            if first:
                first = False
            else:
                out.append(",")
            out.append(_quote(key))
            out.append(":")
            _dump(item, out)
        out.append("}")
    elif kind is list:
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _dump(item, out)
        out.append("]")
    elif kind is int:
        out.append(str(value) if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else js_number_to_string(value))
    elif kind is float:
        out.append(_float_text(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None or value is MISSING:
        out.append("null")
    else:
        _dump_other(value, out)


def _dump_other(value: Any, out: list[str]) -> None:
    """Subclasses of the JSON types are written like their base type; anything else is null."""
    if isinstance(value, str):
        out.append(_quote(value))
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, int | float):
        _dump(float(value) if isinstance(value, float) else int(value), out)
    elif isinstance(value, list):
        _dump(list(value), out)
    elif isinstance(value, dict):
        _dump(dict(value), out)
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
            return int(value) if abs(value) <= MAX_SAFE_INTEGER else int(js_number_to_string(value))
        return value
    if isinstance(value, int):
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
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


def _reject(constant: str) -> Any:
    raise ValueError(f"{constant} is not valid JSON")


def json_parse(text: str) -> Any:
    """`JSON.parse(text)` for valid JSON: numbers held like doubles; ValueError when V8 would throw.

    Python's parser also accepts `NaN` and `Infinity`, which JavaScript's refuses: those raise too.
    """
    return normalize_json_numbers(json.loads(text, parse_constant=_reject))
