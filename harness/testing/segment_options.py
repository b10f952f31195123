"""`@pytest.mark.segment(...)` options: which workspace the test's fake Segment plays, and when it delivers.

Merged closest-last like `@pytest.mark.braze`, over the `segment_workspace` fixture (override it in a
conftest for a suite-wide workspace):

- `workspace=`: a `Workspace`, a workspace file's path, or its JSON as a dict (`contracts/segment/workspace.json`);
- `write_keys=[...]`: only these write keys are sources (named `source-1`, ...); other keys are answered
  200 and dropped (`unknown_source`), as Segment does;
- `engage=`: Engage definitions (an `EngageSpace`, a list of `Audience` / `ComputedTrait`, a file's path
  or its JSON), connected to Braze Cloud Mode and, for audiences, Braze Cohorts unless they name destinations;
- `delivery="request"` (default: deliver before answering each Tracking API request) or `"flush"` (hold
  events until `fake_segment.flush()`);
- `max_attempts=N`: tries per request to Braze on a 429 / 5xx / lost connection (default 3).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.engage import DefinitionError, EngageSpace, load_definitions
from harness.workspace import Source, Workspace, WorkspaceError, default_workspace, load_workspace, workspace_from_json
from harness.workspace.defaults import connect_engage

__all__ = ["SegmentOptionError", "SegmentOptions"]

_KNOWN = ("workspace", "write_keys", "engage", "delivery", "max_attempts")


class SegmentOptionError(ValueError):
    """A marker option that makes no sense; the message says which and why."""


@dataclass(frozen=True, slots=True)
class SegmentOptions:
    """The merged `segment` markers of one test."""

    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_kwargs(cls, markers: Iterable[Mapping[str, Any]]) -> SegmentOptions:
        merged: dict[str, Any] = {}
        for kwargs in markers:
            merged.update(kwargs)
        unknown = sorted(set(merged) - set(_KNOWN))
        if unknown:
            raise SegmentOptionError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(_KNOWN)}")
        delivery = merged.get("delivery", "request")
        if delivery not in ("request", "flush"):
            raise SegmentOptionError(f"delivery is 'request' or 'flush', not {delivery!r}")
        attempts = merged.get("max_attempts")
        if attempts is not None and (not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1):
            raise SegmentOptionError(f"max_attempts is a whole number of tries (1 or more), not {attempts!r}")
        return cls(merged)

    @property
    def delivery(self) -> str:
        return str(self.values.get("delivery", "request"))

    def workspace(self, base: Workspace | None) -> Workspace:
        """The workspace the test's fake Segment plays: the marker's, else `base`, else the default one."""
        try:
            workspace = _workspace(self.values["workspace"]) if "workspace" in self.values else base
        except WorkspaceError as exc:
            raise SegmentOptionError(str(exc)) from None
        workspace = workspace if workspace is not None else default_workspace()
        changes: dict[str, Any] = {}
        keys = self.values.get("write_keys")
        if keys is not None:
            if isinstance(keys, str):
                keys = [keys]
            if not all(isinstance(k, str) and k for k in keys):
                raise SegmentOptionError(f"write_keys is a list of non-empty strings, not {keys!r}")
            changes["sources"] = tuple(Source(f"source-{n}", key) for n, key in enumerate(keys, start=1))
        if "engage" in self.values:
            cohorts = any(d.kind == "braze-cohorts" and d.enabled for d in workspace.destinations)
            changes["engage"] = connect_engage(_engage(self.values["engage"]), cohorts=cohorts)
        if "max_attempts" in self.values:
            changes["max_attempts"] = self.values["max_attempts"]
        return dataclasses.replace(workspace, **changes) if changes else workspace


def _workspace(value: Any) -> Workspace:
    if isinstance(value, Workspace):
        return value
    if isinstance(value, str | Path):
        return load_workspace(value)
    if isinstance(value, Mapping):
        return workspace_from_json(dict(value))
    raise SegmentOptionError(f"workspace is a Workspace, a file's path or its JSON, not {value!r}")


def _engage(value: Any) -> EngageSpace:
    if isinstance(value, EngageSpace):
        return value
    try:
        if isinstance(value, str | Path):
            return load_definitions(Path(value).read_text(encoding="utf-8"))
        if isinstance(value, Mapping):
            return load_definitions(dict(value))
    except (OSError, DefinitionError) as exc:
        raise SegmentOptionError(f"engage: {exc}") from None
    if isinstance(value, list | tuple):
        return EngageSpace(tuple(value))
    raise SegmentOptionError(
        f"engage is an EngageSpace, a list of definitions, a file's path or its JSON, not {value!r}"
    )
