"""trackPurchase / trackPurchase2: one Braze purchase per product, `POST /users/track {"purchases"}`.

Each purchase carries the identifiers, `currency` (default USD), `price`, `quantity` and
`properties` = the product's other keys overlaid by the event properties minus `products`. A single
event with no products sends nothing; a batch reports it (400). Batches count products: an event
with more than 75 gets 413, the event that pushes the running count past 75 and every later one get
429 (the count also includes events that then fail the identifier check). In 3.387.0 a batch had no
product limits, its no-products error carried no body, and a batch with nothing to send still sent
`{"purchases": []}`.
"""

from __future__ import annotations

from typing import Any

from harness.js import MISSING
from harness.translate.actions.base import ActionDef, Context, SyncMode, clean
from harness.translate.actions.braze_common import (
    IDENTIFIER_MESSAGE,
    MAX_BATCH_SIZE,
    add_or_update_refusal,
    check_identifiers,
    get_user_alias,
    has_identifier,
    omit,
    post_users_track,
    property_of,
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

__all__ = ["TRACK_PURCHASE", "TRACK_PURCHASE_2", "TRACK_PURCHASE_2_3387", "TRACK_PURCHASE_3387"]

_PRODUCT_KEYS = frozenset({"product_id", "currency", "price", "quantity"})
_PRODUCTS = frozenset({"products"})
_NO_PRODUCTS = "This event was not sent to Braze because it did not contain any products."


def _fields(v2: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "external_id": EXTERNAL_ID,
        "user_alias": USER_ALIAS,
        "email": field("Email", "string", default=path("$.traits.email")),
        "braze_id": BRAZE_ID,
        "time": field("Time", "datetime", required=True, default=path("$.receivedAt")),
        "products": field(
            "Products",
            "object",
            multiple=True,
            required=True,
            additionalProperties=True,
            properties={
                "product_id": field("Product ID", "string", required=True),
                "currency": field("Currency", "string"),
                "price": field("Price", "number", required=True),
                "quantity": field("Quantity", "integer"),
            },
            default=path("$.properties.products"),
        ),
        "properties": field("Event Properties", "object", default=path("$.properties")),
        "_update_existing_only": UPDATE_EXISTING_ONLY,
        "enable_batching": ENABLE_BATCHING,
        "batch_size": BATCH_SIZE,
    }
    if v2:
        del fields["_update_existing_only"]
    return fields


def _purchase(base: dict[str, Any], product: Any, event_properties: dict[str, Any]) -> dict[str, Any]:
    currency = property_of(product, "currency")
    item = dict(base)
    item["product_id"] = property_of(product, "product_id")
    item["currency"] = "USD" if currency is MISSING or currency is None else currency
    item["price"] = property_of(product, "price")
    item["quantity"] = property_of(product, "quantity")
    item["properties"] = {**omit(product, _PRODUCT_KEYS), **event_properties}
    return clean(item)


def _perform(ctx: Context, payload: dict[str, Any]) -> Any:
    get = payload.get
    user_alias = get_user_alias(get("user_alias", MISSING))
    check_identifiers(payload, user_alias)
    products = get("products", MISSING)
    if len(products) == 0:
        return None
    event_properties = omit(get("properties", MISSING), _PRODUCTS)
    base = {
        "braze_id": get("braze_id", MISSING),
        "external_id": get("external_id", MISSING),
        "email": get("email", MISSING),
        "user_alias": user_alias,
        "app_id": ctx.settings.get("app_id", MISSING),
        "time": to_iso8601(get("time", MISSING)),
        "_update_existing_only": update_existing_only(payload, ctx.sync_mode),
    }
    headers = {"X-Braze-Batch": "true"} if len(products) > 1 else None
    body = {"purchases": [_purchase(base, product, event_properties) for product in products]}
    return ctx.client.post(f"{ctx.settings['endpoint']}/users/track", body, headers)


def _too_large(payload: dict[str, Any], count: int) -> dict[str, Any]:
    return {
        "status": 413,
        "errortype": "PAYLOAD_TOO_LARGE",
        "body": payload,
        "errormessage": f"Max batch size exceeded. This payload contains {count} products, which is more "
        f"than Braze's maximum batch size of {MAX_BATCH_SIZE} objects per batch.",
    }


def _retry_later(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": 429,
        "errortype": "RETRYABLE_ERROR",
        "body": payload,
        "errormessage": "Max batch size exceeded. This event was included in a batch which then exceeded "
        f"Braze's maximum batch size of {MAX_BATCH_SIZE} objects per batch. This payload will be retried "
        "in another batch.",
    }


def _perform_batch(ctx: Context, payloads: list[dict[str, Any]]) -> MultiStatus:
    return _batch(ctx, payloads, limits=True)


def _perform_batch_3387(ctx: Context, payloads: list[dict[str, Any]]) -> MultiStatus:
    return _batch(ctx, payloads, limits=False)


def _batch(ctx: Context, payloads: list[dict[str, Any]], *, limits: bool) -> MultiStatus:
    """`sendBatchedTrackPurchase`; `limits` is the product counting added after 3.387.0."""
    status = MultiStatus()
    flattened: list[dict[str, Any]] = []
    valid: list[int] = []
    items: list[Any] = list(payloads)
    count = 0
    for index, payload in enumerate(payloads):
        get = payload.get
        products = get("products", MISSING)
        if limits and type(products) is list and len(products) > MAX_BATCH_SIZE:
            status.set_error(index, _too_large(payload, len(products)))
            continue
        count += len(products) if type(products) is list else 0
        if limits and count > MAX_BATCH_SIZE:
            status.set_error(index, _retry_later(payload))
            continue
        user_alias = get_user_alias(get("user_alias", MISSING))
        if not has_identifier(payload, user_alias):
            status.set_error(
                index,
                {"status": 400, "errortype": "PAYLOAD_VALIDATION_FAILED", "errormessage": IDENTIFIER_MESSAGE},
            )
            continue
        if len(products) == 0:
            entry = {
                "status": 400,
                "errortype": "PAYLOAD_VALIDATION_FAILED",
                "body": payload,
                "errormessage": _NO_PRODUCTS,
            }
            if not limits:
                del entry["body"]
            status.set_error(index, entry)
            continue
        base = {
            "braze_id": get("braze_id", MISSING),
            "external_id": get("external_id", MISSING),
            "user_alias": user_alias,
            "email": get("email", MISSING),
            "app_id": ctx.settings.get("app_id", MISSING),
            "time": to_iso8601(get("time", MISSING)),
            "_update_existing_only": update_existing_only(payload, ctx.sync_mode),
        }
        event_properties = omit(get("properties", MISSING), _PRODUCTS)
        group: list[dict[str, Any]] = []
        for product in products:
            purchase = _purchase(base, product, event_properties)
            flattened.append(purchase)
            group.append(purchase)
            valid.append(index)
        items[index] = group
        status.set_success(index, {"status": 200, "sent": payload, "body": "success"})
    if not flattened and limits:
        return status
    return post_users_track(ctx, "purchases", flattened, items, status, valid)


_perform_v2, _perform_batch_v2 = sync_mode_guarded(_perform, _perform_batch, ("add", "update"), add_or_update_refusal)


TRACK_PURCHASE = ActionDef(
    slug="trackPurchase",
    title="Track Purchase",
    fields=_fields(v2=False),
    perform=_perform,
    perform_batch=_perform_batch,
    default_subscription='event = "Order Completed"',
)

TRACK_PURCHASE_2 = ActionDef(
    slug="trackPurchase2",
    title="Track Purchase V2",
    fields=_fields(v2=True),
    perform=_perform_v2,
    perform_batch=_perform_batch_v2,
    default_subscription='event = "Order Completed"',
    sync_mode=SyncMode("add", ("add", "update")),
)

_perform_v2_3387, _perform_batch_v2_3387 = sync_mode_guarded(
    _perform, _perform_batch_3387, ("add", "update"), add_or_update_refusal
)

TRACK_PURCHASE_3387 = ActionDef(
    slug="trackPurchase",
    title="Track Purchase",
    fields=_fields(v2=False),
    perform=_perform,
    perform_batch=_perform_batch_3387,
    default_subscription='event = "Order Completed"',
)

TRACK_PURCHASE_2_3387 = ActionDef(
    slug="trackPurchase2",
    title="Track Purchase V2",
    fields=_fields(v2=True),
    perform=_perform_v2_3387,
    perform_batch=_perform_batch_v2_3387,
    default_subscription='event = "Order Completed"',
    sync_mode=SyncMode("add", ("add", "update")),
)
