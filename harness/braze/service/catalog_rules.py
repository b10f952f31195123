"""Braze's catalog rules beyond a body's JSON shape (item ids, item values, catalog definitions), and the catalog
error objects that report them.

Sources, braze-inc/braze-docs `_docs/_api/endpoints/catalogs/`: catalog_items/synchronous/put_update_catalog_item.md,
delete_catalog_item.md, get_catalog_item_details.md; catalog_items/asynchronous/put_update_catalog_items.md,
delete_catalog_items_bulk.md; catalog_management/synchronous/post_create_catalog.md, delete_catalog.md.

Errors: one object per error id, `parameters` naming what is wrong (`item_id` for the id in the path, `id` for the
items of the body, `catalog_name`, `name`, `fields`) and `parameter_values` listing each offending value once, in
request order. For item errors those are the item ids, which is what Segment's batch code reads to mark the events
that failed (upsertCatalogItem/utils.js, `processMultiStatusErrorResponse`); the pages' examples do the same
(`invalid-fields`, `parameters: ["id"]`, `parameter_values: ["restaurant1"]`). Every error found is reported, not
only the first (the early-access delete page's example answers `invalid-ids` and `items-missing-ids` together).

Messages: Braze's where an example shows one (`Could not find catalog`, `Could not find item`, `Some of the fields
given do not exist in the catalog`, `Item ids can only include letters, numbers, hyphens, and underscores`, `Item
ids can not be larger than 250 characters`, `There are 1 item(s) that do not have ids`, `A catalog with that name
already exists`). CHOICE for the others: the page's troubleshooting text, without its final period as the
examples' messages have none.

Values (CHOICE: Braze documents only `unable-to-coerce-value`, "Item types can't be converted"): a value is kept
when it converts without loss: `string` takes strings, numbers and booleans (as their JSON text); `number` numbers
and numeric strings; `boolean` booleans and "true"/"false"; `time` ISO-8601 strings, kept as
`2022-11-01T09:03:19.967Z` (the GET page shows a PUT's `+00:00` time that way); `object` objects; `array` arrays;
`null` clears any field. Anything else is `unable-to-coerce-value`.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from harness.braze.model.catalogs import FIELD_TYPES, Catalog, CatalogConfig, CatalogField
from harness.braze.model.notes import Code, Note
from harness.braze.model.profiles import export_time
from harness.braze.service.errors import CatalogRequestError
from harness.braze.service.limits import (
    CATALOG_ITEMS_PER_BULK_REQUEST,
    CATALOG_MAX_DESCRIPTION,
    CATALOG_MAX_FIELD_NAME,
    CATALOG_MAX_FIELDS,
    CATALOG_MAX_ITEM_CHARS,
    CATALOG_MAX_ITEM_ID,
    CATALOG_MAX_NAME,
    CATALOG_MAX_NESTING,
)
from harness.braze.service.values import parse_time

__all__ = [
    "DEFINITION_MESSAGES",
    "ITEM_MESSAGES",
    "NAME_PATTERN",
    "Problems",
    "catalog_not_found",
    "check_definition",
    "check_item_id",
    "check_values",
    "declared_problems",
    "item_not_found",
]

NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
"""Item ids, catalog names and field names: "letters, numbers, hyphens, and underscores" (put_update_catalog_item.md,
post_create_catalog.md); Segment checks item ids with the same `/^[a-zA-Z0-9_-]+$/` (upsertCatalogItem/utils.js)."""

ITEM_MESSAGES: dict[str, str] = {
    "catalog-not-found": "Could not find catalog",
    "item-not-found": "Could not find item",
    "invalid-fields": "Some of the fields given do not exist in the catalog",
    "invalid-ids": "Item ids can only include letters, numbers, hyphens, and underscores",
    "ids-too-large": f"Item ids can not be larger than {CATALOG_MAX_ITEM_ID} characters",
    "items-missing-ids": "There are {count} item(s) that do not have ids",
    "id-in-body": "Remove any item IDs in the request body",
    "ids-not-string": "Confirm that each item ID is a string",
    "ids-not-strings": "Item IDs must be of type string",
    "ids-not-unique": "Check that each item ID is unique",
    "item-array-invalid": "items must be an array of objects",
    "items-too-large": f"Character limit for each item is {CATALOG_MAX_ITEM_CHARS:,} characters",
    "invalid-keys-in-value-object": "Item object keys can't include . or $",
    "too-deep-nesting-in-value-object": f"Item objects can't have more than {CATALOG_MAX_NESTING} levels of nesting",
    "request-includes-too-many-items": (
        f"Your request has too many items. The item limit per request is {CATALOG_ITEMS_PER_BULK_REQUEST}"
    ),
    "unable-to-coerce-value": "Item types can't be converted",
}
"""Messages of the item errors. `request-includes-too-many-items` on the single-item PUT says instead "Only one item
object is allowed per request" (its page's body description; its table says "create", copied from POST)."""
SINGLE_ITEM_TOO_MANY = "Only one item object is allowed per request"
DEFINITION_MESSAGES: dict[str, str] = {
    "catalog-array-invalid": "catalogs must be an array of objects",
    "catalog-name-already-exists": "A catalog with that name already exists",
    "catalog-name-too-large": f"Character limit for a catalog name is {CATALOG_MAX_NAME}",
    "description-too-long": f"Character limit for description is {CATALOG_MAX_DESCRIPTION}",
    "field-names-not-unique": "The same field name is referenced twice",
    "field-names-too-large": f"Character limit for a field name is {CATALOG_MAX_FIELD_NAME}",
    "id-not-first-column": "The id must be the first field in the array. Check that the type is a string",
    "invalid-catalog-name": "Catalog name can only include letters, numbers, hyphens, and underscores",
    "invalid-field-names": "Fields can only include letters, numbers, hyphens, and underscores",
    "invalid-field-types": "Make sure the field types are valid",
    "invalid-fields": "fields is not formatted correctly",
    "too-many-catalog-atoms": "You can only create one catalog per request",
    "too-many-fields": f"Number of fields limit is {CATALOG_MAX_FIELDS}",
}
"""Messages of `POST /catalogs` (post_create_catalog.md); `invalid-fields` means a malformed `fields` there."""
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_UNSET = object()


@dataclass
class _Error:
    message: str
    parameters: list[str] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    count: int = 0


class Problems:
    """The catalog errors of one request, gathered before anything is applied."""

    def __init__(self, messages: Mapping[str, str] = ITEM_MESSAGES) -> None:
        self._messages = messages
        self._errors: dict[str, _Error] = {}
        self.details: list[str] = []
        """What exactly is wrong, for people (the `X-Harness-Detail` header and the journal)."""

    def __bool__(self) -> bool:
        return bool(self._errors)

    def add(self, error_id: str, parameter: str | None, value: Any = _UNSET, *, detail: str, message: str = "") -> None:
        error = self._errors.setdefault(error_id, _Error(message or self._messages[error_id]))
        error.count += 1
        if parameter is not None and parameter not in error.parameters:
            error.parameters.append(parameter)
        if value is not _UNSET:
            shown = value if isinstance(value, str | int | float | bool | None) else _short(value)
            if shown not in error.values:  # scalars only: comparing deep values could recurse a thousand levels
                error.values.append(shown)
        self.details.append(f"{error_id}: {detail}")

    def errors(self) -> list[dict[str, Any]]:
        return [
            {
                "id": error_id,
                "message": error.message.replace("{count}", str(error.count)),
                "parameters": list(error.parameters),
                "parameter_values": list(error.values),
            }
            for error_id, error in self._errors.items()
        ]

    def raise_if_any(self, code: Code = Code.CATALOG_INVALID_ITEMS) -> None:
        if self._errors:
            raise CatalogRequestError(self.errors(), code=code, detail="; ".join(self.details))


def catalog_not_found(name: str) -> CatalogRequestError:
    """404 `catalog-not-found` (delete_catalog.md's example; every catalog page lists it)."""
    problems = Problems()
    problems.add("catalog-not-found", "catalog_name", name, detail=f"no catalog {name!r} in this workspace")
    detail = (
        f"no catalog {name!r} in this workspace; create it with POST /catalogs (Segment's catalog hook does), "
        "declare it (FakeBrazeConfig(catalogs=...)) or POST /_harness/catalogs"
    )
    return CatalogRequestError(problems.errors(), status=404, code=Code.CATALOG_NOT_FOUND, detail=detail)


def item_not_found(catalog: str, item_id: str) -> CatalogRequestError:
    """404 `item-not-found` (get_catalog_item_details.md: 404; delete_catalog_item.md labels the same body 400;
    CHOICE: 404 for both, and Segment reads only its `id`)."""
    problems = Problems()
    problems.add("item-not-found", "item_id", item_id, detail=f"catalog {catalog!r} has no item {item_id!r}")
    detail = problems.details[0]
    return CatalogRequestError(problems.errors(), status=404, code=Code.CATALOG_ITEM_NOT_FOUND, detail=detail)


def check_item_id(item_id: Any, problems: Problems, *, parameter: str, where: str, not_string: str) -> bool:
    """Whether `item_id` is a valid item id; its problems added (`not_string` is the page's id for a non-string)."""
    if not isinstance(item_id, str):
        problems.add(not_string, parameter, item_id, detail=f"{where}: the id {item_id!r} is not a string")
        return False
    ok = True
    if len(item_id) > CATALOG_MAX_ITEM_ID:
        detail = f"{where}: the id has {len(item_id):,} characters; at most {CATALOG_MAX_ITEM_ID}"
        problems.add("ids-too-large", parameter, item_id, detail=detail)
        ok = False
    if not NAME_PATTERN.fullmatch(item_id):
        detail = f"{where}: the id {_short(item_id)} has characters other than letters, digits, '-' and '_'"
        problems.add("invalid-ids", parameter, item_id, detail=detail)
        ok = False
    return ok


def check_values(
    catalog: Catalog, values: Mapping[str, Any], item_id: Any, problems: Problems, where: str
) -> tuple[dict[str, Any], list[Note]]:
    """An item's fields (its `id` excluded) as stored, and notes on converted values; problems added."""
    types = catalog.field_types
    label = item_id if isinstance(item_id, str) else _short(item_id)
    unknown = [key for key in values if key not in types or key == "id"]
    if unknown:
        known = ", ".join(f.name for f in catalog.fields[1:]) or "only id"
        detail = f"{where}: {', '.join(map(repr, unknown))} not field(s) of catalog {catalog.name!r} (it has {known})"
        problems.add("invalid-fields", "id", label, detail=detail)
    bad_keys = _dotted_keys(values)
    if bad_keys:
        detail = f"{where}: key(s) {', '.join(map(repr, bad_keys[:5]))} contain '.' or '$'"
        problems.add("invalid-keys-in-value-object", "id", label, detail=detail)
    depth = max((_nesting(v) for v in values.values()), default=0)
    if depth > CATALOG_MAX_NESTING:
        detail = f"{where}: values nested {depth} levels deep; at most {CATALOG_MAX_NESTING}"
        problems.add("too-deep-nesting-in-value-object", "id", label, detail=detail)
    size = len(orjson.dumps(dict(values)).decode()) if depth <= CATALOG_MAX_NESTING else 0  # (too deep: refused)
    if size > CATALOG_MAX_ITEM_CHARS:
        detail = f"{where}: the item is {size:,} characters as JSON; at most {CATALOG_MAX_ITEM_CHARS:,}"
        problems.add("items-too-large", "id", label, detail=detail)
    stored: dict[str, Any] = {}
    notes: list[Note] = []
    for key, value in values.items():
        kind = types.get(key)
        if kind is None or key == "id":
            continue
        ok, converted = coerce(kind, value)
        if not ok:
            detail = f"{where}: {key!r} is a {kind} field; {_short(value)} cannot be one"
            problems.add("unable-to-coerce-value", "id", label, detail=detail)
            continue
        if converted is not value and (converted != value or type(converted) is not type(value)):
            text = f"{key!r} ({kind}) stored as {_short(converted)}, converted from {_short(value)}"
            notes.append(Note(Code.CATALOG_VALUE_COERCED, where, text))
        stored[key] = converted
    return stored, notes


def coerce(kind: str, value: Any) -> tuple[bool, Any]:
    """(converts, the value as stored) for a field of type `kind` (see the module docstring)."""
    if value is None:
        return True, None
    if kind == "string":
        if isinstance(value, str):
            return True, value
        if isinstance(value, bool | int | float):
            return True, orjson.dumps(value).decode()
    elif kind == "number":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return True, value
        if isinstance(value, str) and _NUMBER.fullmatch(value):
            number = float(value) if any(c in value for c in ".eE") else int(value)
            if number not in (float("inf"), float("-inf")):
                return True, number
    elif kind == "boolean":
        if isinstance(value, bool):
            return True, value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return True, value.lower() == "true"
    elif kind == "time":
        parsed = parse_time(value) if isinstance(value, str) else None
        if parsed is not None:
            return True, export_time(parsed)
    elif kind == "object":
        return isinstance(value, dict), value
    elif kind == "array":
        return isinstance(value, list), value
    return False, value


def check_definition(
    obj: Any, taken: Mapping[str, Catalog], problems: Problems
) -> tuple[CatalogConfig | None, list[Note]]:
    """A `POST /catalogs` catalog object as a CatalogConfig (None when it has problems), and notes."""
    notes: list[Note] = []
    if not isinstance(obj, dict):
        problems.add("catalog-array-invalid", "catalogs", detail=f"catalogs[0] is {_short(obj)}, not an object")
        return None, notes
    name = obj.get("name")
    if not isinstance(name, str) or not name:
        problems.add("invalid-catalog-name", "name", name, detail=f"the name {_short(name)} is not a non-empty string")
    elif len(name) > CATALOG_MAX_NAME:
        detail = f"the name has {len(name):,} characters; at most {CATALOG_MAX_NAME}"
        problems.add("catalog-name-too-large", "name", name, detail=detail)
    elif not NAME_PATTERN.fullmatch(name):
        detail = f"the name {_short(name)} has characters other than letters, digits, '-' and '_'"
        problems.add("invalid-catalog-name", "name", name, detail=detail)
    elif name in taken:
        problems.add("catalog-name-already-exists", "name", name, detail=f"catalog {name!r} already exists")
    description = obj.get("description", _UNSET)
    if description is _UNSET:
        description = ""
        text = "no description: post_create_catalog.md marks it required (the dashboard does not); taken as ''"
        notes.append(Note(Code.CATALOG_DESCRIPTION_MISSING, "catalogs[0]", text))
    elif not isinstance(description, str):
        detail = f"the description {_short(description)} is not a string"
        problems.add("catalog-array-invalid", "description", detail=detail)
    elif len(description) > CATALOG_MAX_DESCRIPTION:
        detail = f"the description has {len(description):,} characters; at most {CATALOG_MAX_DESCRIPTION}"
        problems.add("description-too-long", "description", description, detail=detail)
    fields = _check_fields(obj.get("fields", _UNSET), problems)
    if problems or fields is None or not isinstance(name, str) or not isinstance(description, str):
        return None, notes
    return CatalogConfig(name, fields, description), notes


def _check_fields(fields: Any, problems: Problems) -> tuple[CatalogField, ...] | None:
    if not isinstance(fields, list) or not fields or not all(_is_field(f) for f in fields):
        problems.add("invalid-fields", "fields", detail="fields must be an array of {name, type} objects (strings)")
        return None
    parsed = tuple(CatalogField(f["name"], f["type"]) for f in fields)
    if parsed[0] != CatalogField("id", "string"):
        detail = f"the first field is {parsed[0].to_json()}, not {{'name': 'id', 'type': 'string'}}"
        problems.add("id-not-first-column", "fields", parsed[0].name, detail=detail)
    if len(parsed) > CATALOG_MAX_FIELDS:
        problems.add("too-many-fields", "fields", detail=f"{len(parsed)} fields; at most {CATALOG_MAX_FIELDS}")
    seen: set[str] = set()
    for f in parsed:
        if f.name in seen:
            problems.add("field-names-not-unique", "fields", f.name, detail=f"field {f.name!r} appears twice")
        seen.add(f.name)
        if len(f.name) > CATALOG_MAX_FIELD_NAME:
            detail = f"a field name has {len(f.name):,} characters; at most {CATALOG_MAX_FIELD_NAME}"
            problems.add("field-names-too-large", "fields", f.name, detail=detail)
        elif not NAME_PATTERN.fullmatch(f.name):
            detail = f"field name {_short(f.name)} has characters other than letters, digits, '-' and '_'"
            problems.add("invalid-field-names", "fields", f.name, detail=detail)
        if f.type not in FIELD_TYPES:
            detail = f"field {f.name!r} has type {f.type!r}; the types are {', '.join(FIELD_TYPES)}"
            problems.add("invalid-field-types", "fields", f.type, detail=detail)
    return parsed


def declared_problems(config: CatalogConfig) -> list[str]:
    """What is wrong with a catalog declared in the configuration, by the rules of `POST /catalogs`."""
    problems = Problems(DEFINITION_MESSAGES)
    obj = {"name": config.name, "description": config.description, "fields": [f.to_json() for f in config.fields]}
    check_definition(obj, {}, problems)
    return problems.details


def _is_field(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("name"), str) and isinstance(value.get("type"), str)


def _dotted_keys(value: Any) -> list[str]:
    """Keys containing `.` or `$` anywhere in `value` (iterative: values may nest a thousand levels)."""
    found: list[str] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found += [k for k in node if "." in k or "$" in k]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _nesting(value: Any) -> int:
    """Levels of containers in `value` (0 for a scalar), counted without recursion."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict = 3, 40, 40, 4, 4


def _short(value: Any) -> str:
    """A short repr, safe for values nested a thousand levels deep."""
    return _REPR.repr(value)
