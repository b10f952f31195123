"""For any sequence of SDK calls, the Braze profiles the fake Segment leaves equal what `translate` and a fake
Braze give for the same events, batched the same way (per request, per preset, 75 at most)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st
from segment.analytics import Client
from segment.analytics.request import post

from harness.braze import FakeBraze
from harness.clock import FixedClock
from harness.testing.segment_factory import FakeSegmentFactory
from harness.testing.segment_mock import SegmentMock
from harness.testing.strategies.segment import traits
from harness.translate import choose_routes, translate

USERS = ["ada", "bob", "cyd"]
EVENTS = ["Signed Up", "Lesson Completed", "Order Completed", "Product Viewed"]
SETTINGS = {"api_key": "braze-harness-test-key", "endpoint": "https://rest.iad-01.braze.com"}
properties = st.dictionaries(
    st.sampled_from(["plan", "n", "ok", "tags", "price"]),
    st.one_of(st.text(max_size=8), st.integers(-5, 5), st.booleans(), st.lists(st.text(max_size=3), max_size=2)),
    max_size=3,
)
calls = st.lists(
    st.one_of(
        st.tuples(st.just("identify"), st.sampled_from(USERS), traits()),
        st.tuples(st.just("track"), st.sampled_from(USERS), st.sampled_from(EVENTS), properties),
    ),
    min_size=1,
    max_size=12,
)


def _send(client: Client, call: tuple[Any, ...]) -> Any:
    if call[0] == "identify":
        return client.identify(call[1], call[2])
    return client.track(call[1], call[2], call[3])


def reference(requests: Iterable[list[dict[str, Any]]], clock: FixedClock) -> FakeBraze:
    """What `translate` plus a fake Braze give: per request, per default route, in Segment's batches."""
    braze = FakeBraze(clock=clock)
    for events in requests:
        routes: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
        for event in events:
            for route in choose_routes(event):
                routes.setdefault(route, []).append(event)
        for (preset, action), batch in routes.items():
            result = translate(batch, preset=preset, action=None if preset else action, settings=SETTINGS)
            for request in result.requests:
                host = urlsplit(request.url).netloc
                braze.call(request.path, request.body, method=request.method, host=host, headers=request.headers)
    return braze


def profiles(braze: FakeBraze) -> dict[str, Any]:
    found = {}
    for external_id in USERS:
        user = braze.user(external_id)
        if user is not None:
            found[external_id] = braze.profile_state(user)
    return found


def accepted_by_request(fake_segment: SegmentMock) -> list[list[dict[str, Any]]]:
    by_request: dict[int, list[dict[str, Any]]] = {}
    for record in fake_segment.events():
        if record.discard is None and record.request is not None:
            by_request.setdefault(record.request, []).append(record.payload)
    return [by_request[key] for key in sorted(by_request)]


@settings(max_examples=25)
@given(sequence=calls, one_batch=st.booleans())
def test_the_profile_equals_translate_and_the_fake_for_the_same_events(
    fake_segment_factory: FakeSegmentFactory, sequence: list[tuple[Any, ...]], one_batch: bool
) -> None:
    clock = FixedClock("2024-05-01T12:00:00Z")
    with fake_segment_factory(braze={"clock": clock}) as fake_segment:
        if one_batch:  # the library's own batching: its queued messages, posted as one /v1/batch
            queued = Client("wk", send=False)
            post("wk", batch=[_send(queued, call)[1] for call in sequence])
        else:
            client = Client("wk", sync_mode=True)
            for call in sequence:
                _send(client, call)
        assert len(fake_segment.requests) == (1 if one_batch else len(sequence))
        expected = reference(accepted_by_request(fake_segment), clock)
        assert profiles(fake_segment.braze.fake) == profiles(expected)
        assert fake_segment.braze.fake.cohorts() == expected.cohorts()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
call_like = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["identify", "track", "page", "screen", "group", "alias", "nope"]) | json_values,
        "userId": st.sampled_from(["u1", ""]) | json_values,
        "anonymousId": json_values,
        "event": st.sampled_from(["Signed Up", "Order Completed"]) | json_values,
        "traits": json_values,
        "properties": json_values,
        "context": json_values,
        "integrations": json_values,
        "timestamp": st.sampled_from(["2024-05-01T12:00:00Z", "yesterday"]) | json_values,
        "sentAt": json_values,
        "messageId": json_values,
        "_metadata": json_values,
    },
)


@settings(max_examples=40)
@given(
    path=st.sampled_from(["/v1/batch", "/v1/track", "/v1/identify", "/v1/page"]),
    body=st.one_of(
        st.fixed_dictionaries({"batch": st.lists(call_like | json_values, max_size=5)}), call_like, json_values
    ),
    raw=st.none() | st.binary(max_size=40),
)
def test_any_body_gets_segments_answer_and_never_a_crash(path: str, body: Any, raw: bytes | None) -> None:
    from harness.contracts import contract
    from tests.workspace.support import fakes

    segment, _ = fakes()
    reply = segment.send(path, body, write_key="wk", raw=raw)
    assert reply.status in (200, 400)
    assert contract("segment/tracking-api.response").check(reply.body) == []
    assert all(d.code != "INTERNAL" for r in segment.events() for d in r.deliveries), [
        d.reason for r in segment.events() for d in r.deliveries
    ]
    assert len(segment.requests) == 1
