"""The simulator's clock: simulated time that only moves forward, injectable so tests control it.

Engage computes on its own schedule (real-time as events arrive, batch every few hours); replaying a
file needs that schedule in simulated time, never the wall clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from harness.segment import parse_timestamp

__all__ = ["SimulatedClock", "parse_duration"]


class SimulatedClock:
    """A clock that starts at `start` and advances only when told to; it never goes back."""

    def __init__(self, start: datetime | str) -> None:
        self._now = parse_timestamp(start) if isinstance(start, str) else _aware(start)

    def now(self) -> datetime:
        return self._now

    def advance_to(self, moment: datetime) -> datetime:
        """Move to `moment` if it is later; return the (possibly unchanged) current time."""
        moment = _aware(moment)
        if moment > self._now:
            self._now = moment
        return self._now

    def __repr__(self) -> str:
        return f"SimulatedClock({self._now.isoformat()!r})"


def parse_duration(text: str) -> timedelta:
    """`8h`, `30m`, `1d12h`, `90s`, `2w`, or a bare number of hours: a positive timedelta."""
    units = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
    source = text.strip().lower()
    if not source:
        raise ValueError("empty duration")
    try:
        return _positive(timedelta(hours=float(source)), text)
    except ValueError:
        pass
    seconds, number = 0.0, ""
    for char in source:
        if char.isdigit() or char == ".":
            number += char
        elif char in units and number:
            seconds += float(number) * units[char]
            number = ""
        else:
            raise ValueError(f"not a duration: {text!r} (use e.g. 8h, 30m, 1d12h)")
    if number:
        raise ValueError(f"not a duration: {text!r} (a number needs a unit: w, d, h, m, s)")
    return _positive(timedelta(seconds=seconds), text)


def _positive(delta: timedelta, text: str) -> timedelta:
    if delta <= timedelta(0):
        raise ValueError(f"duration must be positive: {text!r}")
    return delta


def _aware(moment: datetime) -> datetime:
    return parse_timestamp(moment.isoformat())
