"""Properties of the translation that hold for any event (Hypothesis; sizes fit the `ci` profile)."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from harness.contracts import contract
from harness.testing.strategies.segment import (
    engage_events,
    identify_events,
    json_values,
    segment_events,
    track_events,
)
from harness.translate import SegmentError, translate
from harness.translate.actions.update_user_profile import RESERVED

USERS_TRACK = contract("braze/users-track.request")

# Braze attribute names the action writes after the custom attributes: a trait with one of these
# names takes the standard field's value (or disappears when that field is unset).
STANDARD_ATTRIBUTES = {
    "braze_id", "external_id", "user_alias", "country", "current_location", "date_of_first_session",
    "date_of_last_session", "dob", "email", "email_subscribe", "email_open_tracking_disabled",
    "email_click_tracking_disabled", "facebook", "first_name", "gender", "home_city", "image_url",
    "language", "last_name", "marked_email_as_spam_at", "phone", "push_subscribe", "push_tokens",
    "time_zone", "twitter", "subscription_groups", "_update_existing_only",
}  # fmt: skip


def _assert_valid_users_track(result: Any) -> None:
    assert result.error is None, result.error
    for request in result.requests:
        if request.path == "/users/track":
            assert USERS_TRACK.check(request.body) == [], (request.body, USERS_TRACK.check(request.body))


@given(segment_events())
def test_every_users_track_body_satisfies_the_contract(event: dict[str, Any]) -> None:
    _assert_valid_users_track(translate(event))


@given(
    st.lists(track_events() | identify_events(), min_size=1, max_size=2),
    st.sampled_from([1, 2, 74, 75, 76, 150, 151]) | st.integers(min_value=1, max_value=20),
)
def test_a_batch_of_n_events_is_ceil_n_over_75_requests_of_the_single_objects(
    templates: list[dict[str, Any]], count: int
) -> None:
    kind = templates[0]["type"]
    action, key = ("updateUserProfile", "attributes") if kind == "identify" else ("trackEvent", "events")
    same_kind = [t for t in templates if t["type"] == kind]
    events = [{**same_kind[i % len(same_kind)], "userId": f"user-{i}"} for i in range(count)]
    batch = translate(events, action=action)
    _assert_valid_users_track(batch)
    assert len(batch.requests) == math.ceil(count / 75)
    sent = [item for request in batch.requests for item in request.body[key]]
    singles = [translate(event, action=action).requests[0].body[key][0] for event in events]
    assert sent == singles
    for request in batch.requests:
        assert (request.headers.get("x-braze-batch") == "true") == (len(request.body[key]) > 1)
    assert [status["status"] for status in batch.multistatus] == [200] * count


@given(identify_events())
def test_identify_traits_reappear_as_custom_attributes(event: dict[str, Any]) -> None:
    result = translate(event, action="updateUserProfile")
    (attributes,) = result.requests[0].body["attributes"]
    for key, value in event["traits"].items():
        if key in RESERVED:
            assert key not in attributes or key in STANDARD_ATTRIBUTES
        elif key not in STANDARD_ATTRIBUTES:
            assert attributes[key] == value


@given(engage_events())
def test_engage_events_are_ordinary_events(event: dict[str, Any]) -> None:
    result = translate(event)
    _assert_valid_users_track(result)
    body = result.requests[0].body
    if event["type"] == "identify":
        assert body["attributes"][0][event["context"]["personas"]["computation_key"]] == next(
            iter(event["traits"].values())
        )
    else:
        assert body["events"][0]["name"] == event["event"]
        assert body["events"][0]["properties"] == event["properties"]


_ACTIONS = st.sampled_from(
    [
        ("braze", "updateUserProfile"),
        ("braze", "updateUserProfile2"),
        ("braze", "trackEvent"),
        ("braze", "trackEvent2"),
        ("braze", "trackPurchase"),
        ("braze", "ecommerce"),
        ("braze", "ecommerceSingleProduct"),
        ("braze", "createAlias"),
        ("braze", "identifyUser2"),
        ("braze", None),
        ("braze-cohorts", "syncAudiences"),
    ]
)
_HOSTILE_EVENTS = (
    identify_events(realistic=False, identified=None)
    | track_events(realistic=False, identified=None)
    | st.dictionaries(
        st.sampled_from(["type", "event", "userId", "traits", "properties", "context", "receivedAt"]),
        json_values(realistic=False),
    )
)


@given(
    _ACTIONS,
    st.lists(_HOSTILE_EVENTS, min_size=1, max_size=3) | _HOSTILE_EVENTS,
    st.none()
    | st.dictionaries(
        st.sampled_from(["name", "time", "products", "user_alias", "personas_audience_key"]),
        json_values(realistic=False),
        max_size=2,
    ),
)
def test_translation_only_fails_with_segments_errors(
    route: tuple[str, str | None], event: Any, mapping: dict[str, Any] | None
) -> None:
    destination, action = route
    result = translate(event, destination=destination, action=action, mapping=mapping)
    assert result.error is None or isinstance(result.error, SegmentError)
    assert isinstance(result.to_json(), dict)
