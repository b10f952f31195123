"""End-to-end properties: Segment events → Segment's Braze destinations (harness.translate) → the fake Braze.

(1) an identify's traits become the profile's custom attributes, minus the keys Segment drops, with the
standard fields mapped; (2) a stream of track events gives each event name Braze's count, first and last;
(3) Audience Entered / Exited through Braze Cohorts leaves in the cohort exactly the users whose latest
event was Entered; (4) every request the translator produces validates against its request contract and
every answer of the fake against its response contract.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from harness.braze import STANDARD_KEYS, FakeBraze
from harness.clock import FixedClock
from harness.contracts import contract
from harness.translate import TranslationResult, translate
from tests.braze.support import check_response

START = datetime(2024, 3, 1, tzinfo=UTC)
# Segment drops these traits from custom attributes (trackPurchase's field names + firstName/lastName/avatar)
# and maps the Braze fields that have no default mapping out of the payload (the translator's README).
SEGMENT_DROPS = {
    "time",
    "products",
    "properties",
    "firstName",
    "lastName",
    "avatar",
    "enable_batching",
    "batch_size",
    "user_alias",
    "braze_id",
    "_update_existing_only",
}
REQUEST_CONTRACTS = {
    "/users/track": "braze/users-track.request",
    "/partners/segment/cohorts/users": "braze/cohorts-users.request",
    "/partners/segment/cohorts": "braze/cohorts.request",
}

names = st.from_regex(r"\A[a-z][a-z0-9_]{1,14}\Z").filter(lambda k: k not in STANDARD_KEYS | SEGMENT_DROPS)
short_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
values = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(-1e6, 1e6, allow_nan=False).filter(lambda f: not f.is_integer()),
    st.booleans(),
    short_text,
    st.lists(short_text, min_size=1, max_size=10, unique=True),
)
user_ids = st.sampled_from([f"user-{n}" for n in range(6)])


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def deliver(fake: FakeBraze, result: TranslationResult) -> list[dict[str, Any]]:
    assert result.error is None, result.error
    answers = []
    for request in result.requests:
        name = REQUEST_CONTRACTS.get(request.path)
        if name:
            assert contract(name).violations(request.body) == [], request.body
        auth = request.headers.get("authorization")
        reply = fake.call(
            request.path,
            request.body,
            host=urlsplit(request.url).netloc,
            headers={"Authorization": auth} if auth else {},
        )
        check_response(request.path, reply.status, reply.body)
        assert reply.status == 201 and "errors" not in reply.body, reply.body
        answers.append(reply.body)
    return answers


@given(user_ids, st.dictionaries(names, values, max_size=8), st.sampled_from(["Jane", "Zoë", "李"]))
def test_identify_traits_become_custom_attributes(user_id: str, custom: dict[str, Any], first_name: str) -> None:
    fake = FakeBraze()
    traits = {
        **custom,
        "firstName": first_name,
        "lastName": "Doe",
        "email": "jane@example.com",
        "time": "x",
        "products": [1],
        "avatar": "https://example.com/a.png",
    }
    event = {
        "type": "identify",
        "userId": user_id,
        "traits": traits,
        "messageId": "m1",
        "timestamp": iso(START),
        "receivedAt": iso(START),
    }
    deliver(fake, translate(event))
    exported = fake.call("/users/export/ids", {"external_ids": [user_id]}, api_key="k").body["users"][0]
    assert exported.get("custom_attributes", {}) == custom
    assert (exported["first_name"], exported["last_name"], exported["email"]) == (first_name, "Doe", "jane@example.com")
    assert fake.user(user_id).standard["image_url"] == "https://example.com/a.png"


track_streams = st.lists(
    st.tuples(user_ids, st.sampled_from(["Video Played", "Audience Entered", "Trait Computed"]), st.integers(0, 10**6)),
    min_size=1,
    max_size=40,
)


@given(track_streams, st.booleans())
def test_track_streams_give_brazes_count_first_and_last(stream: list[tuple[str, str, int]], batched: bool) -> None:
    fake = FakeBraze(clock=FixedClock(START + timedelta(days=30)))
    events = [
        {
            "type": "track",
            "event": name,
            "userId": user,
            "properties": {"n": n},
            "messageId": f"m{n}",
            "timestamp": iso(START + timedelta(seconds=offset)),
            "receivedAt": iso(START + timedelta(seconds=offset)),
        }
        for n, (user, name, offset) in enumerate(stream)
    ]
    if batched:
        deliver(fake, translate(events, action="trackEvent"))
    else:
        for event in events:
            deliver(fake, translate(event))
    for user in {u for u, _, _ in stream}:
        for name in {n for u, n, _ in stream if u == user}:
            times = [START + timedelta(seconds=o) for u, n, o in stream if (u, n) == (user, name)]
            stats = fake.user(user).custom_events[name]
            assert (stats.count, stats.first, stats.last) == (len(times), min(times), max(times))


audience_streams = st.lists(st.tuples(user_ids, st.booleans()), min_size=1, max_size=120)


@given(audience_streams, st.integers(1, 75))
def test_cohort_holds_the_users_whose_latest_event_was_entered(stream: list[tuple[str, bool]], batch: int) -> None:
    fake = FakeBraze()
    deliver(
        fake,
        translate(
            [
                {
                    "type": "identify",
                    "userId": f"user-{n}",
                    "traits": {"plan": "x"},
                    "messageId": f"i{n}",
                    "timestamp": iso(START),
                    "receivedAt": iso(START),
                }
                for n in range(6)
            ]
        ),
    )
    personas = {
        "computation_class": "audience",
        "computation_id": "aud_1",
        "computation_key": "dormant_shopper",
        "namespace": "spa_1",
        "space_id": "spa_1",
    }
    events = [
        {
            "type": "track",
            "event": "Audience Entered" if entered else "Audience Exited",
            "userId": user,
            "properties": {"audience_key": "dormant_shopper", "dormant_shopper": entered},
            "context": {"personas": personas},
            "messageId": f"personas_{n}",
            "timestamp": iso(START + timedelta(minutes=n)),
            "receivedAt": iso(START + timedelta(minutes=n)),
        }
        for n, (user, entered) in enumerate(stream)
    ]
    state: dict[str, Any] = {}
    for first in range(0, len(events), batch):
        result = translate(
            events[first : first + batch],
            destination="braze-cohorts",
            mapping={"personas_audience_key": "dormant_shopper"},
            state=state,
        )
        deliver(fake, result)
        state.update(result.state_set or {})
    latest = dict(stream)
    assert set(fake.segment_members({"cohort": "dormant_shopper", "op": "in"}).external_ids) == {
        user for user, entered in latest.items() if entered
    }
