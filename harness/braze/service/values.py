"""Braze's value formats: datetimes, countries, languages, time zones, currencies.

Datetimes: ISO 8601 or Braze's `yyyy-MM-dd'T'HH:mm:ss:SSSZ`; "if no time zone is specified, the
time defaults to midnight UTC" / UTC (custom_attributes.md). Countries: ISO-3166-1 alpha-2, and
"our API makes a best effort to map countries received in different formats. For example, 'Australia'
may map to 'AU'. However, if the input doesn't match … the country value is set to NULL."
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import cache

import pycountry

__all__ = ["country_code", "is_currency", "is_language", "parse_date", "parse_time"]

_BRAZE_MILLIS = re.compile(r"(T\d{2}:\d{2}:\d{2}):(\d{1,9})")
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_time(text: str) -> datetime | None:
    """An aware UTC datetime, or None when Braze could not read it (also when it falls outside years
    1-9999 in UTC, e.g. `0001-01-01T00:00:00+14:00`)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        fixed = _LONG_FRACTION.sub(r"\1", _BRAZE_MILLIS.sub(r"\1.\2", text))
        try:
            value = datetime.fromisoformat(fixed)
        except ValueError:
            return None
    tz = value.tzinfo
    if tz is UTC:  # `...Z` and `+00:00`: the common case, already right
        return value
    if tz is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return None


def parse_date(text: str) -> date | None:
    """A calendar date from `YYYY-MM-DD` (dob), or None for an impossible date like 2023-02-30."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@cache
def country_code(text: str) -> str | None:
    """ISO-3166-1 alpha-2 for a code, alpha-3 code or country name; None when nothing matches."""
    candidate = text.strip()
    if len(candidate) == 2 and pycountry.countries.get(alpha_2=candidate.upper()):
        return candidate.upper()
    try:
        return pycountry.countries.lookup(candidate).alpha_2
    except LookupError:
        return None


@cache
def is_language(text: str) -> bool:
    """ISO-639-1 two-letter codes, as Braze's `language` field expects."""
    return len(text) == 2 and pycountry.languages.get(alpha_2=text.lower()) is not None


@cache
def is_currency(text: str) -> bool:
    """ISO 4217 alphabetic currency code."""
    return len(text) == 3 and pycountry.currencies.get(alpha_3=text) is not None
