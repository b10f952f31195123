"""The /users/track hot path for plain objects (`harness.braze.service.plain`) changes nothing but speed: for any
sequence of bodies, the answers, warnings, journal and state equal the general path's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.braze import FakeBraze, FakeBrazeConfig
from harness.braze.service import plain
from harness.clock import FixedClock
from harness.testing.strategies.braze import external_ids, invalid_track_bodies, track_bodies

NOW = "2024-03-10T12:00:00Z"
_VALUES = st.one_of(
    st.text(max_size=5), st.integers(-5, 5), st.floats(-1, 1), st.booleans(), st.none(),
    st.lists(st.sampled_from(("a", "b", "x" * 256)), max_size=3), st.just("x" * 256), st.just({"inc": 1}),
)  # fmt: skip
_KEYS = st.sampled_from(("plan", "tags", "first_name", "email", "dob", "k" * 256, "_update_existing_only", "phone"))
_EVENT_KEYS = st.sampled_from(("properties", "app_id", "_update_existing_only", "email"))
_EVENT_VALUES = st.one_of(st.booleans(), st.dictionaries(st.sampled_from(("a", "b")), _VALUES, max_size=2))
_TIMES = st.sampled_from(("2024-03-01T00:00:00Z", "2024-03-09T23:59:59.999Z", "2030-01-01T00:00:00Z", "nope"))


@st.composite
def plainish_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly plain objects, with the one detail that makes an object not plain now and then."""
    attributes = [
        {"external_id": draw(external_ids()), **draw(st.dictionaries(_KEYS, _VALUES, max_size=4))}
        for _ in range(draw(st.integers(0, 4)))
    ]
    events = []
    for _ in range(draw(st.integers(0, 4))):
        event: dict[str, Any] = {
            "external_id": draw(external_ids()),
            "name": draw(st.sampled_from(("E", "ecommerce.cart_updated"))),
            "time": draw(_TIMES),
        }
        event.update(draw(st.dictionaries(_EVENT_KEYS, _EVENT_VALUES, max_size=2)))
        events.append(event)
    return {k: v for k, v in (("attributes", attributes), ("events", events)) if v}


FAKE = FakeBraze(FakeBrazeConfig(clock=FixedClock(NOW), rate_limited=False))
BODIES = st.one_of(plainish_bodies(), track_bodies(), invalid_track_bodies().map(lambda mutated: mutated.body))


def observe(fast: bool, bodies: list[Any]) -> Any:
    plain.ENABLED = fast
    fake = FAKE
    fake.reset()
    answers = [(r.status, r.body, r.warnings) for r in (fake.call("/users/track", b, api_key="k") for b in bodies)]
    return answers, fake.state(), [(e.status, e.response, e.warnings, e.violations) for e in fake.requests]


@pytest.fixture(autouse=True)
def restore() -> Iterator[None]:
    yield
    plain.ENABLED = True


@settings(max_examples=settings.default.max_examples if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 25)
@given(st.lists(BODIES, min_size=1, max_size=4))
def test_plain_path_equals_general_path(bodies: list[Any]) -> None:
    assert observe(True, bodies) == observe(False, bodies)


def test_plain_path_is_taken_for_plain_objects() -> None:
    assert plain.plain_attributes({"external_id": "u", "first_name": "A", "n": 1, "tags": ["a", "a"]}) == (
        "u", {"first_name": "A"}, {"n": 1}, {"tags": ["a"]},
    )  # fmt: skip
    assert plain.plain_attributes({"external_id": "u", "dob": "2000-01-01"}) is None
    assert plain.plain_attributes({"external_id": "u", "gone": None}) is None
    assert plain.plain_event({"external_id": "u", "name": "E", "time": "2024-01-01"}, FixedClock(NOW).now()) is not None
    assert plain.plain_event({"external_id": "u", "name": "E", "time": "2031-01-01"}, FixedClock(NOW).now()) is None
