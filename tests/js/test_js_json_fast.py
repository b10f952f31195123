"""`js_json_dumps` (rewritten for speed: the C string encoder, repr for plain floats, type dispatch)
writes exactly what the previous, straightforward implementation wrote, on random values.

The previous implementation is kept here as the reference: every string through `json.dumps`, every
number through `js_number_to_string`, keys reordered with JavaScript's rule. The golden corpus pins
the bytes against Node; this pins the rewrite against the code the corpus was first checked with.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from harness.js import MISSING, js_json_dumps, js_number_to_string

_LONE = re.compile("[\ud800-\udfff]")


def _reference(value: Any) -> str:
    out: list[str] = []

    def quote(text: str) -> str:
        quoted = json.dumps(text, ensure_ascii=False)
        return _LONE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted) if _LONE.search(quoted) else quoted

    def index(key: str) -> bool:
        return key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and int(key) < 2**32 - 1

    def dump(v: Any) -> None:
        if isinstance(v, str):
            out.append(quote(v))
        elif v is None or v is MISSING:
            out.append("null")
        elif v is True or v is False:
            out.append("true" if v else "false")
        elif isinstance(v, int | float):
            finite = not (isinstance(v, float) and (v != v or math.isinf(v)))
            out.append(js_number_to_string(v) if finite else "null")
        elif isinstance(v, list):
            out.append("[")
            for i, item in enumerate(v):
                out.append("," if i else "")
                dump(item)
            out.append("]")
        elif isinstance(v, dict):
            keys = sorted((k for k in v if index(k)), key=int) + [k for k in v if not index(k)]
            out.append("{")
            first = True
            for k in keys:
                if v[k] is MISSING:
                    continue
                out.append("" if first else ",")
                first = False
                out.append(quote(k))
                out.append(":")
                dump(v[k])
            out.append("}")
        else:
            out.append("null")

    dump(value)
    return "".join(out)


KEYS = st.sampled_from(["a", "0", "1", "01", "10", "4294967295", "4294967294", "-1", "1.5", "", "é", "\ud800", "\x07"])
TEXT = st.text(alphabet=st.characters(codec=None), max_size=8) | KEYS
NUMBERS = st.integers(-(2**60), 2**60) | st.floats() | st.sampled_from([1e21, 1e-7, 1e16, 0.1, -0.0, 1.0, 5e-324])
SCALARS = st.none() | st.booleans() | NUMBERS | TEXT | st.just(MISSING)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | TEXT, inner, max_size=4)
)


@given(VALUES.filter(lambda v: v is not MISSING))
def test_the_rewrite_writes_what_the_reference_writes(value: Any) -> None:
    assert js_json_dumps(value) == _reference(value)
