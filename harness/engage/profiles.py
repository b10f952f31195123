"""Profiles as Engage keeps them: identifiers, the latest traits, and the events performed.

A profile is what audiences and computed traits are evaluated on. Traits come from identify calls
only: "Unify does not update the profile" from `context.traits` on a track call (segment-docs
`src/connections/spec/track.md`). A later identify overwrites a trait key by key.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["ID_TYPES", "PerformedEvent", "Profile", "ProfileView"]

# Engage's external id types this simulator models, in Segment's default priority order
# (user_id 1, email 2, the rest alphabetical: segment-docs
# `src/unify/identity-resolution/identity-resolution-settings.md`, Priority).
ID_TYPES: tuple[str, ...] = ("user_id", "email", "anonymous_id")


@dataclass(frozen=True, slots=True)
class PerformedEvent:
    """A track call as a profile remembers it: when, what, with which properties."""

    at: datetime
    name: str
    properties: Mapping[str, Any]


@dataclass(slots=True)
class Profile:
    """One resolved person. `seq` orders profiles by creation; the oldest survives a merge."""

    seq: int
    ids: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in ID_TYPES})
    traits: dict[str, Any] = field(default_factory=dict)
    trait_times: dict[str, datetime] = field(default_factory=dict)
    events: list[PerformedEvent] = field(default_factory=list)

    def identifiers(self) -> list[tuple[str, str]]:
        """Every (type, value) on the profile, highest priority first, oldest value first."""
        return [(kind, value) for kind in ID_TYPES for value in self.ids[kind]]

    def add_identifier(self, kind: str, value: str) -> None:
        if value not in self.ids[kind]:
            self.ids[kind].append(value)

    def set_traits(self, traits: Mapping[str, Any], at: datetime) -> None:
        """Apply an identify's traits; an older identify (a late event) does not overwrite a newer one."""
        for key, value in traits.items():
            if key not in self.trait_times or at >= self.trait_times[key]:
                self.traits[key] = value
                self.trait_times[key] = at

    def add_event(self, event: PerformedEvent) -> None:
        """Keep events in timestamp order (late events are inserted where they belong)."""
        times = [e.at for e in self.events]
        self.events.insert(bisect.bisect_right(times, event.at), event)

    def absorb(self, other: Profile) -> None:
        """Merge `other` into this profile: union of ids and events, the newest value of each trait."""
        for kind, value in other.identifiers():
            self.add_identifier(kind, value)
        for key, value in other.traits.items():
            self.set_traits({key: value}, other.trait_times[key])
        for event in other.events:
            self.add_event(event)

    def view(self, now: datetime, since: datetime | None = None) -> ProfileView:
        """What a definition sees at `now`: events in (since, now], the current traits."""
        return ProfileView(self.traits, self.events, now, since)


@dataclass(frozen=True, slots=True)
class ProfileView:
    """A read-only window on a profile for one evaluation.

    `since` is set when historical data is excluded (backfill off): events before it do not count.
    """

    traits: Mapping[str, Any]
    events: Sequence[PerformedEvent]
    now: datetime
    since: datetime | None = None

    def performed(self, name: str, after: datetime | None = None) -> list[PerformedEvent]:
        """Events named `name` with since <= at <= now and, if given, at > after (a window start)."""
        return [
            e
            for e in self.events
            if e.name == name
            and e.at <= self.now
            and (self.since is None or e.at >= self.since)
            and (after is None or e.at > after)
        ]
