"""braze-cohorts syncAudiences: Engage audiences → Braze cohorts (`/partners/segment/cohorts[/users]`).

The first payload's `cohort_name` must equal `personas_audience_key`. When the saved request context
(`state.cohort_name`) differs from the cohort name, the cohort is created first and the name saved.
Users are then added (`event_properties[audience_key]` truthy) or removed, latest event first, each
placed once by `external_id`, then `device_id`, then `user_alias`.

Quirk reproduced: an identifier already placed does not stop the event; it falls through to the
next identifier. An older event of a user whose `external_id` was already placed by a newer event
still files its `user_alias`, under the older event's add/remove decision, so one user can be
removed by id and added by alias in the same request.

3.387.0 (`SYNC_AUDIENCES_3387`) did none of that: users in payload order, every identifier kept
(repeats too), each alias object as the payload held it; and it had no `batch_keys` field.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cmp_to_key
from typing import Any

from harness.js import MISSING, js_date_parse, js_string, js_truthy
from harness.translate.actions.base import ActionDef, Context, clean
from harness.translate.actions.fields import field, path, user_alias_field
from harness.translate.errors import PayloadValidationError

__all__ = ["SYNC_AUDIENCES", "SYNC_AUDIENCES_3387", "partner_api_key"]

PARTNER_KEY_SETTING = "partner_api_key"


def partner_api_key(settings: dict[str, Any]) -> Any:
    """Segment's partner key: from `settings['partner_api_key']` (harness extension) or the environment.

    Segment reads `BRAZE_COHORTS_PARTNER_API_KEY_EU` when the endpoint contains `eu`, else `..._US`;
    without them the harness uses the reference runner's placeholders `PARTNER_API_KEY_US/EU`.
    """
    if PARTNER_KEY_SETTING in settings:
        return settings[PARTNER_KEY_SETTING]
    region = "EU" if "eu" in str(settings.get("endpoint", "")) else "US"
    return os.environ.get(f"BRAZE_COHORTS_PARTNER_API_KEY_{region}", f"PARTNER_API_KEY_{region}")


def _time(value: Any) -> float:
    if isinstance(value, str):
        ms = js_date_parse(value)
        return float("nan") if ms is None else float(ms)
    return float("nan")


def _latest_first(a: dict[str, Any], b: dict[str, Any]) -> int:
    """`(a, b) => new Date(b.time) - new Date(a.time)`: V8's sort treats NaN like 0 (equal)."""
    difference = _time(b.get("time")) - _time(a.get("time"))
    return 0 if difference != difference else (difference > 0) - (difference < 0)


def _changes(payloads: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    payloads.sort(key=cmp_to_key(_latest_first))
    add: dict[str, dict[str, Any]] = {"user_ids": {}, "device_ids": {}, "aliases": {}}
    remove: dict[str, dict[str, Any]] = {"user_ids": {}, "device_ids": {}, "aliases": {}}
    for payload in payloads:
        properties = payload.get("event_properties", MISSING)
        key = js_string(payload.get("personas_audience_key", MISSING))
        entered = properties.get(key, MISSING) if type(properties) is dict else MISSING
        target = add if js_truthy(entered) else remove
        external_id = payload.get("external_id", MISSING)
        device_id = payload.get("device_id", MISSING)
        alias = payload.get("user_alias", MISSING)
        if js_truthy(external_id) and external_id not in add["user_ids"] and external_id not in remove["user_ids"]:
            target["user_ids"][external_id] = None
        elif js_truthy(device_id) and device_id not in add["device_ids"] and device_id not in remove["device_ids"]:
            target["device_ids"][device_id] = None
        elif js_truthy(alias):
            name, label = alias.get("alias_name", MISSING), alias.get("alias_label", MISSING)
            alias_key = f"{js_string(name)}:{js_string(label)}"
            if alias_key not in add["aliases"] and alias_key not in remove["aliases"]:
                target["aliases"][alias_key] = alias

    def entry(users: dict[str, dict[str, Any]]) -> dict[str, Any]:
        return {
            "user_ids": list(users["user_ids"]),
            "device_ids": list(users["device_ids"]),
            "aliases": [
                clean({"alias_name": a.get("alias_name", MISSING), "alias_label": a.get("alias_label", MISSING)})
                for a in users["aliases"].values()
            ],
        }

    return entry(add), {**entry(remove), "should_remove": True}


def _changes_3387(payloads: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """3.387.0's `extractUsers`: payload order, every identifier kept (repeats too), aliases as sent."""
    add: dict[str, Any] = {"user_ids": [], "device_ids": [], "aliases": []}
    remove: dict[str, Any] = {"user_ids": [], "device_ids": [], "aliases": [], "should_remove": True}
    for payload in payloads:
        properties = payload.get("event_properties", MISSING)
        key = js_string(payload.get("personas_audience_key", MISSING))
        entered = properties.get(key, MISSING) if type(properties) is dict else MISSING
        target = add if js_truthy(entered) else remove
        external_id = payload.get("external_id", MISSING)
        device_id = payload.get("device_id", MISSING)
        alias = payload.get("user_alias", MISSING)
        if js_truthy(external_id):
            target["user_ids"].append(external_id)
        elif js_truthy(device_id):
            target["device_ids"].append(device_id)
        elif js_truthy(alias):
            target["aliases"].append(alias)
    return add, remove


def _has_users(change: dict[str, Any]) -> bool:
    return bool(change["user_ids"] or change["device_ids"] or change["aliases"])


Changes = Callable[[list[dict[str, Any]]], tuple[dict[str, Any], dict[str, Any]]]


def _process(ctx: Context, payloads: list[dict[str, Any]], changes_of: Changes = _changes) -> Any:
    first = payloads[0]
    if first.get("cohort_name", MISSING) != first.get("personas_audience_key", MISSING):
        raise PayloadValidationError("The value of `personas computation key` and `personas_audience_key` must match.")
    settings = ctx.settings
    endpoint = settings["endpoint"]
    key = partner_api_key(settings)
    cohort_name = first.get("cohort_name", MISSING)
    cohort_id = first.get("cohort_id", MISSING)
    saved = ctx.state.get("cohort_name", MISSING)
    if not _loosely_equal(saved, cohort_name):
        body = {
            "partner_api_key": key,
            "client_secret": settings.get("client_secret", MISSING),
            "name": cohort_name,
            "cohort_id": cohort_id,
            "created_at": first.get("time", MISSING),
        }
        ctx.client.post(f"{endpoint}/partners/segment/cohorts", clean(body))
        ctx.state_set["cohort_name"] = cohort_name
    add, remove = changes_of(payloads)
    changes = [change for change in (add, remove) if _has_users(change)]
    if not changes:
        return None
    body = {
        "partner_api_key": key,
        "client_secret": settings.get("client_secret", MISSING),
        "cohort_id": cohort_id,
        "cohort_changes": changes,
    }
    return ctx.client.post(f"{endpoint}/partners/segment/cohorts/users", clean(body))


def _loosely_equal(a: Any, b: Any) -> bool:
    """`a == b` for the saved cohort name (a string, or undefined/null when nothing was saved)."""
    if (a is MISSING or a is None) and (b is MISSING or b is None):
        return True
    if a is MISSING or a is None or b is MISSING or b is None:
        return False
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return js_string(a) == js_string(b)


def _perform(ctx: Context, payload: dict[str, Any]) -> Any:
    return _process(ctx, [payload])


def _perform_batch(ctx: Context, payloads: list[dict[str, Any]]) -> Any:
    return _process(ctx, payloads)


SYNC_AUDIENCES = ActionDef(
    slug="syncAudiences",
    title="Sync Audience",
    fields={
        "external_id": field("External User ID", "string", default=path("$.userId")),
        "user_alias": user_alias_field(required_parts=True),
        "device_id": field("Device ID", "string"),
        "cohort_id": field(
            "Cohort ID",
            "string",
            unsafe_hidden=True,
            required=True,
            default=path("$.context.personas.computation_id"),
        ),
        "cohort_name": field(
            "Cohort Name",
            "string",
            unsafe_hidden=True,
            required=True,
            default=path("$.context.personas.computation_key"),
        ),
        "enable_batching": field("Enable Batching", "boolean", default=True),
        "personas_audience_key": field("Segment Engage Audience Key", "string", required=True),
        "event_properties": field(
            "Event Properties",
            "object",
            required=True,
            unsafe_hidden=True,
            default={
                "@if": {
                    "exists": path("$.properties"),
                    "then": path("$.properties"),
                    "else": path("$.traits"),
                }
            },
        ),
        "time": field("Time", "string", unsafe_hidden=True, required=True, default=path("$.timestamp")),
        "batch_keys": field(
            "Batch Keys",
            "string",
            unsafe_hidden=True,
            default=["cohort_name", "cohort_id"],
            multiple=True,
            required=False,
        ),
    },
    perform=_perform,
    perform_batch=_perform_batch,
    default_subscription='event = "Audience Entered" or event = "Audience Exited"',
)


def _perform_3387(ctx: Context, payload: dict[str, Any]) -> Any:
    return _process(ctx, [payload], _changes_3387)


def _perform_batch_3387(ctx: Context, payloads: list[dict[str, Any]]) -> Any:
    return _process(ctx, payloads, _changes_3387)


# 3.387.0: no batch_keys field; users in payload order, repeats kept, aliases as sent.
SYNC_AUDIENCES_3387 = ActionDef(
    slug="syncAudiences",
    title="Sync Audience",
    fields={k: v for k, v in SYNC_AUDIENCES.fields.items() if k != "batch_keys"},
    perform=_perform_3387,
    perform_batch=_perform_batch_3387,
    default_subscription='event = "Audience Entered" or event = "Audience Exited"',
)
