"""The per-process cache of fakes: reused for an equal configuration, never shared, never stale."""

from __future__ import annotations

from harness.braze import FakeBrazeConfig
from harness.clock import FixedClock
from harness.testing.fakes import FakeCache

TRACK = {"attributes": [{"external_id": "u1", "plan": "pro"}]}


def test_an_equal_configuration_gets_the_same_fake_back_reset() -> None:
    cache = FakeCache()
    first = cache.acquire(FakeBrazeConfig(instance="EU-01"))
    first.call("/users/track", TRACK, api_key="k")
    cache.release(first)
    again = cache.acquire(FakeBrazeConfig(instance="EU-01"))
    assert again is first and cache.built == 1
    assert again.requests == [] and again.user("u1") is None
    assert again.call("/users/track", TRACK, api_key="k").headers["X-Harness-Request-Id"] == "1"


def test_a_fake_in_use_is_not_lent_twice() -> None:
    cache = FakeCache()
    one, two = cache.acquire(FakeBrazeConfig()), cache.acquire(FakeBrazeConfig())
    assert one is not two and cache.built == 2


def test_other_configurations_and_stateful_clocks_get_their_own() -> None:
    cache = FakeCache()
    clock = FixedClock()
    fakes = [
        cache.acquire(FakeBrazeConfig(api_keys=("a",))),
        cache.acquire(FakeBrazeConfig(api_keys=("b",))),
        cache.acquire(FakeBrazeConfig(clock=clock)),
        cache.acquire(FakeBrazeConfig(clock=FixedClock())),  # the same time on another clock: its own fake
    ]
    for fake in fakes:
        cache.release(fake)
    assert cache.acquire(FakeBrazeConfig(clock=clock)) is fakes[2]
    assert cache.built == 4


def test_a_configuration_changed_in_place_is_not_reused() -> None:
    cache = FakeCache()
    fake = cache.acquire(FakeBrazeConfig())
    fake.config.rate_limits["users.track"] = None  # a test that edits its fake's config
    cache.release(fake)
    assert cache.acquire(FakeBrazeConfig()) is not fake


def test_a_discarded_fake_is_never_lent_again() -> None:
    cache = FakeCache()
    fake = cache.acquire(FakeBrazeConfig())
    cache.discard(fake)
    cache.release(fake)
    assert cache.acquire(FakeBrazeConfig()) is not fake
