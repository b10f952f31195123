"""`String(number)` and `Number(value)`: the expected texts were printed by Node 20 (V8)."""

from __future__ import annotations

import math

import pytest

from harness.js import js_number_to_string, js_string, js_to_number, string_to_number

# [number, String(number)] as Node printed them (JSON cannot say -0, so it is written out below).
NODE_NUMBER_STRINGS = [
    (0, "0"), (1, "1"), (-1, "-1"), (0.1, "0.1"), (1e21, "1e+21"), (1e-7, "1e-7"), (1e-6, "0.000001"),
    (1.5e-7, "1.5e-7"), (123.456, "123.456"), (1e16, "10000000000000000"), (2**53, "9007199254740992"),
    (2**53 + 2, "9007199254740994"), (2**60, "1152921504606847000"), (-1e21, "-1e+21"),
    (9.999999999999999e20, "999999999999999900000"), (1e20, "100000000000000000000"),
    (123456789012345680000, "123456789012345680000"), (0.000025, "0.000025"), (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"), (-0.000001, "-0.000001"), (1 / 3, "0.3333333333333333"),
    (100, "100"), (1.5, "1.5"), (0.30000000000000004, "0.30000000000000004"), (1e300, "1e+300"), (4.35, "4.35"),
    (0.000001234, "0.000001234"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "text"), NODE_NUMBER_STRINGS)
def test_number_to_string_like_v8(value: float, text: str) -> None:
    assert js_number_to_string(value) == text
    assert js_number_to_string(float(value)) == text  # an integer held as a float prints the same


def test_negative_zero_infinity_and_nan() -> None:
    assert js_number_to_string(-0.0) == "0"
    assert js_number_to_string(math.inf) == "Infinity"
    assert js_number_to_string(-math.inf) == "-Infinity"
    assert js_number_to_string(math.nan) == "NaN"


# [text, String(Number(text))] as Node printed them.
NODE_STRING_NUMBERS = [
    (" 12 ", "12"), ("0x10", "16"), ("0X1f", "31"), ("0b101", "5"), ("0o17", "15"), ("1e3", "1000"), ("", "0"),
    (".5", "0.5"), ("5.", "5"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"), ("+Infinity", "Infinity"),
    ("infinity", "NaN"), ("abc", "NaN"), ("1_000", "NaN"), ("0x", "NaN"), ("1e", "NaN"), ("--1", "NaN"),
    ("+-1", "NaN"), (" \u00a0\u2028 7\ufeff", "7"), ("-0x10", "NaN"), ("1e400", "Infinity"), ("-5e-7", "-5e-7"),
    ("0.0", "0"), ("00012", "12"), ("+.5", "0.5"), ("5e+2", "500"), ("\u0661", "NaN"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "shown"), NODE_STRING_NUMBERS)
def test_string_to_number_like_v8(text: str, shown: str) -> None:
    assert js_number_to_string(string_to_number(text)) == shown
    assert js_number_to_string(js_to_number(text)) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [([], "0"), ([" 5 "], "5"), ([1, 2], "NaN"), ([[3]], "3"), ([None], "0"), ([True], "NaN"), (None, "0")],
)
def test_number_of_other_values_like_v8(value: object, shown: str) -> None:
    assert js_number_to_string(js_to_number(value)) == shown


def test_integral_results_are_ints_as_json_parse_would_hold_them() -> None:
    assert type(js_to_number("12")) is int and type(js_to_number("1.5")) is float


@pytest.mark.parametrize(
    ("value", "text"),
    [([1, None, [2, None], {"a": 1}], "1,,2,,[object Object]"), ([], ""), ([[]], ""), ([True, False], "true,false"),
     ([0.000025], "0.000025"), (0.000025, "0.000025"), (None, "null"), (True, "true")],
)  # fmt: skip
def test_string_conversion_like_v8(value: object, text: str) -> None:
    assert js_string(value) == text
