"""Segment's mapping-kit: a mapping (fields of directives) compiled once into a resolver function.

`compile_mapping(mapping)` validates the mapping like Segment does, then turns every node into a
closure so that resolving an event costs a few dictionary lookups. Supported directives: `@path`,
`@if` (`exists`/`blank`, `then`, `else`), `@template`, `@literal`, `@case`, `@replace`,
`@arrayPath`, `@merge`, `@json`, `@flatten`, `@transform` and `@excludeWhenNull`; `@liquid` raises
`UnsupportedDirectiveError`. Runtime failures raise Segment's plain `Error` messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.js import (
    MISSING,
    js_json_dumps,
    js_loose_equals_empty_string,
    js_string,
    js_truthy,
    js_type,
    json_parse,
    v8_json_error,
)
from harness.translate.errors import JSError, SegmentError, UnsupportedDirectiveError
from harness.translate.mapping_ops import assign, clean_nulls, flatten, js_replace
from harness.translate.mapping_validate import validate_mapping
from harness.translate.paths import compile_path, render_template

__all__ = ["CURRENT_KIT", "MappingKit", "Resolver", "compile_mapping", "is_directive"]

Resolver = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class MappingKit:
    """What differs between the mapping-kits of the actions-core versions the harness reproduces.

    `liquid`: `@liquid` exists (3.170; the harness raises UnsupportedDirectiveError for it); before
    (3.153) it is an invalid directive. `json_decode_throws`: `@json` decode of text that is not JSON
    throws V8's SyntaxError (3.153) instead of returning the text (3.170).
    """

    liquid: bool = True
    json_decode_throws: bool = False


CURRENT_KIT = MappingKit()


def _error(message: str) -> JSError:
    return JSError("Error", message)


def is_directive(node: Any) -> bool:
    """mapping-kit `isDirective`: an object whose keys are all `@`-prefixed (or `_metadata`)."""
    if type(node) is not dict or not node:
        return False
    has_directive = False
    for key in node:
        if key.startswith("@"):
            has_directive = True
        elif key != "_metadata":
            return False
    return has_directive


def _compile(node: Any, kit: MappingKit) -> Resolver:
    if type(node) is dict:
        if is_directive(node):
            name = next(k for k in node if k.startswith("@"))
            builder = _BUILDERS.get(name)
            if builder is None:
                message = f"{name} is not a valid directive, got undefined"

                def invalid(_data: Any) -> Any:
                    raise _error(message)

                return invalid
            return builder(node[name], kit)
        items = [(key, _compile(value, kit)) for key, value in node.items()]

        def resolve_object(data: Any) -> Any:
            out = {}
            for key, resolver in items:
                value = resolver(data)
                if value is not MISSING:
                    out[key] = value
            return out

        return resolve_object
    if type(node) is list:
        resolvers = [_compile(value, kit) for value in node]

        def resolve_array(data: Any) -> Any:
            values = [resolver(data) for resolver in resolvers]
            return [None if v is MISSING else v for v in values]

        return resolve_array
    return lambda _data: node


def _string_directive(name: str, value: Any, fn: Callable[[str, Any], Any], kit: MappingKit) -> Resolver:
    if isinstance(value, str):
        constant = value
        return lambda data: fn(constant, data)
    inner = _compile(value, kit)

    def resolve(data: Any) -> Any:
        text = inner(data)
        if not isinstance(text, str):
            raise _error(f"{name}: expected string, got {js_type(text)}")
        return fn(text, data)

    return resolve


def _build_path(value: Any, kit: MappingKit) -> Resolver:
    if isinstance(value, str):
        return compile_path(value)
    inner = _compile(value, kit)

    def resolve(data: Any) -> Any:
        path = inner(data)
        if not isinstance(path, str):
            raise _error(f"@path: expected string, got {js_type(path)}")
        return compile_path(path)(data)

    return resolve


def _build_template(value: Any, kit: MappingKit) -> Resolver:
    return _string_directive("@template", value, render_template, kit)


def _build_literal(value: Any, kit: MappingKit) -> Resolver:
    return _compile(value, kit)


def _build_if(opts: Any, kit: MappingKit) -> Resolver:
    if type(opts) is not dict:
        return _raiser('@if requires an object with an "exists" key')
    if not js_truthy(opts.get("exists", MISSING)) and not js_truthy(opts.get("blank", MISSING)):
        return _raiser('@if requires an "exists" key or a "blank" key')
    use_exists = "exists" in opts
    condition_of = _compile(opts["exists"] if use_exists else opts["blank"], kit)
    then = _compile(opts["then"], kit) if "then" in opts else None
    otherwise = _compile(opts["else"], kit) if js_truthy(opts.get("else", MISSING)) else None
    if use_exists and then is not None and _same_path(opts["exists"], opts["then"]):
        # `{"exists": {"@path": p}, "then": {"@path": p}, ...}` (Segment's defaults say it often):
        # resolving the same path twice gives the same value, so the condition's value is the answer.
        fallback = otherwise

        def resolve_same(data: Any) -> Any:
            value = condition_of(data)
            if value is not MISSING and value is not None:
                return value
            return fallback(data) if fallback is not None else MISSING

        return resolve_same

    def resolve(data: Any) -> Any:
        value = condition_of(data)
        if use_exists:
            condition = value is not MISSING and value is not None
        else:
            condition = value is not MISSING and value is not None and not js_loose_equals_empty_string(value)
        if condition and then is not None:
            return then(data)
        if not condition and otherwise is not None:
            return otherwise(data)
        return MISSING

    return resolve


def _same_path(a: Any, b: Any) -> bool:
    """Two `@path` directives with the same literal path string."""
    return (
        type(a) is dict
        and type(b) is dict
        and set(a) == {"@path"}
        and set(b) == {"@path"}
        and type(a["@path"]) is str
        and a["@path"] == b["@path"]
    )


def _build_case(opts: Any, kit: MappingKit) -> Resolver:
    if type(opts) is not dict:
        return _raiser('@case requires an object with a "operator" key')
    if not js_truthy(opts.get("operator", MISSING)):
        return _raiser('@case requires a "operator" key')
    operator = opts["operator"]
    if not js_truthy(opts.get("value", MISSING)):
        return lambda _data: MISSING
    inner = _compile(opts["value"], kit)

    def resolve(data: Any) -> Any:
        value = inner(data)
        if isinstance(value, str):
            if operator == "lower":
                return value.lower()
            if operator == "upper":
                return value.upper()
            raise _error('operator key should have a value of "lower" or "upper"')
        return value

    return resolve


def _build_replace(opts: Any, kit: MappingKit) -> Resolver:
    if type(opts) is not dict:
        return _raiser('@replace requires an object with a "pattern" key')
    if not js_truthy(opts.get("pattern", MISSING)):
        return _raiser('@replace requires a "pattern" key')
    pattern = opts["pattern"]
    replacement = opts.get("replacement")
    replacement = "" if replacement is None else replacement
    pattern2 = opts.get("pattern2", MISSING)
    replacement2 = opts.get("replacement2")
    if js_truthy(pattern2) and replacement2 is None:
        replacement2 = ""
    ignorecase = opts.get("ignorecase")
    ignorecase = False if ignorecase is None else ignorecase
    is_global = opts.get("global")
    is_global = True if is_global is None else is_global
    if not js_truthy(opts.get("value", MISSING)):
        return lambda _data: MISSING
    inner = _compile(opts["value"], kit)
    typed = (
        isinstance(pattern, str)
        and isinstance(replacement, str)
        and isinstance(ignorecase, bool)
        and isinstance(is_global, bool)
    )

    def resolve(data: Any) -> Any:
        value = inner(data)
        if isinstance(value, bool | int | float):
            value = js_string(value)
        if not (isinstance(value, str) and typed):
            return ""
        out = js_replace(value, pattern, replacement, is_global, ignorecase)
        if js_truthy(pattern2) and isinstance(pattern2, str) and isinstance(replacement2, str):
            out = js_replace(out, pattern2, replacement2, is_global, ignorecase)
        return out

    return resolve


def _build_array_path(opts: Any, kit: MappingKit) -> Resolver:
    if type(opts) is not list:
        return _raiser(f"@arrayPath expected array, got {js_type(opts)}")
    path = opts[0] if opts else MISSING
    shape = opts[1] if len(opts) > 1 else MISSING
    root_of = compile_path(path) if isinstance(path, str) else _compile(path, kit)
    shape_of = _compile(shape, kit) if type(shape) is dict and shape else None

    def resolve(data: Any) -> Any:
        root = root_of(data)
        if shape_of is not None:
            if type(root) is list:
                return [shape_of(item) for item in root]
            if type(root) is dict:
                return [shape_of(root)]
        return root

    return resolve


def _build_merge(opts: Any, kit: MappingKit) -> Resolver:
    if type(opts) is not dict:
        return _raiser('@merge requires an object with an "objects" key and a "direction" key')
    if not js_truthy(opts.get("direction", MISSING)):
        return _raiser('@merge requires a "direction" key')
    direction_of = _compile(opts["direction"], kit)
    objects = opts.get("objects", MISSING)
    if not js_truthy(objects):
        return _raiser('@merge requires a "objects" key', before=direction_of)
    if type(objects) is not list:
        kind = "object" if type(objects) is dict else js_type(objects)
        return _raiser(f"@merge: expected opts.array, got {kind}", before=direction_of)
    resolvers = [_compile(item, kit) for item in objects]

    def resolve(data: Any) -> Any:
        direction = direction_of(data)
        values = [resolver(data) for resolver in resolvers]
        if direction == "left":
            values.reverse()
        out: dict[str, Any] = {}
        for value in values:
            assign(out, value)
        return out

    return resolve


def _build_json(opts: Any, kit: MappingKit) -> Resolver:
    if type(opts) is not dict:
        return _raiser('@json requires an object with a "value" key')
    if not js_truthy(opts.get("mode", MISSING)):
        return _raiser('@json requires a "mode" key')
    if not js_truthy(opts.get("value", MISSING)):
        return _raiser('@json requires a "value" key')
    mode = opts["mode"]
    inner = _compile(opts["value"], kit)

    def resolve(data: Any) -> Any:
        value = inner(data)
        if mode == "encode":
            return js_json_dumps(value)
        if mode == "decode":
            if isinstance(value, str):
                try:
                    return json_parse(value)
                except ValueError:
                    if kit.json_decode_throws:
                        raise JSError("SyntaxError", v8_json_error(value) or "Unexpected end of JSON input") from None
                    return value
            return value
        return MISSING

    return resolve


def _build_flatten(opts: Any, kit: MappingKit) -> Resolver:
    if type(opts) is not dict:
        return _raiser('@flatten requires an object with a "separator" key')
    if not js_truthy(opts.get("separator", MISSING)):
        return _raiser('@flatten requires a "separator" key')
    separator_of = _compile(opts["separator"], kit)
    value_of = _compile(opts.get("value", MISSING), kit) if "value" in opts else (lambda _d: MISSING)
    omit_arrays = js_truthy(opts.get("omitArrays", MISSING))

    def resolve(data: Any) -> Any:
        separator = separator_of(data)
        if not isinstance(separator, str):
            raise _error("@flatten requires a string separator")
        out: dict[str, Any] = {}
        flatten(value_of(data), "", separator, omit_arrays, out)
        return out

    return resolve


def _build_transform(opts: Any, kit: MappingKit) -> Resolver:
    if type(opts) is not dict:
        return _raiser('@transform requires an object with an "apply" key and a "mapping" key')
    if not js_truthy(opts.get("mapping", MISSING)):
        return _raiser('@transform requires a "mapping" key')
    if not js_truthy(opts.get("apply", MISSING)):
        return _raiser('@transform requires a "apply" key')
    if type(opts["apply"]) is not dict:
        return _raiser('@transform "apply" key should be an object')
    apply = compile_mapping(opts["apply"], kit=kit)
    mapping_of = _compile(opts["mapping"], kit)
    return lambda data: mapping_of(apply(data))


def _build_exclude_when_null(value: Any, kit: MappingKit) -> Resolver:
    inner = _compile(value, kit)

    def resolve(data: Any) -> Any:
        resolved = inner(data)
        if resolved is None:
            return MISSING
        return clean_nulls(resolved)

    return resolve


def _build_liquid(_value: Any, kit: MappingKit) -> Resolver:
    def resolve(_data: Any) -> Any:
        raise UnsupportedDirectiveError("@liquid")

    return resolve


def _raiser(message: str, *, before: Resolver | None = None) -> Resolver:
    def resolve(data: Any) -> Any:
        if before is not None:
            before(data)
        raise _error(message)

    return resolve


_BUILDERS: dict[str, Callable[[Any, MappingKit], Resolver]] = {
    "@if": _build_if,
    "@case": _build_case,
    "@replace": _build_replace,
    "@arrayPath": _build_array_path,
    "@path": _build_path,
    "@template": _build_template,
    "@literal": _build_literal,
    "@flatten": _build_flatten,
    "@json": _build_json,
    "@merge": _build_merge,
    "@transform": _build_transform,
    "@excludeWhenNull": _build_exclude_when_null,
    "@liquid": _build_liquid,
}


def compile_mapping(mapping: Any, *, batch: bool = False, kit: MappingKit = CURRENT_KIT) -> Resolver:
    """mapping-kit `transform(mapping, data)` as a function of `data`; validation happens once, here.

    A malformed mapping still compiles: the returned function raises Segment's error when called,
    which is when Segment would raise it. With `batch=True` it is one item of `transformBatch`,
    which does not insist that the event is an object. `kit` says which actions-core's mapping-kit.
    """
    try:
        validate_mapping(mapping, liquid=kit.liquid)
    except SegmentError as error:
        problem = error

        def failing(_data: Any) -> Any:
            raise problem

        return failing
    root = _compile(mapping, kit)
    if batch:
        return root

    def transform(data: Any) -> Any:
        if type(data) is not dict:
            raise _error(f"data must be an object, got {js_type(data)}")
        return root(data)

    return transform
