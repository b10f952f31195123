"""A Braze profile the way the dashboard's user profile shows it, and the named segments it matches.

The dashboard shows identity (external ID, aliases, braze_id), the standard fields, custom attributes,
and per custom event and purchase the count with first and last time; "Segment Cohorts" memberships
are listed by cohort name. Segment definitions are compiled once (`harness.braze.service.segments`) and
evaluated on the one profile at hand, at the fake's current time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.braze import (
    Context,
    EventStats,
    FakeBraze,
    Identifier,
    Predicate,
    Profile,
    SegmentDefinitionError,
    Workspace,
    compile_definition,
)
from harness.replay.config import ConfigError

__all__ = ["ProfileViewer", "dashboard_view"]


def dashboard_view(profile: Profile, workspace: Workspace) -> dict[str, Any]:
    """The profile as the dashboard shows it (call under the store lock)."""
    view: dict[str, Any] = {
        "braze_id": profile.braze_id,
        "external_id": profile.external_id,
        "user_aliases": [{"alias_name": n, "alias_label": label} for label, n in profile.aliases.items()]
        if profile.aliases
        else [],
        "standard": dict(profile.standard),
        "custom_attributes": dict(profile.custom_attributes),
        "custom_events": [_summary(name, stats) for name, stats in profile.custom_events.items() if stats.last],
        "purchases": [_summary(name, stats) for name, stats in profile.purchases.items() if stats.last],
        "total_revenue": round(profile.total_revenue, 2),
        "cohorts": _cohorts_of(profile, workspace),
    }
    return view


def _summary(name: str, stats: EventStats) -> dict[str, Any]:
    first, last = stats.times()  # listed only once it has occurred
    return {"name": name, "count": stats.count, "first": first, "last": last}


def _cohorts_of(profile: Profile, workspace: Workspace) -> list[str]:
    if not workspace.cohorts:
        return []
    return sorted({c.name for c in workspace.cohorts.values() if c.name and profile.braze_id in c.member_ids})


class ProfileViewer:
    """Looks profiles up in the fake and renders them, with the named segments they match."""

    def __init__(self, fake: FakeBraze, segments: Mapping[str, Any]) -> None:
        self.fake = fake
        self.segments: dict[str, Predicate] = {}
        for name, definition in segments.items():
            try:
                self.segments[name] = compile_definition(definition)
            except SegmentDefinitionError as exc:
                raise ConfigError(f"segment {name!r}: {exc}") from None

    def view(self, workspace_name: str, ident: Identifier | None) -> tuple[dict[str, Any] | None, list[str] | None]:
        """(dashboard view, matched segment names) of the profile `ident` names; (None, ...) if Braze has none."""
        if ident is None:
            return None, self._no_segments()
        store = self.fake.store
        with store.lock:
            workspace = store.workspaces.get(workspace_name)
            profile = workspace.find(ident) if workspace is not None else None
            if profile is None or workspace is None:
                return None, self._no_segments()
            return dashboard_view(profile, workspace), self._matched(profile, workspace)

    def _no_segments(self) -> list[str] | None:
        return [] if self.segments else None

    def _matched(self, profile: Profile, workspace: Workspace) -> list[str] | None:
        if not self.segments:
            return None
        members: dict[str, set[str]] = {}

        def cohort_members(name: str) -> set[str]:
            if name not in members:
                members[name] = {b for c in workspace.cohorts.values() if c.name == name for b in c.member_ids}
            return members[name]

        context = Context(self.fake.clock.now(), cohort_members)
        return [name for name, predicate in self.segments.items() if predicate(profile, context)]
