"""Fields of the ecommerce actions (Braze's recommended ecommerce events), as published in 3.497.0.

Which fields are required depends on the event name (`order_id` for order events, `checkout_id` for
Checkout Started, `cancel_reason` for Order Cancelled, `total_value` for all multi-product events);
Segment expresses that as conditional `required`, which becomes `allOf`/`if`/`then` in the schema
and yields errors such as `The root value must match "then" schema.`
"""

from __future__ import annotations

from typing import Any

from harness.translate.actions.fields import field, path, user_alias_field

__all__ = ["COMMON_FIELDS", "EVENT_NAMES", "PRODUCT", "PRODUCTS"]

EVENT_NAMES = {
    "PRODUCT_VIEWED": "ecommerce.product_viewed",
    "CHECKOUT_STARTED": "ecommerce.checkout_started",
    "ORDER_PLACED": "ecommerce.order_placed",
    "ORDER_CANCELLED": "ecommerce.order_cancelled",
    "ORDER_REFUNDED": "ecommerce.order_refunded",
}

# The unique currency codes of functions.ts `currencies()`, in order.
CURRENCIES = [
    "AFN",
    "EUR",
    "ALL",
    "DZD",
    "USD",
    "AOA",
    "XCD",
    "XAD",
    "ARS",
    "AMD",
    "AWG",
    "AUD",
    "AZN",
    "BSD",
    "BHD",
    "BDT",
    "BBD",
    "BYN",
    "BZD",
    "XOF",
    "BMD",
    "INR",
    "BTN",
    "BOB",
    "BOV",
    "BAM",
    "BWP",
    "NOK",
    "BRL",
    "BND",
    "BGN",
    "BIF",
    "CVE",
    "KHR",
    "XAF",
    "CAD",
    "KYD",
    "CLP",
    "CLF",
    "CNY",
    "COP",
    "COU",
    "KMF",
    "CDF",
    "NZD",
    "CRC",
    "CUP",
    "XCG",
    "CZK",
    "DKK",
    "DJF",
    "DOP",
    "EGP",
    "SVC",
    "ERN",
    "SZL",
    "ETB",
    "FKP",
    "FJD",
    "XPF",
    "GMD",
    "GEL",
    "GHS",
    "GIP",
    "GTQ",
    "GBP",
    "GNF",
    "GYD",
    "HTG",
    "HNL",
    "HKD",
    "HUF",
    "ISK",
    "IDR",
    "XDR",
    "IRR",
    "IQD",
    "ILS",
    "JMD",
    "JPY",
    "JOD",
    "KZT",
    "KES",
    "KPW",
    "KRW",
    "KWD",
    "KGS",
    "LAK",
    "LBP",
    "LSL",
    "ZAR",
    "LRD",
    "LYD",
    "CHF",
    "MOP",
    "MGA",
    "MWK",
    "MYR",
    "MVR",
    "MRU",
    "MUR",
    "XUA",
    "MXN",
    "MXV",
    "MDL",
    "MNT",
    "MAD",
    "MZN",
    "MMK",
    "NAD",
    "NPR",
    "NIO",
    "NGN",
    "MKD",
    "OMR",
    "PKR",
    "PAB",
    "PGK",
    "PYG",
    "PEN",
    "PHP",
    "PLN",
    "QAR",
    "RON",
    "RUB",
    "RWF",
    "SHP",
    "WST",
    "STN",
    "SAR",
    "RSD",
    "SCR",
    "SLE",
    "SGD",
    "XSU",
    "SBD",
    "SOS",
    "SSP",
    "LKR",
    "SDG",
    "SRD",
    "SEK",
    "CHE",
    "CHW",
    "SYP",
    "TWD",
    "TJS",
    "TZS",
    "THB",
    "TOP",
    "TTD",
    "TND",
    "TRY",
    "TMT",
    "UGX",
    "UAH",
    "AED",
    "USN",
    "UYU",
    "UYI",
    "UYW",
    "UZS",
    "VUV",
    "VES",
    "VED",
    "VND",
    "YER",
    "ZMW",
    "ZWG",
]


def _when_name(*names: str) -> dict[str, Any]:
    return {
        "match": "any",
        "conditions": [{"fieldKey": "name", "operator": "is", "value": EVENT_NAMES[n]} for n in names],
    }


def _context_or_properties(key: str) -> dict[str, Any]:
    return {
        "@if": {
            "exists": path(f"$.context.traits.{key}"),
            "then": path(f"$.context.traits.{key}"),
            "else": path(f"$.properties.{key}"),
        }
    }


_ALL_MULTI = ("CHECKOUT_STARTED", "ORDER_PLACED", "ORDER_CANCELLED", "ORDER_REFUNDED")
_ORDERS = ("ORDER_PLACED", "ORDER_CANCELLED", "ORDER_REFUNDED")

COMMON_FIELDS: dict[str, Any] = {
    "name": field(
        "Ecommerce Event Name",
        "string",
        required=True,
        choices=[{"label": k, "value": v} for k, v in EVENT_NAMES.items()],
    ),
    "external_id": field("External User ID", "string", default=path("$.userId")),
    "user_alias": user_alias_field(required_parts=True, additionalProperties=False),
    "email": field("Email", "string", format="email", default=_context_or_properties("email")),
    "phone": field("Phone Number", "string", allowNull=True, default=_context_or_properties("phone")),
    "braze_id": field("Braze User Identifier", "string", allowNull=True, default=_context_or_properties("braze_id")),
    "cancel_reason": field(
        "Cancel Reason", "string", default=path("$.properties.reason"), required=_when_name("ORDER_CANCELLED")
    ),
    "time": field("Time", "string", format="date-time", required=True, default=path("$.timestamp")),
    "checkout_id": field(
        "Checkout ID",
        "string",
        default=path("$.properties.checkout_id"),
        required=_when_name("CHECKOUT_STARTED"),
    ),
    "order_id": field("Order ID", "string", default=path("$.properties.order_id"), required=_when_name(*_ORDERS)),
    "cart_id": field("Cart ID", "string", default=path("$.properties.cart_id")),
    "total_value": field("Total Value", "number", default=path("$.properties.total"), required=_when_name(*_ALL_MULTI)),
    "total_discounts": field("Total Discounts", "number", default=path("$.properties.discount"), required=False),
    "discounts": field(
        "Discounts",
        "object",
        multiple=True,
        additionalProperties=False,
        properties={
            "code": field("Discount Code", "string", required=True),
            "amount": field("Discount Amount", "number", required=True),
        },
        default={
            "@arrayPath": [
                "$.properties.discount_items",
                {"code": path("$.code"), "amount": path("$.amount")},
            ]
        },
        required=False,
    ),
    "currency": field("Currency", "string", required=True, default=path("$.properties.currency"), choices=CURRENCIES),
    "source": field("Source", "string", required=True, default=path("$.properties.source")),
    "metadata": field("Metadata", "object", additionalProperties=True),
    "enable_batching": field("Batch Data to Braze", "boolean", required=True, default=True),
    "batch_size": field("Maximum Batch Size", "number", required=True, default=75, minimum=2, maximum=75),
}

_PRODUCT_PROPS = {
    "product_id": field("Product ID", "string", required=True),
    "product_name": field("Product Name", "string", required=True),
    "variant_id": field("Variant ID", "string", required=True),
    "image_url": field("Image URL", "string", format="uri"),
    "product_url": field("Product URL", "string", format="uri"),
}

PRODUCTS = field(
    "Products",
    "object",
    multiple=True,
    additionalProperties=True,
    required=True,
    properties={
        **_PRODUCT_PROPS,
        "quantity": field("Quantity", "number", required=True),
        "price": field("Price", "number", required=True),
    },
    default={
        "@arrayPath": [
            "$.properties.products",
            {
                "product_id": path("$.product_id"),
                "product_name": path("$.name"),
                "variant_id": path("$.variant"),
                "image_url": path("$.image_url"),
                "product_url": path("$.url"),
                "quantity": path("$.quantity"),
                "price": path("$.price"),
            },
        ]
    },
)

PRODUCT = field(
    "Product",
    "object",
    additionalProperties=False,
    required=True,
    properties={**_PRODUCT_PROPS, "price": field("Price", "number", required=True)},
    default={
        "product_id": path("$.properties.product_id"),
        "product_name": path("$.properties.name"),
        "variant_id": path("$.properties.variant"),
        "image_url": path("$.properties.image_url"),
        "product_url": path("$.properties.url"),
        "price": path("$.properties.price"),
    },
)
