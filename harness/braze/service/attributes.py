"""Custom attribute values and operations, as Braze reads them (custom_attributes.md and its children).

A value is compiled once into an operation, then applied to a profile under the store lock:
- scalars set; `null` removes; strings and keys longer than 255 characters are not applied ("String
  attributes can be up to 255 characters long"; Braze's sync FAQ: an over-long update "silently" does
  not apply);
- `{"inc": n}` increments (a missing or non-numeric value counts from 0);
- scalar arrays are de-duplicated ("['hotdog','hotdog','pizza'] -> ['hotdog','pizza']"), capped at the
  workspace's maximum (default 25): a longer array is truncated, and `{"add": [...]}` past the cap drops
  the oldest element ("the first movie will be removed"); adding an existing element moves it to the end;
  `{"add"}`/`{"remove"}` (and, undocumented for scalars, `$add`/`$remove`) modify the array;
- nested objects replace the old value, or deep-merge with `"_merge_objects": true`; arrays of objects
  take `$add`, `$remove` (every match of `$identifier_key`/`$identifier_value`) and `$update`;
  `{"$time": ...}` marks a date. Nested values follow nested_custom_attribute_support.md: at most 100 KB,
  keys without `.`, `$` or spaces, no nulls, valid `$time`; "When a nested custom attribute contains any
  invalid values … all nested custom attribute updates in the request will be dropped".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from harness.braze.model.notes import Code
from harness.braze.service.limits import MAX_NESTED_BYTES, MAX_NESTED_DEPTH, MAX_STRING, MAX_YEAR
from harness.braze.service.values import parse_time

__all__ = ["AttributeOp", "apply_op", "compile_value"]

_SCALARS = (str, int, float, bool)
_ARRAY_OP_KEYS = frozenset({"add", "remove", "$add", "$remove"})
_OBJECT_ARRAY_OP_KEYS = frozenset({"$add", "$remove", "$update"})
_MIXED_ARRAY = (Code.VALUE_INVALID, "an array custom attribute must hold only scalars or only objects")
_BAD_TIME = (Code.VALUE_INVALID, "'$time' is not a valid time")


@dataclass(slots=True)
class AttributeOp:
    """What to do to one custom attribute. `problem` set means: not applied, with this warning."""

    key: str
    kind: str  # set | unset | inc | array | object | object_array
    value: Any = None
    add: tuple[Any, ...] = ()
    remove: tuple[Any, ...] = ()
    nested: bool = False
    merge: bool = False
    problem: str | None = None
    problem_code: Code = Code.VALUE_INVALID
    """What kind of problem `problem` is (a Braze limit, or a value Braze cannot read)."""


Problem = tuple[Code, str]
"""Why a value is not applied: a note code and a reason."""


def _refused(key: str, problem: Problem, kind: str = "set") -> AttributeOp:
    return AttributeOp(key, kind, problem=problem[1], problem_code=problem[0])


def _nested(key: str, kind: str, value: Any, problem: Problem | None, merge: bool = False) -> AttributeOp:
    op = AttributeOp(key, kind, value, nested=True, merge=merge)
    if problem is not None:
        op.problem_code, op.problem = problem
    return op


def compile_value(key: str, value: Any, *, merge_objects: bool) -> AttributeOp:
    """Read one custom attribute entry of an attributes object."""
    if len(key) > MAX_STRING:
        return _refused(
            key, (Code.LIMIT_STRING_LENGTH, f"custom attribute key is {len(key)} characters; the limit is {MAX_STRING}")
        )
    if value is None:
        return AttributeOp(key, "unset")
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            return _refused(
                key, (Code.LIMIT_STRING_LENGTH, f"string value is {len(value)} characters; the limit is {MAX_STRING}")
            )
        return AttributeOp(key, "set", value)
    if isinstance(value, _SCALARS):
        return AttributeOp(key, "set", value)
    if isinstance(value, list):
        return _compile_array(key, value)
    return _compile_object(key, value, merge_objects)


def _compile_array(key: str, items: list[Any]) -> AttributeOp:
    if items and type(items[0]) is dict:
        if all(type(item) is dict for item in items):
            return _nested(key, "set", items, _nested_problem(items))
        return _refused(key, _MIXED_ARRAY)
    for item in items:
        kind = type(item)
        if kind is str:
            if len(item) > MAX_STRING:
                return _refused(key, (Code.LIMIT_STRING_LENGTH, f"array element longer than {MAX_STRING} characters"))
        elif kind is not int and kind is not float and kind is not bool:
            return _refused(key, _MIXED_ARRAY)
    return AttributeOp(key, "array", tuple(_unique(items)))


def _compile_object(key: str, value: dict[str, Any], merge_objects: bool) -> AttributeOp:
    keys = value.keys()
    if len(value) == 1 and "inc" in value:
        amount = value["inc"]
        if isinstance(amount, (int, float)) and not isinstance(amount, bool):
            return AttributeOp(key, "inc", amount)
        return _refused(key, (Code.VALUE_INVALID, "'inc' must be a number"), "inc")
    if len(value) == 1 and "$time" in value:
        if isinstance(value["$time"], str) and parse_time(value["$time"]):
            return AttributeOp(key, "set", value["$time"])
        return _refused(key, _BAD_TIME)
    if keys and keys <= _ARRAY_OP_KEYS and all(isinstance(v, list) for v in value.values()):
        changes = [
            *value.get("add", ()),
            *value.get("$add", ()),
            *value.get("remove", ()),
            *value.get("$remove", ()),
        ]
        if all(isinstance(item, _SCALARS) for item in changes):
            add = (*value.get("add", ()), *value.get("$add", ()))
            remove = (*value.get("remove", ()), *value.get("$remove", ()))
            return AttributeOp(key, "array", add=tuple(add), remove=tuple(remove))
    if keys and keys <= _OBJECT_ARRAY_OP_KEYS and all(isinstance(v, list) for v in value.values()):
        return _nested(key, "object_array", value, _object_array_problem(value))
    return _nested(key, "object", value, _nested_problem(value), merge=merge_objects)


def _object_array_problem(ops: dict[str, list[Any]]) -> Problem | None:
    for item in ops.get("$remove", ()):
        if not (isinstance(item, dict) and "$identifier_key" in item and "$identifier_value" in item):
            return Code.VALUE_INVALID, "'$remove' items need '$identifier_key' and '$identifier_value'"
    for item in ops.get("$update", ()):
        if not (isinstance(item, dict) and {"$identifier_key", "$identifier_value", "$new_object"} <= item.keys()):
            return Code.VALUE_INVALID, "'$update' items need '$identifier_key', '$identifier_value' and '$new_object'"
        if problem := _nested_problem(item["$new_object"]):
            return problem
    return _nested_problem(ops.get("$add", []))


def _nested_problem(value: Any) -> Problem | None:
    """Why a nested value is invalid for Braze, or None."""
    try:
        size = len(orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError):
        return Code.LIMIT_NESTED, "nested custom attribute is nested too deeply"
    if size > MAX_NESTED_BYTES:
        return (
            Code.LIMIT_NESTED,
            f"nested custom attribute is {size:,} bytes; the limit is {MAX_NESTED_BYTES // 1024} KB",
        )
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTED_DEPTH:
            return Code.LIMIT_NESTED, f"nested custom attribute is deeper than {MAX_NESTED_DEPTH} levels"
        if isinstance(node, dict):
            if len(node) == 1 and "$time" in node:
                if problem := _nested_time_problem(node["$time"]):
                    return problem
                continue
            for child_key, child in node.items():
                if "." in child_key or "$" in child_key or " " in child_key:
                    return Code.VALUE_INVALID, f"nested key {child_key!r} contains '.', '$' or a space"
                if len(child_key) > MAX_STRING:
                    return Code.LIMIT_STRING_LENGTH, f"nested key longer than {MAX_STRING} characters"
                stack.append((child, depth + 1))
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
        elif node is None:
            return Code.VALUE_INVALID, "nested custom attribute contains a null value"
        elif isinstance(node, str) and len(node) > MAX_STRING:
            return Code.LIMIT_STRING_LENGTH, f"nested string value longer than {MAX_STRING} characters"
    return None


_YEAR = re.compile(r"^\s*(-?\d+)-")


def _nested_time_problem(value: Any) -> Problem | None:
    """A `$time` inside a nested value: invalid (the whole request's nested updates drop), or out of Braze's
    years ("For nested custom attributes, if the year is less than 0 or greater than 3000, Braze doesn't store
    these values on the user", nested_custom_attribute_support.md): this attribute is not stored."""
    year = _YEAR.match(value) if isinstance(value, str) else None
    if year is not None and not 0 <= int(year.group(1)) <= MAX_YEAR:
        return Code.VALUE_NOT_SET, f"'$time' {value!r} is outside years 0-{MAX_YEAR}; Braze doesn't store it"
    if not (isinstance(value, str) and parse_time(value)):
        return _BAD_TIME
    return None


def _unique(items: Any) -> list[Any]:
    seen: dict[Any, None] = {}
    for item in items:
        seen.setdefault((type(item), item), None)
    return [item for _, item in seen]


def apply_op(attributes: dict[str, Any], op: AttributeOp, array_cap: int) -> None:
    """Apply a compiled, valid operation to a profile's custom attributes."""
    key = op.key
    if op.kind == "set":
        attributes[key] = op.value
    elif op.kind == "unset":
        attributes.pop(key, None)
    elif op.kind == "inc":
        current = attributes.get(key)
        numeric = isinstance(current, (int, float)) and not isinstance(current, bool)
        attributes[key] = (current if numeric else 0) + op.value
    elif op.kind == "array":
        _apply_array(attributes, op, array_cap)
    elif op.kind == "object":
        current = attributes.get(key)
        attributes[key] = _deep_merge(current, op.value) if op.merge and isinstance(current, dict) else op.value
    elif op.kind == "object_array":
        attributes[key] = _apply_object_array(attributes.get(key), op.value)


def _apply_array(attributes: dict[str, Any], op: AttributeOp, cap: int) -> None:
    if op.value is not None:  # a whole new array: truncated to the cap
        attributes[op.key] = list(op.value[:cap])
        return
    current = attributes.get(op.key)
    items = list(current) if isinstance(current, list) else []
    for item in op.add:
        items = [i for i in items if not (type(i) is type(item) and i == item)]
        items.append(item)
    removed = {(type(i), i) for i in op.remove}
    items = [i for i in items if (type(i), i) not in removed]
    attributes[op.key] = items[-cap:] if len(items) > cap else items


def _apply_object_array(current: Any, ops: dict[str, list[Any]]) -> list[Any]:
    items = [dict(i) for i in current if isinstance(i, dict)] if isinstance(current, list) else []
    items.extend(ops.get("$add", ()))
    for matcher in ops.get("$remove", ()):
        key, value = matcher["$identifier_key"], matcher["$identifier_value"]
        items = [i for i in items if i.get(key) != value]
    for update in ops.get("$update", ()):
        key, value = update["$identifier_key"], update["$identifier_value"]
        items = [_deep_merge(i, update["$new_object"]) if i.get(key) == value else i for i in items]
    return items


def _deep_merge(base: Any, patch: Any) -> Any:
    if not (isinstance(base, dict) and isinstance(patch, dict)):
        return patch
    merged = dict(base)
    for key, value in patch.items():
        merged[key] = _deep_merge(merged.get(key), value)
    return merged
