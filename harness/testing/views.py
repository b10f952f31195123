"""Read-only views of the fake's profiles for assertions: `fake_braze.user("u1").custom_events["X"].count`.

A view looks its profile up again on every read (so it stays right after merges or deletes) and hands
out copies taken under the store lock (so a test never races the server thread or mutates the fake).
Cohort and segment membership delegate to `FakeBraze.in_cohort` / `FakeBraze.segment_members`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from harness.braze import DEFAULT_WORKSPACE, EventStats, FakeBraze, Profile

__all__ = ["EventCounts", "UnknownUser", "UserView", "in_cohort", "known_external_ids", "segment_members"]


class UnknownUser(AssertionError, LookupError):
    """No profile with this external_id: a failed expectation, and a failed lookup."""


class _MissingName(KeyError):
    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class EventCounts(Mapping[str, EventStats]):
    """Event (or purchase) summaries by name; a missing name says which names there are."""

    def __init__(self, stats: Mapping[str, EventStats], what: str) -> None:
        self._stats = dict(stats)
        self._what = what

    def __getitem__(self, name: str) -> EventStats:
        try:
            return self._stats[name]
        except KeyError:
            known = ", ".join(f"{n!r} ×{s.count}" for n, s in self._stats.items()) or "none"
            raise _MissingName(f"{self._what} has no {name!r}; recorded: {known}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._stats)

    def __len__(self) -> int:
        return len(self._stats)

    def __repr__(self) -> str:
        return f"EventCounts({ {n: s.count for n, s in self._stats.items()} })"


def _copy_stats(stats: Mapping[str, EventStats]) -> dict[str, EventStats]:
    return {name: dataclasses.replace(s, days=None if s.days is None else dict(s.days)) for name, s in stats.items()}


def in_cohort(fake: FakeBraze, user: Profile | str, cohort: str, workspace: str = DEFAULT_WORKSPACE) -> bool:
    """Delegate to `FakeBraze.in_cohort(profile_or_external_id, cohort_name)` (the cohorts surface)."""
    method = getattr(fake, "in_cohort", None)
    if method is None:
        raise NotImplementedError("this fake Braze has no cohorts (FakeBraze.in_cohort is missing)")
    return bool(method(user, cohort, workspace=workspace))


def segment_members(fake: FakeBraze, definition: Any, workspace: str = DEFAULT_WORKSPACE) -> Any:
    """Delegate to `FakeBraze.segment_members(definition)` (the segment filters surface)."""
    method = getattr(fake, "segment_members", None)
    if method is None:
        raise NotImplementedError("this fake Braze has no segment filters (FakeBraze.segment_members is missing)")
    return method(definition, workspace=workspace)


def _is_member(profile: Profile, members: Any) -> bool:
    """Membership whatever the members are: a `Members` (or any container of external_ids / braze_ids),
    or a sequence of profiles or exported dicts."""
    if not isinstance(members, (list, tuple)):
        ids = [profile.braze_id] if profile.external_id is None else [profile.external_id, profile.braze_id]
        return any(i in members for i in ids)
    for member in members:
        if isinstance(member, Profile) and member.braze_id == profile.braze_id:
            return True
        if isinstance(member, str) and member in (profile.external_id, profile.braze_id):
            return True
        if isinstance(member, Mapping) and (
            member.get("braze_id") == profile.braze_id
            or (profile.external_id is not None and member.get("external_id") == profile.external_id)
        ):
            return True
    return False


class UserView:
    """One user of the fake, by external_id, as a test reads it."""

    def __init__(self, fake: FakeBraze, external_id: str, workspace: str = DEFAULT_WORKSPACE) -> None:
        self._fake = fake
        self.external_id = external_id
        self.workspace = workspace
        self.profile  # noqa: B018 - fail now, not at first read, when the user does not exist

    @property
    def profile(self) -> Profile:
        """The live stored profile (do not mutate it)."""
        profile = self._fake.user(self.external_id, workspace=self.workspace)
        if profile is None:
            raise UnknownUser(_unknown_user_message(self._fake, self.external_id, self.workspace))
        return profile

    def _read(self, fn: Any) -> Any:
        with self._fake.store.lock:
            return fn(self.profile)

    @property
    def braze_id(self) -> str:
        return str(self._read(lambda p: p.braze_id))

    @property
    def custom_attributes(self) -> dict[str, Any]:
        return dict(self._read(lambda p: _deep_copy(p.custom_attributes)))

    @property
    def custom_events(self) -> EventCounts:
        stats = self._read(lambda p: _copy_stats(p.custom_events))
        return EventCounts(stats, f"user {self.external_id!r}")

    @property
    def purchases(self) -> EventCounts:
        stats = self._read(lambda p: _copy_stats(p.purchases))
        return EventCounts(stats, f"user {self.external_id!r} purchases")

    @property
    def standard(self) -> dict[str, Any]:
        """Braze's profile fields by their Braze names (first_name, email, country, ...)."""
        return dict(self._read(lambda p: _deep_copy(p.standard)))

    @property
    def email(self) -> str | None:
        return self.standard.get("email")

    @property
    def phone(self) -> str | None:
        return self.standard.get("phone")

    @property
    def aliases(self) -> dict[str, str]:
        """alias_label -> alias_name."""
        return dict(self._read(lambda p: dict(p.aliases)))

    @property
    def total_revenue(self) -> float:
        return float(self._read(lambda p: p.total_revenue))

    def export(self, fields: frozenset[str] | None = None) -> dict[str, Any]:
        """As `/users/export/ids` would return it."""
        return dict(self._read(lambda p: p.export(fields)))

    def state(self) -> dict[str, Any]:
        """Every stored field, as the control plane's `/_harness/users/<id>` shows it."""
        return self._fake.profile_state(self.profile)

    def in_cohort(self, cohort: str) -> bool:
        """In a cohort of this name (Braze's "Segment Cohorts" filter)."""
        return in_cohort(self._fake, self.profile, cohort, self.workspace)

    def in_segment(self, definition: Any) -> bool:
        """Matches a segment definition (or the name of a saved one) now."""
        return _is_member(self.profile, segment_members(self._fake, definition, self.workspace))

    def __repr__(self) -> str:
        return f"UserView(external_id={self.external_id!r}, workspace={self.workspace!r})"


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


def known_external_ids(fake: FakeBraze, workspace: str = DEFAULT_WORKSPACE) -> list[str]:
    with fake.store.lock:
        return sorted(fake.store.workspace(workspace).by_external_id)


def _unknown_user_message(fake: FakeBraze, external_id: str, workspace: str) -> str:
    known = known_external_ids(fake, workspace)
    listed = ", ".join(map(repr, known[:20])) + (" ..." if len(known) > 20 else "") if known else "none"
    return f"no user with external_id {external_id!r} in workspace {workspace!r}; users there: {listed}"
