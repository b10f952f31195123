"""The Segment contracts accept the Spec's own examples and explain what is wrong, by path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from harness.segment import engage_violations, validate_event

# segment-docs src/connections/spec/identify.md, complete example (verbatim).
SPEC_IDENTIFY: dict[str, Any] = {
    "anonymousId": "507f191e810c19729de860ea",
    "channel": "browser",
    "context": {"ip": "8.8.8.8", "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5)"},
    "integrations": {"All": False, "Mixpanel": True, "Salesforce": True},
    "messageId": "022bb90c-bbac-11e4-8dfc-aa07a5b093db",
    "receivedAt": "2015-02-23T22:28:55.387Z",
    "sentAt": "2015-02-23T22:28:55.111Z",
    "timestamp": "2015-02-23T22:28:55.111Z",
    "traits": {
        "name": "Peter Gibbons",
        "email": "peter@example.com",
        "plan": "premium",
        "logins": 5,
        "address": {"street": "6th St", "city": "San Francisco", "state": "CA", "postalCode": "94103"},
    },
    "type": "identify",
    "userId": "97980cfea0067",
    "version": "1.1",
}

# segment-docs src/connections/spec/track.md, complete example (verbatim, userAgent shortened).
SPEC_TRACK: dict[str, Any] = {
    "anonymousId": "23adfd82-aa0f-45a7-a756-24f2a7a4c895",
    "context": {
        "library": {"name": "analytics.js", "version": "2.11.1"},
        "page": {"path": "/academy/", "referrer": "", "search": "", "title": "Analytics Academy"},
        "userAgent": "Mozilla/5.0",
        "ip": "108.0.78.21",
    },
    "event": "Course Clicked",
    "integrations": {},
    "messageId": "ajs-f8ca1e4de5024d9430b3928bd8ac6b96",
    "properties": {"title": "Intro to Analytics"},
    "receivedAt": "2015-12-12T19:11:01.266Z",
    "sentAt": "2015-12-12T19:11:01.169Z",
    "timestamp": "2015-12-12T19:11:01.249Z",
    "type": "track",
    "userId": "AiUGstSDIg",
    "originalTimestamp": "2015-12-12T19:11:01.152Z",
}

# Captured-looking Engage traffic: action-destinations amazon-amc syncAudiencesToDSP test fixture.
ENGAGE_TRACK: dict[str, Any] = {
    "context": {
        "personas": {
            "audience_settings": {"advertiserId": "585806696618602999", "countryCode": "US"},
            "computation_class": "audience",
            "computation_id": "aud_2g5VilffxpBYqelWk4K0yBzAuFl",
            "computation_key": "amazon_ads_audience_6_may_24",
            "external_audience_id": "379909525712777677",
            "namespace": "spa_rHVbZsJXToWAwcmbgpfo36",
            "space_id": "spa_rHVbZsJXToWAwcmbgpfo36",
        },
        "traits": {"email": "test@twilio.com"},
    },
    "event": "Audience Entered",
    "integrations": {"All": False, "Amazon AMC": True},
    "messageId": "personas_2g5WGNhZtTET4DhSeILpE6muHnH",
    "properties": {
        "amazon_ads_audience_6_may_24": True,
        "audience_key": "amazon_ads_audience_6_may_24",
        "externalId": "379909525712777677",
    },
    "receivedAt": "2024-05-06T09:30:38.650Z",
    "timestamp": "2024-05-06T09:30:22.829Z",
    "type": "track",
    "userId": "test-kochar-01",
    "writeKey": "REDACTED",
}

PERSONAS_TRAIT = {
    "computation_class": "trait",
    "computation_id": "tra_abc",
    "computation_key": "total_revenue_180_days",
    "namespace": "spa_x",
    "space_id": "spa_x",
}

# segment-docs src/engage/using-engage-data.md computed-trait identify, with the envelope Engage adds.
ENGAGE_TRAIT_IDENTIFY: dict[str, Any] = {
    "type": "identify",
    "userId": "u123",
    "traits": {"total_revenue_180_days": 450.00},
    "context": {"personas": PERSONAS_TRAIT},
    "integrations": {"All": False, "Braze Cloud Mode (Actions)": True},
    "messageId": "personas_2g5WGNhZtTET4DhSeILpE6muHnH",
    "timestamp": "2024-05-06T09:30:22.829Z",
}


def paths(payload: Any, contract_name: str | None = None) -> dict[str, str]:
    return {v.path: v.reason for v in validate_event(payload, contract_name)}


@pytest.mark.parametrize("payload", [SPEC_IDENTIFY, SPEC_TRACK, ENGAGE_TRACK, ENGAGE_TRAIT_IDENTIFY])
def test_documented_examples_are_valid(payload: dict[str, Any]) -> None:
    assert validate_event(payload) == []
    assert validate_event(payload, "segment/debugger-event") == []


def test_engage_examples_are_valid_spec_events_too() -> None:
    assert validate_event(ENGAGE_TRACK, engage=False) == []
    assert validate_event(ENGAGE_TRACK, "segment/engage-track") == []


def test_missing_identifiers_are_reported_in_the_specs_words() -> None:
    payload = {k: v for k, v in SPEC_TRACK.items() if k not in ("userId", "anonymousId")}
    assert paths(payload) == {"$": "every call must have a userId or an anonymousId (a non-empty string)"}
    assert "$" in paths(payload | {"userId": None, "anonymousId": ""})
    assert paths(payload | {"userId": None, "anonymousId": "a1"}) == {}


def test_track_needs_an_event_name_and_object_properties() -> None:
    payload = {k: v for k, v in SPEC_TRACK.items() if k != "event"} | {"properties": [1]}
    found = paths(payload)
    assert found["$"] == '"event" is a required property'
    assert "$.properties" in found


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"timestamp": "yesterday"}, "$.timestamp"),
        ({"messageId": "m" * 101}, "$.messageId"),
        ({"integrations": {"All": "yes"}}, "$.integrations.All"),
        ({"integrations": {"Braze": 1}}, "$.integrations.Braze"),
        ({"traits": "Peter"}, "$.traits"),
        ({"context": {"ip": 8}}, "$.context.ip"),
        ({"context": {"personas": {"computation_class": "audience"}}}, "$.context.personas"),
    ],
)
def test_violations_name_the_field(change: dict[str, Any], path: str) -> None:
    assert path in paths(SPEC_IDENTIFY | change)


def test_properties_revenue_must_be_a_number() -> None:
    assert "$.properties.revenue" in paths(SPEC_TRACK | {"properties": {"revenue": "12"}})


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"type": "alias", "userId": "u1", "messageId": "m", "timestamp": "2024-01-01T00:00:00Z"}, "$"),
        ({"type": "group", "userId": "u1", "messageId": "m", "timestamp": "2024-01-01T00:00:00Z"}, "$"),
        ({"type": "boom", "userId": "u1", "messageId": "m", "timestamp": "2024-01-01T00:00:00Z"}, "$.type"),
        ({"type": "page", "userId": "u1", "timestamp": "2024-01-01T00:00:00Z"}, "$"),
    ],
)
def test_debugger_events_follow_their_call_type(payload: dict[str, Any], path: str) -> None:
    assert path in paths(payload, "segment/debugger-event")


def test_debugger_event_may_lack_received_at() -> None:
    page = {
        "type": "page",
        "name": "Home",
        "userId": "u1",
        "messageId": "m",
        "timestamp": "2024-01-01T00:00:00Z",
    }
    assert paths(page, "segment/debugger-event") == {}
    alias = {
        "type": "alias",
        "previousId": "a1",
        "userId": "u1",
        "messageId": "m",
        "timestamp": "2024-01-01T00:00Z",
    }
    assert paths(alias, "segment/debugger-event") == {}


def test_the_engage_envelope_is_checked_where_present() -> None:
    bare = {k: v for k, v in ENGAGE_TRACK.items() if k not in ("messageId", "integrations", "timestamp")}
    assert paths(bare, "segment/engage-track") == {}
    wrong = ENGAGE_TRACK | {"messageId": "ajs-1", "integrations": {"All": "no"}}
    found = paths(wrong, "segment/engage-track")
    assert found["$.messageId"] == '"ajs-1" does not match "^personas_[0-9A-Za-z]+$"'
    assert found["$.integrations.All"] == '"no" is not of type "boolean"'
    assert paths(ENGAGE_TRACK | {"integrations": {}}) == {}
    no_context = {k: v for k, v in ENGAGE_TRACK.items() if k != "context"}
    assert paths(no_context, "segment/engage-track") == {"$": '"context" is a required property'}


def test_engage_events_need_a_zoned_timestamp() -> None:
    assert "$.timestamp" in paths(ENGAGE_TRACK | {"timestamp": "2024-05-06T09:30:22"})


def test_audience_track_needs_audience_key_and_trait_track_needs_trait_key() -> None:
    audience = copy.deepcopy(ENGAGE_TRACK)
    del audience["properties"]["audience_key"]
    assert "$.properties" in paths(audience)
    trait = copy.deepcopy(ENGAGE_TRACK)
    trait["context"]["personas"] |= {"computation_class": "trait"}
    assert paths(trait)["$.properties"] == '"trait_key" is a required property'


def test_engage_key_rules_beyond_the_schema_hold_for_audiences() -> None:
    missing = copy.deepcopy(ENGAGE_TRACK)
    missing["properties"] = {"audience_key": "amazon_ads_audience_6_may_24", "other": 1}
    assert paths(missing) == {"$.properties": 'must hold the computation_key "amazon_ads_audience_6_may_24"'}
    not_bool = copy.deepcopy(ENGAGE_TRACK)
    not_bool["properties"]["amazon_ads_audience_6_may_24"] = "true"
    (violation,) = engage_violations(not_bool)
    assert violation.path == "$.properties.amazon_ads_audience_6_may_24"
    assert violation.reason == 'an audience value must be true or false, not "true"'
    other_key = copy.deepcopy(ENGAGE_TRACK)
    other_key["properties"]["audience_key"] = "other"
    assert paths(other_key)["$.properties.audience_key"] == (
        'must equal the computation_key "amazon_ads_audience_6_may_24", not "other"'
    )


def test_computed_traits_are_not_held_to_the_audience_key_rules() -> None:
    other = copy.deepcopy(ENGAGE_TRAIT_IDENTIFY)
    other["traits"] = {"other": 1}
    assert paths(other) == {}


def test_journey_step_class_and_extra_personas_keys_are_allowed() -> None:
    journey = copy.deepcopy(ENGAGE_TRACK)
    journey["context"]["personas"] |= {
        "computation_class": "journey_step",
        "event_emitter_id": "event_tester_x",
    }
    assert validate_event(journey) == []
    journey["context"]["personas"]["computation_class"] = "computed_trait"
    assert "$.context.personas.computation_class" in paths(journey)


def test_sent_at_may_be_null_as_engage_sends_it_but_not_another_type() -> None:
    assert paths(SPEC_TRACK | {"sentAt": None}) == {}
    assert paths(ENGAGE_TRACK | {"sentAt": None}) == {}
    assert paths(SPEC_TRACK | {"sentAt": 5}) == {"$.sentAt": '5 is not of type "string" or "null"'}
    assert paths(SPEC_TRACK | {"timestamp": None}) == {"$.timestamp": 'null is not of type "string"'}


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        ({"properties": {"currency": None}}, "$.properties.currency", 'null is not of type "string"'),
        ({"properties": {"revenue": True}}, "$.properties.revenue", 'true is not of type "number"'),
        ({"properties": {"revenue": "12"}}, "$.properties.revenue", '"12" is not of type "number"'),
        ({"messageId": ""}, "$.messageId", '"" is shorter than 1 character'),
        ({"type": "boom"}, "$.type", '"boom" is not "track"'),
        ({"context": {"traits": [1, None]}}, "$.context.traits", '[1, null] is not of type "object"'),
    ],
)
def test_messages_render_values_as_json(change: dict[str, Any], path: str, reason: str) -> None:
    assert paths(SPEC_TRACK | change, "segment/track").get(path) == reason


def test_enum_messages_list_the_choices_as_json() -> None:
    reason = paths(SPEC_TRACK | {"type": "boom"}, "segment/debugger-event")["$.type"]
    assert reason == '"boom" is not one of ["identify", "track", "page", "screen", "group", "alias"]'


def test_non_objects_are_rejected_cleanly() -> None:
    assert paths([1, 2]) == {"$": "a Segment event is a JSON object, not [1, 2]"}
    assert paths(None) == {"$": "a Segment event is a JSON object, not null"}
    assert paths("x") == {"$": 'a Segment event is a JSON object, not "x"'}


def test_a_call_without_a_type_is_told_so_once() -> None:
    """The debugger contract has a branch per call type and each requires `type`: one fact, one line."""
    untyped = {"userId": "u1", "event": "X", "messageId": "m", "timestamp": "2024-01-01T00:00:00Z"}
    found = validate_event(untyped)
    assert [(v.path, v.reason) for v in found].count(("$", '"type" is a required property')) == 1
    assert len(found) == len(set(found))
