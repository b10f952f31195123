"""JSON as Node reads and writes it: `JSON.stringify`'s bytes and `JSON.parse`'s numbers.

`JSON.stringify` writes numbers the JavaScript way (`1e21` is `1e+21`, `1.0` is `1`), puts
integer-like keys first in ascending order (JavaScript's own property order), drops `undefined`
values in objects and writes them as `null` in arrays, and writes NaN/Infinity as `null`. `JSON.parse`
holds every number as a double, so integers past 2**53 lose precision and `1.0` reads back as `1`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from harness.js.numbers import MAX_SAFE_INTEGER, js_number_to_string
from harness.js.undefined import MISSING, Missing

__all__ = ["js_json_dumps", "json_parse", "normalize_json_numbers"]


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
    if isinstance(value, Missing):
        return value
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
