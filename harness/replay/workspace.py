"""A Segment workspace file (`harness.workspace`) as replay's `ReplayConfig`, and replay's diagnoses for the
fake Segment's failed deliveries. One replay engine: `replay --workspace FILE` and `demo --workspace FILE`
read the workspace into the same settings, mapping overrides, Engage definitions and Braze Cohorts
connection the flags would give.

What maps: the (single) Braze Cloud Mode destination's `api_key`, `endpoint`, `app_id` and its mappings'
field overrides by name; Track Purchase on Order Completed as `legacy_purchases`; the Braze Cohorts
destination's `client_secret` and `endpoint` (connecting it) and its mappings' literal
`personas_audience_key`s; the Engage space. Replay routes by Segment's presets, so a mapping with a trigger
of its own (or a second destination of a kind) is refused with a message naming it; the fake Segment
(`serve --workspace`) runs any trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from harness.replay.config import ConfigError, ReplayConfig
from harness.replay.diagnose.event import Diagnoser
from harness.replay.model import Delivery, EventCase, SentRequest
from harness.replay.routes import LEGACY_PURCHASES, SYNC_AUDIENCE, Route
from harness.segment import validate_event
from harness.translate import PRESETS
from harness.workspace import (
    Attempt,
    DeliveryRecord,
    Diagnose,
    EventRecord,
    FakeSegment,
    SubscriptionMapping,
    Workspace,
    WorkspaceDestination,
)

__all__ = ["DATA_IMPORT_KEY", "config_from_workspace", "delivery_explainer", "workspace_options"]

Settings = Callable[[WorkspaceDestination], dict[str, Any]]
DATA_IMPORT_KEY = "braze-harness-data-import-key"
"""The Braze Cohorts Client Secret replay uses for a connected Braze Cohorts destination that names none."""


def _one(workspace: Workspace, kind: str) -> WorkspaceDestination | None:
    found = [d for d in workspace.destinations if d.kind == kind and d.enabled]
    if len(found) > 1:
        names = ", ".join(repr(d.name) for d in found)
        raise ConfigError(
            f"workspace {workspace.name!r}: replay models one {kind} destination, not {len(found)} ({names})"
        )
    return found[0] if found else None


def _custom(mapping: SubscriptionMapping) -> bool:
    """A mapping whose trigger is not its preset's (replay cannot route it), legacy Track Purchase aside."""
    preset = next((p for p in PRESETS if p.name == mapping.preset), None)
    return preset is None or preset.subscribe != mapping.trigger


def _legacy(mapping: SubscriptionMapping) -> bool:
    return mapping.action == "trackPurchase" and '"Order Completed"' in mapping.trigger


def workspace_options(workspace: Workspace, settings: Settings | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(settings, options) for `ReplayConfig.build`: the settings file a workspace amounts to, and the
    options it sets (mapping overrides, legacy purchases, cohort audience keys, Engage)."""
    settings_of = settings or (lambda d: dict(d.settings))
    given: dict[str, Any] = {}
    options: dict[str, Any] = {}
    braze = _one(workspace, "braze")
    if braze is not None:
        values = settings_of(braze)
        given.update({k: values[k] for k in ("api_key", "endpoint", "app_id") if values.get(k)})
        mapping: dict[str, dict[str, Any]] = {}
        for m in braze.mappings:
            if not m.enabled:
                continue
            if _legacy(m):
                options["legacy_purchases"] = True
                if m.mapping:
                    mapping[LEGACY_PURCHASES] = dict(m.mapping)
                continue
            if _custom(m):
                raise ConfigError(
                    f"workspace {workspace.name!r}: mapping {m.name!r} has a trigger of its own ({m.trigger}); replay "
                    "routes by Segment's presets: run it through the fake Segment (serve --workspace) instead"
                )
            if m.mapping:
                mapping[m.name] = dict(m.mapping)
        if mapping:
            options["mapping"] = mapping
    cohorts = _one(workspace, "braze-cohorts")
    if cohorts is not None:
        values = settings_of(cohorts)
        given["client_secret"] = values.get("client_secret") or DATA_IMPORT_KEY
        if values.get("endpoint"):
            given["cohorts_endpoint"] = values["endpoint"]
        keys = [m.mapping.get("personas_audience_key") for m in cohorts.mappings if m.enabled]
        literal = tuple(k for k in keys if isinstance(k, str))
        if literal and len(literal) == len(keys):
            options["cohort_audience_keys"] = literal
    if workspace.engage is not None:
        options["engage"] = workspace.engage
    return given, options


def config_from_workspace(workspace: Workspace, settings: Settings | None = None, **options: Any) -> ReplayConfig:
    """The replay configuration a workspace describes; `options` (further `ReplayConfig.build` options) win."""
    given, implied = workspace_options(workspace, settings)
    return ReplayConfig.build(given, **{**implied, **options})


def delivery_explainer(fake: FakeSegment) -> Diagnose:
    """Replay's diagnoses of the fake Segment's failed deliveries (`FakeSegment(diagnose=...)`), set up on
    the first failure (most runs never pay for them). The workspace model is the fake Braze's own, so a 401
    is explained by whose key it is."""
    built: list[Diagnoser] = []

    def explain(record: EventRecord, delivery: DeliveryRecord) -> list[dict[str, Any]]:
        if not built:
            built.append(Diagnoser(_config(fake)))
        return _diagnose(built[0], fake.workspace, record, delivery)

    return explain


def _config(fake: FakeSegment) -> ReplayConfig:
    try:
        config = config_from_workspace(fake.workspace, fake.settings_for)
    except ConfigError:  # custom triggers: the settings still explain auth and Braze's answers
        config = config_from_workspace(_presets_only(fake.workspace), fake.settings_for)
    return replace(config, workspaces=fake.braze.config.all_workspaces())


def _diagnose(
    diagnoser: Diagnoser, workspace: Workspace, record: EventRecord, delivery: DeliveryRecord
) -> list[dict[str, Any]]:
    destination = workspace.destination(delivery.destination)
    mapping = next((m for m in destination.mappings if m.name == delivery.mapping), None)
    route = Route(
        delivery.kind,
        delivery.mapping or SYNC_AUDIENCE,
        delivery.action or "",
        mapping.preset if mapping is not None else None,
        tuple(mapping.mapping.items()) if mapping is not None else (),
    )
    case = EventCase(record.id, record.source, record.payload)
    case.violations = validate_event(record.payload) if type(record.payload) is dict else []
    case.routes = [route]
    requests = [_sent(n, delivery.kind, a) for n, a in enumerate(delivery.requests, start=1)]
    case.deliveries = [
        Delivery(
            route,
            status=delivery.status,
            error=delivery.error,
            requests=requests,
            objects=delivery.objects,
            array=delivery.array,
            braze_errors=delivery.braze_errors,
            warnings=delivery.warnings,
            violations=delivery.violations,
        )
    ]
    return [d.to_json() for d in diagnoser.diagnose(case)]


def _sent(number: int, destination: str, attempt: Attempt) -> SentRequest:
    return SentRequest(
        id=number,
        destination=destination,
        method=attempt.method,
        url=attempt.url,
        path=attempt.path,
        headers=attempt.headers,
        body=attempt.body,
        events=1,
        status=attempt.status,
        response=attempt.response,
        violations=attempt.violations,
        notes=attempt.notes,
    )


def _presets_only(workspace: Workspace) -> Workspace:
    """The workspace with only its preset (and legacy purchase) mappings: enough to explain a delivery."""
    destinations = tuple(
        replace(d, mappings=tuple(m for m in d.mappings if d.kind != "braze" or _legacy(m) or not _custom(m)))
        for d in workspace.destinations
    )
    return replace(workspace, destinations=destinations)
