"""mapping-kit's static check of a mapping, with Segment's own messages and their order.

Segment validates a mapping before resolving it and reports every problem at once as an
`AggregateError` of `ValidationError`s such as `/name/@path should be a string or a mapping
directive but it is an object.` Only objects and directives are walked; arrays are not.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from harness.js import MISSING, js_type, utf16_len
from harness.translate.errors import MappingValidationError

__all__ = ["validate_mapping"]

Stack = list[str]
Table = dict[str, "Check"]
Check = Callable[[Any, Stack, Table], None]


class _Problem(Exception):
    def __init__(self, message: str, stack: Stack) -> None:
        super().__init__(f"/{'/'.join(stack)} {message}.")
        self.text = f"/{'/'.join(stack)} {message}."


class _Problems(Exception):
    def __init__(self, problems: list[_Problem]) -> None:
        super().__init__(len(problems))
        self.problems = problems


def _article(kind: str) -> str:
    return "an" if kind[:1] in ("a", "e", "i", "o", "u") else "a"


def _kind(value: Any) -> str:
    kind = js_type(value)
    if kind == "object" and any(k.startswith("@") for k in value):
        return "directive"
    return kind


def _flat(errors: list[Exception]) -> list[_Problem]:
    out: list[_Problem] = []
    for error in errors:
        if isinstance(error, _Problems):
            out.extend(error.problems)
        elif isinstance(error, _Problem):
            out.append(error)
    return out


def _directive_or_raw(value: Any, stack: Stack, table: Table) -> None:
    kind = _kind(value)
    if kind == "directive":
        _directive(value, stack, table)
    elif kind not in ("object", "array", "boolean", "string", "number", "null"):
        raise _Problem(f"should be a mapping directive or a JSON value but it is {_article(kind)} {kind}", stack)


def _directive_or_string(value: Any, stack: Stack, table: Table) -> None:
    kind = _kind(value)
    if kind == "directive":
        _directive(value, stack, table)
    elif kind != "string":
        raise _Problem(f"should be a string or a mapping directive but it is {_article(kind)} {kind}", stack)


def _directive_or_object(value: Any, stack: Stack, table: Table) -> None:
    kind = _kind(value)
    if kind == "directive":
        _directive(value, stack, table)
    elif kind == "object":
        _object(value, stack, table)
    else:
        raise _Problem(f"should be a object or a mapping directive but it is {_article(kind)} {kind}", stack)


def _string(value: Any, stack: Stack, table: Table) -> None:
    kind = _kind(value)
    if kind != "string":
        raise _Problem(f"should be a string but it is {_article(kind)} {kind}", stack)


def _length(low: int, high: int) -> Check:
    def check(value: Any, stack: Stack, table: Table) -> None:
        if isinstance(value, str) and utf16_len(value) < low:
            raise _Problem(f"should be a string of length {low} or greater", stack)
        if isinstance(value, str) and utf16_len(value) > high:
            raise _Problem(f"should be a string of length {high} or less", stack)

    return check


def _allowed(*allowed: str) -> Check:
    def check(value: Any, stack: Stack, table: Table) -> None:
        _string(value, stack, table)
        if value.lower() not in allowed:
            raise _Problem(
                f"should be one of {', '.join(allowed)} but it is {json.dumps(value, ensure_ascii=False)}",
                stack,
            )

    return check


def _boolean(value: Any, stack: Stack, table: Table) -> None:
    kind = _kind(value)
    if kind != "boolean":
        raise _Problem(f"should be a boolean but it is {_article(kind)} {kind}", stack)


def _array(value: Any, stack: Stack, table: Table) -> None:
    kind = js_type(value)
    if kind != "array":
        raise _Problem(f"should be an array but it is {_article(kind)} {kind}", stack)


def _chain(*checks: Check) -> Check:
    def check(value: Any, stack: Stack, table: Table) -> None:
        for one in checks:
            one(value, stack, table)

    return check


def _object(value: Any, stack: Stack, table: Table) -> None:
    kind = _kind(value)
    if kind != "object":
        raise _Problem(f"should be an object but it is {_article(kind)} {kind}", stack)
    errors: list[Exception] = []
    for key, item in value.items():
        try:
            _validate(item, [*stack, key], table)
        except (_Problem, _Problems) as error:
            errors.append(error)
    if errors:
        raise _Problems(_flat(errors))


Fields = dict[str, tuple[str, Check]]


def _with_fields(value: Any, fields: Fields, stack: Stack, table: Table) -> None:
    _object(value, stack, table)
    errors: list[Exception] = []
    for prop, (presence, check) in fields.items():
        try:
            item = value.get(prop, MISSING)
            if presence == "required":
                if item is MISSING:
                    raise _Problem(f"should have field {json.dumps(prop)} but it doesn't", stack)
                check(item, [*stack, prop], table)
            elif item is not MISSING:
                check(item, [*stack, prop], table)
        except (_Problem, _Problems) as error:
            errors.append(error)
    if errors:
        raise _Problems(_flat(errors))


def _merge(value: Any, stack: Stack, table: Table) -> None:
    _with_fields(
        value,
        {"direction": ("optional", _allowed("left", "right")), "objects": ("required", _array)},
        stack,
        table,
    )
    for item in value["objects"]:
        _directive_or_object(item, [], table)


def _array_path(value: Any, stack: Stack, table: Table) -> None:
    _array(value, stack, table)
    _directive_or_string(value[0] if value else MISSING, stack, table)
    _validate(value[1] if len(value) > 1 else MISSING, stack, table)


DIRECTIVE_CHECKS: dict[str, Check] = {
    "@if": lambda v, s, t: _with_fields(
        v,
        {
            "exists": ("optional", _directive_or_raw),
            "then": ("optional", _directive_or_raw),
            "else": ("optional", _directive_or_raw),
        },
        s,
        t,
    ),
    "@case": lambda v, s, t: _with_fields(
        v, {"operator": ("optional", _string), "value": ("optional", _directive_or_string)}, s, t
    ),
    "@replace": lambda v, s, t: _with_fields(
        v,
        {
            "pattern": ("required", _chain(_string, _length(1, 10))),
            "replacement": ("optional", _chain(_string, _length(0, 10))),
            "value": ("required", _directive_or_string),
            "ignorecase": ("optional", _boolean),
            "global": ("optional", _boolean),
        },
        s,
        t,
    ),
    "@arrayPath": _array_path,
    "@path": _directive_or_string,
    "@json": lambda v, s, t: _with_fields(
        v, {"value": ("required", _directive_or_raw), "mode": ("required", _allowed("encode", "decode"))}, s, t
    ),
    "@flatten": lambda v, s, t: _with_fields(
        v, {"separator": ("optional", _string), "value": ("required", _directive_or_raw)}, s, t
    ),
    "@merge": _merge,
    "@template": _directive_or_string,
    "@literal": _directive_or_raw,
    "@transform": lambda v, s, t: _with_fields(
        v, {"apply": ("required", _directive_or_object), "mapping": ("required", _directive_or_object)}, s, t
    ),
    "@excludeWhenNull": _directive_or_raw,
    "@liquid": _string,
}


def _directive(value: dict[str, Any], stack: Stack, table: Table) -> None:
    keys = list(value)
    directive_keys = [k for k in keys if k.startswith("@")]
    if len(directive_keys) > 1:
        raise _Problem(f"should only have one @-prefixed key but it has {len(directive_keys)} keys", stack)
    if any(not k.startswith("@") and k != "_metadata" for k in keys):
        raise _Problem(f"should only have one @-prefixed key but it has {len(keys)} keys", stack)
    name = directive_keys[0]
    check = table.get(name)
    if check is None:
        raise _Problem(f"has an invalid directive: {name}", stack)
    inner = [*stack, name]
    try:
        check(value[name], inner, table)
    except (_Problem, _Problems):
        raise
    except (AttributeError, TypeError, IndexError, KeyError) as error:  # pragma: no cover - defensive
        raise _Problem(str(error), stack) from error


def _validate(value: Any, stack: Stack, table: Table) -> None:
    kind = _kind(value)
    if kind == "directive":
        _directive(value, stack, table)
    elif kind == "object":
        _object(value, stack, table)
    elif kind == "array":
        _array(value, stack, table)


def validate_mapping(mapping: Any, *, liquid: bool = True) -> None:
    """Raise `MappingValidationError` (Segment's `AggregateError`) when the mapping is malformed.

    `liquid=False` is actions-core before `@liquid` existed (3.153): it is then an invalid directive.
    """
    try:
        _validate(mapping, [], DIRECTIVE_CHECKS if liquid else _WITHOUT_LIQUID)
    except _Problems as error:
        raise MappingValidationError([p.text for p in error.problems]) from None
    except _Problem as error:
        raise MappingValidationError([error.text], single=True) from None


_WITHOUT_LIQUID: Table = {name: check for name, check in DIRECTIVE_CHECKS.items() if name != "@liquid"}
