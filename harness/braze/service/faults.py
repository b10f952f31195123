"""Faults on demand: latency, Braze-shaped error answers, dropped connections and timeouts.

WireMock's faults and MockServer's seeded chaos, for a client's retry and backoff code. A `Fault` says
what happens (`latency`, `status`, `drop`, `timeout`), to which endpoint (`path`, or every Braze
endpoint), how often (every request, the next `times`, or a fraction `probability` drawn from a
`seed`, so a run is reproducible) and whether the fake processes the request first (`applied`: the
client's answer is lost or replaced, but the state changed, the classic duplicate-on-retry).

Statuses answer Braze's fatal error shape (errors.md: 5XX "retry your request with exponential
backoff"; 429 "Over rate limit." with X-RateLimit-* headers), or, for 202, `{"message": "queued"}`, what
Braze answered during maintenance (an older errors.md); a queued request is processed (Braze queued it).
A drop or a timeout has no answer at all: the HTTP layer turns it into the real thing (see `app`,
`server`, `harness.testing.routing`), and `Backend.call` raises `ConnectionDropped` / `RequestTimedOut`.
Every faulted request is journaled with the fault it got.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, cast

from harness.braze.model.faults import DEFAULT_STALL, QUEUED, Fault
from harness.braze.service.errors import DETAIL_HEADER, RateLimited

__all__ = [
    "FAULT_HEADER",
    "ConnectionDropped",
    "FaultError",
    "FaultOutcome",
    "Faults",
    "Fired",
    "RequestTimedOut",
    "fault_answer",
    "parse_fault_header",
]

FAULT_HEADER = "X-Harness-Fault"
"""Tells a transport that can (the live server, the pytest routing) to drop or stall the connection."""
_MESSAGES = {429: RateLimited.message, QUEUED: "queued"}


class FaultError(Exception):
    """A request got a fault with no HTTP answer (raised by `Backend.call`, which has no socket)."""


class ConnectionDropped(FaultError, ConnectionError):
    """The fake closed the connection without answering."""


class RequestTimedOut(FaultError, TimeoutError):
    """The fake never answered (the client's timeout expired)."""


@dataclass(slots=True)
class _Rule:
    id: int
    fault: Fault
    rng: random.Random
    fired: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.fault.times is None else self.fault.times - self.fired

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, **self.fault.to_json(), "fired": self.fired, "remaining": self.remaining}


@dataclass(frozen=True, slots=True)
class FaultOutcome:
    """A faulted answer: what goes back over HTTP, and what the journal records."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    journal_status: int
    """0 when the client gets no answer (drop, timeout)."""
    journal_response: dict[str, Any] | None
    kind: str | None
    """`drop` / `timeout`: the transport acts on `FAULT_HEADER`; `body` is only what one that cannot says."""
    journal_fault: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Fired:
    """What the faults decided for one request: a delay, and the fault that decides the answer, if any."""

    delay: float = 0.0
    fault: Fault | None = None
    rule_ids: tuple[int, ...] = ()

    def outcome(
        self, status: int, payload: dict[str, Any], headers: dict[str, str], used_up: Callable[[], dict[str, str]]
    ) -> FaultOutcome:
        """What the client gets and the journal records, given what the fake answered (or would have:
        status 0 when the request never reached the service). `used_up` gives a 429's X-RateLimit-*."""
        record = self.to_json()
        fault = self.fault
        if fault is None:  # latency only
            return FaultOutcome(status, payload, headers, status, payload, None, record)
        if fault.applies:
            record["processed_status"] = status
        if fault.kind == "status":
            status, payload = fault_answer(fault)
            headers = {**headers, DETAIL_HEADER: f"fault injected by the harness: {status}"}
            if status == 429:
                headers = {**headers, **used_up()}
            return FaultOutcome(status, payload, headers, status, payload, None, record)
        stall = "drop" if fault.kind == "drop" else f"timeout; stall={fault.stall:g}"
        fallback = {"message": "Service Unavailable", "errors": []}
        fallback_headers = {FAULT_HEADER: stall, DETAIL_HEADER: f"harness fault: {fault.kind}"}
        return FaultOutcome(503, fallback, fallback_headers, 0, None, fault.kind, record)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rules": list(self.rule_ids)}
        if self.delay:
            out["delay"] = round(self.delay, 6)
        if self.fault is not None:
            out["kind"] = self.fault.kind
            if self.fault.status is not None:
                out["status"] = self.fault.status
            out["applied"] = self.fault.applies
        else:
            out["kind"] = "latency"
        return out


@dataclass(slots=True)
class Faults:
    """The fault rules of one fake: added, drawn per request, listed, cleared (thread-safe).

    `configured` rules come back on `reset()`. `sleep` performs delays (swap it in tests).
    """

    configured: tuple[Fault, ...] = ()
    sleep: Callable[[float], None] = time.sleep
    _rules: list[_Rule] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    @property
    def armed(self) -> bool:
        """Cheap check for the hot path: any rule at all?"""
        return bool(self._rules)

    def add(self, fault: Fault | Mapping[str, Any]) -> int:
        """Arm a fault; returns its id (for `remove`)."""
        fault = Fault.coerce(fault)
        with self._lock:
            rule = _Rule(next(self._ids), fault, random.Random(fault.seed))
            self._rules.append(rule)
            return rule.id

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) < before

    def clear(self) -> None:
        """Disarm every fault (the configured ones included, until `reset`)."""
        with self._lock:
            self._rules = []

    def reset(self) -> None:
        """Back to the configured faults, their counts and random draws restarted."""
        with self._lock:
            self._ids = itertools.count(1)
            self._rules = [_Rule(next(self._ids), f, random.Random(f.seed)) for f in self.configured]

    def rules(self) -> list[dict[str, Any]]:
        """Every rule with its id, how often it fired and how many firings remain."""
        with self._lock:
            return [rule.to_json() for rule in self._rules]

    def draw(self, path: str) -> Fired | None:
        """Decide the faults for one request to `path`: every matching latency rule adds its delay; the
        first matching rule of another kind that fires decides the answer."""
        delay = 0.0
        fired: list[int] = []
        with self._lock:
            for rule in self._rules:
                fault = rule.fault
                if not fault.matches(path) or (fault.times is not None and rule.fired >= fault.times):
                    continue
                if fault.probability < 1.0 and rule.rng.random() >= fault.probability:
                    continue
                rule.fired += 1
                fired.append(rule.id)
                low, high = fault.delay
                delay += low if low == high else rule.rng.uniform(low, high)
                if fault.terminal:
                    return Fired(delay, fault, tuple(fired))
        return Fired(delay, None, tuple(fired)) if fired else None


def parse_fault_header(value: str) -> tuple[str, float]:
    """`drop` or `timeout; stall=60` -> (kind, stall seconds)."""
    kind, _, rest = value.partition(";")
    stall = DEFAULT_STALL
    for part in rest.split(";"):
        name, _, number = part.strip().partition("=")
        if name == "stall":
            with contextlib.suppress(ValueError):
                stall = float(number)
    return kind.strip(), stall


def fault_answer(fault: Fault) -> tuple[int, dict[str, Any]]:
    """The status and Braze-shaped body of a status fault."""
    status = cast(int, fault.status)
    if status == QUEUED:
        return status, {"message": "queued"}
    message = _MESSAGES.get(status) or HTTPStatus(status).phrase
    return status, {"message": message, "errors": []}  # whole-request: no index-less items (see errors)
