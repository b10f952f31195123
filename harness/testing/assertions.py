"""Assertions on a fake Braze whose failure messages show what was received instead.

A bare "expected 1 call, got 0" sends the reader to a debugger (respx#250, pytest-httpserver's
"similar requests"). Each failure here lists the closest requests the fake received: ranked by how many
of the wanted criteria they meet, then by recency, each with its body, the fake's answer, its contract
violations and the fake's warnings (update-only misses, dropped values), which usually say why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from harness.braze import DEFAULT_WORKSPACE, FakeBraze, JournalEntry
from harness.testing.calls import Kind, Match, Requests
from harness.testing.views import known_external_ids

__all__ = [
    "assert_all_accepted",
    "assert_no_contract_violations",
    "assert_request",
    "assert_tracked",
    "closest",
    "render",
    "report",
]

_WIDTH = 400
_MAX_LISTED = 10
_MISSING = object()


def _json(value: Any, width: int) -> str:
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def render(entry: JournalEntry, width: int = _WIDTH) -> str:
    """One journal entry, as a failure message shows it."""
    lines = [f"#{entry.id} {entry.method} {entry.path} -> {entry.status} ({entry.host}, {entry.instance or '?'})"]
    body = entry.body if entry.body is not None else entry.raw
    lines.append(f"   body: {_json(body, width)}")
    lines.append(f"   response: {_json(entry.response, width)}")
    if entry.violations:
        lines.append("   contract violations:")
        lines += [f"     {v.path}: {v.reason}" for v in entry.violations[:_MAX_LISTED]]
        if len(entry.violations) > _MAX_LISTED:
            lines.append(f"     ... and {len(entry.violations) - _MAX_LISTED} more")
    if entry.warnings:
        lines.append("   warnings:")
        lines += [f"     {w}" for w in entry.warnings[:_MAX_LISTED]]
    return "\n".join(lines)


def closest(entries: list[JournalEntry], match: Match, limit: int = 3) -> list[JournalEntry]:
    """The `limit` entries meeting the most criteria of `match`, most recent first among equals."""
    ranked = sorted(entries, key=lambda e: (sum(match.checks(e)), e.id), reverse=True)
    return ranked[:limit]


def report(headline: str, entries: list[JournalEntry], match: Match, limit: int = 3) -> str:
    """A failure message: the headline, then the closest requests received."""
    if not entries:
        return f"{headline}\nThe fake received no requests."
    shown = closest(entries, match, limit)
    parts = [headline, f"Closest requests received ({len(shown)} of {len(entries)}):"]
    parts += [render(e) for e in shown]
    return "\n".join(parts)


def assert_request(fake: FakeBraze, match: Match, count: int | None = None) -> Requests:
    """The requests matching `match`: at least one, or exactly `count`."""
    __tracebackhide__ = True
    entries = fake.journal.entries()
    found = Requests(e for e in entries if match(e))
    if (count is None and not found) or (count is not None and len(found) != count):
        wanted = "at least 1" if count is None else str(count)
        headline = f"expected {wanted} request(s) matching {match.describe()}; got {len(found)}"
        raise AssertionError(report(headline, entries, match))
    return found


def assert_tracked(
    fake: FakeBraze,
    external_id: str,
    event: str | None = None,
    count: int | None = None,
    *,
    purchase: str | None = None,
    attributes: Mapping[str, Any] | None = None,
    workspace: str = DEFAULT_WORKSPACE,
) -> None:
    """The profile `external_id` exists and holds `event` (`count` times, if given), `purchase`, `attributes`."""
    __tracebackhide__ = True
    kind: Kind | None = "events" if event else "purchases" if purchase else "attributes" if attributes else None
    match = Match(path="/users/track", user=external_id, kind=kind, event=event)
    problems: list[str] = []
    with fake.store.lock:
        profile = fake.user(external_id, workspace=workspace)
        if profile is None:
            known = known_external_ids(fake, workspace)
            problems.append(
                f"no user with external_id {external_id!r} in workspace {workspace!r} "
                f"(users there: {', '.join(map(repr, known[:20])) or 'none'})"
            )
        else:
            if event is not None:
                problems += _count_problems("custom event", event, profile.custom_events, count, external_id)
            if purchase is not None:
                problems += _count_problems("purchase", purchase, profile.purchases, count, external_id)
            for name, expected in (attributes or {}).items():
                actual = profile.custom_attributes.get(name, profile.standard.get(name, _MISSING))
                if actual is _MISSING:
                    problems.append(f"user {external_id!r} has no attribute {name!r} (expected {expected!r})")
                elif actual != expected:
                    problems.append(f"user {external_id!r} attribute {name!r} is {actual!r}, expected {expected!r}")
    if problems:
        raise AssertionError(report("\n".join(problems), fake.journal.entries(), match))


def _count_problems(what: str, name: str, stats: Mapping[str, Any], count: int | None, external_id: str) -> list[str]:
    found = stats.get(name)
    if found is None:
        recorded = ", ".join(f"{n!r} ×{s.count}" for n, s in stats.items()) or "none"
        return [f"user {external_id!r} has no {what} {name!r} (recorded: {recorded})"]
    if count is not None and found.count != count:
        return [f"user {external_id!r} has {what} {name!r} ×{found.count}, expected ×{count}"]
    return []


def assert_no_contract_violations(fake: FakeBraze) -> None:
    """No request broke its contract."""
    __tracebackhide__ = True
    broken = [e for e in fake.journal.entries() if e.violations]
    if broken:
        lines = [f"{len(broken)} request(s) broke their contract:"]
        lines += [render(e) for e in broken[:_MAX_LISTED]]
        raise AssertionError("\n".join(lines))


def assert_all_accepted(fake: FakeBraze) -> None:
    """Every request was answered 2xx with no per-object `errors` (nothing rejected, in whole or in part)."""
    __tracebackhide__ = True
    refused = [
        e
        for e in fake.journal.entries()
        if not 200 <= e.status < 300 or (isinstance(e.response, dict) and e.response.get("errors"))
    ]
    if refused:
        lines = [f"{len(refused)} request(s) were refused in whole or in part:"]
        lines += [render(e) for e in refused[:_MAX_LISTED]]
        raise AssertionError("\n".join(lines))
