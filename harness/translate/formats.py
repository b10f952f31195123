"""The JSON Schema `format`s that Segment's payload and settings schemas use (ajv-formats "full").

`uri` (endpoint, image URLs), `email` (ecommerce email), `date-time` (ecommerce time), and
actions-core's own `date-like` (every `datetime` field). `password` and `text` accept anything.
ajv-formats' `date-time` is laxer than RFC 3339: its time-zone check never fires, so
`2024-03-01 12:00:00` passes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from harness.js import dayjs_time, is_canonical_iso, js_number_to_string, string_to_number
from harness.js.datemath import time_clip

__all__ = ["FORMATS", "FORMAT_LABELS", "date_like_is_valid"]

_FLAGS = re.IGNORECASE | re.ASCII
_IPV6 = (
    r"(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}"
    r"|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}"
    r"|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}"
    r"|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:"
    r"|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}"
    r"|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))"
    r"|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}"
    r"|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)"
)
_URI = re.compile(
    r"(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\["
    + _IPV6
    + r"\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)"
    r"|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*"
    r"|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?"
    r"|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)"
    r"(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?\Z",
    _FLAGS,
)
_NOT_URI_FRAGMENT = re.compile(r"\/|:")
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z",
    _FLAGS,
)
_DATE = re.compile(r"(\d\d\d\d)-(\d\d)-(\d\d)\Z", re.ASCII)
_TIME = re.compile(r"(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(?::?\d\d)?)?\Z", _FLAGS)
# JavaScript `/t|\s/i`: `\s` is Unicode white space.
_DATE_TIME_SEPARATOR = re.compile(r"[tT\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]")
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def date_like_is_valid(text: str) -> bool:
    """actions-core's ajv `date-like` format: numeric strings are Unix seconds, others go to dayjs."""
    number = string_to_number(text)
    if js_number_to_string(number) == text:
        if not math.isfinite(number):
            return False
        return time_clip(float(number) * 1000) is not None
    return dayjs_time(text) is not None


# Plain web URLs (`https://host/path`) are a sublanguage of `_URI` (host and path characters it
# allows, no percent escapes, query or fragment): matching this one first answers them cheaply.
_PLAIN_URL = re.compile(r"https?://[a-z0-9.\-]+(?:/[a-z0-9\-._~!$&'()*+,;=:@]*)*\Z", _FLAGS)


def _uri(text: str) -> bool:
    return _PLAIN_URL.match(text) is not None or _uri_full(text)


def _uri_full(text: str) -> bool:
    return bool(_NOT_URI_FRAGMENT.search(text)) and bool(_URI.match(text))


def _email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def _date(text: str) -> bool:
    match = _DATE.match(text)
    if not match:
        return False
    year, month, day = (int(g) for g in match.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 and leap else _DAYS[month])


def _time(text: str) -> bool:
    match = _TIME.match(text)
    if not match:
        return False
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3))
    return (hour <= 23 and minute <= 59 and second <= 59) or (hour == 23 and minute == 59 and second == 60)


def _date_time(text: str) -> bool:
    # The form Segment writes (`2024-03-01T12:00:00.000Z`) with its fields in range is a valid
    # date-time for the full check too; anything else takes the full check.
    return is_canonical_iso(text) or _date_time_full(text)


def _date_time_full(text: str) -> bool:
    parts = _DATE_TIME_SEPARATOR.split(text)
    return len(parts) == 2 and _date(parts[0]) and _time(parts[1])


FORMATS: dict[str, Callable[[str], bool]] = {
    "uri": _uri,
    "email": _email,
    "date-time": _date_time,
    "date-like": date_like_is_valid,
    "password": lambda _text: True,
    "text": lambda _text: True,
}

# @segment/ajv-human-errors labels ("must be a valid <label> string but it was not").
FORMAT_LABELS: dict[str, str] = {
    "date-time": "date and time",
    "email": "email address",
    "uri": "URI",
}
