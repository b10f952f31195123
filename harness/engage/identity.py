"""Identity resolution: Segment's flat matching with value limits and priority demotion.

Source: segment-docs `src/unify/identity-resolution/identity-resolution-settings.md`. An event's
identifiers are matched against every profile; no match creates a profile, one match adds to it,
several matches merge them. When the resulting profile would exceed an identifier's limit (defaults:
user_id 1, every other identifier 5), the lowest-priority identifier on the event is demoted
(dropped) and matching is tried again, which is how two different userIds never share a profile.

Simplifications (not documented either way, chosen as the plain reading of that page): limits count
values ever seen (the page's "5 weekly" style time windows are not modelled), and Segment's
suggested blocked values are opt-in, so none are blocked by default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from harness.engage.profiles import ID_TYPES, Profile

__all__ = ["DEFAULT_LIMITS", "IdentityGraph", "Resolution"]

DEFAULT_LIMITS: Mapping[str, int] = {"user_id": 1, "email": 5, "anonymous_id": 5}


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where an event landed: the surviving profile and the profiles merged into it (now gone)."""

    profile: Profile
    absorbed: tuple[Profile, ...] = ()


@dataclass
class IdentityGraph:
    """All profiles of a space, indexed by (identifier type, value)."""

    limits: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    _profiles: dict[int, Profile] = field(default_factory=dict)
    _index: dict[tuple[str, str], int] = field(default_factory=dict)
    _next_seq: int = 0

    @property
    def profiles(self) -> list[Profile]:
        """Live profiles, oldest first."""
        return [self._profiles[seq] for seq in sorted(self._profiles)]

    def find(self, kind: str, value: str) -> Profile | None:
        seq = self._index.get((kind, value))
        return None if seq is None else self._profiles[seq]

    def resolve(self, identifiers: Iterable[tuple[str, str]]) -> Resolution | None:
        """Attach an event's identifiers; None when it carries none."""
        ids = sorted(set(identifiers), key=lambda item: (ID_TYPES.index(item[0]), item[1]))
        while ids:
            matched = sorted({self._index[i] for i in ids if i in self._index})
            if self._within_limits(matched, ids):
                return self._apply(matched, ids)
            ids = ids[:-1]  # demote the lowest-priority identifier on the event and retry
        return None

    def _within_limits(self, matched: list[int], ids: list[tuple[str, str]]) -> bool:
        values: dict[str, set[str]] = {kind: set() for kind in ID_TYPES}
        for seq in matched:
            for kind, value in self._profiles[seq].identifiers():
                values[kind].add(value)
        for kind, value in ids:
            values[kind].add(value)
        return all(len(found) <= self.limits.get(kind, 5) for kind, found in values.items())

    def _apply(self, matched: list[int], ids: list[tuple[str, str]]) -> Resolution:
        if not matched:
            profile = Profile(seq=self._next_seq)
            self._next_seq += 1
            self._profiles[profile.seq] = profile
            absorbed: tuple[Profile, ...] = ()
        else:
            profile = self._profiles[matched[0]]
            absorbed = tuple(self._profiles.pop(seq) for seq in matched[1:])
            for other in absorbed:
                profile.absorb(other)
                for identifier in other.identifiers():
                    self._index[identifier] = profile.seq
        for kind, value in ids:
            profile.add_identifier(kind, value)
            self._index[(kind, value)] = profile.seq
        return Resolution(profile, absorbed)
