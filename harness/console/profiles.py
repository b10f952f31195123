"""Users as the console lists them, and one profile shaped like Braze's user profile page.

Read through the fake's public read-back (`user`, `find`, `profile_state`, `cohorts`, `saved_segments`,
`segment_members`), under the store's lock only for the list, so a page never sees half a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.braze import Backend, Identifier, Members, Profile, export_time

__all__ = ["LIST_LIMIT", "ProfilePage", "UserRow", "list_users", "profile_page"]

LIST_LIMIT = 500


@dataclass(frozen=True, slots=True)
class UserRow:
    external_id: str | None
    braze_id: str
    email: str | None
    aliases: tuple[str, ...]
    events: int
    purchases: int
    updated_at: str


def _row(profile: Profile) -> UserRow:
    return UserRow(
        external_id=profile.external_id,
        braze_id=profile.braze_id,
        email=profile.email if isinstance(profile.email, str) else None,
        aliases=tuple(f"{label}: {name}" for label, name in profile.aliases.items()),
        events=sum(s.count for s in profile.custom_events.values()),
        purchases=sum(s.count for s in profile.purchases.values()),
        updated_at=export_time(profile.updated_at),
    )


def _searchable(profile: Profile) -> list[str]:
    names = [profile.braze_id, *profile.aliases.values(), *profile.device_ids]
    names += [v for v in (profile.external_id, profile.email, profile.phone) if isinstance(v, str)]
    return [n.casefold() for n in names]


def list_users(fake: Backend, workspace: str, search: str = "") -> tuple[list[UserRow], int]:
    """Matching users, most recently updated first (at most LIST_LIMIT), and how many matched in all."""
    wanted = search.strip().casefold()
    with fake.store.lock:
        profiles = list(fake.workspace(workspace).profiles.values())
        found = [p for p in profiles if not wanted or any(wanted in n for n in _searchable(p))]
        found.sort(key=lambda p: p.updated_at, reverse=True)
        return [_row(p) for p in found[:LIST_LIMIT]], len(found)


@dataclass(frozen=True, slots=True)
class ProfilePage:
    """What the profile page shows, in Braze's order."""

    external_id: str | None
    braze_id: str
    state: dict[str, Any]
    standard: list[tuple[str, Any]]
    custom_attributes: list[tuple[str, Any]]
    custom_events: list[tuple[str, dict[str, Any]]]
    purchases: list[tuple[str, dict[str, Any]]]
    total_revenue: float
    cohorts: list[str]
    segments: list[str]
    aliases: list[tuple[str, str]] = field(default_factory=list)


def _member(members: Members, profile: Profile) -> bool:
    return profile.external_id in members.external_ids if profile.external_id else profile.braze_id in members.braze_ids


def profile_page(
    fake: Backend, workspace: str, *, external_id: str | None = None, braze_id: str | None = None
) -> ProfilePage | None:
    """The page of the user with this external_id (or, for an anonymous user, braze_id); None if unknown."""
    if external_id is not None:
        profile = fake.user(external_id, workspace=workspace)
    elif braze_id is not None:
        profile = fake.find(Identifier("braze_id", braze_id), workspace=workspace)
    else:
        profile = None
    if profile is None:
        return None
    state = fake.profile_state(profile)
    cohorts = sorted(c.name or c.cohort_id for c in fake.cohorts(workspace) if _member(c.members, profile))
    segments = [
        name
        for name, definition in sorted(fake.saved_segments(workspace).items())
        if _member(fake.segment_members(definition, workspace=workspace), profile)
    ]
    return ProfilePage(
        external_id=profile.external_id,
        braze_id=profile.braze_id,
        state=state,
        standard=sorted(state.get("standard", {}).items()),
        custom_attributes=sorted(state.get("custom_attributes", {}).items()),
        custom_events=sorted(state.get("custom_events", {}).items()),
        purchases=sorted(state.get("purchases", {}).items()),
        total_revenue=round(profile.total_revenue, 2),
        cohorts=cohorts,
        segments=segments,
        aliases=sorted(profile.aliases.items()),
    )
