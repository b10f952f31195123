"""Clocks: real UTC time, or a fixed/advanceable one so time-based rules test instantly."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FixedClock", "SystemClock", "utc"]


@runtime_checkable
class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __eq__(self, other: object) -> bool:
        """Every wall clock is the same clock (so two default configurations compare equal)."""
        return type(other) is SystemClock

    def __hash__(self) -> int:
        return hash(SystemClock)


class FixedClock:
    """A clock that only moves when told to (thread-safe)."""

    def __init__(self, start: datetime | str = "2024-01-01T00:00:00Z") -> None:
        self._now = utc(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime | str) -> None:
        with self._lock:
            self._now = utc(moment)

    def advance(self, delta: timedelta | float) -> datetime:
        """Move forward by a timedelta or a number of seconds; returns the new time."""
        step = delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        with self._lock:
            self._now += step
            return self._now


def utc(moment: datetime | str) -> datetime:
    """An aware UTC datetime from an ISO-8601 string or a datetime (naive means UTC)."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
