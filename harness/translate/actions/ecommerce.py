"""ecommerce / ecommerceSingleProduct: Braze's recommended ecommerce events on `/users/track`.

The shipped presets route Order Completed, Checkout Started, Order Refunded, Order Cancelled (to
`ecommerce`) and Product Viewed (to `ecommerceSingleProduct`) here, with `time` from `timestamp`.
Each event becomes `{identifiers, app_id, name, time, properties: {currency, source, metadata?,
products | product fields, ...}}`. A batch always carries `X-Braze-Batch: true`, even for one event.
Quirk kept: Braze's `errors[].index` (a position in the sent events) is matched against the
position in the whole batch, so with a rejected event in front the wrong event is blamed.
"""

from __future__ import annotations

from typing import Any

from harness.js import MISSING, dayjs_iso, js_json_dumps, js_truthy
from harness.translate.actions.base import ActionDef, Context, SyncMode, clean
from harness.translate.actions.braze_common import property_of
from harness.translate.actions.ecommerce_fields import COMMON_FIELDS, EVENT_NAMES, PRODUCT, PRODUCTS
from harness.translate.errors import JSError, PayloadValidationError
from harness.translate.multistatus import MultiStatus

__all__ = ["ECOMMERCE", "ECOMMERCE_SINGLE_PRODUCT"]

_IDENTIFIERS_MESSAGE = 'One of "external_id" or "user_alias" or "braze_id" or "email" or "phone" is required.'
_PRODUCT_KEYS = ("quantity", "product_id", "product_name", "variant_id", "price", "image_url", "product_url")
_PRODUCT_KEY_SET = frozenset(_PRODUCT_KEYS)


def _missing_identifiers(payload: dict[str, Any]) -> bool:
    return not any(
        js_truthy(payload.get(key, MISSING)) for key in ("braze_id", "user_alias", "external_id", "email", "phone")
    )


def _products(payload: dict[str, Any]) -> list[dict[str, Any]]:
    products = payload.get("products", MISSING)
    if products is MISSING or products is None:
        shown = "null" if products is None else "undefined"
        raise JSError("TypeError", f"Cannot read properties of {shown} (reading 'map')")
    out = []
    for product in products:
        if type(product) is not dict:  # unreachable after validation; kept for the TypeError
            out.append(clean({key: property_of(product, key) for key in _PRODUCT_KEYS}))
            continue
        item = {key: product[key] for key in _PRODUCT_KEYS if key in product}
        if len(product) > len(item):
            item["metadata"] = {k: v for k, v in product.items() if k not in _PRODUCT_KEY_SET}
        out.append(item)
    return out


def _event(payload: dict[str, Any], settings: dict[str, Any], sync_mode: str | None) -> dict[str, Any]:
    get = payload.get
    iso = dayjs_iso(get("time", MISSING))
    if iso is None:
        raise JSError("RangeError", "Invalid time value")
    alias = get("user_alias", MISSING)
    update_only: Any = MISSING
    if (type(alias) is dict and js_truthy(alias.get("alias_label")) and js_truthy(alias.get("alias_name"))) or (
        sync_mode == "update"
    ):
        update_only = True
    event: dict[str, Any] = {}
    for key in ("external_id", "braze_id", "email", "phone", "user_alias"):
        if js_truthy(get(key, MISSING)):
            event[key] = get(key)
    if js_truthy(settings.get("app_id", MISSING)):
        event["app_id"] = settings["app_id"]
    name = get("name", MISSING)
    event["name"] = name
    event["time"] = iso
    properties = clean({"currency": get("currency", MISSING), "source": get("source", MISSING)})
    if js_truthy(get("metadata", MISSING)):
        properties["metadata"] = get("metadata")
    event["properties"] = properties
    if update_only is not MISSING:
        event["_update_existing_only"] = update_only
    if name == EVENT_NAMES["PRODUCT_VIEWED"]:
        product = get("product", MISSING)
        if type(product) is dict:
            properties.update(product)
        return event
    if name not in (
        EVENT_NAMES["CHECKOUT_STARTED"],
        EVENT_NAMES["ORDER_PLACED"],
        EVENT_NAMES["ORDER_CANCELLED"],
        EVENT_NAMES["ORDER_REFUNDED"],
    ):
        raise PayloadValidationError(f"Unsupported event name: {name}")
    properties["products"] = _products(payload)
    properties["total_value"] = get("total_value", MISSING)
    if name == EVENT_NAMES["CHECKOUT_STARTED"]:
        properties["checkout_id"] = get("checkout_id", MISSING)
        if js_truthy(get("cart_id", MISSING)):
            properties["cart_id"] = get("cart_id")
    else:
        properties["order_id"] = get("order_id", MISSING)
        if name == EVENT_NAMES["ORDER_CANCELLED"]:
            properties["cancel_reason"] = get("cancel_reason", MISSING)
        discounts = get("total_discounts", MISSING)
        if isinstance(discounts, int | float) and not isinstance(discounts, bool):
            properties["total_discounts"] = discounts
        if js_truthy(get("discounts", MISSING)):
            properties["discounts"] = get("discounts")
        if name == EVENT_NAMES["ORDER_PLACED"] and js_truthy(get("cart_id", MISSING)):
            properties["cart_id"] = get("cart_id")
    event["properties"] = clean(properties)
    return event


def _send(ctx: Context, payloads: list[dict[str, Any]], is_batch: bool) -> Any:
    status = MultiStatus()
    if ctx.sync_mode not in ("update", "add"):
        message = f"Invalid syncMode: {ctx.sync_mode or 'undefined'}. Supported sync modes are 'add' and 'update'."
        if not is_batch:
            raise PayloadValidationError(message)
        for index, payload in enumerate(payloads):
            status.set_error(index, {"status": 400, "errormessage": message, "sent": payload})
        return status
    events: list[dict[str, Any]] = []
    for index, payload in enumerate(payloads):
        if _missing_identifiers(payload):
            if not is_batch:
                raise PayloadValidationError(_IDENTIFIERS_MESSAGE)
            status.set_error(index, {"status": 400, "errormessage": _IDENTIFIERS_MESSAGE, "sent": payload})
            continue
        event = _event(payload, ctx.settings, ctx.sync_mode)
        payload["index"] = len(events)
        events.append(event)
        if is_batch:  # single events discard the multistatus; skip serializing its body
            status.set_success(index, {"status": 200, "sent": payload, "body": js_json_dumps(event)})
    headers = {"X-Braze-Batch": "true"} if is_batch else None
    response = ctx.client.post(f"{ctx.settings['endpoint']}/users/track", {"events": events}, headers)
    errors = property_of(response.data, "errors")
    if type(errors) is not list or not errors:
        return status if is_batch else response
    for index, payload in enumerate(payloads):
        found = next((e for e in errors if _strict_equal(property_of(e, "index"), index)), None)
        if found is not None:
            status.set_error(
                index,
                {
                    "status": 400,
                    "errortype": "BAD_REQUEST",
                    "errormessage": property_of(found, "type"),
                    "sent": payload,
                    "body": js_json_dumps(events[index]) if index < len(events) else MISSING,
                },
            )
    return status if is_batch else response


def _strict_equal(value: Any, index: int) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == index


def _perform(ctx: Context, payload: dict[str, Any]) -> Any:
    return _send(ctx, [payload], False)


def _perform_batch(ctx: Context, payloads: list[dict[str, Any]]) -> Any:
    return _send(ctx, payloads, True)


_SYNC = SyncMode("add", ("add", "update"))

ECOMMERCE = ActionDef(
    slug="ecommerce",
    title="Ecommerce Event (multi product)",
    fields={**COMMON_FIELDS, "products": PRODUCTS},
    perform=_perform,
    perform_batch=_perform_batch,
    sync_mode=_SYNC,
)

ECOMMERCE_SINGLE_PRODUCT = ActionDef(
    slug="ecommerceSingleProduct",
    title="Ecommerce Event (single product)",
    fields={**COMMON_FIELDS, "product": PRODUCT},
    perform=_perform,
    perform_batch=_perform_batch,
    sync_mode=_SYNC,
)
