"""A parsed Segment event: the raw payload kept intact, with small typed accessors over it.

The payload is never rewritten, so what goes in (and on to the translator) is exactly what came in;
accessors only read. Parsing accepts a dict or JSON text; `parse_events` reads a JSON array or JSON
Lines, the two shapes people save event streams in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from harness.contracts import Violation
from harness.segment.errors import SegmentEventError
from harness.segment.timestamps import parse_timestamp
from harness.segment.validation import detect_type, validate_event

__all__ = ["SegmentEvent", "iter_events", "parse_event", "parse_events"]


@dataclass(frozen=True, slots=True)
class SegmentEvent:
    """One Segment call. `raw` is the payload as received; everything else is derived from it."""

    raw: Mapping[str, Any]

    @property
    def type(self) -> str | None:
        return detect_type(self.raw)

    @property
    def user_id(self) -> str | None:
        return _text(self.raw.get("userId"))

    @property
    def anonymous_id(self) -> str | None:
        return _text(self.raw.get("anonymousId"))

    @property
    def message_id(self) -> str | None:
        return _text(self.raw.get("messageId"))

    @property
    def event(self) -> str | None:
        """The track event name (None for other calls)."""
        return _text(self.raw.get("event")) if self.type == "track" else None

    @property
    def traits(self) -> Mapping[str, Any]:
        """Top-level traits (identify, group); {} when absent."""
        return _mapping(self.raw.get("traits"))

    @property
    def properties(self) -> Mapping[str, Any]:
        return _mapping(self.raw.get("properties"))

    @property
    def context(self) -> Mapping[str, Any]:
        return _mapping(self.raw.get("context"))

    @property
    def context_traits(self) -> Mapping[str, Any]:
        return _mapping(self.context.get("traits"))

    @property
    def integrations(self) -> Mapping[str, Any]:
        return _mapping(self.raw.get("integrations"))

    @property
    def personas(self) -> Mapping[str, Any] | None:
        """`context.personas` of an Engage-generated event, else None."""
        value = self.context.get("personas")
        return value if isinstance(value, Mapping) else None

    @property
    def email(self) -> str | None:
        """The email Unify promotes to an external id: traits.email, context.traits.email or
        properties.email (segment-docs `src/unify/identity-resolution/externalids.md`)."""
        for source in (self.traits, self.context_traits, self.properties):
            found = _text(source.get("email"))
            if found:
                return found
        return None

    @property
    def timestamp(self) -> datetime | None:
        return _time(self.raw.get("timestamp"))

    @property
    def received_at(self) -> datetime | None:
        return _time(self.raw.get("receivedAt"))

    @property
    def effective_time(self) -> datetime | None:
        """When the event happened: `timestamp`, else `originalTimestamp`, `receivedAt`, `sentAt`.

        Segment orders and windows by `timestamp` ("Used by Segment to send to downstream
        destinations"; lookbacks "are based on the event `timestamp` field", segment-docs
        `src/engage/faqs.md`); the fallbacks only cover hand-written events.
        """
        for field in ("timestamp", "originalTimestamp", "receivedAt", "sentAt"):
            found = _time(self.raw.get(field))
            if found is not None:
                return found
        return None

    def violations(self, contract_name: str | None = None) -> list[Violation]:
        """Contract violations of this event (its type's contract unless one is named)."""
        return validate_event(self.raw, contract_name)

    def to_json(self) -> dict[str, Any]:
        """A plain-dict copy of the payload, for JSON output or the translator."""
        copied: dict[str, Any] = json.loads(json.dumps(self.raw))
        return copied


def parse_event(
    source: str | bytes | Mapping[str, Any], *, validate: bool = True, contract_name: str | None = None
) -> SegmentEvent:
    """Parse one event from JSON text or a dict; with `validate`, raise SegmentEventError on violations."""
    payload: Any = source
    if isinstance(source, str | bytes):
        try:
            payload = json.loads(source)
        except json.JSONDecodeError as exc:
            raise SegmentEventError("not JSON", [Violation("$", str(exc), "json")]) from exc
    if not isinstance(payload, Mapping):
        raise SegmentEventError(
            "not a Segment event", [Violation("$", f"expected an object, got {type(payload).__name__}")]
        )
    if validate:
        found = validate_event(payload, contract_name)
        if found:
            raise SegmentEventError(f"invalid {detect_type(payload) or 'Segment'} event", found)
    return SegmentEvent(payload)


def parse_events(text: str, *, validate: bool = True) -> list[SegmentEvent]:
    """Parse a JSON array of events or JSON Lines (blank lines ignored); errors name the item."""
    return list(iter_events(text, validate=validate))


def iter_events(text: str, *, validate: bool = True) -> Iterator[SegmentEvent]:
    """Lazily parse a JSON array or JSON Lines; a failure names the line (or array item)."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise SegmentEventError("not a JSON array", [Violation("$", str(exc), "json")]) from exc
        labelled = [(f"item {i}", item) for i, item in enumerate(items)]
    else:
        labelled = [(f"line {n}", line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    for label, item in labelled:
        try:
            yield parse_event(item, validate=validate)
        except SegmentEventError as exc:
            raise SegmentEventError(f"{label}: {exc.message}", exc.violations) from exc


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        return None
