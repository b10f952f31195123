"""Journal entries as the live stream lists them: who a request names, a one-line summary, and the filter.

The same `RequestFilter` picks the rows of the first page and the entries the live stream sends, so a
filtered page never receives a row its filter would not have shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from harness.braze import JournalEntry

__all__ = ["MAX_USERS", "RequestFilter", "Row", "row_of", "summary_of", "users_of"]

MAX_USERS = 50
_MAX_DEPTH = 8
_ID_KEYS = ("external_id", "braze_id", "email", "phone", "device_id")
_ID_LISTS = ("external_ids", "user_ids", "device_ids", "braze_ids", "emails", "phones")


def _walk(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key in _ID_KEYS:
            found = value.get(key)
            if isinstance(found, str) and found:
                yield found
        for key in ("user_alias", "alias"):
            alias = value.get(key)
            if isinstance(alias, dict) and isinstance(alias.get("alias_name"), str):
                yield alias["alias_name"]
        for key in _ID_LISTS:
            items = value.get(key)
            if isinstance(items, list):
                yield from (i for i in items if isinstance(i, str) and i)
        for child in value.values():
            if isinstance(child, dict | list):
                yield from _walk(child, depth + 1)
    elif isinstance(value, list):
        for child in value:
            if isinstance(child, dict | list):
                yield from _walk(child, depth + 1)


def users_of(entry: JournalEntry) -> list[str]:
    """The user identifiers a request names (external_ids, aliases, emails, ...), first seen first, at most 50."""
    seen: dict[str, None] = {}
    for name in _walk(entry.body):
        seen.setdefault(name, None)
        if len(seen) >= MAX_USERS:
            break
    return list(seen)


def summary_of(entry: JournalEntry) -> str:
    """`2 attributes · 1 events (Audience Entered)`, or the refusal, or what the body was."""
    refusals = [n.text for n in entry.notes if n.kind == "refusal"]
    body = entry.body
    parts: list[str] = []
    if isinstance(body, dict):
        for key, value in body.items():
            if isinstance(value, list):
                part = f"{len(value)} {key}"
                if key == "events":
                    names = {e.get("name") for e in value if isinstance(e, dict) and isinstance(e.get("name"), str)}
                    shown = sorted(str(n) for n in names)[:2]
                    part += f" ({', '.join(shown)}{', …' if len(names) > 2 else ''})" if shown else ""
                parts.append(part)
            if len(parts) >= 4:
                break
    elif body is None and entry.raw:
        parts.append("body is not JSON")
    text = " · ".join(parts)
    if refusals:
        text = f"{refusals[0]}" + (f" · {text}" if text else "")
    return text[:200]


def _status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status <= 599 else "other"


def _fault_label(fault: object) -> str | None:
    """`status 503`, `drop`, `latency`: the fault a request got, from its journaled record."""
    if not isinstance(fault, dict):
        return None
    status = fault.get("status")
    return f"{fault.get('kind')} {status}" if status is not None else str(fault.get("kind"))


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the stream."""

    id: int
    time: str
    method: str
    path: str
    status: int
    status_class: str
    users: tuple[str, ...]
    summary: str
    violations: int
    warnings: int
    errors: int
    fault: str | None
    workspace: str | None


def row_of(entry: JournalEntry) -> Row:
    return Row(
        id=entry.id,
        time=entry.at.strftime("%H:%M:%S.") + f"{entry.at.microsecond // 1000:03d}",
        method=entry.method,
        path=entry.path,
        status=entry.status,
        status_class=_status_class(entry.status),
        users=tuple(users_of(entry)),
        summary=summary_of(entry),
        violations=len(entry.violations),
        warnings=sum(1 for n in entry.notes if n.kind == "warning"),
        errors=sum(1 for n in entry.notes if n.kind == "error"),
        fault=_fault_label(entry.fault),
        workspace=entry.workspace,
    )


@dataclass(frozen=True, slots=True)
class RequestFilter:
    """The stream's filter: a user (any identifier the body names, case-insensitive substring), a path, a
    status (`2xx`, `4xx`, `5xx` or a code) and "has contract violations"."""

    user: str = ""
    path: str = ""
    status: str = ""
    violations: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> RequestFilter:
        return cls(
            user=(args.get("user") or "").strip()[:500],
            path=(args.get("path") or "").strip()[:500],
            status=(args.get("status") or "").strip().lower()[:3],
            violations=(args.get("violations") or "") in ("1", "on", "true", "yes"),
        )

    @property
    def active(self) -> bool:
        return bool(self.user or self.path or self.status or self.violations)

    def query(self) -> dict[str, str]:
        """The filter as query parameters (for the stream URL and links)."""
        flag = "1" if self.violations else ""
        out = {"user": self.user, "path": self.path, "status": self.status, "violations": flag}
        return {k: v for k, v in out.items() if v}

    def matches(self, entry: JournalEntry) -> bool:
        if self.path and entry.path != self.path:
            return False
        if self.violations and not entry.violations:
            return False
        if self.status and not self._status_matches(entry.status):
            return False
        if self.user:
            wanted = self.user.casefold()
            return any(wanted in name.casefold() for name in users_of(entry))
        return True

    def _status_matches(self, status: int) -> bool:
        if len(self.status) == 3 and self.status.endswith("xx"):
            return self.status == _status_class(status)
        return self.status == str(status)
