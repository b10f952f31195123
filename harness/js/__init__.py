"""JavaScript semantics that Segment's Node code relies on, reproduced in Python: one leaf, no harness imports.

Both `harness.segment` (FQL subscriptions) and `harness.translate` (Segment's Braze destinations) need
Node's answers, not Python's: `String(0.000025)` is `"0.000025"`, `Number(" 12 ")` is 12, `undefined`
differs from `null`, `JSON.stringify` orders integer keys first, `Date.parse` accepts `March 7, 2024`.

- `undefined`: `MISSING`, JavaScript's `undefined`;
- `numbers`: `Number(text)`, `Number.prototype.toString()`;
- `values`: `String()`, `Number()`, truthiness, `typeof`, property and index access, UTF-16 lengths;
- `json`, `json_errors`: `JSON.stringify`'s bytes, `JSON.parse`'s numbers and V8's SyntaxError messages;
- `datemath`, `dates`, `date_parse`: `Date` arithmetic, `new Date(...)`, `toISOString()`, V8's `Date.parse`;
- `dayjs`: the dayjs parsing and formatting the Braze actions use;
- `url`: the origin and request target `fetch` sends for an interpolated URL string.
"""

from __future__ import annotations

from harness.js.date_parse import js_date_parse
from harness.js.dates import date_from_parts, to_iso_string
from harness.js.dayjs import dayjs_format_date, dayjs_iso, dayjs_time, is_canonical_iso
from harness.js.json import js_json_dumps, json_parse, normalize_json_numbers
from harness.js.json_errors import v8_json_error
from harness.js.numbers import JS_WHITESPACE, MAX_SAFE_INTEGER, is_number, js_number_to_string, string_to_number
from harness.js.undefined import MISSING, Missing
from harness.js.url import request_target, split_origin
from harness.js.values import (
    js_index,
    js_loose_equals_empty_string,
    js_property,
    js_string,
    js_to_number,
    js_truthy,
    js_type,
    utf16_len,
    utf16_units,
)

__all__ = [
    "JS_WHITESPACE",
    "MAX_SAFE_INTEGER",
    "MISSING",
    "Missing",
    "date_from_parts",
    "dayjs_format_date",
    "dayjs_iso",
    "dayjs_time",
    "is_canonical_iso",
    "is_number",
    "js_date_parse",
    "js_index",
    "js_json_dumps",
    "js_loose_equals_empty_string",
    "js_number_to_string",
    "js_property",
    "js_string",
    "js_to_number",
    "js_truthy",
    "js_type",
    "json_parse",
    "normalize_json_numbers",
    "request_target",
    "split_origin",
    "string_to_number",
    "to_iso_string",
    "utf16_len",
    "utf16_units",
    "v8_json_error",
]
