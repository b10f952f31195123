"""The request journal: every request the fake received, accepted or not, WireMock-style and bounded.

Entries are capped by count and by bytes (oldest dropped first, with a counter of dropped entries), so
a long-running `serve` keeps flat memory. Credentials are redacted before an entry is stored (see
`redaction`): the Authorization and control token headers, the `api_key` query parameter and the
`partner_api_key` / `client_secret` / `api_key` body fields (parsed or not) keep only their last four
characters.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from harness.braze.model.notes import Note
from harness.braze.model.redaction import SECRET_HEADERS, redact, redact_body, redact_query, redact_raw
from harness.contracts import Violation

__all__ = ["LAZY_BODIES", "Journal", "JournalEntry", "redact"]

LAZY_BODIES = True
"""Keep a parsed body as the bytes it was parsed from, decoded on first read (tests switch it off to compare).
A journal of 10,000 entries then holds 10,000 bytes objects instead of millions of dicts and lists, which
the garbage collector would walk on every full collection (most of a busy fake's time, before)."""
_UNREAD = object()


@dataclass(slots=True, eq=False, init=False)
class JournalEntry:
    """One request and what the fake answered."""

    id: int
    at: datetime
    method: str
    path: str
    query: str
    host: str
    headers: dict[str, str]
    _body: Any
    raw: str | None
    status: int = 0
    response: Any = None
    instance: str | None = None
    workspace: str | None = None
    violations: list[Violation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    """What the fake noticed, coded (`harness.braze.model.notes`)."""
    size: int = 0
    fault: dict[str, Any] | None = None
    """The fault this request got (`Fired.to_json()`), if any."""
    _source: bytes | None = None

    def __init__(
        self,
        id: int,
        at: datetime,
        method: str,
        path: str,
        query: str,
        host: str,
        headers: dict[str, str],
        body: Any,
        raw: str | None,
        status: int = 0,
        response: Any = None,
        instance: str | None = None,
        workspace: str | None = None,
        violations: list[Violation] | None = None,
        notes: list[Note] | None = None,
        size: int = 0,
        fault: dict[str, Any] | None = None,
        *,
        source: bytes | None = None,
    ) -> None:
        """`source`: the bytes `body` is `orjson.loads` of (then `body` may be left unread: decoded, and
        redacted, on first read)."""
        self.id, self.at, self.method, self.path, self.query, self.host = id, at, method, path, query, host
        self.headers, self.raw, self.status, self.response = headers, raw, status, response
        self.instance, self.workspace, self.size, self.fault = instance, workspace, size, fault
        self.violations = [] if violations is None else violations
        self.notes = [] if notes is None else notes
        self._body, self._source = (_UNREAD, source) if body is _UNREAD else (body, None)

    @property
    def body(self) -> Any:
        """The request body as parsed (credential fields redacted); None when it was not JSON or not read.
        Decoded on first read and kept (Python readers filter the same entries again and again)."""
        if self._body is _UNREAD:
            self._body, self._source = self._decoded(), None
        return self._body

    @body.setter
    def body(self, value: Any) -> None:
        self._body, self._source = value, None

    def _decoded(self) -> Any:
        return redact_body(orjson.loads(self._source or b"null")) if self._body is _UNREAD else self._body

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JournalEntry):
            return NotImplemented
        return self.to_json() == other.to_json() and self.size == other.size

    @property
    def warnings(self) -> list[str]:
        """The warnings and refusal notes as text (`events[3]: no user with ...`); object errors are in `response`."""
        return [str(note) for note in self.notes if note.kind != "error"]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JournalEntry:
        """An entry back from `to_json` (a state file); violations keep their path and reason."""
        return cls(
            id=data["id"],
            at=datetime.fromisoformat(data["at"].replace("Z", "+00:00")),
            method=data["method"],
            path=data["path"],
            query=data["query"],
            host=data["host"],
            headers=dict(data["headers"]),
            body=data["body"],
            raw=data["raw"],
            status=data["status"],
            response=data["response"],
            instance=data["instance"],
            workspace=data["workspace"],
            violations=[Violation(v["path"], v["reason"]) for v in data["violations"]],
            notes=[Note.from_json(n) for n in data.get("notes", ())],
            size=int(data.get("size", 512)),
            fault=data["fault"],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "host": self.host,
            "instance": self.instance,
            "workspace": self.workspace,
            "headers": self.headers,
            "body": self._decoded(),  # not kept: a state file and the control plane write every entry out
            "raw": self.raw,
            "status": self.status,
            "response": self.response,
            "violations": [v.to_json() for v in self.violations],
            "warnings": self.warnings,
            "notes": [note.to_json() for note in self.notes],
            "fault": self.fault,
        }


class Journal:
    """A thread-safe, capped log of requests with simple queries."""

    def __init__(self, max_entries: int = 10_000, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.dropped = 0
        self._entries: deque[JournalEntry] = deque()
        self._bytes = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[JournalEntry], None]] = []
        self.generation = 0
        """Counts `clear()`s, so a reader keeping entries elsewhere knows to forget its copies."""

    def record(
        self,
        *,
        at: datetime,
        method: str,
        path: str,
        query: str,
        host: str,
        headers: Iterable[tuple[str, str]],
        body: Any,
        raw: bytes,
        status: int,
        response: Any,
        instance: str | None,
        workspace: str | None,
        violations: list[Violation],
        notes: list[Note],
        fault: dict[str, Any] | None = None,
        parsed_from_raw: bool = False,
    ) -> JournalEntry:
        """`parsed_from_raw`: `body` is `orjson.loads(raw)` (unchanged since), so the entry may keep `raw` and
        decode it when first read (`LAZY_BODIES`)."""
        kept_headers = {k.lower(): (redact(v) if k.lower() in SECRET_HEADERS else v) for k, v in headers}
        text = None if body is not None else redact_raw(raw[:8192].decode("utf-8", "replace"))[:4096]
        entry = JournalEntry(
            id=0,
            at=at,
            method=method,
            path=path,
            query=redact_query(query),
            host=host,
            headers=kept_headers,
            body=_UNREAD if parsed_from_raw and LAZY_BODIES and body is not None else redact_body(body),
            raw=text,
            status=status,
            response=response,
            instance=instance,
            workspace=workspace,
            violations=violations,
            notes=notes,
            size=len(raw) + 512,
            fault=fault,
            source=bytes(raw) if parsed_from_raw else None,
        )
        with self._lock:
            entry.id = next(self._ids)
            self._keep(entry)
        for listener in self._listeners:
            listener(entry)
        return entry

    def _keep(self, entry: JournalEntry) -> None:
        self._entries.append(entry)
        self._bytes += entry.size
        while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
            self._bytes -= self._entries.popleft().size
            self.dropped += 1

    def subscribe(self, listener: Callable[[JournalEntry], None]) -> Callable[[], None]:
        """Call `listener` with every entry as it is recorded (after the request's state changed); returns
        a function that unsubscribes. A state file writes the request from here, the console streams it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def restore(self, entries: Iterable[JournalEntry]) -> None:
        """Put back entries kept elsewhere (a state file), oldest first; new ids continue after them."""
        with self._lock:
            last = 0
            for entry in entries:
                self._keep(entry)
                last = max(last, entry.id)
            self._ids = itertools.count(max(last + 1, next(self._ids)))

    def entries(self, predicate: Callable[[JournalEntry], bool] | None = None) -> list[JournalEntry]:
        with self._lock:
            items = list(self._entries)
        return items if predicate is None else [e for e in items if predicate(e)]

    def clear(self) -> None:
        """Forget every entry; ids start again at 1 (a reset fake is a new fake to whoever reads it)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self.dropped = 0
            self._ids = itertools.count(1)
            self.generation += 1

    def __len__(self) -> int:
        return len(self._entries)
