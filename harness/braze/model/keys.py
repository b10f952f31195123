"""A workspace's Segment data import key, as Braze's dashboard manages it ("create a new key or invalidate
an existing one", segment_engage.md). The checks against it live in `service.partner_auth`."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DataImportKey"]


@dataclass(slots=True)
class DataImportKey:
    current: str | None
    managed: bool
    """True once configured, regenerated or invalidated: only `current` is accepted from then on."""
    generation: int = 0
    retired: list[str] = field(default_factory=list)
