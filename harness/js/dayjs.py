"""dayjs (1.11), the date library Segment's Braze actions use, in a UTC process.

The actions turn `time`, `dob` and session dates into strings with `dayjs(x).toISOString()` or
`dayjs(x).format('YYYY-MM-DD')`. dayjs reads `YYYY[-MM[-DD]][ HH[:mm[:ss[.SSS]]]]` itself (local time,
which is UTC here) and hands every other string, including anything ending in `Z`, to V8's `Date`
parser: the ES5 ISO format first, then V8's lenient legacy grammar (`March 7, 2024`, RFC 2822, ...).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from harness.js.date_parse import js_date_parse
from harness.js.datemath import MS_PER_DAY, civil_from_days, time_clip
from harness.js.dates import date_from_parts, to_iso_string
from harness.js.undefined import MISSING
from harness.js.values import js_to_number

__all__ = ["dayjs_format_date", "dayjs_iso", "dayjs_time", "is_canonical_iso"]


# dayjs REGEX_PARSE; JS `\d` is ASCII, JS `\s` is Unicode whitespace, JS `$` is end of input.
_JS_SPACE = "\\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DAYJS_PARSE = re.compile(
    r"(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt" + _JS_SPACE + r"]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?\Z",
    re.ASCII,
)


def dayjs_format_date(ms: int) -> str:
    """dayjs `format('YYYY-MM-DD')` in UTC: the year is `String(year).padStart(4, '0')`."""
    year, month, day = civil_from_days(ms // MS_PER_DAY)
    return f"{str(year).rjust(4, '0')}-{month:02d}-{day:02d}"


# `YYYY-MM-DDTHH:mm:ss.SSSZ`, the form Segment writes every timestamp in. Such a string names a valid
# instant exactly when its fields are in range, and `toISOString()` of that instant is the string.
_CANONICAL = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.[0-9]{3}Z\Z")
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_canonical_iso(text: str) -> bool:
    """`YYYY-MM-DDTHH:mm:ss.SSSZ` with every field in range (a real instant, printed as toISOString does)."""
    match = _CANONICAL.match(text)
    if match is None:
        return False
    # Two-digit zero-padded fields compare as strings the way they compare as numbers.
    year, month, day, hour, minute, second = match.groups()
    if not ("01" <= month <= "12" and day >= "01" and hour <= "23" and minute <= "59" and second <= "59"):
        return False
    if day <= "28":
        return True
    days = _DAYS_IN_MONTH[int(month)]
    if month == "02":
        number = int(year)
        days = 29 if number % 4 == 0 and (number % 100 != 0 or number % 400 == 0) else 28
    return int(day) <= days


def dayjs_iso(value: Any) -> str | None:
    """`dayjs(value).toISOString()`, or None when dayjs calls it invalid (toISOString would throw)."""
    if type(value) is str and is_canonical_iso(value):
        return value
    ms = dayjs_time(value)
    return None if ms is None else to_iso_string(ms)


def dayjs_time(value: Any) -> int | None:
    """Milliseconds since the epoch of `dayjs(value)`, or None when dayjs would call it invalid."""
    if value is None or value is MISSING:
        return None
    if isinstance(value, bool | int | float):
        return time_clip(float(value))
    if isinstance(value, str):
        return _dayjs_string(value)
    return None


@lru_cache(maxsize=4096)
def _dayjs_string(text: str) -> int | None:
    if not (text.endswith("Z") or text.endswith("z")):
        match = _DAYJS_PARSE.match(text)
        if match:
            y, mo, d, h, mi, s, frac = match.groups()
            # `d[2] - 1 || 0`: a missing month is NaN, and NaN || 0 is 0.
            month = js_to_number(mo) - 1 if mo is not None else 0
            ms = (frac or "0")[:3]
            return date_from_parts(y, month, d or 1, h or 0, mi or 0, s or 0, ms)
    return js_date_parse(text)
