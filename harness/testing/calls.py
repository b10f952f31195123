"""The fake's journal as a call list, respx-style: a list of entries with filters and call counts.

`fake_braze.requests` is a snapshot (later requests do not appear in it); filter it by what a test
cares about: path, method, status, the user a body names, the kind of objects it carries, an event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, Literal

from harness.braze import JournalEntry

__all__ = ["KINDS", "Kind", "Match", "Requests", "mentions_user"]

Kind = Literal["attributes", "events", "purchases"]
KINDS: tuple[Kind, ...] = ("attributes", "events", "purchases")
_MAX_DEPTH = 8


def mentions_user(body: Any, external_id: str, depth: int = 0) -> bool:
    """True when a body names `external_id` anywhere (an object's `external_id`, or an `external_ids` list)."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(body, dict):
        if body.get("external_id") == external_id:
            return True
        ids = body.get("external_ids")
        if isinstance(ids, list) and external_id in ids:
            return True
        return any(mentions_user(v, external_id, depth + 1) for v in body.values() if isinstance(v, (dict, list)))
    if isinstance(body, list):
        return any(mentions_user(v, external_id, depth + 1) for v in body)
    return False


def _objects(body: Any, kind: str) -> list[Any]:
    items = body.get(kind) if isinstance(body, dict) else None
    return items if isinstance(items, list) else []


@dataclass(frozen=True, slots=True)
class Match:
    """What a test looks for in the journal; unset fields match anything."""

    path: str | None = None
    method: str | None = None
    status: int | None = None
    user: str | None = None
    kind: Kind | None = None
    event: str | None = None
    instance: str | None = None

    def checks(self, entry: JournalEntry) -> list[bool]:
        """One verdict per criterion that is set (used to rank near misses)."""
        verdicts = []
        if self.path is not None:
            verdicts.append(entry.path == self.path)
        if self.method is not None:
            verdicts.append(entry.method == self.method.upper())
        if self.status is not None:
            verdicts.append(entry.status == self.status)
        if self.user is not None:
            verdicts.append(mentions_user(entry.body, self.user))
        if self.kind is not None:
            verdicts.append(bool(_objects(entry.body, self.kind)))
        if self.event is not None:
            events = _objects(entry.body, "events")
            verdicts.append(any(isinstance(e, dict) and e.get("name") == self.event for e in events))
        if self.instance is not None:
            verdicts.append(entry.instance == self.instance)
        return verdicts

    def __call__(self, entry: JournalEntry) -> bool:
        return all(self.checks(entry))

    def describe(self) -> str:
        wanted = [(f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None]
        return ", ".join(f"{k}={v!r}" for k, v in wanted) or "any request"


class Requests(list[JournalEntry]):
    """Journal entries, oldest first, with respx-like `called` / `call_count` / `last`."""

    def __init__(self, entries: Iterable[JournalEntry] = ()) -> None:
        super().__init__(entries)

    def filter(
        self,
        path: str | None = None,
        *,
        method: str | None = None,
        status: int | None = None,
        user: str | None = None,
        kind: Kind | None = None,
        event: str | None = None,
        instance: str | None = None,
    ) -> Requests:
        """The entries matching every given criterion (`user` is an external_id the body names)."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        match = Match(path, method, status, user, kind, event, instance)
        return Requests(e for e in self if match(e))

    @property
    def called(self) -> bool:
        return bool(self)

    @property
    def call_count(self) -> int:
        return len(self)

    @property
    def last(self) -> JournalEntry:
        if not self:
            raise IndexError("no requests were received")
        return self[-1]

    @property
    def bodies(self) -> list[Any]:
        return [e.body for e in self]
