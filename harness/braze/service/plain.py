"""The /users/track hot path: plain objects compiled to tuples and applied without the general machinery.

Most real traffic is plain: an attributes object named by `external_id` with scalar or short-string-array
custom attributes and plain standard strings; an event named by `external_id` with a past time and flat
properties. For those the rules reduce to a few checks, so `plain_attributes` / `plain_event` return a
small tuple (or None: take the general path in `rules`), and `apply_plain` applies a run of them. The outcome is the
general path's, field for field (`tests/braze/test_plain_path.py` checks it over generated bodies);
the point is speed: no dataclass per object, no identifier objects, no per-object warning lists.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from harness.braze.model.store import Identifier
from harness.braze.service.limits import MAX_EVENT_PROPERTIES, MAX_STRING
from harness.braze.service.rules import STANDARD_KEYS
from harness.braze.service.subscriptions import inherit_on_email_change
from harness.braze.service.values import parse_time

if TYPE_CHECKING:
    from harness.braze.model.store import Workspace

__all__ = ["ENABLED", "PlainAttributes", "PlainEvent", "PlainRecord", "apply_plain", "plain_attributes", "plain_event"]

ENABLED = True
"""Tests switch it off to compare against the general path."""

PlainAttributes = tuple[str, dict[str, Any] | None, dict[str, Any], dict[str, list[str]] | None]
"""(external_id, standard fields or None, custom values, whole string arrays or None)."""
PlainEvent = tuple[str, str, datetime]
"""(external_id, name, time)."""
PlainRecord = PlainAttributes | PlainEvent

_PLAIN_STANDARD = frozenset({"first_name", "last_name", "home_city", "image_url", "email", "phone"})
_STANDARD_OTHER = STANDARD_KEYS - _PLAIN_STANDARD - {"external_id"}
_EVENT_KEYS = frozenset({"external_id", "name", "time", "properties", "app_id", "_update_existing_only"})


def plain_attributes(obj: dict[str, Any]) -> PlainAttributes | None:
    """The object as a tuple when it is plain, else None."""
    external_id = obj.get("external_id")
    if external_id is None:
        return None
    standard: dict[str, Any] | None = None
    arrays: dict[str, list[str]] | None = None
    sets: dict[str, Any] = {}
    for key, value in obj.items():
        kind = type(value)
        if key in STANDARD_KEYS:
            if key == "external_id" or (key == "_update_existing_only" and value is False):
                continue  # Segment sends `_update_existing_only: false` on every object: creating, as by default
            if key in _STANDARD_OTHER or (kind is str and len(value) > MAX_STRING):
                return None
            if standard is None:
                standard = {}
            standard[key] = value
        elif len(key) > MAX_STRING:
            return None
        elif kind is str:
            if len(value) > MAX_STRING:
                return None
            sets[key] = value
        elif kind is int or kind is float or kind is bool:
            sets[key] = value
        elif kind is list:
            for item in value:
                if type(item) is not str or len(item) > MAX_STRING:
                    return None
            if arrays is None:
                arrays = {}
            arrays[key] = list(dict.fromkeys(value))
        else:
            return None
    return external_id, standard, sets, arrays


def plain_event(obj: dict[str, Any], now: datetime) -> PlainEvent | None:
    """The event as a tuple when it is plain (named by external_id, creating, past time, flat properties)."""
    external_id = obj.get("external_id")
    if external_id is None or obj.get("_update_existing_only") or not _EVENT_KEYS.issuperset(obj):
        return None
    name = obj["name"]
    if name.startswith("ecommerce."):
        return None
    properties = obj.get("properties")
    if properties:
        if len(properties) > MAX_EVENT_PROPERTIES:
            return None
        for value in properties.values():
            if type(value) is dict or type(value) is list:
                return None
    when = parse_time(obj["time"])
    if when is None or when > now:
        return None
    return external_id, name, when


def apply_plain(workspace: Workspace, records: list[tuple[int, PlainRecord]], cap: int, now: datetime) -> None:
    """Apply a run of plain records (under the store lock), creating users when needed."""
    by_external_id, profiles = workspace.by_external_id, workspace.profiles
    for _, record in records:
        external_id = record[0]
        braze_id = by_external_id.get(external_id)
        profile = profiles.get(braze_id) if braze_id is not None else None
        if profile is None:
            profile = workspace.create(Identifier("external_id", external_id), now)
        else:
            workspace.touch(profile)
        if len(record) == 3:
            profile.record_event(record[1], record[2])
        else:
            _, standard, sets, arrays = record
            if standard:
                old_email = profile.email
                for name, value in standard.items():
                    workspace.set_standard(profile, name, value)
                if "email" in standard:
                    inherit_on_email_change(workspace, profile, old_email)
            custom = profile.custom_attributes
            custom.update(sets)
            if arrays:
                for key, items in arrays.items():
                    custom[key] = items[:cap]
        profile.updated_at = now
