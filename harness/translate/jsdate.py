"""Dates the way Segment's Node code reads and writes them: dayjs, `new Date(string)` and ISO output.

The Braze actions turn `time`, `dob` and session dates into strings with `dayjs(x).toISOString()` or
`dayjs(x).format('YYYY-MM-DD')`, and order cohort events with `new Date(time)`. dayjs reads
`YYYY[-MM[-DD]][ HH[:mm[:ss[.SSS]]]]` itself (local time, UTC on Segment's servers) and hands every
other string, including anything ending in `Z`, to V8's `Date` parser: the ES5 ISO format first, then
V8's lenient legacy grammar (`March 7, 2024`, `2024/03/01 10:00`, RFC 2822, ...). All of that is
reproduced here with the process time zone fixed to UTC, as the reference runner does.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from harness.translate.datemath import MS_PER_DAY, civil_from_days, make_date, time_clip
from harness.translate.jsvalues import MISSING, js_number_to_string, js_to_number
from harness.translate.v8date import js_date_parse

__all__ = [
    "date_like_is_valid",
    "dayjs_format_date",
    "dayjs_time",
    "js_date_parse",
    "to_iso_string",
]


# dayjs REGEX_PARSE; JS `\d` is ASCII, JS `\s` is Unicode whitespace, JS `$` is end of input.
_JS_SPACE = "\\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DAYJS_PARSE = re.compile(
    r"(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt" + _JS_SPACE + r"]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?\Z",
    re.ASCII,
)


def _date_constructor(*args: Any) -> int | None:
    """`new Date(y, m, d, h, min, s, ms)` in a UTC process; string arguments go through ToNumber."""
    nums = [float(js_to_number(a)) for a in args]
    year, month, day, hour, minute, sec, ms = nums
    if math.isfinite(year) and 0 <= math.trunc(year) <= 99:
        year = 1900 + math.trunc(year)
    return time_clip(make_date(year, month, day, hour, minute, sec, ms))


def to_iso_string(ms: int) -> str:
    """`Date.prototype.toISOString()`, including the six-digit signed years outside 0000..9999."""
    days, rem = divmod(ms, MS_PER_DAY)
    year, month, day = civil_from_days(days)
    hour, rem = divmod(rem, 3_600_000)
    minute, rem = divmod(rem, 60_000)
    sec, milli = divmod(rem, 1000)
    ytext = f"{year:04d}" if 0 <= year <= 9999 else ("+" if year > 0 else "-") + f"{abs(year):06d}"
    return f"{ytext}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{sec:02d}.{milli:03d}Z"


def dayjs_format_date(ms: int) -> str:
    """dayjs `format('YYYY-MM-DD')` in UTC: the year is `String(year).padStart(4, '0')`."""
    year, month, day = civil_from_days(ms // MS_PER_DAY)
    return f"{str(year).rjust(4, '0')}-{month:02d}-{day:02d}"


def dayjs_time(value: Any) -> int | None:
    """Milliseconds since the epoch of `dayjs(value)`, or None when dayjs would call it invalid."""
    if value is None:
        return None
    if isinstance(value, bool):
        return time_clip(float(value))
    if isinstance(value, int | float):
        return time_clip(float(value))
    if isinstance(value, str):
        return _dayjs_string(value)
    if value is MISSING:
        return None
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
            return _date_constructor(y, month, d or 1, h or 0, mi or 0, s or 0, ms)
    return js_date_parse(text)


def date_like_is_valid(text: str) -> bool:
    """actions-core's ajv `date-like` format: numeric strings are Unix seconds, others go to dayjs."""
    number = js_to_number(text)
    if js_number_to_string(number) == text:
        if not math.isfinite(number):
            return False
        return time_clip(float(number) * 1000) is not None
    return dayjs_time(text) is not None
