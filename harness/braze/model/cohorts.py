"""Partner cohorts as a workspace keeps them, and who their members are.

cohort_import.md: a cohort is known by its `cohort_id` ("unique for the specified client") and shown by
its `name`; its members are Braze users. The fake keeps members by braze_id and reads them back through
the workspace's live profiles, so a deleted profile (`/users/delete`) leaves every cohort at once
(braze_ids are never reused). Choices where Braze is silent: a profile merged away by `/users/identify`
leaves its cohorts too (cohort membership is not in Braze's list of merged fields); a cohort that
receives members before it is named exists unnamed (no filter can select it) until a name call names it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.braze.model.profiles import Profile

__all__ = ["Cohort", "CohortInfo", "Members", "cohort_info", "members_of"]


@dataclass(slots=True)
class Cohort:
    cohort_id: str
    name: str | None = None
    created_at: str | None = None
    """As the partner sent it (ISO-8601)."""
    member_ids: set[str] = field(default_factory=set)
    """braze_ids; read through `members()` so deleted profiles never show."""

    def members(self, profiles: Mapping[str, Profile]) -> list[Profile]:
        """The members among a workspace's live `profiles` (by braze_id); forgets the ones gone since."""
        live = [profiles[b] for b in self.member_ids if b in profiles]
        self.member_ids.intersection_update(p.braze_id for p in live)
        return live


@dataclass(frozen=True, slots=True)
class Members:
    """Who is in a cohort or segment: identified users by external_id, the others by alias, device and braze_id."""

    external_ids: tuple[str, ...] = ()
    user_aliases: tuple[tuple[str, str], ...] = ()
    """(alias_label, alias_name) of members without an external_id."""
    device_ids: tuple[str, ...] = ()
    """device_ids of members without an external_id."""
    braze_ids: tuple[str, ...] = ()
    """braze_ids of members without an external_id."""

    def __len__(self) -> int:
        return len(self.external_ids) + len(self.braze_ids)

    def __contains__(self, item: object) -> bool:
        """`"user-1" in members` (external_id or anonymous braze_id), or an alias dict."""
        if isinstance(item, dict):
            return (item.get("alias_label"), item.get("alias_name")) in self.user_aliases
        return item in self.external_ids or item in self.braze_ids

    def to_json(self) -> dict[str, Any]:
        return {
            "external_ids": list(self.external_ids),
            "user_aliases": [{"alias_name": name, "alias_label": label} for label, name in self.user_aliases],
            "device_ids": list(self.device_ids),
            "braze_ids": list(self.braze_ids),
            "count": len(self),
        }


def members_of(profiles: Iterable[Profile]) -> Members:
    identified: list[str] = []
    aliases: list[tuple[str, str]] = []
    devices: list[str] = []
    anonymous: list[str] = []
    for profile in profiles:
        if profile.external_id is not None:
            identified.append(profile.external_id)
            continue
        anonymous.append(profile.braze_id)
        aliases.extend(profile.aliases.items())
        devices.extend(profile.device_ids)
    return Members(tuple(sorted(identified)), tuple(sorted(aliases)), tuple(sorted(devices)), tuple(sorted(anonymous)))


@dataclass(frozen=True, slots=True)
class CohortInfo:
    """A snapshot of one cohort, safe to keep after the store moves on."""

    cohort_id: str
    name: str | None
    created_at: str | None
    members: Members

    def to_json(self) -> dict[str, Any]:
        return {
            "cohort_id": self.cohort_id,
            "name": self.name,
            "created_at": self.created_at,
            "members": self.members.to_json(),
        }


def cohort_info(profiles: Mapping[str, Profile], cohort: Cohort) -> CohortInfo:
    return CohortInfo(cohort.cohort_id, cohort.name, cohort.created_at, members_of(cohort.members(profiles)))
