from __future__ import annotations

import pytest

from harness.braze import FakeBraze, FakeBrazeConfig
from harness.clock import FixedClock

from .support import Client

NOW = "2024-03-10T12:00:00Z"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def fake(clock: FixedClock) -> FakeBraze:
    return FakeBraze(FakeBrazeConfig(clock=clock))


@pytest.fixture
def client(fake: FakeBraze) -> Client:
    return Client(fake)
