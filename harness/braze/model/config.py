"""Configuration of a fake Braze: instance, workspaces and keys, limits, rate limits, journal caps, and what a
workspace has in its dashboard (catalogs, API-triggered campaigns and Canvases).

Zero-config works: with no REST API keys configured, any non-empty key is accepted and maps to one
default workspace. Configure keys (and their instances) to get Braze's 401s for unknown keys or keys
used on the wrong instance. With no campaigns (Canvases) declared, any campaign_id (canvas_id) is taken;
declare some to get Braze's `Invalid Campaign ID` for the others. Catalogs are never invented: a request
for a catalog nobody created answers `catalog-not-found`, as Braze does; declare them here, create them
with `POST /catalogs` (what Segment's catalog hook does) or through the control plane.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from harness.braze.model.catalogs import CatalogConfig
from harness.braze.model.faults import Fault
from harness.braze.model.instances import instance_named
from harness.braze.model.messaging import TriggerConfig
from harness.clock import Clock, SystemClock

__all__ = [
    "DEFAULT_WORKSPACE",
    "FakeBrazeConfig",
    "RateLimit",
    "TrackLimits",
    "WorkspaceConfig",
    "parse_rate_limit",
]

DEFAULT_WORKSPACE = "default"
TrackLimits = Literal["legacy-75", "combined-75", "combined-50"]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `limit` requests per `window_seconds` (a fixed window, as Braze's X-RateLimit-* describe)."""

    limit: int
    window_seconds: float

    def __str__(self) -> str:
        return f"{self.limit}/{self.window_seconds:g}"


def parse_rate_limit(text: str) -> RateLimit | None:
    """`3000/3` -> 3,000 requests per 3 seconds; `off` -> no limit."""
    if text.strip().lower() in ("off", "none", "0"):
        return None
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match:
        raise ValueError(f"rate limit must look like 3000/3 (requests/seconds) or 'off', not {text!r}")
    unit = {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(3)]
    return RateLimit(int(match.group(1)), float(match.group(2)) * unit)


def _items(value: Any) -> Iterable[Any]:
    """A declaration or several: one name, object or mapping counts as one, not as its characters or keys."""
    return (value,) if isinstance(value, str | Mapping | CatalogConfig | TriggerConfig) else value


@dataclass(frozen=True, slots=True)
class WorkspaceConfig:
    """A Braze workspace: its instance, its REST API keys and its Segment data import key."""

    name: str
    instance: str = "US-01"
    api_keys: tuple[str, ...] = ()
    data_import_key: str | None = None
    onboarded: date | None = None
    """When the workspace was onboarded to Braze; some limits depend on it (`/users/export/ids` takes 2,500
    requests a minute for workspaces onboarded before 22 August 2024, 250 after). None: recently."""
    catalogs: tuple[CatalogConfig, ...] = ()
    """Catalogs that exist from the start (and, empty, after every reset): CatalogConfig objects, Braze
    catalog objects (`{"name", "fields"}`) or bare names (a catalog with only `id`)."""
    campaigns: tuple[TriggerConfig, ...] = ()
    """API-triggered campaigns (ids, `{"id", "status"}` or TriggerConfig). Empty: any campaign_id is taken."""
    canvases: tuple[TriggerConfig, ...] = ()
    """API-triggered Canvases, likewise. Empty: any canvas_id is taken."""

    def __post_init__(self) -> None:
        instance_named(self.instance)  # fail early on a typo
        object.__setattr__(self, "catalogs", tuple(CatalogConfig.coerce(c) for c in _items(self.catalogs)))
        object.__setattr__(self, "campaigns", tuple(TriggerConfig.coerce(c) for c in _items(self.campaigns)))
        object.__setattr__(self, "canvases", tuple(TriggerConfig.coerce(c) for c in _items(self.canvases)))


@dataclass(slots=True)
class FakeBrazeConfig:
    """Everything a fake Braze can be told. Every field has a working default."""

    instance: str = "US-01"
    """The instance a request belongs to when its Host is not a Braze REST host (e.g. 127.0.0.1)."""
    workspaces: tuple[WorkspaceConfig, ...] = ()
    api_keys: tuple[str, ...] = ()
    """Keys for the default workspace on `instance` (shorthand for one WorkspaceConfig)."""
    any_key_instances: Literal["all", "own"] = "all"
    """With no keys configured, where any non-empty key is accepted: `all` instances (zero-config), or
    only `own` (`instance`): a request to another instance's host then gets Braze's 401, as a real key
    of this instance would."""
    partner_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Cohort partner API keys by region (`US`, `EU`); empty accepts any non-empty key."""
    data_import_keys: tuple[str, ...] = ()
    """Data import keys (cohort `client_secret`) for the default workspace."""
    catalogs: tuple[CatalogConfig, ...] = ()
    """Catalogs of the default workspace (see `WorkspaceConfig.catalogs`)."""
    campaigns: tuple[TriggerConfig, ...] = ()
    """API-triggered campaigns of the default workspace (see `WorkspaceConfig.campaigns`)."""
    canvases: tuple[TriggerConfig, ...] = ()
    """API-triggered Canvases of the default workspace (see `WorkspaceConfig.canvases`)."""
    track_limits: TrackLimits = "legacy-75"
    rate_limits: dict[str, RateLimit | None] = field(default_factory=dict)
    """Changes to Braze's documented rate limits (`service.limits.RATE_LIMITS`) by endpoint group: a
    `RateLimit`, or None for a group whose requests are never refused. Answers carry X-RateLimit-* either way."""
    rate_limited: bool = True
    """False (`serve --rate-limit off`): no request is refused for its rate; the headers still show the limits."""
    array_attribute_max_length: int = 25
    """Braze's default cap for array custom attributes (`limits.ARRAY_ATTRIBUTE_DEFAULT_MAX`; up to 100)."""
    max_body_bytes: int = 4 * 1024 * 1024
    """Bodies over this get 413 (`limits.MAX_BODY_BYTES`, a choice: Braze documents none)."""
    journal_max_entries: int = 10_000
    journal_max_bytes: int = 64 * 1024 * 1024
    seed: int = 0
    """Seeds generated braze_ids so runs are reproducible."""
    clock: Clock = field(default_factory=SystemClock)
    faults: tuple[Fault, ...] = ()
    """Faults armed from the start and again on every reset (`Fault` objects or their JSON form)."""
    strict: bool = False
    """True: refuse (400) what the contract forbids but Braze most plausibly accepts and ignores, i.e. unknown
    top-level /users/track fields. False (default): accept and ignore them, with a journal warning; the
    contract violation is still recorded, so `validate` and the pytest marker's `strict` report it."""
    control_plane: bool = True
    """False: no `/_harness/` endpoints at all (404)."""
    control_token: str | None = None
    """When set, `/_harness/` answers 401 unless the request carries it (`X-Harness-Control-Token: TOKEN`
    or `Authorization: Bearer TOKEN`)."""
    allowed_hosts: tuple[str, ...] = ()
    """Host names `/_harness/` answers to besides the loopback forms (localhost, 127.0.0.1, ::1) and Braze's
    REST hosts; a request naming any other Host gets 403 (DNS rebinding). `LiveServer` adds its bind
    address; `("*",)` turns the check off. Braze's own endpoints accept any Host whatever this says."""

    def __post_init__(self) -> None:
        instance_named(self.instance)
        self.faults = tuple(Fault.coerce(f) for f in self.faults)
        self.catalogs = tuple(CatalogConfig.coerce(c) for c in _items(self.catalogs))
        self.campaigns = tuple(TriggerConfig.coerce(c) for c in _items(self.campaigns))
        self.canvases = tuple(TriggerConfig.coerce(c) for c in _items(self.canvases))
        if self.any_key_instances not in ("all", "own"):
            raise ValueError(f"any_key_instances must be 'all' or 'own', not {self.any_key_instances!r}")
        if self.track_limits not in ("legacy-75", "combined-75", "combined-50"):
            raise ValueError(f"track_limits must be legacy-75, combined-75 or combined-50, not {self.track_limits!r}")

    def all_workspaces(self) -> tuple[WorkspaceConfig, ...]:
        """The configured workspaces, the shorthand default one included (first)."""
        default = WorkspaceConfig(
            DEFAULT_WORKSPACE,
            instance=self.instance,
            api_keys=tuple(self.api_keys),
            data_import_key=self.data_import_keys[0] if self.data_import_keys else None,
            catalogs=self.catalogs,
            campaigns=self.campaigns,
            canvases=self.canvases,
        )
        named = [w for w in self.workspaces if w.name != DEFAULT_WORKSPACE]
        explicit_default = [w for w in self.workspaces if w.name == DEFAULT_WORKSPACE]
        return (explicit_default[0] if explicit_default else default, *named)

    def with_changes(self, **changes: object) -> FakeBrazeConfig:
        return replace(self, **changes)  # type: ignore[arg-type]
