"""Who is calling the partner cohort endpoints: the partner API key and the data import key, from the body.

cohort_import.md: the body carries `partner_api_key` ("a single key that is valid for all US clusters, and
another key that is valid for our EU cluster") and `client_secret`, the workspace's data import key;
401 `Invalid Partner API key` / `Invalid client secret`. segment_engage.md: in the dashboard "you can
create a new key or invalidate an existing one".

Choices where the docs are silent:
- regions: an EU-* instance takes the EU key; every other instance (US, AU, ID, JP, KR) the US key, as
  Segment picks its key (`endpoint.includes('eu')`);
- zero-config: with no partner key configured, any non-empty string is a valid partner key; with no data
  import key configured (and none regenerated or invalidated), any non-empty string maps to the default
  workspace, like the REST API keys. Once one is configured, only configured keys pass. A region with no
  key while the other has one refuses every key;
- a data import key is refused (401) on an instance other than its workspace's, as REST API keys are;
- regenerating replaces the key (the old one gets 401); invalidating leaves the workspace without one.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from typing import Any

from harness.braze.model.config import DEFAULT_WORKSPACE
from harness.braze.model.instances import Instance
from harness.braze.model.notes import Code
from harness.braze.model.store import Store, Workspace
from harness.braze.service.errors import Unauthorized

__all__ = [
    "INVALID_CLIENT_SECRET",
    "INVALID_PARTNER_KEY",
    "REGIONS",
    "check_partner_key",
    "invalidate_data_import_key",
    "parse_partner_keys",
    "regenerate_data_import_key",
    "workspace_for_secret",
]

INVALID_PARTNER_KEY = "Invalid Partner API key"
INVALID_CLIENT_SECRET = "Invalid client secret"
REGIONS = ("US", "EU")


def parse_partner_keys(values: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """`US=KEY`, `EU=KEY`, or a bare `KEY` (valid for both regions) -> `{"US": (...), "EU": (...)}`."""
    keys: dict[str, list[str]] = {}
    for value in values:
        region, sep, key = value.partition("=")
        if sep and region.strip().upper() in REGIONS:
            targets, key = [region.strip().upper()], key.strip()
        else:
            targets, key = list(REGIONS), value.strip()
        if not key:
            raise ValueError(f"partner key {value!r} is empty; use KEY, US=KEY or EU=KEY")
        for region_name in targets:
            keys.setdefault(region_name, []).append(key)
    return {region_name: tuple(found) for region_name, found in keys.items()}


def check_partner_key(configured: dict[str, tuple[str, ...]], key: Any, instance: Instance) -> None:
    """401 `Invalid Partner API key` unless `key` is valid for the instance's region."""
    if not isinstance(key, str) or not key:
        raise Unauthorized(
            INVALID_PARTNER_KEY, code=Code.AUTH_PARTNER_KEY, detail="'partner_api_key' must be a non-empty string"
        )
    by_region = {region.upper(): keys for region, keys in configured.items()}
    if not any(by_region.values()):
        return
    if key not in by_region.get(instance.region, ()):
        other = [r for r, keys in by_region.items() if r != instance.region and key in keys]
        detail = (
            f"this is the {other[0]} partner key; {instance.name} takes the {instance.region} key"
            if other
            else f"unknown partner API key for {instance.region} instances"
        )
        raise Unauthorized(INVALID_PARTNER_KEY, code=Code.AUTH_PARTNER_KEY, detail=detail)


def regenerate_data_import_key(store: Store, workspace: Workspace) -> str:
    """A new key for the workspace (reproducible from the store's seed); the previous one stops working."""
    with store.lock:
        state = workspace.data_import
        state.generation += 1
        rng = random.Random(f"{store.config.seed}:{workspace.name}:{state.generation}")
        new = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if state.current is not None:
            state.retired.append(state.current)
        state.current, state.managed = new, True
        return new


def invalidate_data_import_key(store: Store, workspace: Workspace) -> str | None:
    """Leave the workspace without a key; returns the key that was invalidated (None if it had none)."""
    with store.lock:
        state = workspace.data_import
        old = state.current
        if old is not None:
            state.retired.append(old)
        state.current, state.managed = None, True
        return old


def workspace_for_secret(store: Store, secret: Any, instance: Instance) -> Workspace:
    """The workspace whose data import key is `secret`; 401 `Invalid client secret` otherwise."""
    if not isinstance(secret, str) or not secret:
        raise Unauthorized(
            INVALID_CLIENT_SECRET, code=Code.AUTH_CLIENT_SECRET, detail="'client_secret' must be a non-empty string"
        )
    with store.lock:
        states = [(ws, ws.data_import) for ws in store.workspaces.values()]
        if not any(state.managed for _, state in states):
            return store.workspace(DEFAULT_WORKSPACE)
        owner = next((ws for ws, state in states if state.current == secret), None)
        if owner is None:
            retired = any(secret in state.retired for _, state in states)
            detail = "this data import key was invalidated" if retired else "unknown data import key"
            raise Unauthorized(INVALID_CLIENT_SECRET, code=Code.AUTH_CLIENT_SECRET, detail=detail)
        if owner.config.instance != instance.name:
            detail = f"this data import key belongs to {owner.config.instance}; the request reached {instance.name}"
            raise Unauthorized(INVALID_CLIENT_SECRET, code=Code.AUTH_CLIENT_SECRET, detail=detail)
        return owner
