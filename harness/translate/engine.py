"""One translation run, as the reference runner performs it: settings, mapping, subscription, action.

`run` takes what a case describes (destination, action or preset, event or batch, settings,
mapping overrides, saved cohort state, scripted replies) and returns an `Outcome`: the requests
Segment would send, the per-event multistatus of a batch, the cohort state it would save, and the
error it would raise. Subscriptions are evaluated and reported, never enforced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from harness.js import MISSING
from harness.segment.fql import FQLError, subscribed
from harness.translate.actions import ActionDef, Context, default_mapping
from harness.translate.actions_core import ActionsCore
from harness.translate.case_errors import missing_action, unknown_action, unknown_destination, unknown_preset
from harness.translate.destinations import Destination, on_delete
from harness.translate.errors import CaseError, SegmentError
from harness.translate.http import BrazeRequest, Client
from harness.translate.pipeline import SYNC_MODE_KEY, Prepared, execute, execute_batch, prepare
from harness.translate.presets import Preset
from harness.translate.releases import release
from harness.translate.settings import SEGMENT_VERSION_KEY

__all__ = ["ON_DELETE", "Outcome", "run", "subscription_result"]

ON_DELETE = "onDelete"


@dataclass(slots=True)
class Outcome:
    """Everything one run produced."""

    destination: str
    action: str | None
    preset: str | None = None
    subscribed: Any = None
    requests: list[BrazeRequest] = field(default_factory=list)
    multistatus: list[dict[str, Any] | None] | None = None
    state_set: dict[str, Any] | None = None
    error: SegmentError | None = None


def subscription_result(fql: str | None, event: Any) -> bool | str | None:
    """The reference runner's `subscribed`: None without FQL, a message for invalid FQL."""
    if not fql:
        return None
    try:
        if type(event) is not dict:
            return False
        return subscribed(fql, event)
    except FQLError as error:
        return f"invalid FQL: {error}"


def _json_safe(value: Any) -> Any:
    """JSON.stringify's view of numbers: Infinity/NaN become null."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if type(value) is dict:
        return {k: _json_safe(v) for k, v in value.items()}
    if type(value) is list:
        return [_json_safe(v) for v in value]
    return value


def run(
    destination: str,
    *,
    action: str | None = None,
    preset: str | None = None,
    event: Any = MISSING,
    batch: list[Any] | None = None,
    settings: dict[str, Any] | None = None,
    mapping: dict[str, Any] | None = None,
    use_default_mappings: bool = True,
    state: dict[str, Any] | None = None,
    responses: list[dict[str, Any]] | None = None,
    subscribe: Any = MISSING,
    known_subscribed: Any = MISSING,
    segment_version: object = None,
) -> Outcome:
    """Run one action (or preset) of `destination` on an event or a batch.

    `known_subscribed` lets a caller that already matched the subscription skip evaluating it again.
    `segment_version` picks the release (else settings' `segment_version`, else the default).
    """
    try:
        chosen_release = release(segment_version if segment_version is not None else _version_setting(settings))
    except CaseError as error:
        return Outcome(destination, action, preset, error=error)
    dest = chosen_release.destinations.get(destination)
    if dest is None:
        return Outcome(destination, action, error=unknown_destination(destination))
    chosen = None
    if preset is not None:
        chosen = dest.preset(preset)
        if chosen is None:
            return Outcome(destination, action, preset, error=unknown_preset(dest, preset))
        action = chosen.action
    if action is None:
        return Outcome(destination, action, preset, error=missing_action(dest))
    if action == ON_DELETE and dest.supports_delete:
        return _run_delete(dest, event, settings, responses)
    action_def = dest.actions.get(action)
    if action_def is None:
        return Outcome(destination, action, preset, error=unknown_action(dest, action))
    try:
        prepared = _prepared(action_def, chosen, mapping, use_default_mappings, chosen_release.core)
    except SegmentError as error:  # pragma: no cover - compile errors surface when run
        return Outcome(destination, action, preset, error=error)
    if subscribe is not MISSING:
        fql = subscribe
    else:
        fql = chosen.subscribe if chosen is not None else action_def.default_subscription
    outcome = Outcome(destination, action, preset)
    if known_subscribed is not MISSING:
        outcome.subscribed = known_subscribed
    elif batch is not None:
        outcome.subscribed = [subscription_result(fql, e) for e in batch]
    else:
        outcome.subscribed = subscription_result(fql, event)
    ctx = Context(settings={}, client=Client(headers={}, responses=responses), state=dict(state or {}))
    try:
        ctx.settings, ctx.client.headers = _settings(dest, settings)
        if batch is not None:
            outcome.multistatus = execute_batch(prepared, batch, ctx)
        else:
            execute(prepared, event, ctx)
    except SegmentError as error:
        outcome.error = error
    outcome.requests = ctx.client.sent
    if ctx.nonfinite:
        outcome.requests = [
            BrazeRequest(r.method, r.path, r.headers, _json_safe(r.body), r.url) for r in outcome.requests
        ]
        if outcome.multistatus is not None:
            outcome.multistatus = _json_safe(outcome.multistatus)
    if ctx.state_set:
        outcome.state_set = ctx.state_set
    return outcome


def _merged_mapping(
    action_def: ActionDef, chosen: Preset | None, mapping: dict[str, Any] | None, use_defaults: bool
) -> dict[str, Any]:
    """The reference runner's mapping: preset or field defaults, case overrides, default sync mode."""
    base = chosen.mapping if chosen is not None else (default_mapping(action_def) if use_defaults else {})
    merged = {**base, **(mapping or {})}
    if action_def.sync_mode is not None and SYNC_MODE_KEY not in merged:
        merged[SYNC_MODE_KEY] = action_def.sync_mode.default
    return merged


def _version_setting(settings: dict[str, Any] | None) -> object:
    """The harness setting `segment_version`, when settings name one."""
    return settings.get(SEGMENT_VERSION_KEY) if type(settings) is dict else None


@lru_cache(maxsize=256)
def _prepared_default(action_def: ActionDef, chosen: Preset | None, use_defaults: bool, core: ActionsCore) -> Prepared:
    return prepare(action_def, _merged_mapping(action_def, chosen, None, use_defaults), core)


def _prepared(
    action_def: ActionDef,
    chosen: Preset | None,
    mapping: dict[str, Any] | None,
    use_defaults: bool,
    core: ActionsCore,
) -> Prepared:
    if not mapping:
        return _prepared_default(action_def, chosen, use_defaults, core)
    return prepare(action_def, _merged_mapping(action_def, chosen, mapping, use_defaults), core)


@lru_cache(maxsize=256)
def _settings_from_key(dest: Destination, key: str) -> tuple[dict[str, Any], dict[str, str]] | SegmentError:
    try:
        validated = dest.validate_settings(json.loads(key) if key else None)
    except SegmentError as error:
        return error
    return validated, dest.headers(validated)


def _settings(dest: Destination, settings: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Validated settings and the headers they give, cached per distinct settings object."""
    try:
        key = json.dumps(settings, sort_keys=True, allow_nan=False) if settings else ""
    except (TypeError, ValueError):
        validated = dest.validate_settings(settings)
        return validated, dest.headers(validated)
    found = _settings_from_key(dest, key)
    if isinstance(found, SegmentError):
        raise found
    return found


def _run_delete(
    dest: Destination, event: Any, settings: dict[str, Any] | None, responses: list[dict[str, Any]] | None
) -> Outcome:
    """Braze's `onDelete` (a harness extension to the case format: `"action": "onDelete"`)."""
    outcome = Outcome(dest.slug, ON_DELETE)
    client = Client(headers={}, responses=responses)
    try:
        validated = dest.validate_settings(settings)
        client.headers = dest.headers(validated)
        on_delete(validated, event, client)
    except SegmentError as error:
        outcome.error = error
    outcome.requests = client.sent
    return outcome
