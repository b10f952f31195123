"""`undefined`, truthiness and property access as JavaScript has them (expectations printed by Node 20)."""

from __future__ import annotations

import copy
import pickle

import pytest

from harness.js import MISSING, js_index, js_property, js_truthy, js_type, utf16_len


def test_undefined_is_one_falsy_value_that_survives_copies() -> None:
    assert not MISSING and repr(MISSING) == "MISSING"
    assert copy.deepcopy({"a": MISSING})["a"] is MISSING
    assert pickle.loads(pickle.dumps(MISSING)) is MISSING


@pytest.mark.parametrize(
    ("value", "truthy"),
    [(0, False), (0.0, False), ("", False), (None, False), (MISSING, False), (float("nan"), False),
     ([], True), ({}, True), ("0", True), (-1, True)],
)  # fmt: skip
def test_truthiness(value: object, truthy: bool) -> None:
    assert js_truthy(value) is truthy


def test_type_names() -> None:
    assert [js_type(v) for v in (None, MISSING, True, 1, "a", [], {})] == [
        "null", "undefined", "boolean", "number", "string", "array", "object",
    ]  # fmt: skip


def test_property_access_counts_utf16_units() -> None:
    # "abc".length, "\u{1F600}".length, "\u{1F600}x"[2], "\u{1F600}"[0].charCodeAt(0) in Node: 3, 2, "x", 55357
    assert js_property("abc", "length") == 3
    assert js_property("\U0001f600", "length") == utf16_len("\U0001f600") == 2
    assert js_property("\U0001f600x", "2") == "x"
    assert ord(js_property("\U0001f600", "0")) == 55357


def test_index_keys_follow_javascript() -> None:
    assert js_index(["a", "b"], "1") == "b"
    assert js_index(["a", "b"], 1.0) == "b"
    assert js_index(["a", "b"], "01") is MISSING
    assert js_index(["a", "b"], True) is MISSING
    assert js_property(["a", "b"], "length") == 2
    assert js_property({"length": 5}, "length") == 5
    assert js_property(5, "x") is MISSING
