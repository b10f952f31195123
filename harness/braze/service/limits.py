"""Every number of Braze's the fake enforces, once, each with the page that says it.

Paths are files of braze-inc/braze-docs (see ../shared/reference/braze-api.md for the quotes). Shapes
and ranges a JSON Schema can say also appear in `contracts/braze/*.json`; `tests/braze/test_limits.py`
checks that the two agree, so this module stays the one place a number is changed. Numbers that are
the harness's own choices (Braze documents none) are marked CHOICE.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from harness.braze.model.config import RateLimit

__all__ = [
    "ARRAY_ATTRIBUTE_DEFAULT_MAX",
    "ARRAY_ATTRIBUTE_MAX",
    "CANVAS_CONTEXT_MAX_BYTES",
    "CATALOG_ITEMS_PER_BULK_REQUEST",
    "CATALOG_ITEMS_PER_SINGLE_REQUEST",
    "CATALOG_MAX_DESCRIPTION",
    "CATALOG_MAX_FIELDS",
    "CATALOG_MAX_FIELD_NAME",
    "CATALOG_MAX_ITEM_CHARS",
    "CATALOG_MAX_ITEM_ID",
    "CATALOG_MAX_NAME",
    "CATALOG_MAX_NESTING",
    "COHORT_MAX_IDS",
    "EXPORT_EVENT_WINDOW_DAYS",
    "EXPORT_IDS_LEGACY",
    "EXPORT_IDS_LEGACY_BEFORE",
    "MAX_BODY_BYTES",
    "MAX_EVENT_PROPERTIES",
    "MAX_EVENT_PROPERTY_BYTES",
    "MAX_NESTED_BYTES",
    "MAX_NESTED_DEPTH",
    "MAX_PURCHASE_PROPERTY_BYTES",
    "MAX_STRING",
    "MAX_YEAR",
    "PURCHASE_QUANTITY",
    "RATE_LIMITS",
    "SEGMENT_WINDOW_DAYS",
    "SEGMENT_WINDOW_MAX_COUNT",
    "SHARED_SUBSCRIPTION_PROFILES",
    "TRACK_LIMITS",
    "TRIGGER_MAX_RECIPIENTS",
    "USERS_MAX_IDS",
]

# -- strings ----------------------------------------------------------------------------------------
MAX_STRING: Final = 255
"""Characters in a string custom attribute, a custom attribute key, an event property name or string value,
a nested key or string, a product_id, and the plain standard strings: "String attributes can be up to 255
characters long" (_docs/_user_guide/data/custom_data/custom_attributes.md); "Custom attribute keys and values
have a maximum length of 255 characters" (web SDK setting_custom_attributes); event property names "less than
or equal to 255 characters" and strings "255 characters or fewer" (_docs/_api/objects_filters/event_object.md);
product_id "up to 255 characters" (purchase_object.md)."""

MAX_YEAR: Final = 3000
"""Dates past this year are not stored as dates: "if the year is less than 0 or greater than 3000, Braze stores
these values as strings" (custom_attributes.md); for nested `$time`, "year <0 or >3000 not stored"
(nested_custom_attribute_support.md)."""

# -- custom attributes ------------------------------------------------------------------------------
ARRAY_ATTRIBUTE_DEFAULT_MAX: Final = 25
"""Items in an array custom attribute: the maximum "defaults to 25" (custom_attributes.md)."""
ARRAY_ATTRIBUTE_MAX: Final = 100
"""...and "can be increased up to 100" in the dashboard (custom_attributes.md)."""
MAX_NESTED_BYTES: Final = 100 * 1024
"""A nested custom attribute or array of objects: "max 100 KB" (nested_custom_attribute_support.md,
array_of_objects.md)."""
MAX_NESTED_DEPTH: Final = 32
"""CHOICE: Braze documents no depth limit for nested custom attributes; deeper values are refused as invalid."""

# -- events and purchases ---------------------------------------------------------------------------
MAX_EVENT_PROPERTIES: Final = 256
"""Distinct properties captured per event or purchase: "up to 256 distinct custom event properties … only the
first 256 will be captured" (_docs/_user_guide/data/custom_data/custom_events.md)."""
MAX_EVENT_PROPERTY_BYTES: Final = 100 * 1024
"""Event properties holding arrays or objects: "up to 100 KB" (event_object.md), raised from 50 KB in the
October 15, 2024 release (_docs/_help/release_notes/2024/10_15_24.md)."""
MAX_PURCHASE_PROPERTY_BYTES: Final = 50 * 1024
"""Purchase properties: purchase_object.md still says "up to 50 KB"."""
PURCHASE_QUANTITY: Final = (1, 100)
"""`quantity`: "defaults to 1, must be <= 100" (purchase_object.md); an integer from 1."""

# -- requests -----------------------------------------------------------------------------------------
TRACK_LIMITS: Final = {"legacy-75": (75, None), "combined-75": (None, 75), "combined-50": (None, 50)}
"""/users/track objects per request, as (per array, combined): 75 events, 75 attributes and 75 purchases
(_docs/_api/api_limits.md, _includes/rate_limits.md); "up to 75 objects combined" on the newest pages;
"50 updates combined" for Monthly Active Users CY 24-25 contracts (post_user_track.md)."""
USERS_MAX_IDS: Final = 50
"""Identifiers per /users/export/ids, /users/identify, /users/alias/new and /users/delete request: "up to 50"
(post_users_identifier.md, post_user_identify.md, post_user_alias.md, post_user_delete.md)."""
EXPORT_EVENT_WINDOW_DAYS: Final = 90
"""/users/export/ids lists custom events and purchases "in the last 90 days" (post_users_identifier.md);
"`first` and `count` ... will reflect information from all time" (post_users_segment.md)."""
COHORT_MAX_IDS: Final = 1000
"""user_ids + device_ids + aliases per cohort users request: "The maximum combined length of the user IDs in a
single request is 1,000" (_docs/_partners/isv_partners/cohort_import.md)."""
MAX_BODY_BYTES: Final = 4 * 1024 * 1024
"""CHOICE: Braze documents no body size for these endpoints (only /users/track/bulk's 2 MB); 4 MB holds the
largest legal /users/track body (225 objects at their 100 KB property limits) with room to spare."""

SHARED_SUBSCRIPTION_PROFILES: Final = 100
"""Other profiles with the same email whose subscription state follows a change: "up to 100 profiles"
(_docs/_user_guide/message_building_by_channel/email/best_practices/duplicate_emails.md)."""

# -- catalogs (_docs/_api/endpoints/catalogs/) --------------------------------------------------------
CATALOG_ITEMS_PER_BULK_REQUEST: Final = 50
"""Items per bulk `PUT|DELETE /catalogs/{catalog_name}/items`: "Up to 50 item objects are allowed per request"
(catalog_items/asynchronous/put_update_catalog_items.md, delete_catalog_items_bulk.md)."""
CATALOG_ITEMS_PER_SINGLE_REQUEST: Final = 1
"""Items in the body of `PUT /catalogs/{catalog_name}/items/{item_id}`: "Only one item object is allowed per
request" (catalog_items/synchronous/put_update_catalog_item.md)."""
CATALOG_MAX_ITEM_ID: Final = 250
"""Characters in an item id: "Character limit for each item ID is 250 characters" (put_update_catalog_item.md,
put_update_catalog_items.md; `ids-too-large`)."""
CATALOG_MAX_ITEM_CHARS: Final = 5000
"""Characters in one item: "Character limit for each item is 5,000 characters" (put_update_catalog_item.md;
put_update_catalog_items.md says "Item values can't exceed 5,000 characters"). CHOICE: measured as the item's
fields (not its id) written as compact JSON, the stricter of the two readings."""
CATALOG_MAX_NESTING: Final = 50
"""Levels of nesting in an item's values: "Item objects can't have more than 50 levels of nesting"
(put_update_catalog_item.md, put_update_catalog_items.md; `too-deep-nesting-in-value-object`). CHOICE: an object or
array value is one level and each container inside it one more; the item object itself is not counted."""
CATALOG_MAX_NAME: Final = 250
"""Characters in a catalog name: "Character limit for a catalog name is 250" (post_create_catalog.md)."""
CATALOG_MAX_DESCRIPTION: Final = 250
"""Characters in a catalog description: "Character limit for description is 250" (post_create_catalog.md)."""
CATALOG_MAX_FIELD_NAME: Final = 250
"""Characters in a field name: "Character limit for a field name is 250" (post_create_catalog.md)."""
CATALOG_MAX_FIELDS: Final = 500
"""Fields per catalog created by the API: "Number of fields limit is 500" (post_create_catalog.md; the CSV
upload of _docs/_user_guide/data/activation/catalogs/create.md allows 1,000 columns)."""

# -- triggered sends (_docs/_api/endpoints/messaging/send_messages/) ----------------------------------------
TRIGGER_MAX_RECIPIENTS: Final = 50
"""Recipients per `/campaigns/trigger/send` or `/canvas/trigger/send`: "The recipients array may contain up to 50
objects" (post_send_triggered_campaigns.md, post_send_triggered_canvases.md); errors.md's 400 "The max number of
external_ids and aliases per request was exceeded" is "Caused by calling more than 50 external IDs"."""
CANVAS_CONTEXT_MAX_BYTES: Final = 50 * 1024
"""A Canvas `context` (`canvas_entry_properties`) object: "The context object has a maximum size limit of 50 KB"
(post_send_triggered_canvases.md, _docs/_api/objects_filters/context_object.md). CHOICE: measured as compact
JSON, for the request's object and each recipient's."""

# -- rate limits --------------------------------------------------------------------------------------
RATE_LIMITS: Final = {
    "users.track": RateLimit(3000, 3),
    "users.identify": RateLimit(20_000, 60),
    "users.export.ids": RateLimit(250, 60),
    "cohorts": RateLimit(250_000, 3600),
    "catalogs": RateLimit(50, 60),
    "catalogs.items": RateLimit(50, 60),
    "catalogs.items.bulk": RateLimit(16_000, 60),
    "messages.send": RateLimit(250_000, 3600),
    "messages.broadcast": RateLimit(250, 60),
    "default": RateLimit(250_000, 3600),
}
"""Requests per window by endpoint group (_docs/_api/api_limits.md, "Requests with different rate limits"):
/users/track "3,000 requests per three seconds" since October 28, 2024 (also _includes/rate_limits.md);
/users/identify, /users/alias/new and /users/delete share "20,000 requests per minute"; /users/export/ids has
"250 requests per minute" of its own; "250,000 requests per hour" for endpoints with no limit of their own
(_docs/_api/basics.md). CHOICE: the partner cohort endpoints, which document none, take that default.
Catalogs (api_limits.md and _includes/rate_limits.md): `GET|POST /catalogs` and `DELETE /catalogs/{name}` share
"50 requests per minute"; the synchronous item endpoints (`PUT|DELETE|GET .../items/{item_id}`) share "50
requests per minute"; the asynchronous ones (bulk `PUT|DELETE .../items`) share "16,000 requests per minute"
(api_limits.md's rows omit the two PUTs; their pages place them, put_update_catalog_item.md and
put_update_catalog_items.md). Triggered sends (_includes/rate_limits.md, "send endpoints"): "When specifying a
segment or Connected Audience in your request, we apply a rate limit of 250 requests per minute"; otherwise
"250,000 requests per hour shared between /messages/send, /campaigns/trigger/send, and /canvas/trigger/send"
(CHOICE: the include's own bucket, not the one api_limits.md fcf9111 shares with every endpoint without a limit
of its own). A broadcast (no recipients) or a request with an `audience` counts against the 250 per minute."""
EXPORT_IDS_LEGACY: Final = RateLimit(2500, 60)
"""/users/export/ids for workspaces onboarded before EXPORT_IDS_LEGACY_BEFORE: "2,500 requests per minute"
(_docs/_api/api_limits.md)."""
EXPORT_IDS_LEGACY_BEFORE: Final = date(2024, 8, 22)
"""The onboarding date that splits the two /users/export/ids limits (_docs/_api/api_limits.md)."""

# -- read-back ----------------------------------------------------------------------------------------
SEGMENT_WINDOW_DAYS: Final = (1, 3, 7, 14, 21, 30)
"""Y of "X custom event in Y days" filters (custom_events.md, segmentation_filters.md)."""
SEGMENT_WINDOW_MAX_COUNT: Final = 50
"""X of "X custom event in Y days" filters is at most 50 (custom_events.md)."""
