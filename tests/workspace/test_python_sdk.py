"""segment-analytics-python, unchanged, against the fake Segment of the pytest plugin, down to the Braze profile."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from segment.analytics import Client

from harness.engage import Audience, Performed, TraitEquals
from harness.testing.segment_mock import SegmentMock


def test_sync_mode_identify_and_track_reach_the_braze_profile(fake_segment: SegmentMock) -> None:
    analytics = Client("wk", sync_mode=True)  # the default host: Segment's own, routed in-process
    analytics.identify("ada", {"plan": "pro", "firstName": "Ada", "email": "ada@example.com"})
    analytics.track("ada", "Lesson Completed", {"lesson": 1})
    analytics.track("ada", "Lesson Completed", {"lesson": 2})
    user = fake_segment.braze.user("ada")
    assert user.custom_attributes == {"plan": "pro"}
    assert (user.standard["first_name"], user.email) == ("Ada", "ada@example.com")
    assert user.custom_events["Lesson Completed"].count == 2
    fake_segment.assert_delivered("Lesson Completed", user_id="ada", mapping="Track Calls", count=2)
    [identify] = fake_segment.received()[:1]
    assert identify["context"]["library"]["name"] == "analytics-python"  # kept as the library sent it
    assert identify["messageId"] and identify["receivedAt"] and identify["originalTimestamp"]
    assert [e.path for e in fake_segment.requests] == ["/v1/batch"] * 3  # sync mode: one batch per call
    fake_segment.assert_no_failures()


def test_background_batching_is_final_when_flush_returns(fake_segment: SegmentMock) -> None:
    analytics = Client("wk")  # the default: a consumer thread batching up to 100 calls
    try:
        analytics.identify("bob", {"plan": "free"})
        for n in range(5):
            analytics.track("bob", "Page Read", {"n": n})
        analytics.flush()  # returns once the consumer's request was answered, so after delivery
        user = fake_segment.braze.user("bob")
        assert user.custom_attributes == {"plan": "free"} and user.custom_events["Page Read"].count == 5
    finally:
        analytics.shutdown()
    assert sum(len(e.body["batch"]) for e in fake_segment.requests) == 6
    [track_request] = fake_segment.braze.requests.filter(kind="events")
    assert len(track_request.body["events"]) == 5  # Segment's destination batched them into one request


def test_gzip_and_explicit_timestamps(fake_segment: SegmentMock) -> None:
    analytics = Client("wk", sync_mode=True, gzip=True)
    when = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    analytics.track("cyd", "Signed Up", timestamp=when)
    [entry] = fake_segment.requests
    assert entry.headers["content-encoding"] == "gzip" and entry.status == 200
    [event] = fake_segment.received()
    assert event["originalTimestamp"] == "2024-03-01T12:00:00.000+00:00"
    assert fake_segment.braze.user("cyd").custom_events["Signed Up"].count == 1


@pytest.mark.segment(write_keys=["wk_backend"])
def test_a_wrong_write_key_succeeds_for_the_client_and_is_dropped_by_segment(fake_segment: SegmentMock) -> None:
    errors: list[Any] = []
    Client("wk_typo", sync_mode=True, on_error=lambda e, batch: errors.append(e)).track("dan", "Signed Up")
    assert errors == []  # Segment answers 200 whatever the key
    [dropped] = fake_segment.assert_dropped("unknown_source", user_id="dan")
    assert dropped.source == "(unknown write key)"
    assert not fake_segment.braze.has_user("dan")


vip = Audience("vip_learners", TraitEquals("plan", "pro") & Performed("Lesson Completed", at_least=2))


@pytest.mark.segment(engage=[vip])
def test_an_engage_audience_computed_from_sdk_calls_reaches_a_braze_segment(fake_segment: SegmentMock) -> None:
    analytics = Client("wk", sync_mode=True)
    analytics.identify("eve", {"plan": "pro"})
    analytics.track("eve", "Lesson Completed")
    analytics.track("eve", "Lesson Completed")
    segment = {
        "and": [
            {"custom_attribute": "vip_learners", "op": "equals", "value": True},
            {"cohort": "vip_learners", "op": "in"},
        ]
    }
    assert fake_segment.braze.segment_members(segment).external_ids == ("eve",)


def test_a_failed_delivery_is_explained_in_the_assertion(fake_segment: SegmentMock) -> None:
    Client("wk", sync_mode=True).track(event="Pricing Viewed", anonymous_id="anon-1")  # no userId for Braze
    with pytest.raises(AssertionError) as failure:
        fake_segment.assert_delivered("Pricing Viewed")
    text = str(failure.value)
    assert "failed_delivery" in text and "no_identifier" in text  # replay's diagnosis of the failure
