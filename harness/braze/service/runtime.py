"""What every request of one fake runs against: its configuration, state, journal, rate-limit counters, faults.

The pipeline and the services take a `Runtime` (never the `FakeBraze` facade above them), so the rules
can be called, tested and reasoned about without Flask or the facade.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.braze.model.config import FakeBrazeConfig
from harness.braze.model.journal import Journal
from harness.braze.model.store import Store
from harness.braze.service.faults import Faults
from harness.braze.service.ratelimit import RateLimiter
from harness.clock import Clock

__all__ = ["Runtime"]


@dataclass(slots=True)
class Runtime:
    config: FakeBrazeConfig
    store: Store
    journal: Journal
    limiter: RateLimiter
    faults: Faults

    @classmethod
    def of(cls, config: FakeBrazeConfig) -> Runtime:
        return cls(
            config,
            Store(config),
            Journal(config.journal_max_entries, config.journal_max_bytes),
            RateLimiter(config.rate_limits, config.clock, config.rate_limited),
            Faults(config.faults),
        )

    @property
    def clock(self) -> Clock:
        return self.config.clock

    def reset(self) -> None:
        """Forget all state and the journal; faults go back to the configured ones (configuration stays)."""
        self.store.reset()
        self.journal.clear()
        self.limiter.reset()
        self.faults.reset()
