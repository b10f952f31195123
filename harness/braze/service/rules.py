"""Braze's rules for `/users/track` objects beyond their JSON shape (the contract checks the shape).

Each object compiles into a small record the store can apply, or into Braze-worded error types.
Where Braze's docs are silent, the choice is written here (and in the README):
- identifier precedence: external_id, then braze_id, then user_alias, then email, then phone ("If you
  include a request with both email and phone, Braze will use the email as the identifier"); other
  identifiers in the same object are ignored with a warning;
- `_update_existing_only` defaults to false, and to true when the object is named by a user alias
  ("When using a user_alias, 'Update Only' defaults to true"); an update-only object for an unknown user
  changes nothing and is still counted as processed (Braze answers asynchronously: queued, then dropped);
- a `braze_id` that names no user changes nothing (Braze assigns braze_ids; they cannot create users);
- events and purchases dated in the future are recorded at the current time ("Events with timestamps in
  the future will default to the current time").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from harness.braze.model.notes import Code, Note
from harness.braze.model.store import Identifier
from harness.braze.service.attributes import AttributeOp, compile_value
from harness.braze.service.ecommerce import ecommerce_problems
from harness.braze.service.limits import (
    MAX_EVENT_PROPERTIES,
    MAX_EVENT_PROPERTY_BYTES,
    MAX_PURCHASE_PROPERTY_BYTES,
    MAX_STRING,
)
from harness.braze.service.time_zones import is_time_zone
from harness.braze.service.values import country_code, is_language, parse_date, parse_time

__all__ = [
    "STANDARD_KEYS",
    "AttributeUpdate",
    "EventRecord",
    "PurchaseRecord",
    "compile_attributes",
    "compile_event",
    "compile_purchase",
    "identifier_of",
]


IDENTIFIER_KEYS = ("external_id", "braze_id", "user_alias", "email", "phone")
FLAG_KEYS = frozenset({"_update_existing_only", "push_token_import", "_merge_objects"})
_NOT_FIELDS = frozenset({"external_id", "braze_id", "user_alias", *FLAG_KEYS})
_PLAIN_STRINGS = frozenset({"first_name", "last_name", "home_city", "image_url", "email", "phone"})
_SESSION_DATES = frozenset({"date_of_first_session", "date_of_last_session", "marked_email_as_spam_at"})
_PASS_THROUGH = frozenset(
    {
        "gender",
        "email_subscribe",
        "push_subscribe",
        "email_open_tracking_disabled",
        "email_click_tracking_disabled",
        "current_location",
        "facebook",
        "twitter",
    }
)
STANDARD_KEYS = frozenset(
    {
        *IDENTIFIER_KEYS,
        *FLAG_KEYS,
        *_PLAIN_STRINGS,
        *_SESSION_DATES,
        *_PASS_THROUGH,
        "dob",
        "country",
        "language",
        "time_zone",
        "subscription_groups",
        "push_tokens",
    }
)


@dataclass(slots=True)
class _Named:
    """Who an object names, whether it may create that user, and what the fake noticed."""

    ident: Identifier | None
    update_only: bool
    notes: list[Note] = field(default_factory=list)
    """Warnings about this object (their `where` is filled in by the caller, which knows the index)."""


@dataclass(slots=True)
class AttributeUpdate(_Named):
    sets: dict[str, Any] = field(default_factory=dict)
    """Plain custom attribute values, set as they are."""
    arrays: dict[str, list[str]] = field(default_factory=dict)
    """Whole string arrays, de-duplicated ("['hotdog','hotdog','pizza'] -> ['hotdog','pizza']")."""
    standard: dict[str, Any] = field(default_factory=dict)
    ops: list[AttributeOp] = field(default_factory=list)
    subscription_groups: dict[str, str] = field(default_factory=dict)
    push_tokens: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class EventRecord(_Named):
    name: str
    time: datetime


@dataclass(slots=True, kw_only=True)
class PurchaseRecord(_Named):
    product_id: str
    price: float
    quantity: int
    time: datetime


def identifier_of(obj: dict[str, Any]) -> tuple[Identifier | None, list[Note]]:
    """The identifier an object is named by, and warnings for the ones ignored."""
    external_id = obj.get("external_id")
    if external_id is not None and obj.get("braze_id") is None and obj.get("user_alias") is None:
        return Identifier("external_id", external_id), []  # the common case, kept cheap
    present = [k for k in IDENTIFIER_KEYS if obj.get(k) is not None]
    if not present:
        return None, []
    kind = present[0]
    value = obj[kind]
    ident = (
        Identifier("user_alias", value["alias_name"], value["alias_label"])
        if kind == "user_alias"
        else Identifier(kind, value)
    )
    # email and phone are profile fields too, so naming a user by another identifier does not ignore them.
    ignored = [k for k in present[1:] if k not in ("email", "phone")]
    text = f"named by {kind}; {', '.join(ignored)} ignored as identifier"
    return ident, [_warn(Code.USER_IDENTIFIERS_IGNORED, text)] if ignored else []


def _warn(code: Code, text: str) -> Note:
    return Note(code, None, text)


def _error(code: Code, text: str) -> Note:
    return Note(code, None, text, "error")


def _named(obj: dict[str, Any]) -> tuple[Identifier | None, bool, list[Note]]:
    ident, warnings = identifier_of(obj)
    explicit = obj.get("_update_existing_only")
    update_only = explicit if explicit is not None else (ident is not None and ident.kind == "user_alias")
    return ident, bool(update_only), warnings


def compile_attributes(obj: dict[str, Any], *, merge_default: bool = False) -> AttributeUpdate | list[Note]:
    """An attributes object -> an update, or its Braze error types."""
    ident, update_only, warnings = _named(obj)
    if obj.get("push_token_import"):
        if obj.get("external_id") is not None or obj.get("braze_id") is not None:
            return [
                _error(
                    Code.VALUE_PUSH_TOKEN_IMPORT,
                    "'push_token_import' objects must not include 'external_id' or 'braze_id'",
                )
            ]
        if not obj.get("push_tokens"):
            return [_error(Code.VALUE_PUSH_TOKEN_IMPORT, "'push_token_import' objects must include 'push_tokens'")]
        ident, update_only = Identifier("push_token_import", obj["push_tokens"][0]["token"]), False
    update = AttributeUpdate(ident, update_only, warnings)
    errors: list[Note] = []
    sets = update.sets
    merge_objects = bool(obj.get("_merge_objects", merge_default))
    for key, value in obj.items():
        if key in STANDARD_KEYS:
            if key not in _NOT_FIELDS:
                _standard(key, value, update, errors)
            continue
        kind = type(value)
        # Plain scalars and short string arrays (the bulk of real traffic) take a direct path; everything
        # else compiles to an op.
        if len(key) <= MAX_STRING:
            if (kind is str and len(value) <= MAX_STRING) or kind is int or kind is float or kind is bool:
                sets[key] = value
                continue
            if kind is list and _short_strings(value):
                update.arrays[key] = list(dict.fromkeys(value))
                continue
        op = compile_value(key, value, merge_objects=merge_objects)
        if op.problem:
            update.notes.append(_warn(op.problem_code, f"custom attribute {key!r} not applied: {op.problem}"))
        update.ops.append(op)
    return errors or update


def _short_strings(items: list[Any]) -> bool:
    return all(type(item) is str and len(item) <= MAX_STRING for item in items)


def _standard(key: str, value: Any, update: AttributeUpdate, errors: list[Note]) -> None:
    if key in _PLAIN_STRINGS:
        if isinstance(value, str) and len(value) > MAX_STRING:
            text = f"{key!r} not applied: {len(value)} characters; the limit is {MAX_STRING}"
            update.notes.append(_warn(Code.LIMIT_STRING_LENGTH, text))
        else:
            update.standard[key] = value
    elif key == "dob":
        if value is not None and parse_date(value) is None:
            errors.append(_error(Code.VALUE_INVALID, "'dob' is not valid"))
        else:
            update.standard[key] = value
    elif key == "country":
        code = country_code(value) if isinstance(value, str) else None
        if value is not None and code is None:
            text = f"country {value!r} matches no ISO-3166-1 country; Braze sets it to NULL"
            update.notes.append(_warn(Code.VALUE_COUNTRY_UNMATCHED, text))
        update.standard[key] = code
    elif key == "language":
        if value is None or is_language(value):
            update.standard[key] = value.lower() if value else None
        else:
            update.notes.append(_warn(Code.VALUE_NOT_SET, f"language {value!r} is not an ISO-639-1 code; not set"))
    elif key == "time_zone":
        if value is None or is_time_zone(value):
            update.standard[key] = value
        else:
            update.notes.append(_warn(Code.VALUE_NOT_SET, f"time_zone {value!r} is not a valid time zone; not set"))
    elif key in _SESSION_DATES:
        if value is not None and parse_time(value) is None:
            errors.append(_error(Code.VALUE_INVALID, f"'{key}' is not valid"))
        else:
            update.standard[key] = value
    elif key == "subscription_groups":
        update.subscription_groups.update({g["subscription_group_id"]: g["subscription_state"] for g in value})
    elif key == "push_tokens":
        update.push_tokens.extend(value)
    else:  # _PASS_THROUGH: shape already checked by the contract
        update.standard[key] = value


def _when(obj: dict[str, Any], now: datetime, notes: list[Note]) -> datetime | None:
    moment = parse_time(obj["time"])
    if moment is not None and moment > now:
        notes.append(
            _warn(Code.VALUE_FUTURE_TIME, f"time {obj['time']} is in the future; Braze records the current time")
        )
        return now
    return moment


def _property_problems(properties: Any, limit: int, named: _Named) -> list[Note]:
    if not properties:
        return []
    if len(properties) > MAX_EVENT_PROPERTIES:
        text = f"{len(properties)} properties; Braze captures only the first {MAX_EVENT_PROPERTIES}"
        named.notes.append(_warn(Code.LIMIT_EVENT_PROPERTIES, text))
    for value in properties.values():
        if type(value) is dict or type(value) is list:
            try:
                size = len(orjson.dumps(properties))
            except orjson.JSONEncodeError:  # deeper than orjson's 254 levels: no real client sends that
                return [_error(Code.LIMIT_PROPERTY_BYTES, "'properties' is nested too deeply")]
            if size > limit:
                text = f"'properties' is {size:,} bytes; the limit is {limit // 1024} KB"
                return [_error(Code.LIMIT_PROPERTY_BYTES, text)]
            return []
    return []


def compile_event(obj: dict[str, Any], now: datetime) -> EventRecord | list[Note]:
    ident, update_only, warnings = _named(obj)
    when = _when(obj, now, warnings)
    if when is None:
        return [_error(Code.VALUE_INVALID, "'time' is not valid")]
    record = EventRecord(ident, update_only, warnings, name=obj["name"], time=when)
    properties = obj.get("properties")
    problems = _property_problems(properties, MAX_EVENT_PROPERTY_BYTES, record)
    if record.name.startswith("ecommerce."):
        problems += ecommerce_problems(record.name, properties)
    return problems or record


def compile_purchase(obj: dict[str, Any], now: datetime) -> PurchaseRecord | list[Note]:
    ident, update_only, warnings = _named(obj)
    when = _when(obj, now, warnings)
    if when is None:
        return [_error(Code.VALUE_INVALID, "'time' is not valid")]
    record = PurchaseRecord(
        ident,
        update_only,
        warnings,
        product_id=obj["product_id"],
        price=obj["price"],
        quantity=obj.get("quantity", 1),
        time=when,
    )
    problems = _property_problems(obj.get("properties"), MAX_PURCHASE_PROPERTY_BYTES, record)
    return problems or record
