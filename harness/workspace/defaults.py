"""What a workspace holds when nobody said otherwise: the mappings a new install gets, and a workspace that
needs no file.

- Braze Cloud Mode (Actions): the automatic presets a new destination subscribes to (`harness.translate.
  PRESETS` with a trigger: Track Calls, the ecommerce presets, Identify Calls), each with its own mapping.
- Braze Cohorts ships no preset; its one action, Sync Audience, has the default trigger `event = "Audience
  Entered" or event = "Audience Exited"`. Segment's setup asks for one Sync Audience mapping per audience
  whose "Segment Engage Audience Key" is that audience's key (segment-docs `src/connections/destinations/
  catalog/actions-braze-cohorts/index.md`); the default mapping stands for all of them at once, its key
  read from the event's own `context.personas.computation_key`, so every audience is correctly keyed.
- The default workspace: any write key is accepted; Braze Cloud Mode with those presets and Braze Cohorts,
  both connected, with the given settings (the fake Segment's owner points them at its fake Braze); no
  Engage definitions. Engage definitions that name no destination are connected to Braze Cloud Mode
  (identify) and, for audiences, Braze Cohorts (track: Audience Entered / Exited, what Sync Audience reads).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from harness.engage import Audience, Definition, Destination, EngageSpace
from harness.translate import PRESETS
from harness.translate.actions import COHORTS_ACTIONS
from harness.workspace.integrations import BRAZE_CLOUD, BRAZE_COHORTS
from harness.workspace.model import SubscriptionMapping, Workspace, WorkspaceDestination

__all__ = [
    "SYNC_AUDIENCE",
    "connect_engage",
    "default_mappings",
    "default_workspace",
    "engage_connections",
]

SYNC_AUDIENCE = "Sync Audience"
_UNNAMED = (Destination(),)
_AUDIENCE_KEY = {"personas_audience_key": {"@path": "$.context.personas.computation_key"}}


def default_mappings(kind: str) -> tuple[SubscriptionMapping, ...]:
    """The mappings a new instance of the destination has."""
    if kind == "braze":
        return tuple(
            SubscriptionMapping(preset.name, preset.action, preset.subscribe, preset=preset.name)
            for preset in PRESETS
            if preset.subscribe
        )
    sync = COHORTS_ACTIONS["syncAudiences"]
    assert sync.default_subscription is not None
    return (SubscriptionMapping(SYNC_AUDIENCE, sync.slug, sync.default_subscription, mapping=_AUDIENCE_KEY),)


def default_workspace(
    braze_settings: Mapping[str, Any] | None = None,
    cohorts_settings: Mapping[str, Any] | None = None,
    *,
    engage: EngageSpace | None = None,
) -> Workspace:
    """Any write key; Braze Cloud Mode (Actions) with the presets and Braze Cohorts, with these settings."""
    return Workspace(
        destinations=(
            WorkspaceDestination(BRAZE_CLOUD, "braze", dict(braze_settings or {}), default_mappings("braze")),
            WorkspaceDestination(
                BRAZE_COHORTS,
                "braze-cohorts",
                dict(cohorts_settings or {}),
                default_mappings("braze-cohorts"),
            ),
        ),
        engage=connect_engage(engage, cohorts=True) if engage is not None else None,
    )


def engage_connections(definition: Definition, *, cohorts: bool) -> tuple[Destination, ...]:
    """The default connections of a definition: Braze Cloud Mode by identify; Braze Cohorts by track for
    audiences (when the workspace has it)."""
    found = [Destination(BRAZE_CLOUD)]
    if cohorts and isinstance(definition, Audience):
        found.append(Destination(BRAZE_COHORTS, send_identify=False, send_track=True))
    return tuple(found)


def connect_engage(space: EngageSpace, *, cohorts: bool, named: frozenset[str] = frozenset()) -> EngageSpace:
    """The space with each definition left on the default connection (and not in `named`, the keys whose
    file named destinations) connected by `engage_connections`."""
    definitions = tuple(
        dataclasses.replace(d, destinations=engage_connections(d, cohorts=cohorts))
        if d.key not in named and d.destinations == _UNNAMED
        else d
        for d in space.definitions
    )
    return EngageSpace(definitions, space.space_id)
