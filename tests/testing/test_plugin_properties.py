"""Property tests (4b): whatever /users/track body arrives, valid or broken once, the fake answers by contract.

Bodies go through the real routing (httpx into the fake, no socket). A 2xx must satisfy
`braze/users-track.response`, anything else `braze/error.response`; valid bodies are accepted whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.braze import FakeBraze
from harness.contracts import contract
from harness.testing.routing import BrazeRouting
from harness.testing.strategies.braze import (
    MUTATIONS,
    MutatedBody,
    attribute_objects,
    event_objects,
    invalid_track_bodies,
    purchase_objects,
    track_bodies,
)

REQUEST = contract("braze/users-track.request")
SUCCESS = contract("braze/users-track.response")
ERROR = contract("braze/error.response")
KINDS = ("attributes", "events", "purchases")


@pytest.fixture(scope="module")
def braze() -> Iterator[tuple[FakeBraze, httpx.Client]]:
    """One fake for the module (reset per example): Hypothesis examples must not share state."""
    fake = FakeBraze(track_limits="combined-50")
    with (
        BrazeRouting(fake.app),
        httpx.Client(base_url="https://rest.iad-05.braze.com", headers={"Authorization": "Bearer k"}) as client,
    ):
        yield fake, client


def post(braze: tuple[FakeBraze, httpx.Client], body: Any) -> httpx.Response:
    fake, client = braze
    fake.reset()
    return client.post("/users/track", json=body)


def assert_by_contract(response: httpx.Response) -> None:
    checker = SUCCESS if response.is_success else ERROR
    payload = response.json()
    assert checker.is_valid(payload), (response.status_code, payload, checker.violations(payload))


@given(body=track_bodies())
def test_valid_bodies_are_accepted_whole(braze: tuple[FakeBraze, httpx.Client], body: dict[str, Any]) -> None:
    assert REQUEST.is_valid(body), REQUEST.violations(body)
    response = post(braze, body)
    assert_by_contract(response)
    assert response.status_code == 201, response.json()
    payload = response.json()
    assert "errors" not in payload
    assert {f"{k}_processed": len(v) for k, v in body.items() if k in KINDS} == {
        k: v for k, v in payload.items() if k.endswith("_processed")
    }
    entry = braze[0].requests[-1]
    assert entry.violations == [] and entry.instance == "US-05"


@given(mutated=invalid_track_bodies())
def test_each_mutation_breaks_the_contract_where_it_says(
    braze: tuple[FakeBraze, httpx.Client], mutated: MutatedBody
) -> None:
    violations = REQUEST.violations(mutated.body)
    assert violations, mutated.mutation
    assert any(v.path.startswith(mutated.path) for v in violations), (mutated.mutation, mutated.path, violations)
    response = post(braze, mutated.body)
    assert_by_contract(response)
    payload = response.json()
    if mutated.fatal:
        assert response.status_code == 400, (mutated.mutation, payload)
    elif mutated.ignored:
        assert response.status_code == 201 and "errors" not in payload, (mutated.mutation, payload)
    else:
        assert response.status_code == 201, (mutated.mutation, payload)
        located = [(e.get("input_array"), e.get("index")) for e in payload["errors"]]
        assert located == [(mutated.kind, mutated.index)], (mutated.mutation, payload)
    assert braze[0].requests[-1].violations == violations


@given(body=st.one_of(track_bodies(), invalid_track_bodies().map(lambda m: m.body)), key=st.sampled_from(["k", ""]))
def test_every_answer_is_braze_shaped(braze: tuple[FakeBraze, httpx.Client], body: Any, key: str) -> None:
    fake, client = braze
    fake.reset()
    response = client.post("/users/track", json=body, headers={"Authorization": f"Bearer {key}".strip()})
    assert_by_contract(response)
    assert response.headers["X-Harness-Request-Id"] == str(fake.requests[-1].id)


@given(
    obj=st.one_of(
        attribute_objects().map(lambda o: ("attributes", o)),
        event_objects().map(lambda o: ("events", o)),
        purchase_objects().map(lambda o: ("purchases", o)),
    )
)
def test_objects_are_valid_on_their_own(obj: tuple[str, dict[str, Any]]) -> None:
    kind, value = obj
    assert REQUEST.is_valid({kind: [value]}), REQUEST.violations({kind: [value]})


def test_every_mutation_is_labelled_and_reachable() -> None:
    labels = [m.label for m in MUTATIONS]
    assert len(set(labels)) == len(labels)
    assert {m.kind for m in MUTATIONS} == {None, *KINDS}
    assert repr(MUTATIONS[0]) == "Mutation('unknown top-level field')"
