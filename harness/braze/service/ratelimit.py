"""Fixed-window rate limiting with Braze's X-RateLimit-* headers, on an injectable clock.

Braze: "Every single API request sent to Braze returns … X-RateLimit-Limit, X-RateLimit-Remaining,
X-RateLimit-Reset (the time at which the current rate limit window resets in UTC epoch seconds)", and
429 once the limit is used up (api_limits.md). Windows start at multiples of their length in epoch time.
Choice: no `Retry-After` header. Braze does not document one; a client should wait for
X-RateLimit-Reset, and a fake that sent Retry-After would let a client pass tests that rely on it.
Limits are counted per endpoint group and REST API key, on `config.clock`, so a test of a client's
backoff moves a FixedClock instead of sleeping.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from harness.braze.model.config import RateLimit
from harness.braze.service.limits import RATE_LIMITS
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

    def rule(self, group: str) -> RateLimit:
        """The limit a group's answers show: the configured one, else Braze's documented one."""
        changed = self.changes.get(group)
        return changed if changed is not None else RATE_LIMITS.get(group, RATE_LIMITS["default"])

    def refuses(self, group: str) -> bool:
        return self.enforced and not (group in self.changes and self.changes[group] is None)

    def hit(self, group: str, caller: str) -> RateDecision:
        """Count one request; `allowed` is False once the window is used up (never when not enforced)."""
        rule = self.rule(group)
        now = self.clock.now().timestamp()
        window = int(now // rule.window_seconds)
        reset = math.ceil((window + 1) * rule.window_seconds)
        key = (group, caller)
        with self._lock:
            current, used = self._windows.get(key, (window, 0))
            if current != window:
                used = 0
            if used >= rule.limit:
                self._windows[key] = (window, used)
                if self.refuses(group):
                    return RateDecision(False, rule.limit, 0, reset)
                return RateDecision(True, rule.limit, 0, reset)
            used += 1
            self._windows[key] = (window, used)
        return RateDecision(True, rule.limit, rule.limit - used, reset)

    def exhausted(self, group: str) -> RateDecision:
        """A used-up window for `group` (a 429 fault's headers)."""
        rule = self.rule(group)
        window = int(self.clock.now().timestamp() // rule.window_seconds)
        return RateDecision(False, rule.limit, 0, math.ceil((window + 1) * rule.window_seconds))

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
