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

# -- rate limits --------------------------------------------------------------------------------------
RATE_LIMITS: Final = {
    "users.track": RateLimit(3000, 3),
    "users.identify": RateLimit(20_000, 60),
    "users.export.ids": RateLimit(250, 60),
    "cohorts": RateLimit(250_000, 3600),
    "default": RateLimit(250_000, 3600),
}
"""Requests per window by endpoint group (_docs/_api/api_limits.md, "Requests with different rate limits"):
/users/track "3,000 requests per three seconds" since October 28, 2024 (also _includes/rate_limits.md);
/users/identify, /users/alias/new and /users/delete share "20,000 requests per minute"; /users/export/ids has
"250 requests per minute" of its own; "250,000 requests per hour" for endpoints with no limit of their own
(_docs/_api/basics.md). CHOICE: the partner cohort endpoints, which document none, take that default."""
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
