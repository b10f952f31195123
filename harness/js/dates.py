"""JavaScript `Date`s in a process whose time zone is UTC (as on Segment's servers and in the oracle).

`new Date(y, m, d, h, min, s, ms)` and `Date.prototype.toISOString()`; `Date.parse` (V8's grammar) is
in `harness.js.date_parse`. Times are integer milliseconds since the epoch, None for an invalid date.
"""

from __future__ import annotations

import math
from typing import Any

from harness.js.datemath import MS_PER_DAY, civil_from_days, make_date, time_clip
from harness.js.values import js_to_number

__all__ = ["date_from_parts", "to_iso_string"]


def date_from_parts(*args: Any) -> int | None:
    """`new Date(y, m, d, h, min, s, ms)` in a UTC process; arguments go through ToNumber."""
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
