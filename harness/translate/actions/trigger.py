"""triggerCampaign / triggerCanvas: API-triggered Braze sends, `POST /campaigns|canvas/trigger/send`.

The whole validated payload is the request body, in mapping order (campaign_id or canvas_id, send_id,
trigger or entry properties, broadcast, attachments, recipients, prioritization, audience). Either
`broadcast` is true or `recipients` is a non-empty list, never both (PayloadValidationError). With
recipients, `prioritization` becomes a `prioritization` list copied onto every recipient (first, then
second priority, each when set) and leaves the body. A Braze error whose JSON has a truthy `message`
becomes `APIError(message, status)`; any other failure is the request client's `HTTPError`.
Single events only: neither action has a performBatch.

The `campaign_id` / `canvas_id` fields are dynamic in Segment's UI (a list fetched from Braze while
configuring the mapping); that lookup never runs when events are delivered, so it is not reproduced.
"""

from __future__ import annotations

from typing import Any

from harness.js import MISSING, js_string, js_truthy
from harness.translate.actions.base import ActionDef, Context
from harness.translate.actions.fields import field, path
from harness.translate.errors import APIError, HTTPError, PayloadValidationError

__all__ = ["TRIGGER_CAMPAIGN", "TRIGGER_CANVAS"]

_PRIORITIES = [
    {"label": "Identified", "value": "identified"},
    {"label": "Unidentified", "value": "unidentified"},
    {"label": "Most recently updated", "value": "most_recently_updated"},
    {"label": "Least recently updated", "value": "least_recently_updated"},
]
_PRIORITIZATION = field(
    "Prioritization",
    "object",
    properties={
        "first_priority": field("First Priority", "string", choices=_PRIORITIES),
        "second_priority": field("Second Priority", "string", choices=_PRIORITIES),
    },
)
_NEITHER = 'Either "broadcast" must be true or "recipients" list must be provided.'
_BOTH = 'When "broadcast" is true, "recipients" list cannot be included.'


def _campaign_fields() -> dict[str, Any]:
    return {
        "campaign_id": field("Campaign ID", "string", required=True),
        "send_id": field("Send ID", "string"),
        "trigger_properties": field("Trigger Properties", "object", default=path("$.properties")),
        "broadcast": field(
            "Broadcast",
            "boolean",
            required={
                "match": "all",
                "conditions": [
                    {"fieldKey": "recipients", "operator": "is"},
                    {"fieldKey": "audience", "operator": "is"},
                ],
            },
        ),
        "attachments": field(
            "Attachments",
            "object",
            multiple=True,
            properties={
                "file_name": field("File Name", "string", required=True),
                "url": field("URL", "string", required=True),
            },
        ),
        "recipients": field(
            "Recipients",
            "object",
            multiple=True,
            properties={
                "external_user_id": field("External User ID", "string", default=path("$.userId")),
                "user_alias": field("User Alias", "object"),
                "email": field("Email", "string", default=path("$.traits.email")),
                "trigger_properties": field("User Trigger Properties", "object"),
                "send_to_existing_only": field("Send to Existing Only", "boolean"),
                "attributes": field("User Attributes", "object"),
            },
        ),
        "prioritization": _PRIORITIZATION,
        "audience": field("Audience", "object"),
    }


def _canvas_fields() -> dict[str, Any]:
    return {
        "canvas_id": field("Canvas ID", "string", required=True),
        "canvas_entry_properties": field("Canvas Entry Properties", "object", default=path("$.properties")),
        "broadcast": field("Broadcast", "boolean"),
        "recipients": field(
            "Recipients",
            "object",
            multiple=True,
            properties={
                "external_user_id": field("External User ID", "string", default=path("$.userId")),
                "user_alias": field(
                    "User Alias",
                    "object",
                    properties={
                        "alias_name": field("Alias Name", "string", default=path("$.traits.braze_alias")),
                        "alias_label": field("Alias Label", "string", default=path("$.traits.braze_alias_label")),
                    },
                ),
                "email": field("Email", "string", default=path("$.traits.email")),
                "canvas_entry_properties": field("Canvas Entry Properties", "object"),
                "send_to_existing_only": field("Send to Existing Only", "boolean"),
                "attributes": field("Attributes", "object"),
            },
            required={"match": "all", "conditions": [{"fieldKey": "broadcast", "operator": "is_not", "value": True}]},
        ),
        "prioritization": _PRIORITIZATION,
        "audience": field("Audience", "object"),
    }


def _recipient_count(recipients: Any) -> int:
    """`payload.recipients?.length` for the validated payload (an array when present)."""
    return len(recipients) if type(recipients) is list else 0


def _with_prioritization(payload: dict[str, Any]) -> dict[str, Any]:
    """The perform's rewrite: the priorities, as a list, onto each recipient; `prioritization` deleted."""
    recipients = payload.get("recipients", MISSING)
    prioritization = payload.get("prioritization", MISSING)
    if not (_recipient_count(recipients) and js_truthy(prioritization)):
        return payload
    order: list[Any] = []
    for key in ("first_priority", "second_priority"):
        value = prioritization.get(key, MISSING) if type(prioritization) is dict else MISSING
        if js_truthy(value):
            order.append(value)
    body = dict(payload)
    if order:
        body["recipients"] = [{**recipient, "prioritization": order} for recipient in recipients]
    del body["prioritization"]
    return body


def _send(ctx: Context, payload: dict[str, Any], route: str) -> Any:
    broadcast = js_truthy(payload.get("broadcast", MISSING))
    count = _recipient_count(payload.get("recipients", MISSING))
    if not broadcast and not count:
        raise PayloadValidationError(_NEITHER)
    if broadcast and count:
        raise PayloadValidationError(_BOTH)
    body = _with_prioritization(payload)
    try:
        return ctx.client.post(f"{ctx.settings['endpoint']}/{route}/trigger/send", body)
    except HTTPError as failure:
        data = failure.response.data if failure.response is not None else MISSING
        message = data.get("message", MISSING) if type(data) is dict else MISSING
        if js_truthy(message):
            raise APIError(js_string(message), failure.status or 500) from None
        raise


def _perform_campaign(ctx: Context, payload: dict[str, Any]) -> Any:
    return _send(ctx, payload, "campaigns")


def _perform_canvas(ctx: Context, payload: dict[str, Any]) -> Any:
    return _send(ctx, payload, "canvas")


TRIGGER_CAMPAIGN = ActionDef(
    slug="triggerCampaign",
    title="Trigger Campaign",
    fields=_campaign_fields(),
    perform=_perform_campaign,
    default_subscription='type = "track"',
)

TRIGGER_CANVAS = ActionDef(
    slug="triggerCanvas",
    title="Trigger Canvas",
    fields=_canvas_fields(),
    perform=_perform_canvas,
    default_subscription='type = "track"',
)
