"""Side-effect-free tests for ajv's condition schemas: what `if`, `anyOf` and `not` need on the valid path.

The conditionally required fields of Segment's action schemas are `required` / `properties` / `const` /
`anyOf` / `allOf` / `not` and `if`/`then` made of those. Where ajv would only answer true or false (nothing
is reported, nothing coerced), these compile to plain predicates; a schema with a `type` is left to the
full check in `harness.translate.ajv`, because ajv may coerce while evaluating it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.js import MISSING
from harness.translate.ajv_support import js_equal

__all__ = ["Predicate", "predicate_of"]

Predicate = Callable[[Any], bool]
_PREDICATE_KEYS = frozenset({"required", "properties", "anyOf", "allOf", "not", "const", "if", "then"})


def _conjunction(parts: list[Predicate]) -> Predicate:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        first, second = parts
        return lambda v: first(v) and second(v)
    return lambda v: all(p(v) for p in parts)


def _disjunction(parts: list[Predicate]) -> Predicate:
    def check(v: Any) -> bool:
        return any(p(v) for p in parts)

    return check


def _const(expected: Any) -> Predicate:
    if type(expected) is str:
        return lambda v: type(v) is str and v == expected
    return lambda v: js_equal(v, expected)


def _required(keys: list[str]) -> Predicate:
    # Payload objects never hold undefined values, so "present" is "key in object".
    if len(keys) == 1:
        (only,) = keys
        return lambda v: type(v) is not dict or only in v
    return lambda v: type(v) is not dict or all(k in v for k in keys)


def _properties(checks: list[tuple[str, Predicate]]) -> Predicate:
    if len(checks) == 1:
        ((key, check),) = checks
        return lambda v: type(v) is not dict or key not in v or check(v[key])
    return lambda v: type(v) is not dict or all(p(v[k]) for k, p in checks if k in v)


def _string_const_of(schema: dict[str, Any]) -> tuple[str, str] | None:
    """(key, value) for `{"properties": {key: {"const": "value"}}, "required": [key]}`."""
    if set(schema) != {"properties", "required"} or len(schema["properties"]) != 1:
        return None
    ((key, sub),) = schema["properties"].items()
    if schema["required"] != [key] or set(sub) != {"const"} or type(sub["const"]) is not str:
        return None
    return key, sub["const"]


def _field_is_one_of(schema: dict[str, Any]) -> Predicate | None:
    """The conditionally-required fields' `if` (a field equal to one string, or to one of several):
    one membership test instead of a conjunction per option. Same answer as the general composition:
    true for a non-object, else the key is present and holds one of the strings."""
    options = [_string_const_of(schema)] if "anyOf" not in schema else None
    if options is None and set(schema) == {"anyOf"} and schema["anyOf"]:
        options = [_string_const_of(sub) for sub in schema["anyOf"]]
    if not options or any(o is None for o in options) or len({o[0] for o in options if o}) != 1:
        return None
    key = options[0][0] if options[0] else ""
    values = frozenset(o[1] for o in options if o)

    def check(v: Any) -> bool:
        if type(v) is not dict:
            return True
        found = v.get(key, MISSING)
        return type(found) is str and found in values

    return check


def predicate_of(schema: dict[str, Any]) -> Predicate | None:
    """A side-effect-free test for condition schemas (required/properties/const/anyOf/allOf/not and
    if/then made of those: the conditionally required fields).

    Used only where nothing is reported (the valid path, `if`, `anyOf`, `not`); schemas with a `type`
    are left to the full check because ajv may coerce while evaluating them.
    """
    if not set(schema) <= _PREDICATE_KEYS:
        return None
    shortcut = _field_is_one_of(schema)
    if shortcut is not None:
        return shortcut
    parts: list[Predicate] = []
    if "const" in schema:
        parts.append(_const(schema["const"]))
    if "required" in schema:
        parts.append(_required(list(schema["required"])))
    if "properties" in schema:
        subs = [(k, predicate_of(sub)) for k, sub in schema["properties"].items()]
        if any(p is None for _, p in subs):
            return None
        parts.append(_properties([(k, p) for k, p in subs if p is not None]))
    for keyword in ("anyOf", "allOf"):
        if keyword in schema:
            options = [predicate_of(sub) for sub in schema[keyword]]
            if any(p is None for p in options):
                return None
            chosen = [p for p in options if p is not None]
            parts.append(_disjunction(chosen) if keyword == "anyOf" else _conjunction(chosen))
    if "not" in schema:
        inner = predicate_of(schema["not"])
        if inner is None:
            return None
        parts.append(lambda v: not inner(v))
    if "if" in schema and "then" in schema:  # an `if` without `then` constrains nothing
        condition, consequence = predicate_of(schema["if"]), predicate_of(schema["then"])
        if condition is None or consequence is None:
            return None
        parts.append(lambda v: not condition(v) or consequence(v))
    return _conjunction(parts) if parts else (lambda _v: True)
