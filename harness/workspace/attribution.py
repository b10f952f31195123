"""Which part of a batched request, and of Braze's answer to it, belongs to which event.

A `/users/track` body holds, in order, one object per event Segment sent (one per product for
Track Purchase); Segment's multistatus says which events were sent and with what payload. From those,
each event gets its object range, and the fake's coded notes (Braze's object errors and the fake's
warnings, each naming its object as `where = "events[3]"`) and contract violations (`$.events[3].time`)
are handed to the event that owns the object. Notes that name no object belong to every event of the request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.braze import Note
from harness.contracts import Violation

__all__ = ["ObjectRange", "RequestNotes", "object_ranges", "split_notes"]

ARRAYS = ("attributes", "events", "purchases")
_WHERE = re.compile(r"(attributes|events|purchases)\[(\d+)\]")
_PATH = re.compile(r"^\$\.(attributes|events|purchases)\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class ObjectRange:
    """Objects `start` (inclusive) to `stop` (exclusive) of body array `array`."""

    array: str
    start: int
    stop: int

    def __contains__(self, item: object) -> bool:
        return isinstance(item, tuple) and item[0] == self.array and self.start <= item[1] < self.stop


def _objects_of(array: str, entry: Any) -> int:
    if array != "purchases":
        return 1
    sent = entry.get("sent") if isinstance(entry, dict) else None
    products = sent.get("products") if isinstance(sent, dict) else None
    return len(products) if isinstance(products, list) else 0


def object_ranges(multistatus: Sequence[Any] | None, body: Any) -> list[ObjectRange | None] | None:
    """Each event's object range in a `/users/track` body, from the multistatus of the translation that
    built it (every sent event has a 2xx entry there); None when they cannot be matched up."""
    if multistatus is None or not isinstance(body, dict):
        return None
    arrays = [a for a in ARRAYS if isinstance(body.get(a), list)]
    if len(arrays) != 1:
        return None
    array = arrays[0]
    ranges: list[ObjectRange | None] = []
    cursor = 0
    for entry in multistatus:
        status = entry.get("status") if isinstance(entry, dict) else None
        if isinstance(status, int) and 200 <= status < 300:
            count = _objects_of(array, entry)
            ranges.append(ObjectRange(array, cursor, cursor + count))
            cursor += count
        else:
            ranges.append(None)
    return ranges if cursor == len(body[array]) else None


@dataclass(slots=True)
class RequestNotes:
    """The fake's coded notes (Braze's object errors among them) and contract violations of one request, by object."""

    errors: dict[tuple[str, int], list[Note]] = field(default_factory=dict)
    warnings: dict[tuple[str, int], list[Note]] = field(default_factory=dict)
    violations: dict[tuple[str, int], list[Violation]] = field(default_factory=dict)
    shared_errors: list[Note] = field(default_factory=list)
    shared_warnings: list[Note] = field(default_factory=list)
    shared_violations: list[Violation] = field(default_factory=list)

    def for_range(self, found: ObjectRange | None) -> tuple[list[Note], list[Note], list[Violation]]:
        """(errors, warnings, violations) of the objects in `found`, plus the shared ones."""
        errors, warnings, violations = list(self.shared_errors), list(self.shared_warnings), []
        violations.extend(self.shared_violations)
        if found is not None:
            for index in range(found.start, found.stop):
                key = (found.array, index)
                errors.extend(self.errors.get(key, ()))
                warnings.extend(self.warnings.get(key, ()))
                violations.extend(self.violations.get(key, ()))
        return errors, warnings, violations


def split_notes(notes: Iterable[Note], violations: Iterable[Violation]) -> RequestNotes:
    """Sort a reply's notes by the object they name (`where` = `events[3]`); others belong to every event."""
    split = RequestNotes()
    for note in notes:
        match = _WHERE.fullmatch(note.where or "")
        errors = note.kind == "error"
        if match:
            key = (match.group(1), int(match.group(2)))
            (split.errors if errors else split.warnings).setdefault(key, []).append(note)
        else:
            (split.shared_errors if errors else split.shared_warnings).append(note)
    for violation in violations:
        match = _PATH.match(violation.path)
        if match:
            split.violations.setdefault((match.group(1), int(match.group(2))), []).append(violation)
        else:
            split.shared_violations.append(violation)
    return split
