"""FQL matching: a condition tree compiled once to a predicate over an event (Segment's `validate`)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from harness.segment.fql.parser import parse_fql
from harness.segment.fql.values import as_string, js_number

__all__ = ["Predicate", "compile_fql", "subscribed"]

_MISSING = object()


def _get(obj: Any, path: str) -> Any:
    if not path:
        return _MISSING
    keys = re.findall(r"[^[.\]]+", path)
    value = obj
    for key in keys:
        if value is _MISSING or value is None or value is False or value == 0 or value == "":
            break
        if isinstance(value, dict):
            value = value.get(key, _MISSING)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            value = _MISSING
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
        equal = isinstance(actual, str) and actual == as_string(expected)
        return equal if op == "=" else not equal
    if op in _NUMERIC:
        if not _number(actual):
            return False
        return _NUMERIC[op](actual, js_number(expected) if isinstance(expected, str) else float(expected))
    base = op.removeprefix("not_")
    if base in _TEXT:
        if not isinstance(actual, str):
            return False
        return _TEXT[base](actual, as_string(expected)) != op.startswith("not_")
    if op == "exists":
        return actual is not _MISSING and actual is not None
    if op == "not_exists":
        return actual is _MISSING or actual is None
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
            return _field_equals(field, as_string(expected), op == "!=")
        return lambda event: _check(event.get(field, _MISSING), op, expected)
    source = _SOURCES.get(kind)
    if source is None:
        return lambda _event: False
    name = node["name"]
    return lambda event: _check(_get(event.get(source, _MISSING), name), op, expected)


@lru_cache(maxsize=256)
def compile_fql(fql: str) -> Predicate:
    """A predicate for an FQL string (compiled once per string); raises `FQLError` when invalid."""
    return _compile(parse_fql(fql))


def subscribed(fql: str, event: dict[str, Any]) -> bool:
    """Whether Segment would deliver `event` to a subscription with this FQL (`FQLError` if invalid)."""
    return compile_fql(fql)(event)
