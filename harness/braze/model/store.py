"""The fake's state: workspaces of profiles with Braze's lookups (thread-safe, no HTTP in here).

Like moto's backends, state is namespaced: a REST API key belongs to a workspace on an instance, and
each workspace has its own profiles, cohorts, catalogs and triggered sends. Every change happens under
the store's lock, after validation, so a request is applied whole or not at all.
"""

from __future__ import annotations

import random
import string
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from harness.braze.model.catalogs import Catalog
from harness.braze.model.cohorts import Cohort
from harness.braze.model.config import DEFAULT_WORKSPACE, FakeBrazeConfig, WorkspaceConfig
from harness.braze.model.keys import DataImportKey
from harness.braze.model.messaging import TriggeredSend
from harness.braze.model.profiles import Profile

__all__ = ["Counter", "Identifier", "Store", "Workspace"]

_TOKEN_DEVICES = uuid.UUID("6f0e3c4e-2b1a-4c8e-9d7f-5a3b1c2d4e6f")
"""Namespace of the device ids the fake generates for push tokens imported without one (reproducible)."""


class Identifier(NamedTuple):
    """How a request names a user: `kind` is external_id, braze_id, user_alias, email, phone or device_id."""

    kind: str
    value: str
    label: str = ""  # alias_label when kind == "user_alias" (value is then the alias_name)

    def __str__(self) -> str:
        if self.kind == "user_alias":
            return f"user_alias {self.label}:{self.value}"
        return f"{self.kind} {self.value!r}"


@dataclass(slots=True)
class Counter:
    """The store's braze_id sequence, readable (a snapshot keeps where it stands)."""

    value: int
    step: int = 1
    """1, except in a replay partitioned over several fakes (each takes every step-th id: no id twice)."""

    def take(self) -> int:
        self.value += self.step
        return self.value - self.step


@dataclass
class Workspace:
    """One Braze workspace (formerly "app group"): profiles, their indexes, and cohorts."""

    config: WorkspaceConfig
    _ids: Counter
    profiles: dict[str, Profile] = field(default_factory=dict)
    by_external_id: dict[str, str] = field(default_factory=dict)
    by_alias: dict[tuple[str, str], str] = field(default_factory=dict)
    by_email: dict[str, set[str]] = field(default_factory=dict)
    by_phone: dict[str, set[str]] = field(default_factory=dict)
    by_device: dict[str, str] = field(default_factory=dict)
    by_push_token: dict[str, str] = field(default_factory=dict)
    """Push token string -> the braze_id holding it (a token is one device's, so one profile's)."""
    cohorts: dict[str, Cohort] = field(default_factory=dict)
    """Partner cohorts by cohort_id, oldest first."""
    saved_segments: dict[str, Any] = field(default_factory=dict)
    """Segment definitions saved by name (the harness's stand-in for the dashboard's saved segments)."""
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    """Catalogs by name, oldest first (the declared ones, then those `POST /catalogs` created)."""
    sends: list[TriggeredSend] = field(default_factory=list)
    """Accepted `/campaigns/trigger/send` and `/canvas/trigger/send` requests, oldest first."""
    data_import: DataImportKey = field(init=False)
    touched: set[str] | None = None
    """braze_ids looked up, created, changed or deleted since the last `Store.take_changes()` (None: not
    tracked, the default; a state file turns it on, to write only what a request touched)."""

    def __post_init__(self) -> None:
        configured = self.config.data_import_key
        self.data_import = DataImportKey(configured, managed=configured is not None)

    @property
    def name(self) -> str:
        return self.config.name

    # -- lookups -----------------------------------------------------------------------------
    def find(self, ident: Identifier) -> Profile | None:
        """The profile an identifier names, with Braze's rule for shared emails/phones."""
        found = self._find(ident)
        if found is not None and self.touched is not None:
            self.touched.add(found.braze_id)
        return found

    def touch(self, profile: Profile) -> None:
        """Note a change made to a profile reached without `find` (the hot path's direct lookups)."""
        if self.touched is not None:
            self.touched.add(profile.braze_id)

    def _find(self, ident: Identifier) -> Profile | None:
        if ident.kind == "external_id":
            braze_id = self.by_external_id.get(ident.value)
        elif ident.kind == "braze_id":
            braze_id = ident.value if ident.value in self.profiles else None
        elif ident.kind == "user_alias":
            braze_id = self.by_alias.get((ident.label, ident.value))
        elif ident.kind == "device_id":
            braze_id = self.by_device.get(ident.value)
        elif ident.kind in ("email", "phone"):
            return self._most_relevant(ident)
        elif ident.kind == "push_token_import":
            braze_id = self.by_push_token.get(ident.value)
        else:
            raise ValueError(f"unknown identifier kind {ident.kind!r}")
        return self.profiles.get(braze_id) if braze_id else None

    def _most_relevant(self, ident: Identifier) -> Profile | None:
        """post_user_track.md: with several profiles for one email, "the most recently updated profile
        with an external ID will be prioritized"; with none identified, the most recently updated one."""
        index = self.by_email if ident.kind == "email" else self.by_phone
        candidates = [self.profiles[b] for b in index.get(_key(ident.kind, ident.value), ())]
        if not candidates:
            return None
        return max(candidates, key=lambda p: (p.identified, p.updated_at, p.braze_id))

    def all_matching(self, ident: Identifier) -> list[Profile]:
        """Every profile with this email/phone (or the one profile for other identifiers)."""
        if ident.kind in ("email", "phone"):
            index = self.by_email if ident.kind == "email" else self.by_phone
            found = [self.profiles[b] for b in sorted(index.get(_key(ident.kind, ident.value), ()))]
            if self.touched is not None:
                self.touched.update(p.braze_id for p in found)
            return found
        one = self.find(ident)
        return [one] if one else []

    # -- changes -----------------------------------------------------------------------------
    def create(self, ident: Identifier, now: datetime) -> Profile:
        """A new profile named by `ident` (external_id, alias, email or phone)."""
        braze_id = f"{int(now.timestamp()) & 0xFFFFFFFF:08x}{self._ids.take():016x}"
        profile = Profile(braze_id=braze_id, created_at=now, updated_at=now)
        self.profiles[braze_id] = profile
        self.touch(profile)
        if ident.kind == "external_id":
            self.set_external_id(profile, ident.value)
        elif ident.kind == "user_alias":
            self.add_alias(profile, ident.label, ident.value)
        elif ident.kind in ("email", "phone"):
            self.set_standard(profile, ident.kind, ident.value)
        elif ident.kind == "device_id":
            self.add_device(profile, ident.value)
        return profile

    def add_profile(self, profile: Profile) -> None:
        """A profile built elsewhere (a snapshot): keep it and index its identifiers, email, phone and tokens."""
        self.profiles[profile.braze_id] = profile
        if profile.external_id is not None:
            self.by_external_id[profile.external_id] = profile.braze_id
        for label, name in profile.aliases.items():
            self.by_alias[(label, name)] = profile.braze_id
        for name in ("email", "phone"):
            value = profile.standard.get(name)
            if value is not None:
                index = self.by_email if name == "email" else self.by_phone
                index.setdefault(_key(name, value), set()).add(profile.braze_id)
        for device_id in profile.device_ids:
            self.by_device[device_id] = profile.braze_id
        for token in profile.push_tokens:
            self.by_push_token[token["token"]] = profile.braze_id

    def set_external_id(self, profile: Profile, external_id: str) -> None:
        if profile.external_id is not None:
            self.by_external_id.pop(profile.external_id, None)
        profile.external_id = external_id
        self.by_external_id[external_id] = profile.braze_id

    def add_alias(self, profile: Profile, label: str, name: str) -> None:
        old = profile.aliases.get(label)
        if old is not None:
            self.by_alias.pop((label, old), None)
        profile.aliases[label] = name
        self.by_alias[(label, name)] = profile.braze_id

    def add_device(self, profile: Profile, device_id: str) -> None:
        if device_id not in profile.device_ids:
            profile.device_ids.append(device_id)
        self.by_device[device_id] = profile.braze_id

    def add_push_token(self, profile: Profile, token: dict[str, Any]) -> None:
        """Give the profile a push token (replacing its entry for the same token), moving it from any other."""
        value = token["token"]
        if not token.get("device_id"):  # "If a device_id is not provided, one is randomly generated"
            token = {**token, "device_id": str(uuid.uuid5(_TOKEN_DEVICES, value))}
        holder = self.by_push_token.get(value)
        if holder is not None and holder != profile.braze_id and holder in self.profiles:
            other = self.profiles[holder]
            self.touch(other)
            other.push_tokens = [t for t in other.push_tokens if t.get("token") != value]
        profile.push_tokens = [t for t in profile.push_tokens if t.get("token") != value] + [token]
        self.by_push_token[value] = profile.braze_id
        self.add_device(profile, token["device_id"])

    def set_standard(self, profile: Profile, name: str, value: Any) -> None:
        """Set (or with None, remove) a standard field, keeping the email/phone indexes true."""
        if name in ("email", "phone"):
            index = self.by_email if name == "email" else self.by_phone
            old = profile.standard.get(name)
            if old is not None:
                holders = index.get(_key(name, old))
                if holders is not None:
                    holders.discard(profile.braze_id)
                    if not holders:
                        del index[_key(name, old)]
            if value is not None:
                index.setdefault(_key(name, value), set()).add(profile.braze_id)
        if value is None:
            profile.standard.pop(name, None)
        else:
            profile.standard[name] = value

    def delete(self, profile: Profile) -> None:
        """Remove a profile and every index entry pointing at it."""
        self.touch(profile)
        self.profiles.pop(profile.braze_id, None)
        if profile.external_id is not None:
            self.by_external_id.pop(profile.external_id, None)
        for label, name in profile.aliases.items():
            self.by_alias.pop((label, name), None)
        for device_id in profile.device_ids:
            if self.by_device.get(device_id) == profile.braze_id:
                del self.by_device[device_id]
        for token in profile.push_tokens:
            if self.by_push_token.get(token.get("token", "")) == profile.braze_id:
                del self.by_push_token[token["token"]]
        for name in ("email", "phone"):
            if profile.standard.get(name) is not None:
                self.set_standard(profile, name, None)


_DISPATCH_ALPHABET = string.ascii_letters + string.digits


def _key(kind: str, value: str) -> str:
    # Email addresses are matched case-insensitively (the domain part is case-insensitive and Braze
    # lower-cases addresses in its dashboard search); phone numbers exactly.
    return value.lower() if kind == "email" else value


class Store:
    """All workspaces of one fake Braze, behind one re-entrant lock."""

    def __init__(self, config: FakeBrazeConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.ids = Counter(config.seed * 1_000_000 + 1)
        self._dispatch = random.Random(f"dispatch-{config.seed}")
        self.workspaces: dict[str, Workspace] = {}
        self._rewrite: bool | None = None
        """None: changes are not tracked; True: the next reader must take everything."""
        self.reset()

    def reset(self) -> None:
        """Forget every profile, cohort, saved segment, catalog item and send; keep the configuration (its
        declared catalogs exist again, empty)."""
        with self.lock:
            tracking = self.tracking
            self.ids = Counter(self.config.seed * 1_000_000 + 1)
            self._dispatch = random.Random(f"dispatch-{self.config.seed}")
            now = self.config.clock.now()
            self.workspaces = {}
            for config in self.config.all_workspaces():
                workspace = Workspace(config, self.ids)
                workspace.catalogs = {c.name: Catalog.declared(c, now) for c in config.catalogs}
                self.workspaces[config.name] = workspace
            if tracking:
                self._start_tracking()

    def dispatch_id(self) -> str:
        """A new dispatch_id: 32 letters and digits, the same sequence for the same `seed` (reproducible runs)."""
        with self.lock:
            return "".join(self._dispatch.choices(_DISPATCH_ALPHABET, k=32))

    @property
    def tracking(self) -> bool:
        return self._rewrite is not None

    def track_changes(self) -> None:
        """From now on, note which profiles each request touches (see `take_changes`)."""
        with self.lock:
            self._start_tracking()

    def _start_tracking(self) -> None:
        self._rewrite = True  # everything is new to whoever reads the changes next
        for workspace in self.workspaces.values():
            workspace.touched = set()

    def take_changes(self) -> tuple[bool, dict[str, set[str]]]:
        """(everything changed, braze_ids touched per workspace) since the last call; starts afresh.
        Everything has changed after tracking starts, a reset or a load."""
        with self.lock:
            rewrite, self._rewrite = bool(self._rewrite), False
            changes = {}
            for name, workspace in self.workspaces.items():
                changes[name], workspace.touched = workspace.touched or set(), set()
            return rewrite, changes

    def replace(self, workspaces: list[Workspace], next_id: int) -> None:
        """Take over loaded workspaces (a snapshot) whole, with the id sequence where it stood."""
        with self.lock:
            self.ids.value = next_id
            for workspace in workspaces:
                workspace._ids = self.ids
            self.workspaces = {w.name: w for w in workspaces}
            if self.tracking:
                self._start_tracking()

    def workspace(self, name: str = DEFAULT_WORKSPACE) -> Workspace:
        try:
            return self.workspaces[name]
        except KeyError:
            raise KeyError(f"no workspace {name!r}; known: {', '.join(self.workspaces)}") from None
