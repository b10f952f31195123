"""JavaScript numbers: `Number(text)` and `Number.prototype.toString()`, as V8 computes them.

Segment's code turns numbers into text (`String(0.000025)` is `"0.000025"`, `"" + 1e21` is `"1e+21"`,
`-0` prints `"0"`) and text into numbers (`+" 12 "` is 12, `Number("0x10")` is 16, `Number("")` is 0).
Python's `repr` and `float` disagree on all of those, so every JS-side conversion goes through here.
Integral results come back as Python `int` (as `JSON.parse` would hold them); NaN is `float('nan')`.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

__all__ = [
    "JS_WHITESPACE",
    "MAX_SAFE_INTEGER",
    "integral",
    "is_number",
    "js_number_to_string",
    "string_to_number",
]

MAX_SAFE_INTEGER: Final = 2**53

# ECMAScript StrWhiteSpaceChar: WhiteSpace and LineTerminator code points.
JS_WHITESPACE: Final = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?)|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_RADIX = re.compile(r"0([xXoObB])([0-9a-fA-F]+)", re.ASCII)
_RADIX_BASE = {"x": 16, "o": 8, "b": 2}


def is_number(value: Any) -> bool:
    """`typeof value === 'number'` for a JSON value (booleans are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def js_number_to_string(value: float | int) -> str:
    """`Number.prototype.toString()`: shortest round-trip digits, exponent from 1e21 up and below 1e-6."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return str(value)
        value = float(value)
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest round-trip digits, as V8 does; only the layout differs.
    mantissa, _, exp_text = repr(abs(value)).partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    all_digits = int_part + frac_part
    digits = all_digits.lstrip("0")
    point = len(int_part) + (int(exp_text) if exp_text else 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= point <= 21:
        return sign + digits + "0" * (point - k)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * (-point) + digits
    exp = point - 1
    exp_str = ("+" if exp >= 0 else "-") + str(abs(exp))
    if k == 1:
        return sign + digits + "e" + exp_str
    return sign + digits[0] + "." + digits[1:] + "e" + exp_str


def integral(number: float) -> float | int:
    """An integral double within the safe range as an int (how the harness holds JS numbers)."""
    if number.is_integer() and abs(number) < MAX_SAFE_INTEGER:
        return int(number)
    return number


def string_to_number(value: str) -> float | int:
    """`Number(text)`: whitespace trimmed, `""` is 0, hex/octal/binary literals, `Infinity`; NaN otherwise."""
    text = value.strip(JS_WHITESPACE)
    if text == "":
        return 0
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    radix = _RADIX.fullmatch(text)
    if radix:
        try:
            return integral(float(int(radix.group(2), _RADIX_BASE[radix.group(1).lower()])))
        except ValueError:
            return math.nan
    if _DECIMAL.fullmatch(text):
        return integral(float(text))
    return math.nan
