"""Shared builders for the fake Segment's tests: a fake Braze on a fixed clock and a fake Segment over it."""

from __future__ import annotations

from typing import Any

from harness.braze import FakeBraze
from harness.clock import FixedClock
from harness.workspace import FakeSegment, Workspace, workspace_from_json

NOW = "2024-05-01T12:00:00Z"


def fakes(workspace: Workspace | dict[str, Any] | None = None, **options: Any) -> tuple[FakeSegment, FakeBraze]:
    """A fake Segment (default workspace unless given) delivering into a fresh fake Braze at `NOW`."""
    braze = FakeBraze(clock=FixedClock(NOW))
    chosen = workspace_from_json(workspace) if isinstance(workspace, dict) else workspace
    return FakeSegment(braze, chosen, **options), braze


def identify(user: str = "u1", **traits: Any) -> dict[str, Any]:
    return {"type": "identify", "userId": user, "traits": traits or {"plan": "pro"}}


def track(event: str = "Signed Up", user: str = "u1", **properties: Any) -> dict[str, Any]:
    return {"type": "track", "userId": user, "event": event, "properties": properties}
