"""Fixed-window rate limiting with Braze's X-RateLimit-* headers, on an injectable clock.

Braze: "Every single API request sent to Braze returns … X-RateLimit-Limit, X-RateLimit-Remaining,
X-RateLimit-Reset (the time at which the current rate limit window resets in UTC epoch seconds)", and
429 once the limit is used up (api_limits.md). Windows start at multiples of their length in epoch time.
Choice: no `Retry-After` header. Braze does not document one; a client should wait for
X-RateLimit-Reset, and a fake that sent Retry-After would let a client pass tests that rely on it.
Limits are counted per endpoint group and REST API key, on `config.clock`, so a test of a client's
backoff moves a FixedClock instead of sleeping. Every answer of a Braze endpoint carries the headers,
refusals before the limiter (a bad key, a bad body) included: they show the window without counting.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from harness.braze.model.config import RateLimit
from harness.braze.service.limits import EXPORT_IDS_LEGACY, EXPORT_IDS_LEGACY_BEFORE, RATE_LIMITS
from harness.clock import Clock

__all__ = ["RateDecision", "RateLimiter"]


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


class RateLimiter:
    """Counts requests per (endpoint group, caller) in fixed windows."""

    def __init__(self, changes: Mapping[str, RateLimit | None], clock: Clock, enforced: bool = True) -> None:
        self.changes = dict(changes)
        self.clock = clock
        self.enforced = enforced
        self._windows: dict[tuple[str, str], tuple[int, int]] = {}
        self._lock = threading.Lock()

    def rule(self, group: str, onboarded: date | None = None) -> RateLimit:
        """The limit a group's answers show: the configured one, else Braze's documented one (which, for
        /users/export/ids, depends on when the workspace was onboarded)."""
        changed = self.changes.get(group)
        if changed is not None:
            return changed
        if group == "users.export.ids" and onboarded is not None and onboarded < EXPORT_IDS_LEGACY_BEFORE:
            return EXPORT_IDS_LEGACY
        return RATE_LIMITS.get(group, RATE_LIMITS["default"])

    def refuses(self, group: str) -> bool:
        return self.enforced and not (group in self.changes and self.changes[group] is None)

    def hit(self, group: str, caller: str, onboarded: date | None = None) -> RateDecision:
        """Count one request; `allowed` is False once the window is used up (never when not enforced)."""
        rule = self.rule(group, onboarded)
        window, reset = self._window(rule)
        key = (group, caller)
        with self._lock:
            current, used = self._windows.get(key, (window, 0))
            if current != window:
                used = 0
            if used >= rule.limit:
                self._windows[key] = (window, used)
                return RateDecision(not self.refuses(group), rule.limit, 0, reset)
            used += 1
            self._windows[key] = (window, used)
        return RateDecision(True, rule.limit, rule.limit - used, reset)

    def peek(self, group: str, caller: str, onboarded: date | None = None) -> RateDecision:
        """The window as it stands, without counting: the headers of an answer refused before the limiter."""
        rule = self.rule(group, onboarded)
        window, reset = self._window(rule)
        with self._lock:
            current, used = self._windows.get((group, caller), (window, 0))
        used = used if current == window else 0
        return RateDecision(True, rule.limit, max(rule.limit - used, 0), reset)

    def exhausted(self, group: str) -> RateDecision:
        """A used-up window for `group` (a 429 fault's headers)."""
        rule = self.rule(group)
        _, reset = self._window(rule)
        return RateDecision(False, rule.limit, 0, reset)

    def _window(self, rule: RateLimit) -> tuple[int, int]:
        window = int(self.clock.now().timestamp() // rule.window_seconds)
        return window, math.ceil((window + 1) * rule.window_seconds)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
