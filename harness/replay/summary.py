"""Totals of a run, kept in constant memory: counts by outcome and diagnosis, the first failing events."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from harness.replay.model import EventCase

__all__ = ["Summary", "parts_of"]

KEEP_NUMBERS = 20


@dataclass(slots=True)
class Summary:
    """What a replay found, for the last lines of the report, `--out DIR/summary.json` and the exit status."""

    events: int = 0
    delivered: int = 0
    failed: int = 0
    not_sent: int = 0
    with_warnings: int = 0
    requests: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    failing: list[int] = field(default_factory=list)
    """The numbers of the first failing events (at most 20)."""
    warning: list[int] = field(default_factory=list)
    segments: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Named segments at the end of the run: `{name: {"count", "users"}}` (users capped)."""

    def add(self, case: EventCase) -> None:
        self.add_parts(*parts_of(case))

    def add_parts(self, number: int, outcome: str, warned: bool, codes: tuple[str, ...]) -> None:
        """What `add` reads of a case (`parts_of`), for cases diagnosed in another process."""
        self.events += 1
        if outcome == "failed":
            self.failed += 1
            if len(self.failing) < KEEP_NUMBERS:
                self.failing.append(number)
        elif outcome == "delivered":
            self.delivered += 1
        else:
            self.not_sent += 1
        if warned:
            self.with_warnings += 1
            if len(self.warning) < KEEP_NUMBERS:
                self.warning.append(number)
        self.codes.update(codes)

    def to_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "delivered": self.delivered,
            "failed": self.failed,
            "not_sent": self.not_sent,
            "with_warnings": self.with_warnings,
            "requests": self.requests,
            "diagnoses": dict(self.codes.most_common()),
            "failing_events": self.failing,
            "segments": self.segments,
        }

    def sentence(self) -> str:
        """One line: `9 events: 6 delivered, 2 would fail in production (#7, #8), 1 not sent.`"""
        parts = [f"{self.delivered} delivered"]
        if self.failed:
            parts.append(f"{self.failed} would fail in production ({_numbers(self.failing, self.failed)})")
        if self.not_sent:
            parts.append(f"{self.not_sent} not sent")
        if self.with_warnings:
            parts.append(f"{self.with_warnings} with warnings ({_numbers(self.warning, self.with_warnings)})")
        noun = "event" if self.events == 1 else "events"
        sent = "request" if self.requests == 1 else "requests"
        return f"{self.events} {noun}: {', '.join(parts)}; {self.requests} {sent} to Braze."

    def segment_lines(self) -> list[str]:
        """`Braze segment 'Pro plan': 2 users (user-ada, user-bob)` per named segment."""
        lines = []
        for name, found in self.segments.items():
            count, users = found["count"], found["users"]
            shown = ", ".join(users[:5]) + (", ..." if count > 5 else "")
            noun = "user" if count == 1 else "users"
            lines.append(f"Braze segment {name!r}: {count} {noun}" + (f" ({shown})" if shown else ""))
        return lines


def parts_of(case: EventCase) -> tuple[int, str, bool, tuple[str, ...]]:
    """(number, outcome, has a warning, diagnosis codes): all a summary needs of a case."""
    warned = any(d.severity == "warning" for d in case.diagnoses)
    return case.number, case.outcome, warned, tuple(d.code for d in case.diagnoses)


def _numbers(numbers: list[int], total: int) -> str:
    shown = ", ".join(f"#{n}" for n in numbers)
    return shown + (", ..." if total > len(numbers) else "")
