"""Which Braze actions an event reaches: presets and default subscriptions, as an install has them.

Braze Cloud Mode (Actions) gets what `harness.translate.choose_routes` says a default install
subscribes to (the shipped presets), with two install variants: `legacy_purchases` routes Order
Completed to trackPurchase as the "Order Completed Calls" preset did before the ecommerce presets
(segment-engage.md section 5.3), and mapping overrides by subscription name or action slug. Braze
Cohorts, when connected, has one Sync Audience mapping per `personas_audience_key` on the default
trigger (Audience Entered / Exited); with no key given, each audience is assumed to have its own,
correctly keyed mapping. A route is also the batching key: Segment batches per mapping, and Braze
Cohorts per cohort (`batch_keys: cohort_name, cohort_id`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.replay.clientside import DESTINATION_NAMES, destination_enabled
from harness.replay.config import ReplayConfig
from harness.translate import PRESETS, choose_routes
from harness.translate.destinations import DESTINATIONS

__all__ = ["LEGACY_PURCHASES", "Route", "routes_for"]

LEGACY_PURCHASES = "Order Completed Calls"
_ECOMMERCE_ORDER = "Order Placed (beta)"
SYNC_AUDIENCE = "Sync Audience"
_FIELD = re.compile(r"([A-Za-z_][\w.]*)\s*!?=")
_SUBSCRIPTIONS = [p.subscribe for p in PRESETS if p.subscribe] + [
    a.default_subscription for d in DESTINATIONS.values() for a in d.actions.values() if a.default_subscription
]
# Every shipped subscription reads only `type` and `event`, so the routes of an event depend on those two
# values alone and can be remembered by them (checked here, not assumed: other FQL turns the memo off).
_BY_TYPE_AND_EVENT = all(set(_FIELD.findall(fql)) <= {"type", "event"} for fql in _SUBSCRIPTIONS)
_MEMO_LIMIT = 4096
_memo: dict[tuple[Any, ...], list[tuple[str | None, str]]] = {}


def _choose(event: dict[str, Any], destination: str) -> list[tuple[str | None, str]]:
    """`choose_routes`, remembered by (type, event name) when every subscription reads only those."""
    kind, name = event.get("type"), event.get("event")
    if not _BY_TYPE_AND_EVENT or not (kind is None or type(kind) is str) or not (name is None or type(name) is str):
        return choose_routes(event, destination)
    key = (destination, kind, name, "event" in event)
    found = _memo.get(key)
    if found is None:
        if len(_memo) >= _MEMO_LIMIT:
            _memo.clear()
        found = _memo[key] = choose_routes(event, destination)
    return found


@dataclass(frozen=True, slots=True, eq=False)
class Route:
    """One mapping an event triggers: destination, display name, action, preset and mapping overrides."""

    destination: str
    subscription: str
    action: str
    preset: str | None = None
    mapping: tuple[tuple[str, Any], ...] = ()
    batch: tuple[Any, ...] = ()
    """Extra batching key (the cohort for Braze Cohorts). Routes compare by identity: one object per
    mapping and cohort in a run, so they key the batch queues."""

    @property
    def mapping_dict(self) -> dict[str, Any] | None:
        return dict(self.mapping) if self.mapping else None

    @property
    def destination_name(self) -> str:
        return DESTINATION_NAMES[self.destination]


def _overrides(config: ReplayConfig, subscription: str, action: str) -> tuple[tuple[str, Any], ...]:
    found = config.mapping.get(subscription) or config.mapping.get(action) or {}
    return tuple(found.items())


def routes_for(event: Any, config: ReplayConfig, cache: dict[tuple[Any, ...], Route] | None = None) -> list[Route]:
    """Every route the event takes, cloud first; `cache` (one per run) keeps Route objects shared."""
    if type(event) is not dict:
        return []
    memo: dict[tuple[Any, ...], Route] = {} if cache is None else cache
    found: list[Route] = []
    if destination_enabled(event, DESTINATION_NAMES["braze"]):
        for preset, action in _choose(event, "braze"):
            key = ("braze", preset, action)
            route = memo.get(key)
            if route is None:
                route = memo[key] = _braze_route(preset, action, config)
            found.append(route)
    if config.cohorts_settings is not None and destination_enabled(event, DESTINATION_NAMES["braze-cohorts"]):
        for _, action in _choose(event, "braze-cohorts"):
            found.extend(_cohort_routes(event, action, config, memo))
    return found


def _braze_route(preset: str | None, action: str, config: ReplayConfig) -> Route:
    if config.legacy_purchases and preset == _ECOMMERCE_ORDER:
        preset, action, name = None, "trackPurchase", LEGACY_PURCHASES
    else:
        name = preset or action
    return Route("braze", name, action, preset, _overrides(config, name, action))


def _cohort_routes(
    event: dict[str, Any], action: str, config: ReplayConfig, memo: dict[tuple[Any, ...], Route]
) -> list[Route]:
    personas = _personas(event)
    cohort = (personas.get("computation_id"), personas.get("computation_key"))
    keys: tuple[Any, ...] = config.cohort_audience_keys or (cohort[1],)
    routes = []
    for audience_key in keys:
        memo_key = ("braze-cohorts", audience_key, cohort)
        route = memo.get(memo_key)
        if route is None:
            name = f"{SYNC_AUDIENCE} ({audience_key})" if isinstance(audience_key, str) else SYNC_AUDIENCE
            overrides = dict(_overrides(config, name, action) or _overrides(config, SYNC_AUDIENCE, action))
            if isinstance(audience_key, str):
                overrides.setdefault("personas_audience_key", audience_key)
            route = memo[memo_key] = Route("braze-cohorts", name, action, None, tuple(overrides.items()), cohort)
        routes.append(route)
    return routes


def _personas(event: Mapping[str, Any]) -> Mapping[str, Any]:
    context = event.get("context")
    personas = context.get("personas") if isinstance(context, Mapping) else None
    return personas if isinstance(personas, Mapping) else {}
