"""Action fields → JSON Schema, and actions-core's empty-value removal over that schema.

`fields_to_schema` reproduces actions-core's `fieldsToJsonSchema`: `datetime` is `string|number`
with the `date-like` format, `allowNull` adds `null`, `multiple` makes an array, object fields with
`properties` become closed objects (`additionalProperties: false` unless the field says otherwise),
and conditional `required` turns into `allOf`/`if`/`then`. Labels become titles, which is why
Segment's errors say `Time must be ...` rather than naming a JSON path.

`remove_empty_values` is `removeEmptyValues`: a `null` goes unless the type allows it, a `""` goes
when the type is not a string, and at the root of a single event every `""` goes. Arrays keep their
original items, only dropping those that would clean to nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.js import MISSING

__all__ = ["Field", "compile_remove_empty", "fields_to_schema", "remove_empty_values"]

Field = dict[str, Any]
Schema = dict[str, Any]


def _json_type(kind: str) -> str | list[str]:
    if kind in ("string", "text", "password"):
        return "string"
    if kind == "datetime":
        return ["string", "number"]
    return kind


def _undefined_condition(dependant: str, key: str, operator: str, multiple: bool) -> Schema:
    inside: Schema = {"not": {"required": [dependant]}} if operator == "is" else {"required": [dependant]}
    if multiple:
        return inside
    if operator == "is":
        return {
            "if": {"anyOf": [inside, {"properties": {dependant: {"type": "null"}}}]},
            "then": _then(key),
        }
    return {
        "if": {"allOf": [inside, {"not": {"properties": {dependant: {"type": "null"}}}}]},
        "then": _then(key),
    }


def _then(key: str) -> Schema:
    if "." in key:
        parent, child = key.split(".")[:2]
        return {"required": [parent], "properties": {parent: {"required": [child]}}}
    return {"required": [key]}


def _value_condition(dependant: str, key: str, value: Any, operator: str, multiple: bool) -> Schema:
    expected: Schema = {"const": value} if operator == "is" else {"not": {"const": value}}
    if "." in dependant:
        parent, child = dependant.split(".")[:2]
        inner: Schema = {
            "properties": {parent: {"properties": {child: expected}, "required": [child]}},
            "required": [parent],
        }
    else:
        inner = {"properties": {dependant: expected}, "required": [dependant]}
    if multiple:
        return inner
    return {"if": inner, "then": _then(key)}


def _conditions(key: str, spec: dict[str, Any]) -> Schema:
    conditions = spec["conditions"]
    if len(conditions) == 1:
        cond = conditions[0]
        if "value" not in cond and "." not in cond["fieldKey"]:
            return _undefined_condition(cond["fieldKey"], key, cond["operator"], False)
        return _value_condition(cond["fieldKey"], key, cond.get("value"), cond["operator"], False)
    inner: list[Schema] = []
    for cond in conditions:
        if "value" not in cond and "." not in cond["fieldKey"]:
            inner.append(_undefined_condition(cond["fieldKey"], key, cond["operator"], True))
        else:
            inner.append(_value_condition(cond["fieldKey"], key, cond.get("value"), cond["operator"], True))
    combined: Schema = {"anyOf": inner} if spec.get("match") == "any" else {"allOf": inner}
    return {"if": combined, "then": {"required": [key]}}


def fields_to_schema(
    fields: dict[str, Field], *, additional_properties: bool = False, omit_required: bool = False
) -> Schema:
    """actions-core `fieldsToJsonSchema` for the field options the Braze destinations use."""
    required: list[str] = []
    properties: dict[str, Schema] = {}
    conditions: dict[str, dict[str, Any]] = {}
    for key, field in fields.items():
        kind = field["type"]
        json_type = _json_type(kind)
        schema: Schema = {"title": field.get("label"), "type": json_type}
        if "format" in field:
            schema["format"] = field["format"]
        if kind == "datetime":
            schema["format"] = "date-like"
        elif kind == "password":
            schema["format"] = "password"
        elif kind == "string":
            # fieldsToJsonSchema: a string field's minimum/maximum are its length limits (when truthy).
            if field.get("minimum"):
                schema["minLength"] = field["minimum"]
            if field.get("maximum"):
                schema["maxLength"] = field["maximum"]
        elif kind == "number":
            if field.get("minimum"):
                schema["minimum"] = field["minimum"]
            if field.get("maximum"):
                schema["maximum"] = field["maximum"]
        if "choices" in field:
            schema["enum"] = [c if isinstance(c, str) else c["value"] for c in field["choices"]]
        if field.get("allowNull"):
            schema["type"] = [*([json_type] if isinstance(json_type, str) else json_type), "null"]
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], None]
        multiple = bool(field.get("multiple"))
        if multiple:
            schema["items"] = {"type": json_type}
            schema["type"] = "array"
            if "enum" in schema:
                schema["items"]["enum"] = schema.pop("enum")
        if json_type == "object" and "properties" in field:
            nested_conditional = any(isinstance(p.get("required"), dict) for p in field["properties"].values())
            nested = fields_to_schema(
                field["properties"],
                additional_properties=bool(field.get("additionalProperties")),
                omit_required=nested_conditional,
            )
            if multiple:
                schema["items"] = nested
            else:
                schema.update(nested)
            for prop_key, prop in field["properties"].items():
                if isinstance(prop.get("required"), dict):
                    conditions[f"{key}.{prop_key}"] = prop["required"]
        properties[key] = schema
        if field.get("required") is True:
            required.append(key)
        elif isinstance(field.get("required"), dict):
            conditions[key] = field["required"]
    out: Schema = {"type": "object", "additionalProperties": additional_properties, "properties": properties}
    if omit_required:
        return out
    out["required"] = required
    if conditions:
        out["allOf"] = [_conditions(key, spec) for key, spec in conditions.items()]
    return out


def _type_list(schema: Schema) -> list[str]:
    kind = schema.get("type")
    if kind is None:
        return []
    return kind if isinstance(kind, list) else [kind]


Cleaner = Callable[..., Any]


def _identity(value: Any, is_root: bool = False) -> Any:
    return value


def compile_remove_empty(schema: Schema | None) -> Cleaner:
    """`removeEmptyValues` for one schema, compiled: `cleaner(value, is_root)` → value or MISSING."""
    if not schema or ("type" not in schema and "enum" not in schema):
        return _identity
    items = compile_remove_empty(schema["items"]) if schema.get("items") else None
    props = (
        {key: compile_remove_empty(sub) for key, sub in schema["properties"].items()}
        if schema.get("properties") is not None
        else None
    )
    types = _type_list(schema)
    allow_null = "null" in types
    allow_empty = "string" in types

    def clean(value: Any, is_root: bool = False) -> Any:
        kind = type(value)
        if kind is list:
            if items is None:
                return value
            return [item for item in value if items(item) is not MISSING]
        if kind is dict:
            if props is None:
                return value
            out: dict[str, Any] = {}
            for key, item in value.items():
                if item is None or item == "" or type(item) is dict or type(item) is list:
                    cleaner = props.get(key)
                    if cleaner is not None:
                        item = cleaner(item)
                        if item is MISSING:
                            continue
                    if is_root and item == "" and type(item) is str:
                        continue
                out[key] = item
            return out
        if value is None:
            return value if allow_null else MISSING
        if kind is str and value == "" and not allow_empty:
            return MISSING
        return value

    return clean


def remove_empty_values(value: Any, schema: Schema | None, is_root: bool = False) -> Any:
    """actions-core `removeEmptyValues`; returns MISSING where the value should disappear."""
    return compile_remove_empty(schema)(value, is_root)
