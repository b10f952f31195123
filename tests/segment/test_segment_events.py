"""Parsing events from text, typed accessors, streams, and timestamps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from harness.segment import (
    SegmentEvent,
    SegmentEventError,
    detect_type,
    format_timestamp,
    parse_event,
    parse_events,
    parse_timestamp,
)

TRACK = {
    "type": "track",
    "userId": "u1",
    "anonymousId": "a1",
    "event": "Order Completed",
    "properties": {"revenue": 12.5, "email": "prop@example.com"},
    "context": {"traits": {"email": "ctx@example.com"}},
    "messageId": "m1",
    "timestamp": "2024-01-02T03:04:05.678Z",
    "receivedAt": "2024-01-02T03:04:06Z",
}


def test_parse_from_text_and_dict_agree_and_keep_the_payload() -> None:
    event = parse_event(json.dumps(TRACK))
    assert event == parse_event(TRACK)
    assert event.raw == TRACK
    assert event.to_json() == TRACK


def test_accessors() -> None:
    event = parse_event(TRACK)
    assert (event.type, event.user_id, event.anonymous_id, event.message_id) == ("track", "u1", "a1", "m1")
    assert event.event == "Order Completed"
    assert event.properties["revenue"] == 12.5
    assert event.traits == {}
    assert event.timestamp == datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert event.received_at == datetime(2024, 1, 2, 3, 4, 6, tzinfo=UTC)
    assert event.personas is None
    assert event.violations() == []


def test_email_comes_from_traits_then_context_traits_then_properties() -> None:
    assert parse_event(TRACK).email == "ctx@example.com"
    identify = {"type": "identify", "userId": "u1", "traits": {"email": "t@example.com"}} | {
        "context": {"traits": {"email": "ctx@example.com"}}
    }
    assert parse_event(identify).email == "t@example.com"
    assert parse_event(TRACK | {"context": {}}).email == "prop@example.com"


def test_effective_time_falls_back_when_timestamp_is_missing() -> None:
    event = parse_event({"type": "identify", "userId": "u", "originalTimestamp": "2024-01-01T00:00:00+02:00"})
    assert event.timestamp is None
    assert event.effective_time == datetime(2023, 12, 31, 22, tzinfo=UTC)


def test_invalid_events_raise_with_every_violation() -> None:
    with pytest.raises(SegmentEventError) as caught:
        parse_event({"type": "track", "timestamp": "nope"})
    assert {v.path for v in caught.value.violations} == {"$", "$.timestamp"}
    assert parse_event({"type": "track"}, validate=False).type == "track"


def test_not_json_and_not_an_object() -> None:
    with pytest.raises(SegmentEventError, match="not JSON"):
        parse_event("{nope")
    with pytest.raises(SegmentEventError, match="not a Segment event"):
        parse_event("[1]")


def test_streams_as_json_lines_or_array() -> None:
    lines = "\n".join(json.dumps(TRACK | {"messageId": f"m{i}"}) for i in range(3)) + "\n\n"
    assert [e.message_id for e in parse_events(lines)] == ["m0", "m1", "m2"]
    array = json.dumps([TRACK, TRACK])
    assert len(parse_events(array)) == 2


def test_stream_errors_name_the_line() -> None:
    lines = json.dumps(TRACK) + "\n" + json.dumps({"type": "track", "userId": "u"})
    with pytest.raises(SegmentEventError, match=r"^line 2: invalid track event"):
        parse_events(lines)
    with pytest.raises(SegmentEventError, match=r"^item 1"):
        parse_events(json.dumps([TRACK, {"type": "identify"}]))


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"type": "screen"}, "screen"),
        ({"type": "nope"}, None),
        ({"event": "X"}, "track"),
        ({"previousId": "a"}, "alias"),
        ({"groupId": "g"}, "group"),
        ({"traits": {}}, "identify"),
        ({"name": "Home"}, "page"),
        ({}, None),
    ],
)
def test_detect_type(payload: dict[str, str], expected: str | None) -> None:
    assert detect_type(payload) == expected


def test_timestamps_round_trip_in_utc_with_milliseconds() -> None:
    assert parse_timestamp("2024-01-01T00:00:00z") == datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_timestamp("2024-01-01T00:00:00") == datetime(2024, 1, 1, tzinfo=UTC)
    moment = datetime(2024, 1, 1, 1, 2, 3, 456789, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(moment) == "2023-12-31T23:02:03.456Z"
    assert format_timestamp(datetime(2024, 5, 6, 9, 30, 22, 829000)) == "2024-05-06T09:30:22.829Z"
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")


def test_segment_event_is_a_value() -> None:
    assert SegmentEvent({"type": "identify"}).type == "identify"
