"""What a replay needs to know: the destination settings, the user's real Braze workspace, and options.

Settings come from a file, the environment or flags (flags win, then the environment, then the file,
then the reference runner's test settings). The *workspace model* is what makes auth problems
reproducible offline: the fake is configured with the user's real workspace(s) (instance, REST API
keys, data import key), while Segment's side sends whatever the destination settings say. By default
the workspace is the one the settings imply (the endpoint's instance, the settings' own keys), so
nothing fails until the user says where the workspace really is (`--workspace-instance`,
`--workspace-api-key`) or lists several workspaces in the settings file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness.braze import DEFAULT_WORKSPACE, WorkspaceConfig, instance_for_host, instance_named
from harness.engage import EngageSpace
from harness.translate import DEFAULT_SETTINGS

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "SETTINGS_KEYS",
    "ConfigError",
    "ReplayConfig",
    "endpoint_url",
    "instance_of_endpoint",
    "load_json_file",
    "workspaces_from",
]

DEFAULT_BATCH_SIZE = 75  # Segment's Braze presets: enable_batching, batch_size 75 (MAX_BATCH_SIZE)
SETTINGS_KEYS = frozenset(
    {
        "api_key",
        "endpoint",
        "app_id",
        "client_secret",
        "cohorts_endpoint",
        "workspace_instance",
        "workspace_api_keys",
        "workspace_data_import_key",
        "workspaces",
    }
)


class ConfigError(ValueError):
    """A settings, mapping, segments, Engage or seed file the replay cannot use (the message says why)."""


def load_json_file(path: Path | str, what: str) -> Any:
    """A JSON file's value, or ConfigError naming the file and the problem."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{what} {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{what} {path}: not JSON ({exc})") from None


def endpoint_url(value: str) -> str:
    """A REST endpoint URL from a URL or an instance name (`EU-01` -> `https://rest.fra-01.braze.eu`)."""
    text = value.strip()
    if "://" in text:
        return text.rstrip("/")
    try:
        return instance_named(text).rest_url
    except KeyError as exc:
        raise ConfigError(str(exc.args[0])) from None


def instance_of_endpoint(endpoint: str) -> str | None:
    """The Braze instance an endpoint URL points at, or None for a URL that is no Braze REST host."""
    found = instance_for_host(urlsplit(endpoint).hostname)
    return found.name if found else None


@dataclass(frozen=True)
class ReplayConfig:
    """Everything one replay run uses. Build it with `ReplayConfig.build(...)` to get the merging rules."""

    braze_settings: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_SETTINGS["braze"]))
    cohorts_settings: dict[str, Any] | None = None
    """Braze Cohorts settings (`client_secret`, `endpoint`); None when that destination is not connected."""
    workspaces: tuple[WorkspaceConfig, ...] = ()
    """The user's real Braze workspaces; the first is "yours". Empty: the one the settings imply."""
    mapping: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Mapping overrides by subscription name (`Identify Calls`) or action slug (`trackEvent`)."""
    cohort_audience_keys: tuple[str, ...] = ()
    """The `personas_audience_key` of each Sync Audience mapping; empty: one correct mapping per audience."""
    defaulted: tuple[str, ...] = ()
    """The Braze Cloud Mode settings (`api_key`, `app_id`, `endpoint`) no file, flag or environment gave, so
    the replay used the placeholders of `harness.translate.DEFAULT_SETTINGS` (the report header says so)."""
    legacy_purchases: bool = False
    """Route Order Completed to trackPurchase (the "Order Completed Calls" preset of installs before 2026)."""
    batch_size: int = DEFAULT_BATCH_SIZE
    engage: EngageSpace | None = None
    segments: dict[str, Any] = field(default_factory=dict)
    seed: Any = None
    journal_cap: int = 100
    """Entries the fake keeps in its own journal (the full journal goes to `--out`)."""

    @cached_property
    def your_workspace(self) -> WorkspaceConfig:
        return self.all_workspaces()[0]

    def all_workspaces(self) -> tuple[WorkspaceConfig, ...]:
        """The configured workspaces, or the one implied by the settings (named `default`)."""
        return self.workspaces or self._implied_workspaces

    @cached_property
    def _implied_workspaces(self) -> tuple[WorkspaceConfig, ...]:
        endpoint = str(self.braze_settings.get("endpoint", ""))
        api_key = self.braze_settings.get("api_key")
        secret = self.cohorts_settings.get("client_secret") if self.cohorts_settings else None
        return (
            WorkspaceConfig(
                DEFAULT_WORKSPACE,
                instance=instance_of_endpoint(endpoint) or "US-01",
                api_keys=(api_key,) if isinstance(api_key, str) and api_key else (),
                data_import_key=secret if isinstance(secret, str) and secret else None,
            ),
        )

    def workspace_for_key(self, api_key: Any) -> WorkspaceConfig | None:
        """The modelled workspace that owns a REST API key."""
        return next((w for w in self.all_workspaces() if api_key in w.api_keys), None)

    @cached_property
    def key_owner(self) -> WorkspaceConfig | None:
        """The modelled workspace that owns the Braze Cloud Mode API Key setting."""
        return self.workspace_for_key(self.braze_settings.get("api_key"))

    @classmethod
    def build(cls, file_settings: Mapping[str, Any] | None = None, **given: Any) -> ReplayConfig:
        """Merge settings: `given` (flags, then environment, already merged by the caller; None = unset)
        over the settings file over the defaults. Other keyword arguments are options of the dataclass."""
        settings = _check_settings(dict(file_settings or {}))
        for key in SETTINGS_KEYS:
            if given.get(key) not in (None, (), ""):
                settings[key] = given[key]
        options = {k: v for k, v in given.items() if k not in SETTINGS_KEYS and v is not None}
        braze = dict(DEFAULT_SETTINGS["braze"])
        for key in ("api_key", "endpoint", "app_id"):
            if settings.get(key) is not None:
                braze[key] = endpoint_url(settings[key]) if key == "endpoint" else settings[key]
        options.setdefault("defaulted", tuple(k for k in ("api_key", "app_id", "endpoint") if settings.get(k) is None))
        cohorts = None
        if settings.get("client_secret") or options.get("cohort_audience_keys"):
            cohorts = dict(DEFAULT_SETTINGS["braze-cohorts"])
            if settings.get("client_secret"):
                cohorts["client_secret"] = settings["client_secret"]
            cohorts["endpoint"] = endpoint_url(settings.get("cohorts_endpoint") or braze["endpoint"])
        config = cls(braze_settings=braze, cohorts_settings=cohorts, **options)
        workspaces = workspaces_from(settings, config)
        if workspaces:
            config = cls(braze_settings=braze, cohorts_settings=cohorts, workspaces=workspaces, **options)
        return config


def _check_settings(settings: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(settings) - SETTINGS_KEYS)
    if unknown:
        raise ConfigError(f"unknown settings {', '.join(unknown)}; known: {', '.join(sorted(SETTINGS_KEYS))}")
    return settings


def workspaces_from(settings: Mapping[str, Any], implied: ReplayConfig) -> tuple[WorkspaceConfig, ...]:
    """The workspace model a settings mapping describes: a `workspaces` list, or the implied workspace
    with `workspace_instance` / `workspace_api_keys` / `workspace_data_import_key` overriding it."""
    listed = settings.get("workspaces")
    if listed:
        if not isinstance(listed, list) or not all(isinstance(w, Mapping) for w in listed):
            raise ConfigError("workspaces must be a list of {name, instance, api_keys, data_import_key}")
        try:
            return tuple(
                WorkspaceConfig(
                    str(w.get("name") or (DEFAULT_WORKSPACE if i == 0 else f"workspace-{i + 1}")),
                    instance=_instance_name(w.get("instance")) or "US-01",
                    api_keys=tuple(w.get("api_keys") or ()),
                    data_import_key=w.get("data_import_key"),
                )
                for i, w in enumerate(listed)
            )
        except KeyError as exc:
            raise ConfigError(str(exc.args[0])) from None
    overrides = {k: settings.get(k) for k in ("workspace_instance", "workspace_api_keys", "workspace_data_import_key")}
    if not any(overrides.values()):
        return ()
    base = implied.all_workspaces()[0]
    keys = overrides["workspace_api_keys"]
    try:
        return (
            WorkspaceConfig(
                base.name,
                instance=_instance_name(overrides["workspace_instance"]) or base.instance,
                api_keys=tuple([keys] if isinstance(keys, str) else keys) if keys else base.api_keys,
                data_import_key=overrides["workspace_data_import_key"] or base.data_import_key,
            ),
        )
    except KeyError as exc:
        raise ConfigError(str(exc.args[0])) from None


def _instance_name(value: Any) -> str | None:
    """An instance name from a name (`eu-01`) or a REST endpoint URL; None when not given."""
    if not value:
        return None
    text = str(value).strip()
    if "://" in text:
        found = instance_of_endpoint(text)
        if found is None:
            raise ConfigError(f"{text} is not a Braze REST endpoint")
        return found
    return text.upper()
