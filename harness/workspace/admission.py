"""Whether Segment keeps one call it received: its "Failed on ingest" rules, in Delivery Overview's words.

segment-docs `src/_includes/content/delivery-overview-discards.html` (Failed on Ingest: "Events that
Segment received, but were dropped due to internal data validation rules"), checked in this order:
a call that is not an object or has no Spec `type` (batch items "**must** have an `type` property with a
valid method name", http-api/index.md); `userId` / `anonymousId` missing (`no_user_anon_id`) or not a
non-empty string (`id_not_string`); a track's `event` missing (`event_not_defined`) or not a string
(`event_not_string`); `properties` / `traits` present but not objects; a page or screen `name` /
`category` present but not a non-empty string. Everything else the Spec asks is not Segment's to refuse
at the door (it may still fail at a destination).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.segment import CALL_TYPES
from harness.segment.wording import as_json
from harness.workspace.discards import (
    BAD_REQUEST,
    CATEGORY_NOT_STRING,
    EVENT_NOT_DEFINED,
    EVENT_NOT_STRING,
    ID_NOT_STRING,
    NAME_NOT_STRING,
    NO_USER_ANON_ID,
    PROPERTIES_NOT_OBJECT,
    TRAITS_NOT_OBJECT,
    Discard,
)

__all__ = ["refusal"]

_IDS = ("userId", "anonymousId")
_TRAITS_CALLS = ("identify", "group")


def _present(value: Any) -> bool:
    return value is not None


def refusal(call: Any) -> tuple[Discard, str] | None:
    """Why Segment drops this call at ingestion (the discard and what in the call caused it), or None."""
    if not isinstance(call, Mapping):
        return BAD_REQUEST, f"a call is a JSON object, not {as_json(call)}"
    kind = call.get("type")
    if kind not in CALL_TYPES:
        shown = "no type" if kind is None else f"type {as_json(kind)}"
        return BAD_REQUEST, f"{shown}; a call's type is one of {', '.join(CALL_TYPES)}"
    ids = {key: call.get(key) for key in _IDS if _present(call.get(key))}
    if not ids:
        return NO_USER_ANON_ID, "neither userId nor anonymousId is set"
    wrong = [f"{key} {as_json(value)}" for key, value in ids.items() if not (isinstance(value, str) and value)]
    if wrong:
        return ID_NOT_STRING, ", ".join(wrong)
    if kind == "track":
        name = call.get("event")
        if not _present(name):
            return EVENT_NOT_DEFINED, "the track call has no event"
        if not isinstance(name, str):
            return EVENT_NOT_STRING, f"event {as_json(name)}"
    if _present(call.get("properties")) and not isinstance(call.get("properties"), Mapping):
        return PROPERTIES_NOT_OBJECT, f"properties {as_json(call.get('properties'))}"
    if kind in _TRAITS_CALLS and _present(call.get("traits")) and not isinstance(call.get("traits"), Mapping):
        return TRAITS_NOT_OBJECT, f"traits {as_json(call.get('traits'))}"
    if kind in ("page", "screen"):
        for key, discard in (("name", NAME_NOT_STRING), ("category", CATEGORY_NOT_STRING)):
            value = call.get(key)
            if _present(value) and not (isinstance(value, str) and value):
                return discard, f"{key} {as_json(value)}"
    return None
