"""What the `fake_segment` fixture returns: the fake Segment in a test, its debugger as calls, assertions.

In the style of `BrazeMock`: read-back (`events`, `received`, `deliveries`, `requests`) and `assert_*`
helpers whose failures list what the fake Segment did receive, with each event's stage and reason (and
replay's diagnosis of a failed delivery). `.braze` is the test's `fake_braze`, the same fake the
Braze destinations deliver into.
"""

from __future__ import annotations

from typing import Any

from harness.braze import JournalEntry
from harness.testing.mock import BrazeMock
from harness.workspace import DeliveryRecord, EventRecord, FakeSegment, Workspace

__all__ = ["SEGMENT_URL", "SegmentMock"]

SEGMENT_URL = "https://api.segment.io"
"""Where Segment's libraries send by default; routed in-process to the fake Segment while it is active."""


def _shown(record: EventRecord) -> str:
    name = f" {record.name!r}" if record.name else ""
    who = record.user_id or record.event.get("anonymousId") or "no user"
    line = f"  #{record.id} {record.type or 'untyped'}{name} ({who}) from {record.source}: {record.stage}"
    if record.discard is not None:
        line += f" [{record.discard['code']}: {record.discard.get('detail') or record.discard['text']}]"
    for delivery in record.deliveries:
        line += f"\n      {delivery.destination} / {delivery.mapping or '-'}: {delivery.stage}"
        if delivery.code:
            detail = (delivery.reason or {}).get("detail") or (delivery.reason or {}).get("text") or ""
            line += f" [{delivery.code}{': ' + str(detail) if detail else ''}]"
        for diagnosis in delivery.diagnoses:
            line += f"\n        ✗ {diagnosis.get('code')}: {diagnosis.get('message')}"
    return line


def _listing(records: list[EventRecord], limit: int = 10) -> str:
    if not records:
        return "the fake Segment received no events"
    shown = "\n".join(_shown(r) for r in records[-limit:])
    more = f"\n  ... and {len(records) - limit} earlier" if len(records) > limit else ""
    return f"the fake Segment received {len(records)} event(s):\n{shown}{more}"


class SegmentMock:
    """A fake Segment in a test, delivering into the test's `fake_braze` (`.braze`)."""

    def __init__(self, fake: FakeSegment, braze: BrazeMock) -> None:
        self.fake = fake
        self.braze = braze

    # -- the fake ------------------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace:
        return self.fake.workspace

    @property
    def write_key(self) -> str:
        """A write key the workspace accepts (its first source's; any key when it names none)."""
        return self.fake.write_key

    @property
    def url(self) -> str:
        """Segment's Tracking API host, routed to this fake: `host=` for segment-analytics-python."""
        return SEGMENT_URL

    def flush(self) -> int:
        """Deliver what is queued (with `delivery="flush"`); returns how many event deliveries were attempted."""
        return self.fake.flush()

    def sync_engage(self, at: Any = None) -> list[EventRecord]:
        """Let Engage's batch (time-windowed) definitions sync up to `at` (default: the clock's now)."""
        return self.fake.sync_engage(at)

    def reset(self) -> None:
        self.fake.reset()

    # -- what was received ---------------------------------------------------------------------
    @property
    def requests(self) -> list[JournalEntry]:
        """The Tracking API requests, oldest first (the fake Segment's journal)."""
        return self.fake.requests

    def events(self, **filters: Any) -> list[EventRecord]:
        """Every event record, oldest first; `source=`, `type=`, `name=`, `user_id=`, `stage=`, `destination=`."""
        return self.fake.events(**filters)

    def received(self, source: str | None = None) -> list[dict[str, Any]]:
        """The events a source received, as Segment stored them (its Raw view), Engage's excluded."""
        return [r.payload for r in self.fake.events(source=source) if r.origin is None and r.request is not None]

    def deliveries(
        self, *, destination: str | None = None, mapping: str | None = None, stage: str | None = None
    ) -> list[DeliveryRecord]:
        return [
            d
            for r in self.fake.events()
            for d in r.deliveries
            if (destination is None or d.destination == destination)
            and (mapping is None or d.mapping == mapping)
            and (stage is None or d.stage == stage)
        ]

    # -- assertions ----------------------------------------------------------------------------
    def _matching(
        self, type: str | None, name: str | None, user_id: str | None, source: str | None
    ) -> list[EventRecord]:
        return self.fake.events(type=type, name=name, user_id=user_id, source=source)

    def assert_received(
        self,
        name: str | None = None,
        *,
        type: str | None = None,
        user_id: str | None = None,
        source: str | None = None,
        count: int | None = None,
    ) -> list[EventRecord]:
        """At least one (or exactly `count`) matching event reached a source (accepted or not)."""
        __tracebackhide__ = True
        found = self._matching(type, name, user_id, source)
        if (count is None and not found) or (count is not None and len(found) != count):
            wanted = "an event" if count is None else f"{count} event(s)"
            raise AssertionError(f"expected {wanted} {_what(type, name, user_id)}\n{_listing(self.fake.events())}")
        return found

    def assert_delivered(
        self,
        name: str | None = None,
        *,
        type: str | None = None,
        user_id: str | None = None,
        destination: str | None = None,
        mapping: str | None = None,
        count: int | None = None,
    ) -> list[DeliveryRecord]:
        """At least one (or exactly `count`) matching event was delivered to Braze (2xx, no object errors)."""
        __tracebackhide__ = True
        found = [
            d
            for r in self._matching(type, name, user_id, None)
            for d in r.deliveries
            if d.ok
            and (destination is None or d.destination == destination)
            and (mapping is None or d.mapping == mapping)
        ]
        if (count is None and not found) or (count is not None and len(found) != count):
            wanted = "a delivery" if count is None else f"{count} deliveries"
            where = "".join(f" {k} {v!r}" for k, v in (("to", destination), ("by", mapping)) if v)
            raise AssertionError(
                f"expected {wanted} of {_what(type, name, user_id)}{where}, found {len(found)}\n"
                f"{_listing(self.fake.events())}"
            )
        return found

    def assert_dropped(
        self,
        code: str | None = None,
        *,
        name: str | None = None,
        type: str | None = None,
        user_id: str | None = None,
    ) -> list[EventRecord]:
        """A matching event was not delivered anywhere: failed on ingest or filtered (with `code`, when given)."""
        __tracebackhide__ = True
        found = [
            r
            for r in self._matching(type, name, user_id, None)
            if r.stage in ("failed_on_ingest", "filtered_at_destination") and (code is None or _codes(r) & {code})
        ]
        if not found:
            why = f" ({code})" if code else ""
            raise AssertionError(
                f"expected a dropped event{why} {_what(type, name, user_id)}\n{_listing(self.fake.events())}"
            )
        return found

    def assert_no_failures(self) -> None:
        """No event failed on ingest and no delivery failed."""
        __tracebackhide__ = True
        failed = [r for r in self.fake.events() if r.stage in ("failed_on_ingest", "failed_delivery")]
        if failed:
            raise AssertionError(f"{len(failed)} event(s) failed\n{_listing(failed)}")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.workspace.name} events={len(self.fake.debugger)}>"


def _codes(record: EventRecord) -> set[str]:
    codes = {d.code for d in record.deliveries if d.code}
    if record.discard is not None:
        codes.add(record.discard["code"])
    return {c for c in codes if c}


def _what(type: str | None, name: str | None, user_id: str | None) -> str:
    parts = [p for p in (type, repr(name) if name else None, f"for {user_id!r}" if user_id else None) if p]
    return " ".join(parts) or "(any)"
