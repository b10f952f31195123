"""Date arithmetic of ECMAScript (MakeDay, MakeDate, TimeClip) on a proleptic Gregorian calendar.

Shared by the dayjs reproduction and V8's date parser; the process time zone is UTC throughout,
so local time and UTC coincide.
"""

from __future__ import annotations

import math

__all__ = ["MAX_TIME", "MS_PER_DAY", "civil_from_days", "days_from_civil", "make_date", "time_clip"]

MS_PER_DAY = 86_400_000
MAX_TIME = 8.64e15


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 for a proleptic Gregorian date (month 1..12)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    year = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return year + (month <= 2), month, day


def make_date(year: float, month: float, day: float, hour: float, minute: float, sec: float, ms: float) -> float:
    """ECMAScript MakeDate(MakeDay(y, m, d), MakeTime(h, min, s, ms)) with integer truncation."""
    values = (year, month, day, hour, minute, sec, ms)
    if any(not math.isfinite(v) for v in values):
        return math.nan
    y, m, d, h, mi, s, milli = (math.trunc(v) for v in values)
    ym = y + m // 12
    mn = m % 12
    if abs(ym) > 400_000:
        return math.nan
    days = days_from_civil(ym, mn + 1, 1) + d - 1
    return days * MS_PER_DAY + h * 3_600_000 + mi * 60_000 + s * 1000 + milli


def time_clip(value: float) -> int | None:
    if not math.isfinite(value) or abs(value) > MAX_TIME:
        return None
    return math.trunc(value)
