"""A Segment workspace as data: sources and their write keys, destination instances with their settings
and mappings, the Engage space. State only: the fake Segment reads it, `loading` builds it from a file.

Words follow Segment's UI: a *source* has a write key; a *destination* is one instance of a catalog
destination (Braze Cloud Mode (Actions) or Braze Cohorts) connected to some sources; an Actions
destination has *mappings*, each an action, a *trigger* (FQL, segment-docs `src/connections/destinations/
actions.md`: "Each Action in a destination lists the event type it requires") and field mappings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from harness.engage import EngageSpace
from harness.translate import PRESETS
from harness.translate.actions import BRAZE_ACTIONS, COHORTS_ACTIONS, default_mapping
from harness.translate.api import MAX_BATCH
from harness.workspace.integrations import DESTINATION_NAMES

__all__ = ["ANY_SOURCE", "DestinationKind", "Source", "SubscriptionMapping", "Workspace", "WorkspaceDestination"]

DestinationKind = Literal["braze", "braze-cohorts"]
ANY_SOURCE = "HTTP API"
"""The source name events get when the workspace names no sources (any write key is accepted)."""
_ACTIONS = {"braze": BRAZE_ACTIONS, "braze-cohorts": COHORTS_ACTIONS}
_PRESETS = {preset.name: preset for preset in PRESETS}


@dataclass(frozen=True, slots=True)
class Source:
    """A source: its name in the debugger and its write key."""

    name: str
    write_key: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "write_key": self.write_key}


@dataclass(frozen=True, eq=False)
class SubscriptionMapping:
    """One mapping of an Actions destination: action, trigger (FQL) and field mapping overrides."""

    name: str
    action: str
    trigger: str
    preset: str | None = None
    """The shipped preset this mapping starts from (its field mapping), if any."""
    mapping: Mapping[str, Any] = field(default_factory=dict)
    """Field mappings merged over the preset's (or the action's default ones), mapping-kit syntax."""
    enabled: bool = True

    @cached_property
    def fields(self) -> dict[str, Any]:
        """The mapping as the action runs it: preset or default fields, then the overrides."""
        preset = _PRESETS.get(self.preset) if self.preset else None
        base = preset.mapping if preset is not None else default_mapping(_action(self.action))
        return {**base, **self.mapping}

    @property
    def batched(self) -> bool:
        """`enable_batching`: delivered through the action's performBatch (Segment's batch path)."""
        return self.fields.get("enable_batching") is True and _action(self.action).perform_batch is not None

    @property
    def batch_size(self) -> int:
        """Events per request: the mapping's `batch_size`, else the action's default, at most 75."""
        size = self.fields.get("batch_size")
        if isinstance(size, int) and not isinstance(size, bool) and 1 <= size <= MAX_BATCH:
            return size
        default = _action(self.action).fields.get("batch_size", {}).get("default")
        return default if isinstance(default, int) and 1 <= default <= MAX_BATCH else MAX_BATCH

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "action": self.action, "trigger": self.trigger}
        if self.preset:
            out["preset"] = self.preset
        if self.mapping:
            out["mapping"] = dict(self.mapping)
        out["enabled"] = self.enabled
        return out


def _action(slug: str) -> Any:
    for actions in _ACTIONS.values():
        if slug in actions:
            return actions[slug]
    raise KeyError(slug)


@dataclass(frozen=True, eq=False)
class WorkspaceDestination:
    """One destination instance: catalog kind, settings, mappings, and the sources connected to it."""

    name: str
    kind: DestinationKind
    settings: Mapping[str, Any]
    mappings: tuple[SubscriptionMapping, ...]
    sources: tuple[str, ...] | None = None
    """Names of the connected sources; None: every source (and any write key)."""
    enabled: bool = True

    @property
    def catalog_name(self) -> str:
        """The destination's name in Segment's catalog: what the `integrations` object names it by."""
        return DESTINATION_NAMES[self.kind]

    def connected(self, source: str) -> bool:
        return self.sources is None or source in self.sources

    def to_json(self, *, redact: bool = True) -> dict[str, Any]:
        settings = {k: (_redacted(v) if redact and k in _SECRETS else v) for k, v in self.settings.items()}
        out: dict[str, Any] = {"name": self.name, "type": self.kind, "enabled": self.enabled, "settings": settings}
        if self.sources is not None:
            out["sources"] = list(self.sources)
        out["mappings"] = [m.to_json() for m in self.mappings]
        return out


_SECRETS = frozenset({"api_key", "client_secret", "partner_api_key"})


def _redacted(value: Any) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return "****" + value[-4:] if len(value) > 8 else "****"


@dataclass(frozen=True, eq=False)
class Workspace:
    """A Segment workspace: sources (none listed: any write key), destinations, the Engage space."""

    name: str = "default"
    sources: tuple[Source, ...] = ()
    destinations: tuple[WorkspaceDestination, ...] = ()
    engage: EngageSpace | None = None
    max_attempts: int = 3
    """Tries per request to Braze on a 429, a 5xx or a lost connection (the first one included)."""

    def source_for(self, write_key: str) -> Source | None:
        """The source a write key belongs to; with no sources listed, every key is a source of its own."""
        if not self.sources:
            return Source(ANY_SOURCE, write_key)
        return next((s for s in self.sources if s.write_key == write_key), None)

    def destination(self, name: str) -> WorkspaceDestination:
        found = next((d for d in self.destinations if d.name == name), None)
        if found is None:
            known = ", ".join(d.name for d in self.destinations) or "none"
            raise KeyError(f"no destination {name!r} in workspace {self.name!r}; destinations: {known}")
        return found

    def to_json(self, *, redact: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "sources": [s.to_json() for s in self.sources],
            "destinations": [d.to_json(redact=redact) for d in self.destinations],
            "delivery": {"max_attempts": self.max_attempts},
        }
        if self.engage is not None:
            out["engage"] = self.engage.to_json()
        return out
