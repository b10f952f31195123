"""Why Segment drops an event, in the words of its Delivery Overview: a pipeline stage, a code, a text.

segment-docs `src/connections/delivery-overview.md` names the steps an event goes through ("Successfully
received", "Failed on ingest", "Filtered at source", "Filtered at destination", "Failed delivery",
"Successful delivery") and `src/_includes/content/delivery-overview-discards.html` lists, per step, each
discard reason with its error code and "What happened?" text. The fake Segment files every event it does
not deliver under one of those (code and text copied from that table). Three situations the table has no
row for get a code of the harness's own, marked `documented=False` and cited where the behaviour is:
duplicates, events past a batch's 2,500, and calls whose `type` the endpoint cannot take.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "BAD_REQUEST",
    "BATCH_EVENT_LIMIT",
    "CATEGORY_NOT_STRING",
    "DUPLICATE",
    "EMPTY_BATCH",
    "EVENT_NOT_DEFINED",
    "EVENT_NOT_STRING",
    "FILTERED_BY_INTEGRATIONS",
    "ID_NOT_STRING",
    "NAME_NOT_STRING",
    "NO_MATCHING_MAPPING",
    "NO_USER_ANON_ID",
    "PROPERTIES_NOT_OBJECT",
    "TRAITS_NOT_OBJECT",
    "UNKNOWN_SOURCE",
    "Discard",
    "Stage",
]

Stage = Literal["received", "failed_on_ingest", "filtered_at_destination", "pending", "failed_delivery", "delivered"]
"""A step of Delivery Overview's pipeline view (`received` and `pending`: on their way)."""


@dataclass(frozen=True, slots=True)
class Discard:
    """One discard reason: its stage, Segment's error code and Segment's "What happened?" text."""

    stage: Stage
    code: str
    text: str
    documented: bool = True
    """False for the harness's own codes (situations Segment documents without naming a code)."""

    def because(self, detail: str | None) -> dict[str, Any]:
        """The reason as the debugger shows it: code, Segment's text, and what in this event caused it."""
        out: dict[str, Any] = {"stage": self.stage, "code": self.code, "text": self.text}
        if detail:
            out["detail"] = detail
        return out


_INGEST: Stage = "failed_on_ingest"
NO_USER_ANON_ID = Discard(_INGEST, "no_user_anon_id", "The userID or anonymousID was not provided")
ID_NOT_STRING = Discard(_INGEST, "id_not_string", "The userID or anonymousId was an empty string or not a string")
EVENT_NOT_DEFINED = Discard(_INGEST, "event_not_defined", "Track event did not have event name")
EVENT_NOT_STRING = Discard(_INGEST, "event_not_string", "Track event name is not a string")
PROPERTIES_NOT_OBJECT = Discard(_INGEST, "properties_not_object", "The properties field must be an object type")
TRAITS_NOT_OBJECT = Discard(_INGEST, "traits_not_object", "The traits field must be an object type")
NAME_NOT_STRING = Discard(
    _INGEST, "name_not_string", "For Page or Screen calls, name field was an empty string or not a string"
)
CATEGORY_NOT_STRING = Discard(
    _INGEST, "category_not_string", "For Page or Screen calls, category field was an empty string or not a string"
)
EMPTY_BATCH = Discard(_INGEST, "empty_batch", "The batch request contained no messages")
UNKNOWN_SOURCE = Discard(_INGEST, "unknown_source", "Failed to find source with [write_key]")
BAD_REQUEST = Discard(
    _INGEST, "bad_request", "The payload could have an incorrect content type, body, or something else"
)
DUPLICATE = Discard(
    _INGEST,
    "duplicate_message_id",
    "Segment deduplicates events using the messageId field",  # http-api/index.md, Errors: Deduplication
    documented=False,
)
BATCH_EVENT_LIMIT = Discard(
    _INGEST,
    "batch_event_limit",
    "Each batch request can only have up to 2500 events",  # http-api/index.md, Errors
    documented=False,
)

_DESTINATION: Stage = "filtered_at_destination"
FILTERED_BY_INTEGRATIONS = Discard(
    _DESTINATION,
    "FILTERED_BY_INTEGRATIONS_OBJECT",
    "The event was filtered because sending to the destination in the integrations object is disabled",
)
NO_MATCHING_MAPPING = Discard(
    _DESTINATION,
    "NO_MATCHING_MAPPING",
    "The Actions destination is missing either a mapping or trigger for this event",
)
