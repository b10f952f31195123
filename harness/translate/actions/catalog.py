"""upsertCatalogItem: Braze catalog items, `PUT` (sync mode upsert) or `DELETE` (any other mode).

The catalog is the `onMappingSave` hook's saved output, `mapping.onMappingSave.outputs.catalog_name`,
read raw (not resolved) and interpolated into the URL, so a missing one gives `/catalogs/undefined/...`.
A single event goes to `/catalogs/<catalog>/items/<item_id>` with `{"items": [item]}`; a batch to
`/catalogs/<catalog>/items/` with each item as `{...item, id}` (delete: `{id}`). Item ids must match
`^[a-zA-Z0-9_-]+$` ("Invalid ID Format"), upserts need a non-empty item ("Item is required"), and a
batch refuses a repeated id. Braze's errors map back by item id (`parameter_values`); a
`catalog-not-found` fails the whole batch with 404, other unmatched items get a retryable 500.

Not reproduced: the hook itself (selecting or creating the catalog when the mapping is saved, which
calls `GET/POST /catalogs`) and the dynamic `item` keys (a UI lookup): neither runs at delivery.
"""

from __future__ import annotations

import re
from typing import Any

from harness.js import MISSING, js_json_dumps, js_property, js_string, js_truthy
from harness.translate.actions.base import ActionDef, Context, SyncMode
from harness.translate.actions.braze_common import property_of
from harness.translate.actions.fields import field
from harness.translate.errors import HTTPError, IntegrationError, JSError
from harness.translate.http import Response
from harness.translate.multistatus import MultiStatus

__all__ = ["UPSERT_CATALOG_ITEM", "catalog_name"]

HOOK = "onMappingSave"
_ITEM_ID = re.compile(r"[a-zA-Z0-9_-]+")
_FAILED = "PAYLOAD_VALIDATION_FAILED"

_FIELDS: dict[str, Any] = {
    "item": field(
        "Catalog item to upsert",
        "object",
        required={
            "match": "all",
            "conditions": [
                {"type": "field", "fieldKey": "__segment_internal_sync_mode", "operator": "is", "value": "upsert"}
            ],
        },
    ),
    "item_id": field("Item ID", "string", required=True, maximum=250, minimum=1),
    "enable_batching": field("Batch Data to Braze?", "boolean", default=True),
    "batch_size": field("Batch Size", "number", minimum=1, maximum=50, default=50, unsafe_hidden=True),
}


def _optional(value: Any, key: str) -> Any:
    """`value?.key`: undefined for null/undefined, the property otherwise."""
    return MISSING if value is None or value is MISSING else js_property(value, key)


def catalog_name(ctx: Context) -> Any:
    """`hookOutputs?.onMappingSave?.outputs?.catalog_name`."""
    return _optional(_optional(ctx.hook_outputs.get(HOOK, MISSING), "outputs"), "catalog_name")


def _valid_id(item_id: Any) -> bool:
    return _ITEM_ID.fullmatch(js_string(item_id)) is not None


def _empty_object(item: Any) -> bool:
    """actions-core `isObject(item) && lodash isEmpty(item)`."""
    return type(item) is dict and not item


def _url(ctx: Context, suffix: str) -> str:
    return f"{ctx.settings['endpoint']}/catalogs/{js_string(catalog_name(ctx))}/items/{suffix}"


def _method(ctx: Context) -> str:
    return "PUT" if ctx.sync_mode == "upsert" else "DELETE"


def _data(failure: HTTPError) -> Any:
    """`error?.response?.data` (undefined when the body was not JSON)."""
    return failure.response.data if isinstance(failure.response, Response) else MISSING


def _first_error(failure: HTTPError) -> Any:
    """`error?.response?.data?.errors?.[0]`."""
    return _optional(_optional(_data(failure), "errors"), "0")


def _perform(ctx: Context, payload: dict[str, Any]) -> Any:
    item_id = payload.get("item_id", "")
    item = payload.get("item", {})
    if not _valid_id(item_id):
        raise IntegrationError("Invalid ID Format", _FAILED, 400)
    if ctx.sync_mode == "upsert" and _empty_object(item):
        raise IntegrationError("Item is required", _FAILED, 400)
    headers = {"Content-Type": "application/json"}
    try:
        return ctx.client.send(_method(ctx), _url(ctx, js_string(item_id)), {"items": [item]}, headers)
    except HTTPError as failure:
        first = _first_error(failure)
        if _optional(first, "id") == "item-not-found" and ctx.sync_mode == "delete":
            return {"status": 200, "message": "Could not find item"}
        status = failure.response.status if isinstance(failure.response, Response) else 500
        mode = js_string(ctx.sync_mode if ctx.sync_mode is not None else MISSING)
        raise IntegrationError(js_string(_optional(first, "message")), f"Error {mode}ing item", status) from None


def _sent(payload: dict[str, Any], item_id: Any) -> dict[str, Any]:
    """`{...payload.item, id}` (spreading undefined gives nothing)."""
    item = payload.get("item", MISSING)
    out = dict(item) if type(item) is dict else {}
    out["id"] = item_id
    return out


def _perform_batch(ctx: Context, payloads: list[dict[str, Any]]) -> MultiStatus:
    status = MultiStatus()
    valid: dict[Any, int] = {}
    items: list[dict[str, Any]] = []
    for index, payload in enumerate(payloads):
        item_id = payload.get("item_id", "")
        item = payload.get("item", {})
        if item_id in valid:
            message = "Every item in the batch must have a unique item_id"
            status.set_error(index, {"status": 400, "errortype": _FAILED, "errormessage": message})
            continue
        if not _valid_id(item_id):
            status.set_error(index, {"status": 400, "errortype": _FAILED, "errormessage": "Invalid ID Format"})
            continue
        body: dict[str, Any] = {}
        if ctx.sync_mode == "upsert":
            if _empty_object(item):
                status.set_error(index, {"status": 400, "errortype": _FAILED, "errormessage": "Item is required"})
                continue
            body = dict(item) if type(item) is dict else {}
        body["id"] = item_id
        items.append(body)
        valid[item_id] = index
    if not items:
        return status
    headers = {"Content-Type": "application/json"}
    try:
        response = ctx.client.send(_method(ctx), _url(ctx, ""), {"items": items}, headers)
    except HTTPError as failure:
        _fold_errors(_data(failure), status, valid, payloads)
        return status
    for item_id, index in valid.items():
        status.set_success(index, {"status": 200, "sent": _sent(payloads[index], item_id), "body": response.data})
    return status


def _for_each(value: Any, name: str) -> list[Any]:
    """`value?.forEach(...)`: nothing for null/undefined, the items of an array, a TypeError otherwise."""
    if value is None or value is MISSING:
        return []
    if type(value) is list:
        return value
    raise JSError("TypeError", f"{name} is not a function")


def _fold_errors(data: Any, status: MultiStatus, valid: dict[Any, int], payloads: list[dict[str, Any]]) -> None:
    """`processMultiStatusErrorResponse`: Braze's errors onto the items they name, by item id."""
    errors = _optional(data, "errors")  # `const { errors = [] } = response ?? {}`
    if errors is MISSING:
        errors = []
    catalog_found = True
    for error in _for_each(errors, "errors?.forEach"):
        parameters = _optional(error, "parameters")
        by_object = type(parameters) is list and len(parameters) > 1
        if _optional(error, "id") == "catalog-not-found":
            catalog_found = False
            continue
        for value in _for_each(property_of(error, "parameter_values"), "error.parameter_values?.forEach"):
            item_id = _optional(value, "id") if by_object else value
            if _is_key(item_id) and item_id in valid:
                index = valid.pop(item_id)
                message = _optional(error, "message")
                status.set_error(
                    index,
                    {
                        "status": 400,
                        "errortype": _FAILED,
                        "errormessage": message if js_truthy(message) else "Unknown error",
                        "sent": _sent(payloads[index], item_id),
                        "body": error,
                    },
                )
    shown = js_json_dumps(errors)
    if not catalog_found:
        for item_id, index in valid.items():
            status.set_error(
                index,
                {
                    "status": 404,
                    "errortype": "NOT_FOUND",
                    "errormessage": "Catalog not found. Please create a catalog first.",
                    "sent": _sent(payloads[index], item_id),
                    "body": shown,
                },
            )
        return
    for item_id, index in valid.items():
        status.set_error(
            index,
            {
                "status": 500,
                "errortype": "RETRYABLE_ERROR",
                "errormessage": f"Item with ID {js_string(item_id)} could not be processed due to invalid catalog "
                "items in the batch request.",
                "sent": _sent(payloads[index], item_id),
                "body": shown,
            },
        )


def _is_key(value: Any) -> bool:
    """The batch's Map is keyed by the (string) item ids; SameValueZero never matches another type."""
    return isinstance(value, str)


UPSERT_CATALOG_ITEM = ActionDef(
    slug="upsertCatalogItem",
    title="Upsert Catalog Item",
    fields=_FIELDS,
    perform=_perform,
    perform_batch=_perform_batch,
    sync_mode=SyncMode("upsert", ("upsert", "delete")),
    hooks=(HOOK,),
)
