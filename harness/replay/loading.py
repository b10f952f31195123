"""Reading the replay's side files (settings, mapping overrides, Engage definitions, segments, seed).

Each reader returns plain data or raises ConfigError with the file and the problem, so the command line
can refuse a bad file before anything runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.engage import DefinitionError, EngageSpace, load_definitions
from harness.replay.config import ConfigError, load_json_file

__all__ = ["load_engage", "load_mapping", "load_seed", "load_segments", "load_settings"]


def load_settings(path: Path | None) -> dict[str, Any]:
    """Destination settings and the workspace model (see `ReplayConfig.build`)."""
    if path is None:
        return {}
    data = load_json_file(path, "settings")
    if not isinstance(data, dict):
        raise ConfigError(f"settings {path}: expected a JSON object of settings")
    return data


def load_mapping(path: Path | None) -> dict[str, dict[str, Any]]:
    """Mapping overrides: `{"<subscription name or action slug>": {"<field>": <mapping-kit value>}}`."""
    if path is None:
        return {}
    data = load_json_file(path, "mapping")
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ConfigError(
            f'mapping {path}: expected {{"<subscription or action>": {{"<field>": <value>}}}}, '
            'e.g. {"Identify Calls": {"_update_existing_only": true}}'
        )
    return data


def load_engage(path: Path | None) -> EngageSpace | None:
    """Engage definitions (one definition or a space), as `braze-harness engage` reads them."""
    if path is None:
        return None
    try:
        return load_definitions(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"engage {path}: {exc.strerror or exc}") from None
    except DefinitionError as exc:
        raise ConfigError(f"engage {path}: {exc}") from None


def load_segments(path: Path | None) -> dict[str, Any]:
    """Named Braze segment definitions: `{"<name>": <contracts/braze/segment-definition.json>}`."""
    if path is None:
        return {}
    data = load_json_file(path, "segments")
    if not isinstance(data, dict):
        raise ConfigError(f'segments {path}: expected {{"<name>": <segment definition>}}')
    return data


def load_seed(path: Path | None) -> Any:
    """A saved `/users/export/ids` response (or its `users` array); checked when the fake is seeded."""
    return None if path is None else load_json_file(path, "seed")
