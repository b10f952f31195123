"""FQL matching: a condition tree compiled once to a predicate over an event (Segment's `validate`)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from harness.js import MISSING, is_number, js_property, js_string, js_to_number, js_truthy
from harness.segment.fql.parser import parse_fql

__all__ = ["Predicate", "compile_fql", "fields_read", "subscribed"]

_KEYS = re.compile(r"[^[.\]]+")


def _get(obj: Any, path: str) -> Any:
    """destination-subscriptions `get`: `keys.reduce((prev, key) => prev && prev[key], obj)`."""
    if not path:
        return MISSING
    value = obj
    for key in _KEYS.findall(path):
        if not js_truthy(value):
            break
        value = js_property(value, key)
    return value


_NUMERIC: dict[str, Callable[[float, float], bool]] = {
    "number_equals": operator.eq,
    "number_not_equals": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_TEXT: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda actual, needle: needle in actual,
    "starts_with": str.startswith,
    "ends_with": str.endswith,
}


def _check(actual: Any, op: str, expected: Any) -> bool:
    """destination-subscriptions `validateValue`."""
    if op in ("=", "!="):
        equal = isinstance(actual, str) and actual == js_string(expected)
        return equal if op == "=" else not equal
    if op in _NUMERIC:
        if not is_number(actual):
            return False
        return _NUMERIC[op](actual, js_to_number(expected))
    base = op.removeprefix("not_")
    if base in _TEXT:
        if not isinstance(actual, str):
            return False
        return _TEXT[base](actual, js_string(expected)) != op.startswith("not_")
    if op == "exists":
        return actual is not MISSING and actual is not None
    if op == "not_exists":
        return actual is MISSING or actual is None
    if op == "is_true":
        return actual is True
    if op == "is_false":
        return actual is False
    return False


Predicate = Callable[[dict[str, Any]], bool]
_FIELDS = {"event-type": "type", "event": "event", "name": "name", "userId": "userId"}
_SOURCES = {"event-property": "properties", "event-trait": "traits", "event-context": "context"}


def _all(children: list[Predicate]) -> Predicate:
    def check(event: dict[str, Any]) -> bool:
        return all(child(event) for child in children)

    return check


def _any(children: list[Predicate]) -> Predicate:
    def check(event: dict[str, Any]) -> bool:
        return any(child(event) for child in children)

    return check


def _field_equals(field: str, target: str, negate: bool) -> Predicate:
    if negate:

        def differs(event: dict[str, Any]) -> bool:
            value = event.get(field)
            return type(value) is not str or value != target

        return differs

    def equals(event: dict[str, Any]) -> bool:
        value = event.get(field)
        return type(value) is str and value == target

    return equals


def _compile(node: dict[str, Any]) -> Predicate:
    kind = node["type"]
    if kind == "group":
        children = [_compile(child) for child in node["children"]]
        if node["operator"] == "and":
            return _all(children)
        if node["operator"] == "or":
            return _any(children)
        return lambda _event: False
    op, expected = node["operator"], node.get("value")
    if kind in _FIELDS:
        field = _FIELDS[kind]
        if op in ("=", "!="):
            return _field_equals(field, js_string(expected), op == "!=")
        return lambda event: _check(event.get(field, MISSING), op, expected)
    source = _SOURCES.get(kind)
    if source is None:
        return lambda _event: False
    name = node["name"]
    return lambda event: _check(_get(event.get(source, MISSING), name), op, expected)


@lru_cache(maxsize=256)
def compile_fql(fql: str) -> Predicate:
    """A predicate for an FQL string (compiled once per string); raises `FQLError` when invalid."""
    return _compile(parse_fql(fql))


def subscribed(fql: str, event: dict[str, Any]) -> bool:
    """Whether Segment would deliver `event` to a subscription with this FQL (`FQLError` if invalid)."""
    return compile_fql(fql)(event)


def _fields(node: dict[str, Any]) -> set[str]:
    if node["type"] == "group":
        return set().union(*(_fields(child) for child in node["children"]))
    field = _FIELDS.get(node["type"]) or _SOURCES.get(node["type"])
    return {field} if field else set()


@lru_cache(maxsize=256)
def fields_read(fql: str) -> frozenset[str]:
    """The top-level event fields the subscription looks at (`type`, `event`, `properties`, ...).

    A subscription that reads only `type` and `event` gives the same answer for every event with the
    same two values, which lets callers remember routes per (type, event). Raises `FQLError` if invalid.
    """
    return frozenset(_fields(parse_fql(fql)))
