"""A fault rule as data: what happens, to which endpoint, how often, and whether the request is applied.

Configuration holds these (`FakeBrazeConfig.faults`) and the control plane lists them; the armed set,
the draws and the faulted answers live in `harness.braze.service.faults`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["DEFAULT_STALL", "KINDS", "QUEUED", "Fault", "FaultKind"]

FaultKind = Literal["latency", "status", "drop", "timeout"]
KINDS: tuple[str, ...] = ("latency", "status", "drop", "timeout")
DEFAULT_STALL = 60.0
QUEUED = 202


def _seconds(value: float | tuple[float, float] | list[float]) -> tuple[float, float]:
    low, high = (value, value) if isinstance(value, int | float) else (value[0], value[1])
    if not 0 <= low <= high:
        raise ValueError(f"delay must be seconds >= 0, or [low, high] with 0 <= low <= high, not {value!r}")
    return float(low), float(high)


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault rule. Build it with `Fault.latency(0.2)`, `Fault.error(503, times=2)`, `Fault.queued()`,
    `Fault.rate_limited()`, `Fault.drop(probability=0.1, seed=7)`, `Fault.timeout(path="/users/track")`."""

    kind: FaultKind
    path: str | None = None
    """A Braze endpoint path (`/users/track`); None: every Braze endpoint."""
    times: int | None = None
    """Fire for the next `times` matching requests only; None: for every one."""
    probability: float = 1.0
    seed: int = 0
    """Seeds this rule's draws (probability, random delay), so the same requests get the same faults."""
    status: int | None = None
    delay: tuple[float, float] = (0.0, 0.0)
    """Seconds before the answer: fixed (low == high) or uniform in [low, high]. Any kind may have one."""
    stall: float = DEFAULT_STALL
    """timeout: how long the live server holds the connection (or until the client leaves), then drops it."""
    applied: bool | None = None
    """Process the request before faulting; None: only for 202 queued."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"fault kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.kind == "status":
            if not isinstance(self.status, int) or not (self.status == QUEUED or 400 <= self.status <= 599):
                raise ValueError(f"a status fault needs status 202 or 400-599, not {self.status!r}")
        elif self.status is not None:
            raise ValueError(f"only a status fault takes a status (this is a {self.kind} fault)")
        if self.times is not None and (not isinstance(self.times, int) or self.times < 1):
            raise ValueError(f"times must be a positive integer or None (every request), not {self.times!r}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability must be between 0 and 1, not {self.probability!r}")
        if self.path is not None and not self.path.startswith("/"):
            raise ValueError(f"path must be a Braze endpoint path like /users/track, not {self.path!r}")
        if self.stall <= 0:
            raise ValueError(f"stall must be seconds > 0, not {self.stall!r}")
        object.__setattr__(self, "delay", _seconds(self.delay))

    # -- constructors ----------------------------------------------------------------------------
    @classmethod
    def latency(cls, seconds: float | tuple[float, float], **common: Any) -> Fault:
        """Answer normally, `seconds` later (or a uniform draw between two bounds)."""
        return cls("latency", delay=_seconds(seconds), **common)

    @classmethod
    def error(cls, status: int, **common: Any) -> Fault:
        """Answer `status` (500, 502, 503, 504, 429, ...) with Braze's fatal error body."""
        return cls("status", status=status, **common)

    @classmethod
    def rate_limited(cls, **common: Any) -> Fault:
        """429 "Over rate limit." with X-RateLimit-* headers saying the window is used up."""
        return cls.error(429, **common)

    @classmethod
    def queued(cls, **common: Any) -> Fault:
        """202 `{"message": "queued"}` (Braze during maintenance); the request is still processed."""
        return cls.error(QUEUED, **common)

    @classmethod
    def drop(cls, **common: Any) -> Fault:
        """Close the connection without an answer."""
        return cls("drop", **common)

    @classmethod
    def timeout(cls, *, stall: float = DEFAULT_STALL, **common: Any) -> Fault:
        """Never answer: the client's read timeout expires (in-process: raised at once)."""
        return cls("timeout", stall=stall, **common)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """From the control plane's / the marker's form: `{"kind": "status", "status": 503, "times": 2}`."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a fault is a JSON object like {{'kind': 'drop'}}, not {data!r}")
        known = {"kind", "path", "times", "probability", "seed", "status", "delay", "stall", "applied"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        if "kind" not in data:
            raise ValueError(f"a fault needs a kind: one of {', '.join(KINDS)}")
        fields = dict(data)
        if "delay" in fields:
            fields["delay"] = _seconds(fields["delay"])
        try:
            return cls(**fields)
        except TypeError as exc:
            raise ValueError(str(exc)) from None

    @classmethod
    def coerce(cls, value: Fault | Mapping[str, Any]) -> Fault:
        return value if isinstance(value, Fault) else cls.from_json(value)

    # -- reading ---------------------------------------------------------------------------------
    @property
    def applies(self) -> bool:
        """True when the request is processed before the fault replaces (or loses) the answer."""
        return self.applied if self.applied is not None else self.status == QUEUED

    @property
    def terminal(self) -> bool:
        """True when the fault decides the answer (everything but pure latency)."""
        return self.kind != "latency"

    def matches(self, path: str) -> bool:
        return self.path is None or self.path == path

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "path": self.path, "times": self.times}
        out["probability"], out["seed"] = self.probability, self.seed
        if self.status is not None:
            out["status"] = self.status
        if self.delay != (0.0, 0.0):
            out["delay"] = self.delay[0] if self.delay[0] == self.delay[1] else list(self.delay)
        if self.kind == "timeout":
            out["stall"] = self.stall
        out["applied"] = self.applies
        return out
