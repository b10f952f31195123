"""What a service answers: a status, a Braze-shaped body, and notes for the journal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Outcome"]


@dataclass(slots=True)
class Outcome:
    """A successful answer. Errors are raised as `BrazeError`s instead."""

    status: int
    body: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    """What the fake noticed but Braze would not say (update-only misses, dropped values, ...)."""
    workspace: str | None = None
    """The workspace, when the service (not the REST API key) found it: partner endpoints auth by body."""
