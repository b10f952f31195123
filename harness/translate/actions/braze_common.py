"""Rules shared by the Braze `/users/track` actions (Segment's braze/utils.ts, reproduced).

The identifier check and its message, `user_alias` only when both parts are truthy, the `*2`
actions' sync mode overriding `_update_existing_only`, ISO-8601 conversion through dayjs, and the
handling of Braze's reply to a batch: `errors[]` in a 2xx reply mark single items as 400
`BAD_REQUEST`, a non-2xx reply marks every item still in flight with its status and message. In the
latter case every item's `body` lists the error types of all items, because Segment fills its
per-item list with one shared `Set`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.js import MISSING, dayjs_format_date, dayjs_iso, dayjs_time, js_index, js_string, js_truthy
from harness.translate.actions.base import Context, Perform, PerformBatch
from harness.translate.errors import HTTPError, IntegrationError, JSError, SegmentError
from harness.translate.http import Response
from harness.translate.multistatus import MultiStatus

__all__ = [
    "IDENTIFIER_MESSAGE",
    "MAX_BATCH_SIZE",
    "add_or_update_refusal",
    "check_identifiers",
    "get_user_alias",
    "handle_braze_response",
    "identifier_error",
    "invalid_sync_mode_batch",
    "omit",
    "post_users_track",
    "property_of",
    "send_object_batch",
    "sync_mode_guarded",
    "to_date_format",
    "to_iso8601",
    "update_existing_only",
]

MAX_BATCH_SIZE = 75
IDENTIFIER_MESSAGE = 'One of "external_id" or "user_alias" or "braze_id" or "email" is required.'


def get_user_alias(alias: Any) -> Any:
    """`getUserAlias`: `{alias_label, alias_name}` when both are truthy, else undefined."""
    if type(alias) is dict:
        label = alias.get("alias_label", MISSING)
        name = alias.get("alias_name", MISSING)
        if js_truthy(label) and js_truthy(name):
            return {"alias_label": label, "alias_name": name}
    return MISSING


def has_identifier(payload: dict[str, Any], user_alias: Any) -> bool:
    return (
        js_truthy(payload.get("braze_id"))
        or user_alias is not MISSING
        or js_truthy(payload.get("external_id"))
        or js_truthy(payload.get("email"))
    )


def check_identifiers(payload: dict[str, Any], user_alias: Any) -> None:
    """Single events: throw Segment's `IntegrationError` when no identifier is set."""
    if not has_identifier(payload, user_alias):
        raise IntegrationError(IDENTIFIER_MESSAGE, "Missing required fields", 400)


def identifier_error() -> dict[str, Any]:
    """Batch events: the multistatus entry for an event without an identifier."""
    return {"status": 400, "errortype": "PAYLOAD_VALIDATION_FAILED", "errormessage": IDENTIFIER_MESSAGE}


def update_existing_only(payload: dict[str, Any], sync_mode: str | None) -> Any:
    """The `_update_existing_only` flag: from the payload, or `syncMode === 'update'` for `*2` actions."""
    if sync_mode:
        return sync_mode == "update"
    return payload.get("_update_existing_only", MISSING)


def to_iso8601(value: Any) -> Any:
    """`toISO8601`: null/undefined pass through, invalid dates become undefined."""
    if value is None or value is MISSING:
        return value
    iso = dayjs_iso(value)
    return MISSING if iso is None else iso


def to_date_format(value: Any) -> Any:
    """`toDateFormat(value, 'YYYY-MM-DD')`."""
    if value is None or value is MISSING:
        return value
    ms = dayjs_time(value)
    return MISSING if ms is None else dayjs_format_date(ms)


def omit(obj: Any, keys: frozenset[str] | set[str]) -> dict[str, Any]:
    """actions-core `omit`: own keys of an object minus `keys` (strings and arrays spread by index)."""
    if type(obj) is dict:
        return {k: v for k, v in obj.items() if k not in keys}
    if isinstance(obj, str | list) and obj:
        return {str(i): v for i, v in enumerate(obj) if str(i) not in keys}
    return {}


def property_of(value: Any, key: str) -> Any:
    """`value.key` on a parsed JSON value; reading a property of null/undefined is a TypeError."""
    if value is None or value is MISSING:
        shown = "null" if value is None else "undefined"
        raise JSError("TypeError", f"Cannot read properties of {shown} (reading '{key}')")
    if type(value) is dict:
        return value.get(key, MISSING)
    return MISSING


def sync_mode_guarded(
    perform: Perform,
    perform_batch: PerformBatch,
    modes: tuple[str, ...],
    refuse: Callable[[str | None], SegmentError],
) -> tuple[Perform, PerformBatch]:
    """The `*2` actions' perform / performBatch: the v1 ones, behind a check of `syncMode`.

    `refuse(mode)` raises the action's own error for a single event; a batch gets Segment's multistatus
    error for every event.
    """

    def perform_v2(ctx: Context, payload: dict[str, Any]) -> Any:
        if ctx.sync_mode in modes:
            return perform(ctx, payload)
        raise refuse(ctx.sync_mode)

    def perform_batch_v2(ctx: Context, payloads: list[dict[str, Any]]) -> Any:
        if ctx.sync_mode in modes:
            return perform_batch(ctx, payloads)
        return invalid_sync_mode_batch(len(payloads))

    return perform_v2, perform_batch_v2


def add_or_update_refusal(mode: Any) -> IntegrationError:
    """trackEvent2 / trackPurchase2: `syncMode must be "add" or "update"`."""
    return IntegrationError('syncMode must be "add" or "update"', "Invalid syncMode", 400)


def invalid_sync_mode_batch(size: int) -> MultiStatus:
    """`generateMultiStatusError`: every event rejected because the sync mode is not supported."""
    status = MultiStatus()
    for index in range(size):
        status.set_error(
            index,
            {
                "status": 400,
                "errortype": "PAYLOAD_VALIDATION_FAILED",
                "errormessage": 'Invalid syncMode, must be set to "add" or "update"',
            },
        )
    return status


def _same_value_zero(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b or (a != a and b != b)
    return type(a) is type(b) and a == b


def _same_value_add(bucket: list[Any], value: Any) -> None:
    """`Set.prototype.add`: objects by identity, primitives by SameValueZero."""
    if not any(_same_value_zero(seen, value) for seen in bucket):
        bucket.append(value)


def post_users_track(
    ctx: Any, key: str, objects: list[Any], items: list[Any], status: MultiStatus, valid: list[int]
) -> MultiStatus:
    """The one `/users/track` request of a batch: `X-Braze-Batch: true` when it holds more than one object."""
    headers = {"X-Braze-Batch": "true"} if len(objects) > 1 else None
    url = f"{ctx.settings['endpoint']}/users/track"
    handle_braze_response(lambda: ctx.client.post(url, {key: objects}, headers), items, status, valid)
    return status


def send_object_batch(ctx: Any, key: str, payloads: list[dict[str, Any]], build: Any) -> MultiStatus:
    """performBatch of the one-object-per-event actions (trackEvent, updateUserProfile): events without an
    identifier fail alone, the others go in one request and take Braze's per-index answer."""
    status = MultiStatus()
    sent: list[dict[str, Any]] = []
    valid: list[int] = []
    items: list[Any] = list(payloads)
    for index, payload in enumerate(payloads):
        if not has_identifier(payload, get_user_alias(payload.get("user_alias", MISSING))):
            status.set_error(index, identifier_error())
            continue
        item = build(payload)
        sent.append(item)
        valid.append(index)
        items[index] = item
        status.set_success(index, {"status": 200, "sent": item, "body": "success"})
    return post_users_track(ctx, key, sent, items, status, valid)


def handle_braze_response(
    send: Any,
    sent_items: list[Any],
    status: MultiStatus,
    valid_indices: list[int],
) -> None:
    """`handleBrazeAPIResponse`: fold Braze's reply into the per-event statuses.

    `send` is a zero-argument function performing the request; `sent_items` is Segment's `payloads`
    array after it replaced valid items with what was sent.
    """
    try:
        response: Response = send()
        errors = property_of(response.data, "errors")
        if type(errors) is list:
            for error in errors:
                index = js_index(valid_indices, property_of(error, "index"))
                if status.is_error(index):
                    continue
                error_type = property_of(error, "type")
                status.set_error(
                    index,
                    {
                        "status": 400,
                        "errortype": "BAD_REQUEST",
                        "errormessage": error_type,
                        "sent": js_index(sent_items, index) if index is not MISSING else MISSING,
                        "body": error_type,
                    },
                )
    except HTTPError as failure:
        data = failure.response.data
        shared: list[Any] = []
        errors = property_of(data, "errors")
        if type(errors) is list:
            for error in errors:
                index = js_index(valid_indices, property_of(error, "index"))
                if index is MISSING or not 0 <= index < len(sent_items):
                    raise JSError("TypeError", "Cannot read properties of undefined (reading 'add')") from None
                _same_value_add(shared, property_of(error, "type"))
        message = data.get("message", MISSING) if type(data) is dict else MISSING
        if message is MISSING or message is None:
            message = failure.message
        for index in range(status.length()):
            if status.is_error(index):
                continue
            status.set_error(
                index,
                {
                    "status": failure.status,
                    "errormessage": message,
                    "sent": js_index(sent_items, index),
                    "body": ", ".join("" if t is None or t is MISSING else js_string(t) for t in shared)
                    if shared
                    else MISSING,
                },
            )
