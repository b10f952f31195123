"""updateUserProfile / updateUserProfile2: identify → `POST /users/track {"attributes": [...]}`.

Custom attributes are the traits minus the trackPurchase field names and `firstName`, `lastName`,
`avatar`; the standard fields are written after them, so a trait named like a standard field keeps
its position but takes the standard value, and disappears when that value is undefined (a trait
`language` is dropped because `language` has no default). Gender words map to Braze's letters;
`dob` is `YYYY-MM-DD` and session dates ISO-8601, both through dayjs.
"""

from __future__ import annotations

from typing import Any

from harness.js import MISSING, js_truthy
from harness.translate.actions.base import ActionDef, Context, SyncMode, clean
from harness.translate.actions.braze_common import (
    check_identifiers,
    get_user_alias,
    omit,
    send_object_batch,
    sync_mode_guarded,
    to_date_format,
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
from harness.translate.errors import IntegrationError
from harness.translate.multistatus import MultiStatus

__all__ = ["UPDATE_USER_PROFILE", "UPDATE_USER_PROFILE_2", "UPDATE_USER_PROFILE_2_3387", "UPDATE_USER_PROFILE_3387"]

_SUBSCRIBE_CHOICES = [
    {"label": "Subscribed", "value": "subscribed"},
    {"label": "Unsubscribed", "value": "unsubscribed"},
]


def _fields(v2: bool, subscription_groups: bool = True) -> dict[str, Any]:
    """The action's fields; `subscription_groups` arrived after 3.387.0."""
    fields: dict[str, Any] = {
        "external_id": EXTERNAL_ID,
        "user_alias": USER_ALIAS,
        "braze_id": BRAZE_ID,
        "country": field("Country", "string", allowNull=True, default=path("$.context.location.country")),
        "current_location": field(
            "Current Location",
            "object",
            allowNull=True,
            properties={"latitude": field("Latitude", "number"), "longitude": field("Longitude", "number")},
            default={
                "latitude": path("$.context.location.latitude"),
                "longitude": path("$.context.location.longitude"),
            },
        ),
        "date_of_first_session": field("Date of First Session", "datetime", allowNull=True),
        "date_of_last_session": field("Date of Last Session", "datetime", allowNull=True),
        "dob": field("Date of Birth", "datetime", allowNull=True),
        "email": field("Email", "string", allowNull=True, default=path("$.traits.email")),
        "email_subscribe": field("Email Subscribe", "string"),
        "email_open_tracking_disabled": field("Email Open Tracking Disabled", "boolean"),
        "email_click_tracking_disabled": field("Email Click Tracking Disabled", "boolean"),
        "facebook": field(
            "Facebook Attribution Data",
            "object",
            properties={
                "id": field("Facebook ID", "string"),
                "likes": field("Facebook Likes", "string", multiple=True),
                "num_friends": field("Facebook Number of Friends", "integer"),
            },
        ),
        "first_name": field("First Name", "string", allowNull=True, default=path("$.traits.firstName")),
        "gender": field("Gender", "string", allowNull=True, default=path("$.traits.gender")),
        "home_city": field("Home City", "string", allowNull=True, default=path("$.traits.address.city")),
        "image_url": field("Image URL", "string", format="uri", allowNull=True, default=path("$.traits.avatar")),
        "language": field("Language", "string", allowNull=True),
        "last_name": field("Last Name", "string", default=path("$.traits.lastName")),
        "marked_email_as_spam_at": field("Marked Email as Spam At", "datetime", allowNull=True),
        "phone": field("Phone Number", "string", allowNull=True, default=path("$.traits.phone")),
        "push_subscribe": field("Push Subscribe", "string"),
        "push_tokens": field(
            "Push Tokens",
            "object",
            multiple=True,
            properties={
                "app_id": field("App ID", "string", required=True),
                "token": field("Token", "string", required=True),
                "device_id": field("Device ID", "string"),
            },
        ),
        "time_zone": field("Time zone", "string"),
        "twitter": field(
            "Twitter Attribution Data",
            "object",
            properties={
                "id": field("Twitter ID", "string"),
                "screen_name": field("Twitter Handle", "string"),
                "followers_count": field("Number of Followers", "integer"),
                "friends_count": field("Number of Friends", "integer"),
                "statuses_count": field("Number of Statuses", "integer"),
            },
        ),
        "subscription_groups": field(
            "Subscription Groups",
            "object",
            multiple=True,
            properties={
                "subscription_group_id": field("Subscription Group ID", "string", required=True),
                "subscription_state": field("Subscription State", "string", required=True, choices=_SUBSCRIBE_CHOICES),
            },
        ),
        "custom_attributes": field("Custom Attributes", "object", default=path("$.traits")),
        "_update_existing_only": UPDATE_EXISTING_ONLY,
        "enable_batching": ENABLE_BATCHING,
        "batch_size": BATCH_SIZE,
    }
    if not subscription_groups:
        del fields["subscription_groups"]
    if v2:
        del fields["_update_existing_only"]
    return fields


# Object.keys(trackPurchase.fields) + firstName, lastName, avatar
RESERVED = frozenset(
    {
        "external_id",
        "user_alias",
        "email",
        "braze_id",
        "time",
        "products",
        "properties",
        "_update_existing_only",
        "enable_batching",
        "batch_size",
        "firstName",
        "lastName",
        "avatar",
    }
)
_GENDERS = {
    "man": "M",
    "male": "M",
    "m": "M",
    "woman": "F",
    "female": "F",
    "w": "F",
    "f": "F",
    "other": "O",
    "o": "O",
    "not applicable": "N",
    "n": "N",
    "prefer not to say": "P",
    "p": "P",
}


def braze_gender(gender: Any) -> Any:
    """`toBrazeGender`: Segment's gender words to Braze's letters, anything else unchanged."""
    if not js_truthy(gender) or not isinstance(gender, str):
        return gender
    return _GENDERS.get(gender.lower(), gender)


def _location(value: Any) -> Any:
    if not js_truthy(value):
        return value
    if type(value) is dict:
        return value if value else MISSING
    return value


def attributes(payload: dict[str, Any], sync_mode: str | None) -> dict[str, Any]:
    """The attributes object Segment builds, key order included."""
    get = payload.get
    out = omit(get("custom_attributes", MISSING), RESERVED)
    out["braze_id"] = get("braze_id", MISSING)
    out["external_id"] = get("external_id", MISSING)
    out["user_alias"] = get_user_alias(get("user_alias", MISSING))
    out["country"] = get("country", MISSING)
    out["current_location"] = _location(get("current_location", MISSING))
    out["date_of_first_session"] = to_iso8601(get("date_of_first_session", MISSING))
    out["date_of_last_session"] = to_iso8601(get("date_of_last_session", MISSING))
    out["dob"] = to_date_format(get("dob", MISSING))
    for key in (
        "email",
        "email_subscribe",
        "email_open_tracking_disabled",
        "email_click_tracking_disabled",
        "facebook",
        "first_name",
    ):
        out[key] = get(key, MISSING)
    out["gender"] = braze_gender(get("gender", MISSING))
    for key in ("home_city", "image_url", "language", "last_name"):
        out[key] = get(key, MISSING)
    out["marked_email_as_spam_at"] = to_iso8601(get("marked_email_as_spam_at", MISSING))
    for key in ("phone", "push_subscribe", "push_tokens", "time_zone", "twitter"):
        out[key] = get(key, MISSING)
    groups = get("subscription_groups", MISSING)
    if type(groups) is list and groups:
        out["subscription_groups"] = groups
    out["_update_existing_only"] = update_existing_only(payload, sync_mode)
    return clean(out)


def _perform(ctx: Context, payload: dict[str, Any]) -> Any:
    check_identifiers(payload, get_user_alias(payload.get("user_alias", MISSING)))
    body = {"attributes": [attributes(payload, ctx.sync_mode)]}
    return ctx.client.post(f"{ctx.settings['endpoint']}/users/track", body)


def _perform_batch(ctx: Context, payloads: list[dict[str, Any]]) -> MultiStatus:
    return send_object_batch(ctx, "attributes", payloads, lambda payload: attributes(payload, ctx.sync_mode))


def _unsupported_sync_mode(mode: Any) -> IntegrationError:
    return IntegrationError(f"Sync mode {mode or 'undefined'} is not supported", "Invalid syncMode", 400)


_perform_v2, _perform_batch_v2 = sync_mode_guarded(_perform, _perform_batch, ("update",), _unsupported_sync_mode)


UPDATE_USER_PROFILE = ActionDef(
    slug="updateUserProfile",
    title="Update User Profile",
    fields=_fields(v2=False),
    perform=_perform,
    perform_batch=_perform_batch,
    default_subscription='type = "identify"',
)

UPDATE_USER_PROFILE_2 = ActionDef(
    slug="updateUserProfile2",
    title="Update User Profile V2",
    fields=_fields(v2=True),
    perform=_perform_v2,
    perform_batch=_perform_batch_v2,
    default_subscription='type = "identify"',
    sync_mode=SyncMode("update", ("update",)),
)

# 3.387.0: no subscription_groups field (so never in the attributes object either).
UPDATE_USER_PROFILE_3387 = ActionDef(
    slug="updateUserProfile",
    title="Update User Profile",
    fields=_fields(v2=False, subscription_groups=False),
    perform=_perform,
    perform_batch=_perform_batch,
    default_subscription='type = "identify"',
)

UPDATE_USER_PROFILE_2_3387 = ActionDef(
    slug="updateUserProfile2",
    title="Update User Profile V2",
    fields=_fields(v2=True, subscription_groups=False),
    perform=_perform_v2,
    perform_batch=_perform_batch_v2,
    default_subscription='type = "identify"',
    sync_mode=SyncMode("update", ("update",)),
)
