"""Where one accepted event goes: each destination instance's filters, then each mapping's trigger.

For every enabled destination connected to the event's source (Engage's events go to every destination of
the kind their `integrations` name), in Delivery Overview's order ("Filtered at destination": the
integrations object, then "Actions destinations with incomplete triggers or disabled mappings", segment-
docs `src/connections/delivery-overview.md`):
- `_metadata.bundled` naming the destination: the browser already sent it (`MESSAGE_SENT_CLIENT_SIDE`,
  "These events are being sent client side in Device Mode and will not be sent from Segment's servers");
- the `integrations` object turning it off (`FILTERED_BY_INTEGRATIONS_OBJECT`);
- no enabled mapping whose trigger (FQL) matches (`NO_MATCHING_MAPPING`);
- otherwise one `Lane` per matching mapping: Segment batches per mapping, and Braze Cohorts also per cohort
  (Sync Audience's `batch_keys: cohort_name, cohort_id`), so the lane is the batching key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from harness.segment.fql import FQLError, fields_read, subscribed
from harness.workspace.discards import FILTERED_BY_INTEGRATIONS, NO_MATCHING_MAPPING, Discard
from harness.workspace.integrations import destination_enabled
from harness.workspace.model import SubscriptionMapping, Workspace, WorkspaceDestination

__all__ = ["SENT_CLIENT_SIDE", "Filtered", "Lane", "lanes_for"]

SENT_CLIENT_SIDE = Discard(
    "filtered_at_destination", "MESSAGE_SENT_CLIENT_SIDE", "The message was already sent client side"
)


@dataclass(frozen=True, slots=True)
class Lane:
    """One mapping of one destination (and one cohort): the key events are queued and batched by."""

    destination: WorkspaceDestination
    mapping: SubscriptionMapping
    extra: tuple[Any, ...] = ()

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.destination.name, self.mapping.name, *self.extra)


@dataclass(frozen=True, slots=True)
class Filtered:
    """A destination that did not take the event, and why."""

    destination: WorkspaceDestination
    discard: Discard
    detail: str


def _bundled(event: Mapping[str, Any]) -> list[Any]:
    metadata = event.get("_metadata")
    found = metadata.get("bundled") if isinstance(metadata, Mapping) else None
    return found if isinstance(found, list) else []


def _cohort(event: Mapping[str, Any]) -> tuple[Any, ...]:
    context = event.get("context")
    personas = context.get("personas") if isinstance(context, Mapping) else None
    if not isinstance(personas, Mapping):
        return (None, None)
    return (personas.get("computation_id"), personas.get("computation_key"))


_BY_NAME = frozenset({"type", "event"})
_NAME_TYPES = (str, type(None))


@lru_cache(maxsize=256)
def _by_name(destination: WorkspaceDestination) -> bool:
    """Whether every trigger of `destination` reads only `type` and `event` (true of Segment's presets)."""
    try:
        return all(fields_read(m.trigger) <= _BY_NAME for m in destination.mappings)
    except FQLError:
        return False


@lru_cache(maxsize=4096)
def _matched_by_name(
    destination: WorkspaceDestination, kind: str | None, name: str | None
) -> tuple[SubscriptionMapping, ...]:
    probe = {key: value for key, value in (("type", kind), ("event", name)) if value is not None}
    return tuple(m for m in destination.mappings if m.enabled and subscribed(m.trigger, probe))


def _matched(destination: WorkspaceDestination, event: dict[str, Any]) -> tuple[SubscriptionMapping, ...]:
    """The enabled mappings whose trigger matches, remembered by (type, event) when that is all they read."""
    kind, name = event.get("type"), event.get("event")
    if type(kind) in _NAME_TYPES and type(name) in _NAME_TYPES and _by_name(destination):
        return _matched_by_name(destination, kind, name)
    return tuple(m for m in destination.mappings if m.enabled and subscribed(m.trigger, event))


def lanes_for(event: dict[str, Any], source: str | None, workspace: Workspace) -> list[Lane | Filtered]:
    """In the workspace's order, the lanes the event takes and the destinations that filtered it (`source`
    None: an Engage event)."""
    lanes: list[Lane | Filtered] = []
    filtered = lanes
    for destination in workspace.destinations:
        if not destination.enabled or (source is not None and not destination.connected(source)):
            continue
        name = destination.catalog_name
        if name in _bundled(event):
            filtered.append(Filtered(destination, SENT_CLIENT_SIDE, f"_metadata.bundled lists {name!r}"))
            continue
        if not destination_enabled(event, name):
            shown = dict(event.get("integrations") or {})
            filtered.append(Filtered(destination, FILTERED_BY_INTEGRATIONS, f"integrations {shown}"))
            continue
        matched = _matched(destination, event)
        if not matched:
            kind = event.get("type") or "untyped"
            detail = f"no enabled mapping's trigger matches this {kind} call"
            filtered.append(Filtered(destination, NO_MATCHING_MAPPING, detail))
            continue
        extra = _cohort(event) if destination.kind == "braze-cohorts" else ()
        lanes.extend(Lane(destination, mapping, extra) for mapping in matched)
    return lanes
