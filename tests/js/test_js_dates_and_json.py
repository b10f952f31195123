"""JSON.stringify / JSON.parse numbers and the dates of dayjs and V8 (expectations printed by Node 20)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.js import (
    MISSING,
    dayjs_format_date,
    dayjs_iso,
    dayjs_time,
    js_date_parse,
    js_json_dumps,
    normalize_json_numbers,
    to_iso_string,
)


def test_json_stringify_orders_integer_keys_first_and_drops_undefined() -> None:
    assert js_json_dumps({"b": 1, "2": 2, "a": MISSING, "1": [1.0, -0.0, math.nan]}) == '{"1":[1,0,null],"2":2,"b":1}'


def test_integers_beyond_2_53_lose_precision_like_json_parse() -> None:
    assert normalize_json_numbers({"a": [12345678901234567890]}) == {"a": [12345678901234567000]}


# Expected values printed by Node 20 with TZ=UTC (dayjs 1.11 and V8's Date parser).
@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-03-01T12:00:00Z", "2024-03-01T12:00:00.000Z"),
        ("2024-03-01 12:00:00Z", "2024-03-01T12:00:00.000Z"),
        ("2024-03-01T12:00:00+02:00", "2024-03-01T10:00:00.000Z"),
        ("2024-03-01", "2024-03-01T00:00:00.000Z"),
        ("1709294400", "1711-06-13T00:00:00.000Z"),
        ("March 7, 2024", "2024-03-07T00:00:00.000Z"),
        ("Fri, 01 Mar 2024 12:00:00 GMT+0200", "2024-03-01T10:00:00.000Z"),
        ("0099-01-01", "1999-01-01T00:00:00.000Z"),
        ("2024-00-10", "2023-12-10T00:00:00.000Z"),
        ("+002024-03-01T00:00:00Z", "2024-03-01T00:00:00.000Z"),
        ("-000001-01-01T00:00:00Z", "-000001-01-01T00:00:00.000Z"),
        ("12/31/1999 23:59:59", "1999-12-31T23:59:59.000Z"),
    ],
)
def test_dayjs_parsing(text: str, iso: str) -> None:
    ms = dayjs_time(text)
    assert ms is not None and to_iso_string(ms) == iso


@pytest.mark.parametrize("text", ["not a date", "2024-13-01T00:00:00Z", "2024-03-01T24:00:01Z", "Z", ""])
def test_invalid_dates(text: str) -> None:
    assert dayjs_time(text) is None


def test_v8_date_parse_and_dob_format() -> None:
    assert js_date_parse("3/7") == js_date_parse("2001-03-07T00:00:00Z")
    assert dayjs_format_date(dayjs_time("1990-05-15T23:30:00.000Z") or 0) == "1990-05-15"


def _slow_iso(text: str) -> str | None:
    ms = dayjs_time(text)
    return None if ms is None else to_iso_string(ms)


@given(
    year=st.integers(0, 9999),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
    hour=st.integers(0, 25),
    minute=st.integers(0, 60),
    second=st.integers(0, 60),
    millis=st.integers(0, 999),
)
def test_the_canonical_iso_shortcut_equals_parse_then_format(
    year: int, month: int, day: int, hour: int, minute: int, second: int, millis: int
) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{millis:03d}Z"
    assert dayjs_iso(text) == _slow_iso(text)


def test_the_canonical_iso_shortcut_leaves_other_forms_to_the_parser() -> None:
    for text in ("2024-02-29T12:00:00.000Z", "2023-02-29T12:00:00.000Z", "2024-03-01T24:00:00.000Z", "2024-03-01"):
        assert dayjs_iso(text) == _slow_iso(text)
    assert dayjs_iso(1709294400000) == "2024-03-01T12:00:00.000Z" and dayjs_iso("nope") is None
