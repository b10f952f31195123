"""segment-braze-harness: an offline fake Braze and Segment → Braze translation, for tests and CI."""

from __future__ import annotations

__all__: list[str] = []
