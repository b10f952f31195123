"""createAlias(2) → `POST /users/alias/new`, identifyUser(2) → `POST /users/identify`.

None of these has field defaults (createAlias subscribes to `event = "Create Alias"`, identifyUser
to nothing), and none can batch: a batch fails with Segment's 501 `NotImplemented`. identifyUser2
also identifies by email (with a merge prioritization) and turns Braze's `errors[]` or error
message into an `APIError`; in 3.387.0 it was identifyUser behind a sync-mode check (alias only).
"""

from __future__ import annotations

from typing import Any

from harness.js import MISSING, js_string, js_truthy
from harness.translate.actions.base import ActionDef, Context, SyncMode, clean
from harness.translate.actions.braze_common import property_of
from harness.translate.actions.fields import field, user_alias_field
from harness.translate.errors import APIError, HTTPError, IntegrationError

__all__ = ["CREATE_ALIAS", "CREATE_ALIAS_2", "IDENTIFY_USER", "IDENTIFY_USER_2", "IDENTIFY_USER_2_3387"]

_CREATE_ALIAS_FIELDS = {
    "external_id": field("External ID", "string", allowNull=True),
    "alias_name": field("Alias Name", "string", required=True),
    "alias_label": field("Alias Label", "string", required=True),
}


def _create_alias(ctx: Context, payload: dict[str, Any]) -> Any:
    external_id = payload.get("external_id", MISSING)
    alias = clean(
        {
            "external_id": MISSING if external_id is None else external_id,
            "alias_name": payload.get("alias_name", MISSING),
            "alias_label": payload.get("alias_label", MISSING),
        }
    )
    return ctx.client.post(f"{ctx.settings['endpoint']}/users/alias/new", {"user_aliases": [alias]})


def _create_alias_v2(ctx: Context, payload: dict[str, Any]) -> Any:
    if ctx.sync_mode == "add":
        return _create_alias(ctx, payload)
    raise IntegrationError('syncMode must be "add"', "Invalid syncMode", 400)


_MERGE_BEHAVIOR = field(
    "Merge Behavior",
    "string",
    choices=[{"value": "none", "label": "None"}, {"value": "merge", "label": "Merge"}],
)


def _identify_user(ctx: Context, payload: dict[str, Any]) -> Any:
    body: dict[str, Any] = {
        "aliases_to_identify": [
            clean(
                {
                    "external_id": payload.get("external_id", MISSING),
                    "user_alias": payload.get("user_alias", MISSING),
                }
            )
        ]
    }
    if payload.get("merge_behavior", MISSING) is not MISSING:
        body["merge_behavior"] = payload["merge_behavior"]
    return ctx.client.post(f"{ctx.settings['endpoint']}/users/identify", body)


_PRIORITIES = [
    {"value": "unidentified", "label": "Unidentified"},
    {"value": "most_recently_updated", "label": "Most Recently Updated"},
    {"value": "least_recently_updated", "label": "Least Recently Updated"},
]


def _identify_user_v2(ctx: Context, payload: dict[str, Any]) -> Any:
    if ctx.sync_mode not in ("add", "upsert"):
        raise IntegrationError('syncMode must be "add" or "upsert"', "Invalid syncMode", 400)
    body: dict[str, Any] = {}
    if payload.get("merge_behavior", MISSING) is not MISSING:
        body["merge_behavior"] = payload["merge_behavior"]
    external_id = payload.get("external_id", MISSING)
    if js_truthy(payload.get("user_alias", MISSING)):
        body["aliases_to_identify"] = [clean({"external_id": external_id, "user_alias": payload["user_alias"]})]
    email = payload.get("email_to_identify", MISSING)
    if js_truthy(email):
        prioritization = payload.get("prioritization", MISSING)
        first = property_of(prioritization, "first_priority")
        order = [None if first is MISSING else first]
        second = property_of(prioritization, "second_priority")
        if js_truthy(second):
            order.append(second)
        body["emails_to_identify"] = [clean({"external_id": external_id, "email": email, "prioritization": order})]
    try:
        response = ctx.client.post(f"{ctx.settings['endpoint']}/users/identify", body)
        errors = property_of(response.data, "errors")
        if type(errors) is list and errors:
            raise APIError(_error_message(property_of(errors[0], "type")), 400)
        return response
    except HTTPError as failure:
        data = failure.response.data
        message = data.get("message", MISSING) if type(data) is dict else MISSING
        if js_truthy(message):
            raise APIError(_error_message(message), failure.status or 400) from None
        raise


def _error_message(value: Any) -> str:
    """`new Error(value).message`: undefined gives "", anything else its string form."""
    return "" if value is MISSING else js_string(value)


_USER_ALIAS_UNLESS_EMAIL = user_alias_field(
    required_parts=True,
    required={"match": "all", "conditions": [{"fieldKey": "email_to_identify", "operator": "is"}]},
)

CREATE_ALIAS = ActionDef(
    slug="createAlias",
    title="Create Alias",
    fields=_CREATE_ALIAS_FIELDS,
    perform=_create_alias,
    default_subscription='event = "Create Alias"',
)

CREATE_ALIAS_2 = ActionDef(
    slug="createAlias2",
    title="Create Alias V2",
    fields=_CREATE_ALIAS_FIELDS,
    perform=_create_alias_v2,
    default_subscription='event = "Create Alias"',
    sync_mode=SyncMode("add", ("add",)),
)

IDENTIFY_USER = ActionDef(
    slug="identifyUser",
    title="Identify User",
    fields={
        "external_id": field("External ID", "string", required=True),
        "user_alias": user_alias_field(required_parts=True, required=True),
        "merge_behavior": _MERGE_BEHAVIOR,
    },
    perform=_identify_user,
)

IDENTIFY_USER_2 = ActionDef(
    slug="identifyUser2",
    title="Identify User V2",
    fields={
        "external_id": field("External ID", "string", required=True),
        "user_alias": _USER_ALIAS_UNLESS_EMAIL,
        "email_to_identify": field(
            "Email to Identify",
            "string",
            required={"match": "all", "conditions": [{"fieldKey": "user_alias", "operator": "is"}]},
        ),
        "prioritization": field(
            "Prioritization",
            "object",
            required={"conditions": [{"fieldKey": "email_to_identify", "operator": "is_not"}]},
            properties={
                "first_priority": field("First Priority", "string", choices=_PRIORITIES),
                "second_priority": field("Second Priority", "string", choices=_PRIORITIES),
            },
        ),
        "merge_behavior": _MERGE_BEHAVIOR,
    },
    perform=_identify_user_v2,
    sync_mode=SyncMode("add", ("add", "upsert")),
)


def _identify_user_v2_3387(ctx: Context, payload: dict[str, Any]) -> Any:
    if ctx.sync_mode in ("add", "upsert"):
        return _identify_user(ctx, payload)
    raise IntegrationError('syncMode must be "add" or "upsert"', "Invalid syncMode", 400)


IDENTIFY_USER_2_3387 = ActionDef(
    slug="identifyUser2",
    title="Identify User V2",
    fields={
        "external_id": field("External ID", "string", required=True),
        "user_alias": user_alias_field(required_parts=True, required=True),
        "merge_behavior": _MERGE_BEHAVIOR,
    },
    perform=_identify_user_v2_3387,
    sync_mode=SyncMode("add", ("add", "upsert")),
)
