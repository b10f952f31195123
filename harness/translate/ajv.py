"""ajv as actions-core configures it: `coerceTypes: 'array'`, `removeAdditional`, `allErrors`.

Validation mutates the payload like ajv does: `"12.5"` becomes 12.5 for a number field, 12 becomes
`"12"` for a string field, `null` becomes `""`, a scalar becomes `[scalar]` for an array field and a
one-item array is unwrapped for a scalar field, and keys outside a closed object are deleted. Errors
are collected in ajv's order (type, then untyped keywords such as `enum`/`allOf`, then the string,
array and object keywords) and worded by @segment/ajv-human-errors (`Time must be a string or
number but it was an object.`). Two ajv quirks are kept: unwrapping a one-item array never succeeds
for a multi-type schema (the element is then coerced or reported), and after a failed unwrap the
remaining keywords look at the element.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.js import MISSING, js_number_to_string, utf16_len
from harness.translate.ajv_predicates import predicate_of
from harness.translate.ajv_support import (
    COERCIBLE,
    NO,
    article,
    coerce,
    escape_pointer,
    humanize_list,
    is_type,
    js_equal,
    type_of,
)
from harness.translate.formats import FORMAT_LABELS, FORMATS

__all__ = ["Validation", "Validator", "compile_schema"]

Errors = list[str] | None
_INFINITIES = (math.inf, -math.inf)


class Coercions:
    """What the coercions of one validation did that the caller must know (explicit, per call)."""

    __slots__ = ("nonfinite",)

    def __init__(self) -> None:
        self.nonfinite = False


_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
    "object": (dict,),
    "array": (list,),
}


def _characters(count: int) -> str:
    return "character" if count == 1 else "characters"


def _path(parent: str, key: str | None) -> str:
    return parent if key is None else f"{parent}/{escape_pointer(key)}"


class _Node:
    """One compiled schema node; `check` validates (and coerces) a value and reports errors.

    Paths are built only when an error is reported or a container is entered, and every keyword
    group is skipped when the schema has no keyword in it: valid payloads cost a few type checks.
    """

    __slots__ = (
        "additional_false",
        "all_of",
        "any_of",
        "coerce_to",
        "const",
        "enum",
        "enum_strings",
        "fmt",
        "fmt_fn",
        "if_",
        "int_float",
        "items",
        "length_limits",
        "limits",
        "max_length",
        "maximum",
        "min_length",
        "minimum",
        "not_",
        "predicate",
        "props",
        "py_types",
        "required",
        "simple",
        "then",
        "title",
        "types",
        "untyped",
    )

    def __init__(self, schema: dict[str, Any]) -> None:
        kind = schema.get("type")
        self.types: list[str] = [] if kind is None else (kind if isinstance(kind, list) else [kind])
        # Python types a value of this node may have without coercion; empty when the node is untyped.
        self.py_types: frozenset[type] = frozenset(t for name in self.types for t in _PY_TYPES[name])
        self.int_float = "integer" in self.types and "number" not in self.types
        self.coerce_to = [t for t in self.types if t in COERCIBLE]
        self.title: str | None = schema.get("title")
        self.enum: list[Any] | None = schema.get("enum")
        # Fast membership for the common all-strings enum (e.g. 178 currencies).
        self.enum_strings: frozenset[str] | None = (
            frozenset(self.enum) if self.enum and all(isinstance(v, str) for v in self.enum) else None
        )
        self.const: Any = schema.get("const", NO)
        self.fmt: str | None = schema.get("format")
        self.fmt_fn = FORMATS.get(self.fmt) if self.fmt else None
        self.minimum = schema.get("minimum")
        self.maximum = schema.get("maximum")
        self.limits = self.minimum is not None or self.maximum is not None
        self.min_length: int | None = schema.get("minLength")
        self.max_length: int | None = schema.get("maxLength")
        self.length_limits = self.min_length is not None or self.max_length is not None
        self.items = _Node(schema["items"]) if "items" in schema else None
        self.props = {k: _Node(v) for k, v in schema["properties"].items()} if "properties" in schema else None
        self.required: list[str] = schema.get("required", [])
        self.additional_false = schema.get("additionalProperties") is False
        self.all_of = [_Node(s) for s in schema.get("allOf", [])]
        self.any_of = [_Node(s) for s in schema["anyOf"]] if "anyOf" in schema else None
        self.not_ = _Node(schema["not"]) if "not" in schema else None
        self.if_ = _Node(schema["if"]) if "if" in schema else None
        self.then = _Node(schema["then"]) if "then" in schema else None
        self.untyped = bool(
            self.enum is not None or self.const is not NO or self.not_ or self.any_of or self.all_of or self.if_
        )
        self.predicate = predicate_of(schema)
        # A plain typed leaf: a value of the right type is valid, nothing to coerce or look into.
        self.simple = (
            bool(self.py_types)
            and not self.untyped
            and self.fmt_fn is None
            and not self.limits
            and not self.length_limits
            and self.items is None
            and self.props is None
            and not self.required
        )

    def _fail(self, errors: Errors, path: str, text: str, *, own_title: bool = True) -> None:
        if errors is None:
            return
        if own_title and self.title:
            preamble = self.title
        elif path == "":
            preamble = "the root value"
        else:
            preamble = f"the value at {path}"
        message = f"{preamble} {text}"
        errors.append(message[:1].upper() + message[1:] + ".")

    def _coerce_type(
        self, value: Any, parent: str, key: str | None, errors: Errors, seen: Coercions
    ) -> tuple[bool, Any, Any]:
        """ajv's type check with coercion; returns (valid, value seen from now on, value to store)."""
        coerced: Any = NO
        if self.coerce_to and type(value) is list and len(value) == 1:
            value = value[0]
            if len(self.types) == 1 and is_type(self.types[0], value):
                coerced = value
        if coerced is NO:
            for kind in self.coerce_to:
                coerced = coerce(kind, value)
                if coerced is not NO:
                    break
        if coerced is NO:
            expected = humanize_list(self.types, "or")
            self._fail(
                errors,
                _path(parent, key),
                f"must be {article(expected)} {expected} but it was {type_of(value)}",
            )
            return False, value, NO
        if type(coerced) is float and coerced in _INFINITIES:
            seen.nonfinite = True
        return True, coerced, coerced

    def _untyped(self, value: Any, parent: str, key: str | None, errors: Errors, seen: Coercions) -> bool:
        ok = True
        if self.const is not NO and not js_equal(value, self.const):
            if errors is None:
                return False
            ok = False
            self._fail(errors, _path(parent, key), "must be equal to constant")
        if self.enum is not None and not (
            (type(value) is str and value in self.enum_strings)
            if self.enum_strings is not None
            else any(js_equal(value, option) for option in self.enum)
        ):
            if errors is None:
                return False
            ok = False
            allowed = humanize_list([json.dumps(v, ensure_ascii=False) for v in self.enum], "or")
            self._fail(errors, _path(parent, key), f"must be one of: {allowed}")
        if self.not_ is not None and self.not_.check(value, parent, key, None, seen)[0]:
            if errors is None:
                return False
            ok = False
            self._fail(errors, _path(parent, key), "must NOT be valid")
        if self.any_of is not None and not any(node.check(value, parent, key, None, seen)[0] for node in self.any_of):
            if errors is None:
                return False
            ok = False
            self._fail(errors, _path(parent, key), "must match a schema in anyOf")
        for node in self.all_of:
            if not node.check(value, parent, key, errors, seen)[0]:
                if errors is None:
                    return False
                ok = False
        if (
            self.if_ is not None
            and self.then is not None
            and self.if_.check(value, parent, key, None, seen)[0]
            and not self.then.check(value, parent, key, errors, seen)[0]
        ):
            if errors is None:
                return False
            ok = False
            self._fail(errors, _path(parent, key), 'must match "then" schema', own_title=False)
        return ok

    def check(self, value: Any, parent: str, key: str | None, errors: Errors, seen: Coercions) -> tuple[bool, Any]:
        """Validate `value` found at `parent`/`key`; returns (valid, value to store or `NO`)."""
        if errors is None and self.predicate is not None:
            return self.predicate(value), NO
        ok = True
        store: Any = NO
        kind = type(value)
        if (
            self.py_types
            and kind not in self.py_types
            and not (kind is float and self.int_float and value.is_integer())
        ):
            ok, value, store = self._coerce_type(value, parent, key, errors, seen)
            if not ok and errors is None:
                return False, store
            kind = type(value)
        if self.untyped and not self._untyped(value, parent, key, errors, seen):
            ok = False
            if errors is None:
                return False, store
        if kind is str:
            if self.length_limits and not self._check_length(value, parent, key, errors):
                ok = False
                if errors is None:
                    return False, store
            if self.fmt_fn is not None and not self.fmt_fn(value):
                ok = False
                if errors is None:
                    return False, store
                label = FORMAT_LABELS.get(self.fmt or "", self.fmt)
                self._fail(errors, _path(parent, key), f"must be a valid {label} string but it was not")
        elif kind is dict:
            if self.props is not None or self.required:
                ok = self._check_object(value, _path(parent, key), errors, seen) and ok
        elif kind is list:
            if self.items is not None:
                here = _path(parent, key)
                item_node = self.items
                for index, item in enumerate(value):
                    if item_node.simple and type(item) in item_node.py_types:
                        continue
                    valid, new = item_node.check(item, here, str(index), errors, seen)
                    if new is not NO:
                        value[index] = new
                    if not valid:
                        ok = False
                        if errors is None:
                            return False, store
        elif (kind is int or kind is float) and self.limits:
            if self.maximum is not None and value > self.maximum:
                ok = False
                self._fail(
                    errors,
                    _path(parent, key),
                    f"must be equal to or less than {js_number_to_string(self.maximum)}",
                )
            if self.minimum is not None and value < self.minimum:
                ok = False
                self._fail(
                    errors,
                    _path(parent, key),
                    f"must be equal to or greater than {js_number_to_string(self.minimum)}",
                )
        return ok, store

    def _check_length(self, value: str, parent: str, key: str | None, errors: Errors) -> bool:
        """ajv `maxLength` then `minLength`: code points are counted, the message says `data.length`."""
        size = len(value)
        if self.max_length is not None and size > self.max_length:
            limit, side = self.max_length, "fewer"
        elif self.min_length is not None and size < self.min_length:
            limit, side = self.min_length, "more"
        else:
            return True
        actual = utf16_len(value)
        text = f"must be {limit} {_characters(limit)} or {side} but it was {actual} {_characters(actual)}"
        self._fail(errors, _path(parent, key), text)
        return False

    def _check_object(self, value: dict[str, Any], path: str, errors: Errors, seen: Coercions) -> bool:
        ok = True
        for key in self.required:
            if key not in value:  # payload objects never hold undefined values
                ok = False
                if errors is None:
                    return False
                self._fail(errors, path, f"is missing the required field '{key}'")
        props = self.props
        if props is None:
            return ok
        if self.additional_false and not value.keys() <= props.keys():
            for key in [k for k in value if k not in props]:
                del value[key]
        if errors is None:
            # Nothing is reported: the order of the properties does not matter, so walk the
            # (usually shorter) object instead of the schema.
            for key, item in value.items():
                node = props.get(key)
                if node is None or (node.simple and type(item) in node.py_types):
                    continue
                valid, new = node.check(item, path, key, None, seen)
                if new is not NO:
                    value[key] = new
                if not valid:
                    return False
            return ok
        for key, node in props.items():
            item = value.get(key, MISSING)
            if item is MISSING or (node.simple and type(item) in node.py_types):
                continue
            valid, new = node.check(item, path, key, errors, seen)
            if new is not NO:
                value[key] = new
            if not valid:
                ok = False
        return ok


# The valid-path validator: each node compiled once into a closure that does what `check(...,
# errors=None)` does, in the same order and with the same mutations, but with only the keywords the
# node has (a few type checks for a valid payload). Anything unusual (a coercion, anyOf/not/const, a
# node without a type) goes through `check` itself. A closure returns `NO` (valid, nothing to
# store), a value to store (valid), `_FAILED` or a `_Failed(store)` (invalid; the caller stores what
# `check` would have stored before returning invalid).
Fast = Callable[[Any, Coercions], Any]


class _Failed:
    __slots__ = ("store",)

    def __init__(self, store: Any) -> None:
        self.store = store


_FAILED = _Failed(NO)


def _slow(node: _Node) -> Fast:
    check = node.check

    def slow(value: Any, seen: Coercions) -> Any:
        ok, store = check(value, "", None, None, seen)
        if ok:
            return store
        return _FAILED if store is NO else _Failed(store)

    return slow


def _entry(node: _Node) -> tuple[Fast, frozenset[type] | None]:
    """A child's closure, and the types for which it is a no-op (`simple` nodes)."""
    return _fast(node), (node.py_types if node.simple else None)


def _fast(node: _Node) -> Fast:
    """The node's valid-path closure (see above)."""
    if node.predicate is not None:
        predicate = node.predicate
        return lambda value, _seen: NO if predicate(value) else _FAILED
    if not node.py_types or node.any_of is not None or node.not_ is not None or node.const is not NO:
        return _slow(node)
    slow = _slow(node)
    py_types = node.py_types
    int_float = node.int_float
    untyped = node.untyped
    enum_strings = node.enum_strings
    only_enum = untyped and enum_strings is not None and not (node.all_of or node.if_)
    only_all_of = untyped and node.enum is None and node.if_ is None and bool(node.all_of)
    all_of = [_fast(part) for part in node.all_of]
    check_untyped = node._untyped
    length_limits = node.length_limits
    check_length = node._check_length
    fmt_fn = node.fmt_fn
    limits = node.limits
    maximum, minimum = node.maximum, node.minimum
    required = tuple(node.required)
    props = {k: _entry(n) for k, n in node.props.items()} if node.props is not None else None
    prop_keys = node.props.keys() if node.props is not None else None
    additional_false = node.additional_false
    objects = props is not None or bool(required)
    items = _entry(node.items) if node.items is not None else None

    def fast(value: Any, seen: Coercions) -> Any:
        kind = type(value)
        if kind not in py_types and not (kind is float and int_float and value.is_integer()):
            return slow(value, seen)
        if untyped:
            if only_enum and kind is str:
                if value not in enum_strings:  # type: ignore[operator]
                    return _FAILED
            elif only_all_of:
                for part in all_of:
                    if type(part(value, seen)) is _Failed:
                        return _FAILED
            elif not check_untyped(value, "", None, None, seen):
                return _FAILED
        if kind is str:
            if length_limits and not check_length(value, "", None, None):
                return _FAILED
            if fmt_fn is not None and not fmt_fn(value):
                return _FAILED
        elif kind is dict:
            if objects:
                for key in required:
                    if key not in value:
                        return _FAILED
                if props is not None:
                    if additional_false and not value.keys() <= prop_keys:
                        for key in [k for k in value if k not in props]:
                            del value[key]
                    for key, item in value.items():
                        entry = props.get(key)
                        if entry is None:
                            continue
                        child, noop = entry
                        if noop is not None and type(item) in noop:
                            continue
                        result = child(item, seen)
                        if result is NO:
                            continue
                        if type(result) is _Failed:
                            if result.store is not NO:
                                value[key] = result.store
                            return _FAILED
                        value[key] = result
        elif kind is list:
            if items is not None:
                child, noop = items
                for index, item in enumerate(value):
                    if noop is not None and type(item) in noop:
                        continue
                    result = child(item, seen)
                    if result is NO:
                        continue
                    if type(result) is _Failed:
                        if result.store is not NO:
                            value[index] = result.store
                        return _FAILED
                    value[index] = result
        elif (
            limits
            and (kind is int or kind is float)
            and ((maximum is not None and value > maximum) or (minimum is not None and value < minimum))
        ):
            return _FAILED
        return NO

    return fast


@dataclass(frozen=True, slots=True)
class Validation:
    """What validating one payload found: ajv's error messages, and whether a coercion made Infinity.

    `"1e999"` coerced for a number field is Infinity, which JSON cannot hold: `JSON.stringify` writes
    it as null, so the request layer must know to convert it.
    """

    errors: tuple[str, ...] = ()
    nonfinite: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


_VALID = Validation()
_VALID_NONFINITE = Validation(nonfinite=True)

Validator = Callable[[dict[str, Any]], Validation]


def compile_schema(schema: dict[str, Any]) -> Validator:
    """A validator for an object schema: mutates the object like ajv, returns a `Validation`.

    Before validating, top-level array fields get `arrify` (actions-core's `arrifyFields`).
    """
    root = _Node(schema)
    root_fast = _fast(root)
    array_keys = [k for k, node in (root.props or {}).items() if node.types == ["array"]]

    def validate(payload: dict[str, Any]) -> Validation:
        for key in array_keys:
            item = payload.get(key, MISSING)
            if item is not MISSING and item is not None and type(item) is not list:
                payload[key] = [item]
        seen = Coercions()
        if type(root_fast(payload, seen)) is not _Failed:
            return _VALID_NONFINITE if seen.nonfinite else _VALID
        errors: list[str] = []  # invalid: walk again in schema order to word every error like ajv
        root.check(payload, "", None, errors, seen)
        return Validation(tuple(errors), seen.nonfinite)

    return validate
