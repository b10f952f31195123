"""What a service answers: a status, a Braze-shaped body, and coded notes for the journal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.braze.model.notes import Note

__all__ = ["Outcome"]


@dataclass(slots=True)
class Outcome:
    """A successful answer. Errors are raised as `BrazeError`s instead."""

    status: int
    body: dict[str, Any]
    notes: list[Note] = field(default_factory=list)
    """What the fake noticed but Braze would not say (update-only misses, dropped values, ...), and each
    object error of the body's `errors`, coded."""
    workspace: str | None = None
    """The workspace, when the service (not the REST API key) found it: partner endpoints auth by body."""
