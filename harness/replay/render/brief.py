"""`--brief` (and the demo): one line per event saying what reached Braze, plus the fix of what failed.

Effects are read off the delivery and the resulting profile: the attributes sent, each custom event
with the profile's count for it, purchases, and cohort membership.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from harness.replay.model import Delivery, Diagnosis, EventCase
from harness.replay.render.text import MARKS, SEVERITY, who, wrapped

__all__ = ["brief_lines", "effects"]

_IDENTITY = frozenset({"external_id", "braze_id", "user_alias", "_update_existing_only", "app_id"})
_INDENT = " " * 6


def _value(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 30 else text[:27] + "..."


def _count(profile: dict[str, Any] | None, kind: str, name: str) -> int | None:
    for item in (profile or {}).get(kind, ()):
        if item["name"] == name:
            return int(item["count"])
    return None


def effects(case: EventCase, delivery: Delivery) -> str:
    """What one successful delivery did in Braze, in a few words."""
    profile = case.profile
    objects = delivery.objects or []
    if delivery.array == "attributes" and objects:
        shown = ", ".join(f"{k}={_value(v)}" for k, v in objects[0].items() if k not in _IDENTITY)
        return f"attributes {shown}" if shown else "attributes (none)"
    if delivery.array == "events":
        parts = []
        for item in objects:
            name = item.get("name")
            kind = "ecommerce event" if str(name).startswith("ecommerce.") else "custom event"
            count = _count(profile, "custom_events", str(name))
            parts.append(f'{kind} "{name}"' + (f" (count {count})" if count is not None else ""))
        return "; ".join(parts)
    if delivery.array == "purchases":
        parts = []
        for item in objects:
            count = _count(profile, "purchases", str(item.get("product_id")))
            parts.append(f'purchase "{item.get("product_id")}" {item.get("currency")} {item.get("price")}')
            if count is not None:
                parts[-1] += f" (count {count})"
        return "; ".join(parts)
    if delivery.route.destination == "braze-cohorts":
        name = delivery.route.batch[1] if len(delivery.route.batch) > 1 else None
        member = profile is not None and name in profile.get("cohorts", ())
        return f'cohort "{name}": {"member" if member else "not a member"}'
    return f"sent to {delivery.route.subscription}"


def brief_lines(case: EventCase) -> Iterator[str]:
    """The event's line (what reached Braze, or the first problem), then each other problem on a line of its
    own, and the fix of every error: every reason whole, wrapped."""
    mark, colour = MARKS[case.outcome]
    what = case.event.get("event") if case.event.get("type") == "track" else case.event.get("type")
    head = f"#{case.number:<3} {str(what or '?')[:22]:<22} {who(case)[:20]:<20}"
    done = [effects(case, d) for d in case.deliveries if d.ok]
    shown: Diagnosis | None = None
    if case.outcome == "failed" or not done:
        errors = [d for d in case.diagnoses if d.severity == "error"]
        shown = next(iter(errors or case.diagnoses), None)
    text = f"{shown.code}: {_gist(shown)}" if shown is not None else "; ".join(done)
    yield from wrapped(text, _INDENT + "  ", first=f"{head} {click.style(mark, fg=colour, bold=True)} ")
    for item in case.diagnoses:
        if item.severity == "info":
            continue
        if item is not shown:
            sign, tint = SEVERITY[item.severity]
            first = f"{_INDENT}{click.style(sign, fg=tint)} "
            yield from wrapped(f"{item.code}: {_gist(item)}", _INDENT + "  ", first=first)
        if item.severity == "error":
            for line in wrapped(f"fix: {item.hint}", _INDENT + "     ", first=_INDENT):
                yield click.style(line, dim=True)


def _gist(item: Diagnosis) -> str:
    """A diagnosis's own first clause (its reason, whole); the evidence after it is in the full report."""
    return item.message.split("; ")[0]
