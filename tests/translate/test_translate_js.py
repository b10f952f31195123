"""The JavaScript semantics the translation relies on: numbers, strings, dates (all checked against Node)."""

from __future__ import annotations

import math

import pytest

from harness.translate.jsdate import dayjs_format_date, dayjs_time, js_date_parse, to_iso_string
from harness.translate.jsvalues import (
    MISSING,
    js_json_dumps,
    js_number_to_string,
    js_string,
    js_to_number,
    normalize_json_numbers,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1"),
        (1.0, "1"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (123.456, "123.456"),
        (1e16, "10000000000000000"),
        (-0.0, "0"),
        (2**60, "1152921504606847000"),
        (math.inf, "Infinity"),
        (5e-7, "5e-7"),
        (0.000001, "0.000001"),
    ],
)
def test_number_to_string(value: float, text: str) -> None:
    assert js_number_to_string(value) == text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (" 12 ", 12),
        ("0x10", 16),
        ("1e3", 1000),
        ("", 0),
        ("\u00a05", 5),
        (".5", 0.5),
        ("5.", 5),
        ("Infinity", math.inf),
    ],
)
def test_to_number(text: str, number: float) -> None:
    assert js_to_number(text) == number


@pytest.mark.parametrize("text", ["abc", "1_000", "١٢", "0x", "1e", "--1", "inf"])
def test_to_number_nan(text: str) -> None:
    assert math.isnan(js_to_number(text))


def test_string_conversion_like_String() -> None:
    assert js_string([1, None, [2, MISSING], {"a": 1}]) == "1,,2,,[object Object]"
    assert js_string(True) == "true"


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
