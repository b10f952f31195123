"""trackEvent / trackEvent2: track → `POST /users/track {"events": [...]}`.

`time` defaults to `receivedAt` (not `timestamp`) and goes out as ISO-8601; `properties` are sent
verbatim; `email` is `context.traits.email`, else `properties.email`. A batch is always sent, even
when every event failed the identifier check (`{"events": []}`).
"""

from __future__ import annotations

from typing import Any

from harness.js import MISSING
from harness.translate.actions.base import ActionDef, Context, SyncMode, clean
from harness.translate.actions.braze_common import (
    add_or_update_refusal,
    check_identifiers,
    get_user_alias,
    send_object_batch,
    sync_mode_guarded,
    to_iso8601,
    update_existing_only,
)
from harness.translate.actions.fields import (
    BATCH_SIZE,
    BRAZE_ID,
    ENABLE_BATCHING,
    EXTERNAL_ID,
    UPDATE_EXISTING_ONLY,
    USER_ALIAS,
    field,
    path,
)
from harness.translate.multistatus import MultiStatus

__all__ = ["EMAIL_FROM_CONTEXT", "TRACK_EVENT", "TRACK_EVENT_2"]

EMAIL_FROM_CONTEXT = {
    "@if": {
        "exists": path("$.context.traits.email"),
        "then": path("$.context.traits.email"),
        "else": path("$.properties.email"),
    }
}


def _fields(v2: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "external_id": EXTERNAL_ID,
        "user_alias": USER_ALIAS,
        "email": field("Email", "string", default=EMAIL_FROM_CONTEXT),
        "braze_id": BRAZE_ID,
        "name": field("Event Name", "string", required=True, default=path("$.event")),
        "time": field("Time", "datetime", required=True, default=path("$.receivedAt")),
        "properties": field("Event Properties", "object", default=path("$.properties")),
        "_update_existing_only": UPDATE_EXISTING_ONLY,
        "enable_batching": ENABLE_BATCHING,
        "batch_size": BATCH_SIZE,
    }
    if v2:
        del fields["_update_existing_only"]
    return fields


def event_object(payload: dict[str, Any], settings: dict[str, Any], sync_mode: str | None) -> dict[str, Any]:
    get = payload.get
    return clean(
        {
            "braze_id": get("braze_id", MISSING),
            "external_id": get("external_id", MISSING),
            "email": get("email", MISSING),
            "user_alias": get_user_alias(get("user_alias", MISSING)),
            "app_id": settings.get("app_id", MISSING),
            "name": get("name", MISSING),
            "time": to_iso8601(get("time", MISSING)),
            "properties": get("properties", MISSING),
            "_update_existing_only": update_existing_only(payload, sync_mode),
        }
    )


def _perform(ctx: Context, payload: dict[str, Any]) -> Any:
    check_identifiers(payload, get_user_alias(payload.get("user_alias", MISSING)))
    body = {"events": [event_object(payload, ctx.settings, ctx.sync_mode)]}
    return ctx.client.post(f"{ctx.settings['endpoint']}/users/track", body)


def _perform_batch(ctx: Context, payloads: list[dict[str, Any]]) -> MultiStatus:
    return send_object_batch(
        ctx, "events", payloads, lambda payload: event_object(payload, ctx.settings, ctx.sync_mode)
    )


_perform_v2, _perform_batch_v2 = sync_mode_guarded(_perform, _perform_batch, ("add", "update"), add_or_update_refusal)


TRACK_EVENT = ActionDef(
    slug="trackEvent",
    title="Track Event",
    fields=_fields(v2=False),
    perform=_perform,
    perform_batch=_perform_batch,
    default_subscription='type = "track" and event != "Order Completed"',
)

TRACK_EVENT_2 = ActionDef(
    slug="trackEvent2",
    title="Track Event V2",
    fields=_fields(v2=True),
    perform=_perform_v2,
    perform_batch=_perform_batch_v2,
    default_subscription='type = "track" and event != "Order Completed"',
    sync_mode=SyncMode("add", ("add", "update")),
)
