"""`@pytest.mark.braze(...)` options: FakeBrazeConfig fields plus a few of the plugin's own, merged closest-last.

Options from a module, class and function marker are merged (the function's win), then applied over
the `braze_config` fixture, so a conftest sets defaults and a marker changes one test. What each means:

- `instance="EU-01"`: the fake is that instance (`base_url` points there). Given without `api_keys`,
  any key is still accepted, but only on this instance's hosts: another instance's host answers 401
  `Invalid API key`, as Braze does for a key of another instance (`any_key_instances="own"`).
- `api_keys=[...]`: only these keys, only on `instance`; every other key gets 401.
- `limits` (`track_limits`), `rate_limits={"users.track": "3000/3" | None} | "off"`, `faults=[...]` and
  any other `FakeBrazeConfig` field: set on the fake.
- `allow_hosts=[...]`: hosts, `host:port`s or URLs the network guard lets through.
- `allow_loopback=False`: refuse loopback too (127.0.0.0/8, ::1, localhost), except what `allow_hosts`
  and `braze_server` allow; the default lets loopback servers work.
- `strict=True`: fail a passing test that sent a request breaking its contract or got a 5xx that
  was not an injected fault.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from harness.braze import FakeBrazeConfig, Fault, RateLimit, WorkspaceConfig, parse_rate_limit

__all__ = ["BrazeOptions", "OptionError"]

_CONFIG_FIELDS = frozenset(f.name for f in dataclasses.fields(FakeBrazeConfig))
_ALIASES = {"limits": "track_limits"}
_TUPLES = frozenset({"api_keys", "data_import_keys", "workspaces", "faults"})
_OWN = frozenset({"allow_hosts", "allow_loopback", "strict"})


class OptionError(ValueError):
    """A marker option that makes no sense; the message says which and why."""


@dataclass(frozen=True, slots=True)
class BrazeOptions:
    """Config changes for the fake, hosts to let through, and whether teardown checks every request."""

    config: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    allow_hosts: tuple[str, ...] = ()
    strict: bool = False
    allow_loopback: bool = True

    @classmethod
    def from_kwargs(cls, markers: Iterable[Mapping[str, Any]]) -> BrazeOptions:
        """Merge marker kwargs, farthest first (so the closest marker wins)."""
        merged: dict[str, Any] = {}
        for kwargs in markers:
            merged.update(kwargs)
        unknown = sorted(set(merged) - _CONFIG_FIELDS - set(_ALIASES) - _OWN)
        if unknown:
            known = ", ".join(sorted(_CONFIG_FIELDS | set(_ALIASES) | _OWN))
            raise OptionError(f"unknown option(s) {', '.join(unknown)}; known: {known}")
        allow = merged.pop("allow_hosts", ())
        if isinstance(allow, str):
            allow = (allow,)
        if not isinstance(allow, (list, tuple, set, frozenset)) or not all(isinstance(a, str) for a in allow):
            raise OptionError(
                f"allow_hosts must be a host or a list of hosts ('example.com', 'host:port'), not {allow!r}"
            )
        strict = bool(merged.pop("strict", False))
        loopback = merged.pop("allow_loopback", True)
        if not isinstance(loopback, bool):
            raise OptionError(f"allow_loopback must be True or False, not {loopback!r}")
        config = {_ALIASES.get(k, k): v for k, v in merged.items()}
        for name in _TUPLES & config.keys():
            value = config[name]
            if isinstance(value, (str, WorkspaceConfig, Fault, Mapping)):
                config[name] = (value,)
            else:
                try:
                    config[name] = tuple(value)
                except TypeError:
                    raise OptionError(f"{name} must be a list, not {value!r}") from None
        if "instance" in config and "api_keys" not in config and "any_key_instances" not in config:
            config["any_key_instances"] = "own"  # instance= alone: other instances' hosts refuse the key
        return cls(config, tuple(allow), strict, loopback)

    def apply(self, base: FakeBrazeConfig) -> FakeBrazeConfig:
        """`base` with this marker's changes; OptionError for a value the config refuses."""
        if not self.config:
            return base
        changes = dict(self.config)
        try:
            if "rate_limits" in changes:
                changes["rate_limits"] = _rate_limits(changes["rate_limits"], base.rate_limits)
            return base.with_changes(**changes)
        except OptionError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise OptionError(str(exc.args[0]) if exc.args else repr(exc)) from None


def _rate_limits(value: Any, base: Mapping[str, RateLimit | None]) -> dict[str, RateLimit | None]:
    if value is None or (isinstance(value, str) and value.strip().lower() == "off"):
        return {group: None for group in {*base, "users.track", "cohorts", "default"}}
    if not isinstance(value, Mapping):
        raise OptionError(f"rate_limits must be 'off' or a dict of group -> '3000/3' | RateLimit | None, not {value!r}")
    merged = dict(base)
    for group, limit in value.items():
        merged[group] = parse_rate_limit(limit) if isinstance(limit, str) else limit
    return merged
