"""The one error a caller of `harness.segment` needs to catch: a payload that is not a Segment event."""

from __future__ import annotations

from collections.abc import Sequence

from harness.contracts import Violation

__all__ = ["SegmentEventError"]


class SegmentEventError(ValueError):
    """Raised when text or a payload is not a valid Segment event; carries every violation found."""

    def __init__(self, message: str, violations: Sequence[Violation] = ()) -> None:
        self.message = message
        self.violations: list[Violation] = list(violations)
        detail = "; ".join(str(v) for v in self.violations[:10])
        if len(self.violations) > 10:
            detail += f"; … {len(self.violations) - 10} more"
        super().__init__(f"{message}: {detail}" if detail else message)
