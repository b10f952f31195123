"""`FakeSegment`: Segment's Tracking API, a workspace's Engage space and Braze destinations, delivering
into a fake Braze of the same process.

The pipeline, per Tracking API request: read it (`tracking`: auth, gzip, JSON, sizes) → for each call,
what Segment adds (`enrich`) and whether it keeps it (`admission`, the write key's source, duplicates) →
Engage computes on the stream (`harness.engage.EngageSimulator`; its events join the request's) → each
destination's filters and mappings (`routing`) queue the event per mapping → delivery (`delivery`, shared
with replay): batches of up to the mapping's batch size through Segment's destination code
(`harness.translate`) into `FakeBraze.call`, Braze's answers folded back per event. Every event is kept
with what happened to it (`records`, `debugger`); every request in `journal` (Braze's `Journal` type).

When delivery happens is the owner's choice (`delivery=`): `"request"` (the default) delivers everything a
request queued before the request is answered, so when a client's `flush()` returns, Braze holds the
result; `"flush"` holds events until `flush()`, as Segment's own pipeline holds them for a moment.
Requests are served one at a time (a lock), so concurrent clients see Segment's order per request.
"""

from __future__ import annotations

import base64
import gzip as gzip_module
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Literal

import orjson

from harness.braze import Backend, Journal, JournalEntry, instance_named
from harness.clock import Clock
from harness.contracts import Violation
from harness.engage import EngageSimulator
from harness.segment import SegmentEventError
from harness.translate.settings import BRAZE_ENDPOINTS, COHORTS_ENDPOINTS, DEFAULT_ENDPOINT
from harness.workspace.admission import refusal
from harness.workspace.debugger import Debugger, EventFilter
from harness.workspace.defaults import default_workspace
from harness.workspace.delivery import Target, run_batch, shares
from harness.workspace.discards import BATCH_EVENT_LIMIT, DUPLICATE, EMPTY_BATCH, UNKNOWN_SOURCE, Discard
from harness.workspace.enrich import enrich
from harness.workspace.ids import MessageIds
from harness.workspace.model import Workspace, WorkspaceDestination
from harness.workspace.records import DeliveryRecord, EventRecord
from harness.workspace.routing import Filtered, Lane, lanes_for
from harness.workspace.sending import Sender, Undelivered
from harness.workspace.tracking import BATCH_PATHS, CALL_PATHS, Reading, TrackingRequest, read_request

__all__ = ["DEFAULT_WRITE_KEY", "ENGAGE_SOURCE", "Diagnose", "FakeSegment", "TrackingReply"]

DEFAULT_WRITE_KEY = "braze-harness-write-key"
ENGAGE_SOURCE = "Engage"
_TEST_API_KEY = "braze-harness-test-key"
_TEST_DATA_IMPORT_KEY = "braze-harness-data-import-key"
_FILTERED_AT_MAPPING = Discard(
    "filtered_at_destination",
    "FILTERED_AT_MAPPING",
    "The event was filtered because it did not match the Actions destination mapping",
)
Delivery = Literal["request", "flush"]
Diagnose = Callable[[EventRecord, DeliveryRecord], list[dict[str, Any]]]
"""Explains a failed delivery (replay's diagnoses, plugged in by `serve` and the pytest plugin)."""


class TrackingReply:
    """What the Tracking API answered, and the event records the request made."""

    __slots__ = ("body", "headers", "records", "request_id", "status")

    def __init__(self, status: int, body: dict[str, Any], request_id: int, records: list[EventRecord]) -> None:
        self.status = status
        self.body = body
        self.headers = {"Content-Type": "application/json"}
        self.request_id = request_id
        self.records = records

    def __repr__(self) -> str:
        return f"<TrackingReply {self.status} {self.body} events={len(self.records)}>"


class FakeSegment:
    """A fake Segment workspace delivering into `braze` (a `FakeBraze`)."""

    def __init__(
        self,
        braze: Backend,
        workspace: Workspace | None = None,
        *,
        clock: Clock | None = None,
        delivery: Delivery = "request",
        diagnose: Diagnose | None = None,
        journal_max_entries: int = 10_000,
        journal_max_bytes: int = 64 * 1024 * 1024,
        max_events: int = 10_000,
    ) -> None:
        if delivery not in ("request", "flush"):
            raise ValueError(f"delivery is 'request' or 'flush', not {delivery!r}")
        self.braze = braze
        self.workspace = workspace if workspace is not None else default_workspace()
        self.clock: Clock = clock if clock is not None else braze.clock
        self.delivery: Delivery = delivery
        self.diagnose = diagnose
        self.journal = Journal(journal_max_entries, journal_max_bytes)
        self.debugger = Debugger(max_events)
        self._lock = threading.RLock()
        self._message_ids = MessageIds()
        self._sender = Sender(braze, self.workspace.max_attempts)
        self._queues: OrderedDict[tuple[Any, ...], tuple[Lane, list[tuple[EventRecord, DeliveryRecord]]]] = (
            OrderedDict()
        )
        self._states: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._seen: set[tuple[str, str]] = set()
        self._touched: dict[int, EventRecord] = {}
        self.engage = self._new_engage()

    # -- configuration -----------------------------------------------------------------------------
    @property
    def write_key(self) -> str:
        """A write key this workspace accepts (its first source's, else any: `DEFAULT_WRITE_KEY`)."""
        return self.workspace.sources[0].write_key if self.workspace.sources else DEFAULT_WRITE_KEY

    def settings_for(self, destination: WorkspaceDestination) -> dict[str, Any]:
        """The destination's settings, any it leaves unset pointing at this process's fake Braze."""
        return {**self._braze_defaults(destination.kind), **destination.settings}

    def _braze_defaults(self, kind: str) -> dict[str, Any]:
        config = self.braze.config
        instance = instance_named(config.instance)
        if kind == "braze":
            keys = next((w.api_keys for w in config.all_workspaces() if w.instance == instance.name and w.api_keys), ())
            endpoint = instance.rest_url if instance.rest_url in BRAZE_ENDPOINTS else DEFAULT_ENDPOINT
            return {"api_key": keys[0] if keys else _TEST_API_KEY, "endpoint": endpoint}
        secret = self.braze.data_import_key() or _TEST_DATA_IMPORT_KEY
        endpoint = instance.rest_url if instance.rest_url in COHORTS_ENDPOINTS else DEFAULT_ENDPOINT
        return {"client_secret": secret, "endpoint": endpoint}

    def _new_engage(self) -> EngageSimulator | None:
        space = self.workspace.engage
        if space is None or not space.definitions:
            return None
        return EngageSimulator(space.definitions, space_id=space.space_id)

    def reset(self) -> None:
        """Forget every event, request, pending delivery and Engage profile (the workspace stays)."""
        with self._lock:
            self.journal.clear()
            self.debugger.clear()
            self._message_ids.reset()
            self._queues.clear()
            self._states.clear()
            self._seen.clear()
            self._touched.clear()
            self.engage = self._new_engage()

    # -- ways in -----------------------------------------------------------------------------------
    def send(
        self,
        path: str,
        body: Any = None,
        *,
        write_key: str | None = None,
        raw: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        host: str = "api.segment.io",
        method: str = "POST",
        gzip: bool = False,
    ) -> TrackingReply:
        """One Tracking API request without HTTP: `body` as JSON (or `raw` as is), `write_key` as HTTP Basic."""
        sent = {k.lower(): v for k, v in (headers or {}).items()}
        sent.setdefault("content-type", "application/json")
        if write_key is not None:
            sent["authorization"] = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
        data = raw if raw is not None else _dumps(body)
        if gzip:
            data = gzip_module.compress(data)
            sent["content-encoding"] = "gzip"
        return self.receive(TrackingRequest(method.upper(), path, host, sent, data))

    def receive(self, request: TrackingRequest) -> TrackingReply:
        """Answer one Tracking API request, as Segment does; deliver what it queued (delivery "request")."""
        with self._lock:
            now = self.clock.now()
            path = request.path.rstrip("/") or "/"
            if path not in CALL_PATHS and path not in BATCH_PATHS:
                body = {"code": "not_found", "message": f"{request.method} {path} is not a Tracking API path"}
                return self._answer(request, now, 404, body, None, [], [])
            if request.method != "POST":
                body = {"code": "method_not_allowed", "message": f"{request.method} is not allowed on {path}; use POST"}
                return self._answer(request, now, 405, body, None, [], [])
            reading = read_request(TrackingRequest(request.method, path, request.host, request.headers, request.body))
            if not reading.ok:
                return self._answer(request, now, reading.status, reading.answer, reading, [], [])
            records, remarks = self._admit_all(reading, now)
            reply = self._answer(request, now, 200, reading.answer, reading, records, remarks)
            accepted = [r for r in records if r.discard is None]
            for record in accepted:
                self._process(record, record.source)
            if self.delivery == "request":
                self._flush_queues()
            self._announce()
            return reply

    def flush(self) -> int:
        """Deliver every queued event now; returns how many event deliveries were attempted."""
        with self._lock:
            count = self._flush_queues()
            self._announce()
            return count

    @property
    def pending(self) -> int:
        """Event deliveries queued and not yet attempted."""
        with self._lock:
            return sum(len(items) for _, items in self._queues.values())

    def sync_engage(self, at: datetime | None = None) -> list[EventRecord]:
        """Let Engage's batch (time-windowed) definitions sync up to `at` (default: now); what it sent."""
        with self._lock:
            if self.engage is None:
                return []
            moment = at or self.clock.now()
            emitted = [self._engage_record(payload, None, moment) for payload in self.engage.advance_to(moment)]
            if self.delivery == "request":
                self._flush_queues()
            self._announce()
            return emitted

    # -- read back ---------------------------------------------------------------------------------
    def events(
        self,
        *,
        source: str | None = None,
        type: str | None = None,
        name: str | None = None,
        user_id: str | None = None,
        stage: str | None = None,
        destination: str | None = None,
    ) -> list[EventRecord]:
        """The debugger's records, oldest first, narrowed by any of these."""
        return self.debugger.records(EventFilter(source, type, name, user_id, stage, destination))

    def event(self, record_id: int) -> EventRecord:
        found = self.debugger.get(record_id)
        if found is None:
            raise KeyError(f"no event #{record_id} in the fake Segment's debugger")
        return found

    @property
    def requests(self) -> list[JournalEntry]:
        """The Tracking API requests received, oldest first."""
        return self.journal.entries()

    # -- ingestion ---------------------------------------------------------------------------------
    def _answer(
        self,
        request: TrackingRequest,
        now: datetime,
        status: int,
        body: dict[str, Any],
        reading: Reading | None,
        records: list[EventRecord],
        remarks: list[Violation],
    ) -> TrackingReply:
        violations = list(remarks)
        if status != 200:
            violations.insert(0, Violation("$", f"{body.get('code')}: {body.get('message')}", str(body.get("code"))))
        source = records[0].source if records else None
        entry = self.journal.record(
            at=now,
            method=request.method,
            path=request.path,
            query="",
            host=request.host,
            headers=request.headers.items(),
            body=reading.payload if reading is not None else None,
            raw=(reading.decoded if reading is not None and reading.decoded else request.body),
            status=status,
            response=body,
            instance=None,
            workspace=source,
            violations=violations,
            notes=[],
        )
        for record in records:
            record.request = entry.id
        return TrackingReply(status, body, entry.id, records)

    def _admit_all(self, reading: Reading, now: datetime) -> tuple[list[EventRecord], list[Violation]]:
        key = reading.write_key
        assert key is not None
        source = self.workspace.source_for(key)
        records: list[EventRecord] = []
        remarks: list[Violation] = []
        if reading.batch and not reading.calls:
            remarks.append(Violation("$.batch", f"{EMPTY_BATCH.code}: {EMPTY_BATCH.text}", EMPTY_BATCH.code))
        calls = [(call, None) for call in reading.calls] + [(call, BATCH_EVENT_LIMIT) for call in reading.excess]
        for index, (call, over) in enumerate(calls):
            record = self._admit(call, reading, source.name if source else None, key, now, over)
            record.index = index if reading.batch else None
            records.append(record)
            if record.discard is not None:
                where = f"$.batch[{index}]" if reading.batch else "$"
                text = f"{record.discard['code']}: {record.discard['text']}"
                if record.discard.get("detail"):
                    text += f" ({record.discard['detail']})"
                remarks.append(Violation(where, text, record.discard["code"]))
        return records, remarks

    def _admit(
        self, call: Any, reading: Reading, source: str | None, key: str, now: datetime, over: Discard | None
    ) -> EventRecord:
        payload = (
            enrich(call, received_at=now, message_id=self._message_ids, call_type=reading.call_type)
            if isinstance(call, dict)
            else call
        )
        record = EventRecord(self.debugger.next_id(), source or "(unknown write key)", now, payload, write_key=key)
        found = refusal(payload)
        if over is not None:
            record.discard = over.because(f"{len(reading.calls) + len(reading.excess)} events in the batch")
        elif source is None:
            detail = f"write key {key!r} is not one of the workspace's sources"
            record.discard = UNKNOWN_SOURCE.because(detail)
        elif found is not None:
            record.discard = found[0].because(found[1])
        else:
            seen = (source, str(payload.get("messageId")))
            if seen in self._seen:
                record.discard = DUPLICATE.because(f"messageId {seen[1]!r} was received before")
            self._seen.add(seen)
        self.debugger.add(record)
        self._touched[record.id] = record
        return record

    def _process(self, record: EventRecord, source: str | None) -> None:
        """Engage, then the destinations: the event is queued first, Engage's events after it."""
        emitted = self._engage_consume(record)
        self._route(record, source)
        for payload in emitted:
            self._engage_record(payload, record.id, record.received_at)

    def _engage_consume(self, record: EventRecord) -> list[dict[str, Any]]:
        if self.engage is None or record.type not in ("identify", "track"):
            return []
        try:
            return self.engage.consume(record.payload)
        except (SegmentEventError, ValueError) as exc:
            record.notes.append(f"Engage did not compute on this event: {exc}")
            return []

    def _engage_record(self, payload: dict[str, Any], origin: int | None, at: datetime) -> EventRecord:
        space = self.engage.space_id if self.engage is not None else ""
        record = EventRecord(self.debugger.next_id(), f"{ENGAGE_SOURCE} ({space})", at, payload, origin=origin)
        self.debugger.add(record)
        self._touched[record.id] = record
        self._route(record, None)
        return record

    def _route(self, record: EventRecord, source: str | None) -> None:
        for item in lanes_for(record.event, source, self.workspace):
            if isinstance(item, Filtered):
                discard = item.discard
                reason = discard.because(item.detail)
                record.deliveries.append(
                    DeliveryRecord(
                        item.destination.name, item.destination.kind, discard.stage, code=discard.code, reason=reason
                    )
                )
                continue
            destination, mapping = item.destination, item.mapping
            delivery = DeliveryRecord(destination.name, destination.kind, "pending", mapping.name, mapping.action)
            record.deliveries.append(delivery)
            self._queues.setdefault(item.key, (item, []))[1].append((record, delivery))

    # -- delivery ----------------------------------------------------------------------------------
    def _flush_queues(self) -> int:
        count = 0
        while self._queues:
            _, (lane, items) = self._queues.popitem(last=False)
            size = lane.mapping.batch_size if lane.mapping.batched else 1
            for start in range(0, len(items), size):
                chunk = items[start : start + size]
                self._deliver(lane, chunk)
                count += len(chunk)
        return count

    def _target(self, lane: Lane) -> Target:
        mapping = lane.mapping
        action = None if mapping.preset else mapping.action
        overrides = dict(mapping.mapping) or None
        settings = self.settings_for(lane.destination)
        return Target(lane.destination.kind, action, mapping.preset, settings, overrides, mapping.batched)

    def _deliver(self, lane: Lane, items: list[tuple[EventRecord, DeliveryRecord]]) -> None:
        events = [record.payload for record, _ in items]
        sender = self._sender
        sender.trail = []
        try:
            run = run_batch(events, self._target(lane), self._states.get(lane.key), sender.send)
        except Undelivered as lost:
            for record, delivery in items:
                delivery.stage, delivery.code, delivery.requests = "failed_delivery", lost.code, list(sender.trail)
                delivery.reason = {"stage": "failed_delivery", "code": lost.code, "text": _CONNECTION[lost.code]}
                self._explain(record, delivery)
            return
        except Exception as exc:  # a harness bug: kept on the events, never a crashed request
            for _, delivery in items:
                delivery.stage, delivery.code = "failed_delivery", "INTERNAL"
                delivery.reason = {
                    "stage": "failed_delivery",
                    "code": "INTERNAL",
                    "text": f"{type(exc).__name__}: {exc}",
                }
            return
        if run.final.state_set:
            self._states.setdefault(lane.key, {}).update(run.final.state_set)
        for (record, delivery), share in zip(items, shares(run, events), strict=True):
            delivery.status, delivery.error = share.status, share.error
            delivery.requests = share.requests
            delivery.objects, delivery.array = share.objects, share.array
            delivery.braze_errors, delivery.warnings, delivery.violations = (
                share.braze_errors,
                share.warnings,
                share.violations,
            )
            _stage(delivery)
            self._explain(record, delivery)

    def _explain(self, record: EventRecord, delivery: DeliveryRecord) -> None:
        if self.diagnose is None or delivery.ok:
            return
        try:
            delivery.diagnoses = self.diagnose(record, delivery)
        except Exception as exc:  # an explanation must never cost the delivery record
            delivery.diagnoses = [{"code": "harness_error", "severity": "error", "message": repr(exc), "hint": ""}]

    def _announce(self) -> None:
        touched = list(self._touched.values())
        self._touched.clear()
        self.debugger.announce(touched)


def _dumps(body: Any) -> bytes:
    try:
        return orjson.dumps(body)
    except TypeError:  # an integer beyond 64 bits: the json module writes it
        return json.dumps(body).encode()


_CONNECTION = {
    "ECONNRESET": "Segment could not establish a connection to the partner server",
    "ETIMEDOUT": "The downstream destination did not send an API response back to Segment in a reasonable amount "
    "of time",
}


def _stage(delivery: DeliveryRecord) -> None:
    status = delivery.status
    if delivery.error is None and isinstance(status, int) and 200 <= status < 300:
        delivery.stage = "delivered"
    elif delivery.error is None and status is None and not delivery.requests:
        delivery.stage, delivery.code = "filtered_at_destination", _FILTERED_AT_MAPPING.code
        delivery.reason = _FILTERED_AT_MAPPING.because("Segment's action sent no request for it")
    else:
        delivery.stage = "failed_delivery"
        delivery.code = str(status) if isinstance(status, int) else str((delivery.error or {}).get("type"))
        message = (delivery.error or {}).get("message")
        delivery.reason = {"stage": "failed_delivery", "code": delivery.code, "text": message}
