"""A workspace file (`contracts/segment/workspace.json`) read into a `Workspace`, every problem named.

Checked against its contract first, then against what the harness knows: action slugs and preset names
of Segment's Braze destinations, FQL triggers (compiled as Segment's destination-subscriptions would),
settings (Segment's own settings validation: a bad REST endpoint cannot be saved in Segment either),
source names a destination connects to, and the Engage space (`harness.engage.load_definitions`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.contracts import Violation, contract
from harness.engage import DefinitionError, EngageSpace, load_definitions
from harness.segment.fql import FQLError, parse_fql
from harness.translate import PRESETS, SegmentError
from harness.translate.actions import BRAZE_ACTIONS, COHORTS_ACTIONS
from harness.translate.destinations import DESTINATIONS
from harness.workspace.defaults import connect_engage, default_mappings, default_workspace
from harness.workspace.integrations import DESTINATION_NAMES
from harness.workspace.model import Source, SubscriptionMapping, Workspace, WorkspaceDestination

__all__ = ["WORKSPACE_CONTRACT", "WorkspaceError", "load_workspace", "workspace_from_json"]

WORKSPACE_CONTRACT = "segment/workspace"
_ACTIONS = {"braze": BRAZE_ACTIONS, "braze-cohorts": COHORTS_ACTIONS}
_PRESETS = {preset.name: preset for preset in PRESETS}


class WorkspaceError(ValueError):
    """A workspace file the fake Segment cannot use; lists every problem (path + reason)."""

    def __init__(self, violations: Sequence[Violation], source: str | None = None) -> None:
        self.violations = list(violations)
        where = f"workspace {source}" if source else "workspace"
        super().__init__(f"{where}: " + "; ".join(str(v) for v in self.violations))


def load_workspace(path: str | Path) -> Workspace:
    """Read a workspace file; an `engage` path in it is read relative to the file."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WorkspaceError([Violation("$", exc.strerror or str(exc))], str(path)) from None
    except json.JSONDecodeError as exc:
        raise WorkspaceError([Violation("$", f"not JSON: {exc}", "json")], str(path)) from None
    try:
        return workspace_from_json(data, base=file.parent)
    except WorkspaceError as exc:
        raise WorkspaceError(exc.violations, str(path)) from None


def workspace_from_json(data: Any, *, base: Path | None = None) -> Workspace:
    """Build a workspace from its JSON; WorkspaceError with every problem found."""
    found = contract(WORKSPACE_CONTRACT).check(data)
    if found:
        raise WorkspaceError(found)
    problems: list[Violation] = []
    sources = tuple(Source(s["name"], s["write_key"]) for s in data.get("sources", ()))
    problems += _duplicates("$.sources", [s.name for s in sources], "source name")
    problems += _duplicates("$.sources", [s.write_key for s in sources], "write key")
    engage = _engage(data.get("engage"), base, problems)
    if "destinations" in data:
        destinations = tuple(
            _destination(item, f"$.destinations[{i}]", {s.name for s in sources}, problems)
            for i, item in enumerate(data["destinations"])
        )
        problems += _duplicates("$.destinations", [d.name for d in destinations], "destination name")
    else:
        destinations = default_workspace().destinations
    if problems:
        raise WorkspaceError(problems)
    if engage is not None:
        cohorts = any(d.kind == "braze-cohorts" and d.enabled for d in destinations)
        engage = connect_engage(engage, cohorts=cohorts, named=_named_connections(data.get("engage"), base))
    delivery = data.get("delivery", {})
    return Workspace(
        name=data.get("name", "default"),
        sources=sources,
        destinations=destinations,
        engage=engage,
        max_attempts=delivery.get("max_attempts", 3),
    )


def _duplicates(path: str, values: list[str], what: str) -> list[Violation]:
    return [Violation(path, f"{what} {v!r} is used twice") for v in sorted({v for v in values if values.count(v) > 1})]


def _destination(
    item: Mapping[str, Any], where: str, source_names: set[str], problems: list[Violation]
) -> WorkspaceDestination:
    kind = item["type"]
    settings = dict(item.get("settings", {}))
    try:
        DESTINATIONS[kind].validate_settings(settings)
    except SegmentError as exc:
        problems.append(Violation(f"{where}.settings", exc.message))
    connected = item.get("sources")
    if connected is not None:
        problems += [
            Violation(
                f"{where}.sources", f"no source named {name!r}; sources: {', '.join(sorted(source_names)) or 'none'}"
            )
            for name in connected
            if name not in source_names
        ]
    if "mappings" in item:
        mappings = tuple(_mapping(m, kind, f"{where}.mappings[{i}]", problems) for i, m in enumerate(item["mappings"]))
        problems += _duplicates(f"{where}.mappings", [m.name for m in mappings], "mapping name")
    else:
        mappings = default_mappings(kind)
    return WorkspaceDestination(
        item.get("name", DESTINATION_NAMES[kind]),
        kind,
        settings,
        mappings,
        tuple(connected) if connected is not None else None,
        item.get("enabled", True),
    )


def _mapping(item: Mapping[str, Any], kind: str, where: str, problems: list[Violation]) -> SubscriptionMapping:
    actions = _ACTIONS[kind]
    preset_name = item.get("preset")
    preset = _PRESETS.get(preset_name) if preset_name and kind == "braze" else None
    if preset_name and preset is None:
        known = ", ".join(_PRESETS) if kind == "braze" else "none (Braze Cohorts ships no presets)"
        problems.append(Violation(f"{where}.preset", f"no preset {preset_name!r}; presets: {known}"))
    action = item.get("action") or (preset.action if preset else "")
    if action not in actions:
        problems.append(Violation(f"{where}.action", f"no action {action!r}; actions: {', '.join(actions)}"))
    elif preset is not None and preset.action != action:
        problems.append(Violation(f"{where}.action", f"preset {preset.name!r} runs {preset.action}, not {action}"))
    trigger = item.get("trigger") or (preset.subscribe if preset else None)
    if trigger is None and action in actions:
        trigger = actions[action].default_subscription
    if not trigger:
        problems.append(Violation(where, f"{action or 'the mapping'} has no default trigger: give one (FQL)"))
        trigger = ""
    else:
        try:
            parse_fql(trigger)
        except FQLError as exc:
            problems.append(Violation(f"{where}.trigger", f"not FQL: {exc}"))
    name = item.get("name") or (preset.name if preset else action)
    return SubscriptionMapping(
        name, action, trigger, preset.name if preset else None, dict(item.get("mapping", {})), item.get("enabled", True)
    )


def _engage_json(value: Any, base: Path | None) -> Any:
    if isinstance(value, str):
        path = (base or Path()) / value
        return json.loads(path.read_text(encoding="utf-8"))
    return value


def _engage(value: Any, base: Path | None, problems: list[Violation]) -> EngageSpace | None:
    if value is None:
        return None
    try:
        return load_definitions(_engage_json(value, base))
    except OSError as exc:
        problems.append(Violation("$.engage", f"{value}: {exc.strerror or exc}"))
    except json.JSONDecodeError as exc:
        problems.append(Violation("$.engage", f"{value}: not JSON ({exc})"))
    except DefinitionError as exc:
        problems += [Violation(f"$.engage{v.path[1:]}", v.reason, v.keyword) for v in exc.violations]
    return None


def _named_connections(value: Any, base: Path | None) -> frozenset[str]:
    """Keys of the definitions whose file names their destinations (they keep them as given)."""
    data = _engage_json(value, base)
    if not isinstance(data, Mapping):
        return frozenset()
    items = data.get("definitions", [data])
    if data.get("destinations") and "definitions" in data:
        return frozenset(str(i.get("key")) for i in items if isinstance(i, Mapping))
    return frozenset(i["key"] for i in items if isinstance(i, Mapping) and i.get("destinations"))
