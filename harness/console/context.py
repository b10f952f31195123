"""What every console page reads: the fake it shows, the live stream's hub, and the workspace asked for."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, request

from harness.braze import DEFAULT_WORKSPACE, Backend
from harness.console.hub import Hub

__all__ = ["EXTENSION", "ConsoleState", "state", "workspace_arg"]

EXTENSION = "harness_console"


@dataclass(frozen=True, slots=True)
class ConsoleState:
    fake: Backend
    hub: Hub
    stream_lifetime: float


def state() -> ConsoleState:
    found = current_app.extensions[EXTENSION]
    assert isinstance(found, ConsoleState)
    return found


def workspace_arg() -> str:
    """`?workspace=` (default: the default workspace); 404 for a workspace the fake does not have."""
    name = request.args.get("workspace", DEFAULT_WORKSPACE)
    if name not in state().fake.store.workspaces:
        abort(404, f"no workspace {name!r}")
    return name
