"""Fakes kept per process (per xdist worker), reset for each test instead of rebuilt.

Building a `FakeBraze` builds its Flask app (~5 ms); resetting one costs microseconds. A fake is
reused only for a configuration equal to the one it was built with, compared field by field against
a deep copy taken then, so a test that changes its fake's config in place gets a new fake next time.
Clocks compare by identity (a `FixedClock` is state), except the stateless `SystemClock`.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import OrderedDict
from typing import Any

from harness.braze import FakeBraze, FakeBrazeConfig
from harness.clock import SystemClock

__all__ = ["FakeCache", "acquire", "discard", "release"]

_FIELDS = tuple(f.name for f in dataclasses.fields(FakeBrazeConfig) if f.name != "clock")


def _snapshot(config: FakeBrazeConfig) -> tuple[dict[str, Any], Any]:
    return {name: copy.deepcopy(getattr(config, name)) for name in _FIELDS}, config.clock


def _same_clock(a: Any, b: Any) -> bool:
    return a is b or (type(a) is SystemClock and type(b) is SystemClock)


def _matches(snapshot: tuple[dict[str, Any], Any], config: FakeBrazeConfig) -> bool:
    values, clock = snapshot
    if not _same_clock(clock, config.clock):
        return False
    try:
        return all(values[name] == getattr(config, name) for name in _FIELDS)
    except Exception:  # a value that cannot be compared is not the same config
        return False


def _reset(fake: FakeBraze) -> None:
    """`FakeBraze.reset()`: state, journal (ids from 1 again), counters and faults as configured."""
    fake.reset()


class FakeCache:
    """The last `size` fakes by configuration. `acquire(config)` lends one, freshly reset, that no one
    else holds; `release(fake)` gives it back."""

    def __init__(self, size: int = 8) -> None:
        self._size = size
        self._entries: OrderedDict[int, tuple[tuple[dict[str, Any], Any], FakeBraze]] = OrderedDict()
        self._lent: set[int] = set()
        self._lock = threading.Lock()
        self.built = 0

    def acquire(self, config: FakeBrazeConfig) -> FakeBraze:
        with self._lock:
            for key, (snapshot, fake) in self._entries.items():
                if key not in self._lent and _matches(snapshot, config) and _matches(snapshot, fake.config):
                    self._entries.move_to_end(key)
                    self._lent.add(key)
                    _reset(fake)
                    return fake
            fake = FakeBraze(config)
            self.built += 1
            self._entries[id(fake)] = (_snapshot(config), fake)
            self._lent.add(id(fake))
            while len(self._entries) > self._size:
                oldest = next((k for k in self._entries if k not in self._lent), None)
                if oldest is None:
                    break
                del self._entries[oldest]
            return fake

    def release(self, fake: FakeBraze) -> None:
        with self._lock:
            self._lent.discard(id(fake))

    def discard(self, fake: FakeBraze) -> None:
        """Never lend `fake` again (a request may still be running in it)."""
        with self._lock:
            self._entries.pop(id(fake), None)
            self._lent.discard(id(fake))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._lent.clear()


_CACHE = FakeCache()


def acquire(config: FakeBrazeConfig) -> FakeBraze:
    """A reset fake for `config`, reused from an earlier test of this process when there is one."""
    return _CACHE.acquire(config)


def release(fake: FakeBraze) -> None:
    _CACHE.release(fake)


def discard(fake: FakeBraze) -> None:
    _CACHE.discard(fake)
