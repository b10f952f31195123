"""actions-core's execution of one action: mapping → empty-value removal → schema → perform.

`prepare` compiles an action with a mapping once (resolver, schema, validator, sync mode) and caches
it, so translating many events with the same configuration pays for compilation once. `execute` is
`Action.execute` (single event: a failure raises Segment's error); `execute_batch` is
`Action.executeBatch` (a schema failure marks that event 400 in the multistatus, the others go on).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from harness.js import MISSING, js_truthy
from harness.translate.actions import ActionDef, Context
from harness.translate.actions_core import CORE_3_170, ActionsCore
from harness.translate.ajv import Validation, Validator, compile_schema
from harness.translate.errors import AggregateAjvError, IntegrationError, JSError
from harness.translate.http import Response
from harness.translate.mapping import Resolver, compile_mapping, is_directive
from harness.translate.multistatus import MultiStatus, schema_failure
from harness.translate.schema import compile_remove_empty, fields_to_schema

__all__ = ["SYNC_MODE_KEY", "Prepared", "execute", "execute_batch", "prepare"]

SYNC_MODE_KEY = "__segment_internal_sync_mode"
_SYNC_MODES = ("add", "update", "upsert", "delete", "mirror")


@dataclass(frozen=True, slots=True)
class Prepared:
    """An action compiled with one mapping."""

    action: ActionDef
    mapping: dict[str, Any]
    resolve: Resolver
    resolve_item: Resolver
    schema: dict[str, Any]
    clean: Callable[..., Any]
    validate: Validator
    sync_mode: str | None
    copy_fields: tuple[str, ...]
    hook_outputs: dict[str, Any]


@cache
def _schema(action: ActionDef) -> tuple[dict[str, Any], Callable[..., Any], Validator]:
    schema = fields_to_schema(action.fields)
    return schema, compile_remove_empty(schema), compile_schema(schema)


def _nested_fields(action: ActionDef) -> tuple[str, ...]:
    """Fields whose value validation may change in place (closed objects, arrays).

    Segment's `transform` ends with `removeUndefined`, which deep-copies every resolved value, so
    coercing one field never shows through another field or the event. Copying just these fields
    gives the same result without copying whole events.
    """
    return tuple(k for k, f in action.fields.items() if f.get("multiple") or "properties" in f)


def _fresh_items(value: Any) -> bool:
    """`@arrayPath` with an item shape builds new item objects, which validation may change freely."""
    if not is_directive(value) or "@arrayPath" not in value:
        return False
    spec = value["@arrayPath"]
    return (
        type(spec) is list and len(spec) > 1 and type(spec[1]) is dict and bool(spec[1]) and not is_directive(spec[1])
    )


def _fresh_object(value: Any, spec: dict[str, Any]) -> bool:
    """A plain object in the mapping (`{"product_id": {"@path": ...}, ...}`) resolves to a new object
    each time; when the field's properties are all leaves, validation changes only that new object
    (coerced values, dropped keys), never anything of the event, so it needs no copy."""
    if type(value) is not dict or not value or is_directive(value) or spec.get("multiple"):
        return False
    properties = spec.get("properties")
    return type(properties) is dict and all(
        not sub.get("multiple") and "properties" not in sub for sub in properties.values()
    )


def _build(action: ActionDef, mapping: dict[str, Any], core: ActionsCore) -> Prepared:
    schema, clean, validate = _schema(action)
    sync_mode = None
    if action.sync_mode is not None:
        raw = mapping.get(SYNC_MODE_KEY, MISSING)
        sync_mode = raw if isinstance(raw, str) and raw in _SYNC_MODES else None
    copy_fields = tuple(
        k
        for k in _nested_fields(action)
        if k in mapping and not _fresh_items(mapping[k]) and not _fresh_object(mapping[k], action.fields[k])
    )
    hook_outputs = {hook: mapping[hook] for hook in action.hooks if js_truthy(mapping.get(hook, MISSING))}
    return Prepared(
        action=action,
        mapping=mapping,
        resolve=compile_mapping(core.mapping_to_resolve(mapping), kit=core.kit),
        resolve_item=compile_mapping(core.mapping_to_resolve(mapping), batch=True, kit=core.kit),
        schema=schema,
        clean=clean,
        validate=validate,
        sync_mode=sync_mode,
        copy_fields=copy_fields,
        hook_outputs=hook_outputs,
    )


@lru_cache(maxsize=512)
def _prepare_cached(action: ActionDef, key: str, core: ActionsCore) -> Prepared:
    return _build(action, json.loads(key), core)


def prepare(action: ActionDef, mapping: dict[str, Any], core: ActionsCore = CORE_3_170) -> Prepared:
    """The action compiled with `mapping` (already merged over the defaults, sync mode included),
    on `core`'s actions-core."""
    try:
        key = json.dumps(mapping, sort_keys=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return _build(action, mapping, core)
    return _prepare_cached(action, key, core)


def copy_json(value: Any) -> Any:
    """A structural copy of a JSON value (Segment's validation coerces some event objects in place)."""
    kind = type(value)
    if kind is dict:
        return {k: copy_json(v) for k, v in value.items()}
    if kind is list:
        return [copy_json(v) for v in value]
    return value


def _detach(prepared: Prepared, payload: dict[str, Any]) -> dict[str, Any]:
    for key in prepared.copy_fields:
        value = payload.get(key, MISSING)
        if type(value) is dict or type(value) is list:
            payload[key] = copy_json(value)
    return payload


def _event_context(event: Any) -> None:
    """`event.context?.personas`, which Segment reads first: null/undefined events are a TypeError."""
    if event is None or event is MISSING:
        shown = "null" if event is None else "undefined"
        raise JSError("TypeError", f"Cannot read properties of {shown} (reading 'context')")


EXEMPT_KEY = "dynamicAuthSettings"


def _validate(prepared: Prepared, payload: dict[str, Any]) -> Validation:
    """actions-core `validateSchema(payload, schema, {exempt: ['dynamicAuthSettings']})`.

    The exempt key is put back after validation removed it (as the payload's last key), so an action
    that sends its whole payload (triggerCampaign, triggerCanvas) sends it too.
    """
    exempt = payload.get(EXEMPT_KEY, MISSING)
    found = prepared.validate(payload)
    if exempt is not MISSING:
        payload[EXEMPT_KEY] = exempt
    return found


def execute(prepared: Prepared, event: Any, ctx: Context) -> Any:
    """`Action.execute`: raises Segment's error on any failure."""
    _event_context(event)
    payload = _detach(prepared, prepared.resolve(event))
    payload = prepared.clean(payload, True)
    found = _validate(prepared, payload)
    if found.errors:
        raise AggregateAjvError(list(found.errors))
    ctx.nonfinite = ctx.nonfinite or found.nonfinite
    ctx.sync_mode = prepared.sync_mode
    ctx.hook_outputs = prepared.hook_outputs
    return prepared.action.perform(ctx, payload)


def execute_batch(prepared: Prepared, events: list[Any], ctx: Context) -> list[dict[str, Any] | None]:
    """`Action.executeBatch`: one multistatus entry per event, in order."""
    _event_context(events[0] if events else MISSING)
    action = prepared.action
    if action.perform_batch is None:
        raise IntegrationError("This action does not support batched requests.", "NotImplemented", 501)
    resolved = [_detach(prepared, prepared.resolve_item(event)) for event in events]
    statuses: list[dict[str, Any] | None] = [None] * len(events)
    invalid: set[int] = set()
    payloads: list[dict[str, Any]] = []
    for index, item in enumerate(resolved):
        payload = prepared.clean(item)
        if type(payload) is dict:
            found = _validate(prepared, payload)
            if found.errors:
                statuses[index] = schema_failure(" ".join(found.errors))
                invalid.add(index)
                continue
            ctx.nonfinite = ctx.nonfinite or found.nonfinite
        payloads.append(payload)
    if not payloads:
        return statuses
    ctx.sync_mode = prepared.sync_mode
    ctx.hook_outputs = prepared.hook_outputs
    result = action.perform_batch(ctx, payloads)
    if isinstance(result, MultiStatus):
        cursor = 0
        for index in range(len(events)):
            if index in invalid:
                continue
            entry = result.merged_entry(cursor)
            cursor += 1
            statuses[index] = entry or {
                "status": 500,
                "errormessage": "MultiStatusResponse is missing a response at the specified index",
                "errortype": "PAYLOAD_VALIDATION_FAILED",
                "errorreporter": "INTEGRATIONS",
            }
        return statuses
    if isinstance(result, Response):
        body = copy_json(result.data) if result.data is not MISSING and result.data is not None else result.content
        status = result.status
    else:
        body, status = {}, 200
    cursor = 0
    for index in range(len(events)):
        if index in invalid:
            continue
        statuses[index] = {"status": status, "body": body, "sent": payloads[cursor]}
        cursor += 1
    return statuses
