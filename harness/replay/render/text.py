"""The terminal report: per event, what it is, where it goes, the exact requests, Braze's answer, the
resulting profile the way the dashboard shows it, and each diagnosis with its fix.

Lines are styled with `click.style`; `click.echo` drops the styles when the output is not a terminal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

import click
import orjson

from harness.replay.model import Delivery, Diagnosis, EventCase, SentRequest

__all__ = ["MARKS", "event_heading", "event_lines", "profile_lines", "who"]

MARKS = {"delivered": ("✓", "green"), "failed": ("✗", "red"), "not_sent": ("·", "yellow")}
SEVERITY = {"error": ("✗", "red"), "warning": ("!", "yellow"), "info": ("i", "cyan")}
_MAX_VALUE = 60
_LONG_BODY = 2000
"""A body longer than this as JSON is checked for long strings (`_body`)."""
_LONG_STRING = 200


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _body(value: Any) -> str:
    """A request or answer as JSON, with any string over 200 characters shown by its start and length: the
    terminal report stays readable; `--json` and `--out` keep every byte."""
    text = _json(value)
    return text if len(text) <= _LONG_BODY else _json(_abridge(value))


def _abridge(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= _LONG_STRING else f"{value[:60]}... ({len(value):,} characters)"
    if isinstance(value, dict):
        return {key: _abridge(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_abridge(item) for item in value]
    return value


def _short(value: Any, limit: int = _MAX_VALUE) -> str:
    text = value if isinstance(value, str) else _json(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def who(case: EventCase) -> str:
    """The user as the event names them: userId, else anonymousId, else (nobody)."""
    event = case.event
    if isinstance(event.get("userId"), str) and event["userId"]:
        return str(event["userId"])
    if isinstance(event.get("anonymousId"), str) and event["anonymousId"]:
        return f"anonymous {event['anonymousId']}"
    return "(no user id)"


def _what(case: EventCase) -> str:
    event = case.event
    kind = event.get("type") if isinstance(event.get("type"), str) else "?"
    if kind == "track" and isinstance(event.get("event"), str):
        return f'track "{event["event"]}"'
    return str(kind)


def event_heading(case: EventCase) -> str:
    mark, colour = MARKS[case.outcome]
    label = {"delivered": "delivered", "failed": "FAILS in production", "not_sent": "not sent"}[case.outcome]
    where = case.source
    message_id = case.event.get("messageId")
    if isinstance(message_id, str):
        where += f", messageId {message_id}"
    head = f"#{case.number} {_what(case)}  {who(case)}" if case.input_error is None else f"#{case.number}"
    return f"{click.style(head, bold=True)}  ({where})  {click.style(f'{mark} {label}', fg=colour, bold=True)}"


def event_lines(case: EventCase) -> Iterator[str]:
    """The full report of one event."""
    yield event_heading(case)
    if case.input_error is None and type(case.payload) is dict:
        kind = case.event.get("type")
        label = f"Segment {kind} event" if isinstance(kind, str) and kind else "Segment event"
        yield f"  {'valid' if not case.violations else 'INVALID'} {label}"
        for violation in case.violations:
            yield f"    {violation.path}: {violation.reason}"
    for delivery in case.deliveries:
        yield from _delivery_lines(delivery)
    if case.profile is not None or case.deliveries:
        yield from profile_lines(case.profile, case.segments)
    for item in case.diagnoses:
        yield from diagnosis_lines(item)


def _delivery_lines(delivery: Delivery) -> Iterator[str]:
    route = delivery.route
    name = f"{route.destination_name} / {route.subscription} ({route.action})"
    if delivery.error is not None:
        error = delivery.error
        status = f"{error['status']} " if error.get("status") is not None else ""
        said = f"Segment: {status}{error.get('type')}: {' '.join(str(error.get('message')).split())}"
        first = f"  → {name}: "
        lines = wrapped(said, "      ", first=first)
        yield first + click.style(lines[0][len(first) :], fg="red")
        yield from (click.style(line, fg="red") for line in lines[1:])
    else:
        yield f"  → {name}"
    for sent in delivery.requests:
        yield from _request_lines(sent, delivery)


def _request_lines(sent: SentRequest, delivery: Delivery) -> Iterator[str]:
    batch = f"request #{sent.id}, {sent.events} event{'s' if sent.events != 1 else ''}"
    yield f"      {sent.method} {sent.url.split('://', 1)[-1].split('/', 1)[0]}{sent.path}  [{batch}]"
    headers = ", ".join(f"{k}: {v}" for k, v in sorted(sent.headers.items()) if k != "content-type")
    yield click.style(f"        {headers}", dim=True)
    if sent.events == 1 or delivery.objects is None:
        yield f"        {_body(sent.body)}"
    else:
        yield f"        this event's {delivery.array}: {_body(delivery.objects)}"
    colour = "green" if sent.ok and not delivery.braze_errors else "red"
    yield "      ← Braze " + click.style(f"{sent.status} {_body(sent.response)}", fg=colour)
    for violation in delivery.violations:
        reason = violation.reason
        if violation.braze_message and violation.braze_message != reason:  # Braze's words, then what is wrong
            reason = f"{violation.braze_message} ({reason})"
        yield click.style(f"        contract: {violation.path}: {reason}", fg="red")


def profile_lines(profile: dict[str, Any] | None, segments: list[str] | None) -> Iterator[str]:
    """The Braze profile block of the report (dashboard style)."""
    if profile is None:
        yield "  Braze profile: none (Braze has no user for this event)"
    else:
        aliases = ", ".join(f"{a['alias_label']}:{a['alias_name']}" for a in profile["user_aliases"])
        name = profile["external_id"] or aliases or profile["standard"].get("email") or "anonymous"
        kind = "external_id" if profile["external_id"] else "unidentified"
        yield f"  Braze profile {click.style(str(name), bold=True)} ({kind}, braze_id {profile['braze_id']})"
        if profile["standard"]:
            yield "      " + " · ".join(f"{k} {_short(v)}" for k, v in profile["standard"].items())
        if profile["custom_attributes"]:
            shown = ", ".join(f"{k}={_short(v)}" for k, v in profile["custom_attributes"].items())
            yield f"      custom attributes: {shown}"
        if profile["custom_events"]:
            shown = ", ".join(f"{e['name']} ×{e['count']} (last {e['last']})" for e in profile["custom_events"])
            yield f"      custom events: {shown}"
        if profile["purchases"]:
            shown = ", ".join(f"{e['name']} ×{e['count']} (last {e['last']})" for e in profile["purchases"])
            yield f"      purchases: {shown}; total revenue {profile['total_revenue']:.2f}"
        if profile["cohorts"]:
            yield f"      Segment cohorts: {', '.join(profile['cohorts'])}"
    if segments is not None:
        yield f"  Braze segments matched: {', '.join(segments) if segments else 'none'}"


WRAP = 120
"""Report lines wrap here; a reason or a fix is never cut."""


def wrapped(text: str, indent: str, *, first: str = "", width: int = WRAP) -> list[str]:
    """`text` wrapped to `width` columns: the first line after `first` (which counts, unstyled), the others
    after `indent`. Long words (URLs, JSON) stay whole."""
    lead = " " * len(click.unstyle(first))
    lines = textwrap.wrap(text, width, initial_indent=lead, subsequent_indent=indent, break_long_words=False)
    lines = lines or [lead]
    return [first + lines[0][len(lead) :], *lines[1:]]


def diagnosis_lines(item: Diagnosis) -> Iterator[str]:
    mark, colour = SEVERITY[item.severity]
    head = "  " + click.style(f"{mark} {item.code}", fg=colour, bold=True) + ": "
    yield from wrapped(item.message, "      ", first=head)
    for line in wrapped(f"fix: {item.hint}", "           ", first="      "):
        yield click.style(line, dim=True)
