"""Braze segment filters over the fake's profiles: every operator, the time windows, combinations, errors."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import FakeBraze, Profile
from harness.braze.model.store import Identifier
from harness.braze.service.segments import SegmentDefinitionError, window_count
from harness.clock import FixedClock, utc

NOW = "2024-03-15T10:00:00Z"  # a Friday; "today" is 2024-03-15 in UTC


@pytest.fixture
def fake() -> FakeBraze:
    return FakeBraze(clock=FixedClock(NOW))


def clock(fake: FakeBraze) -> FixedClock:
    assert isinstance(fake.clock, FixedClock)
    return fake.clock


def user(fake: FakeBraze, external_id: str | None = None, *, alias: str | None = None, **attributes: Any) -> Profile:
    """A profile with these custom attributes (identified, or alias-only with `alias`)."""
    ident = Identifier("external_id", external_id) if external_id else Identifier("user_alias", alias or "", "label")
    profile = fake.workspace().create(ident, fake.clock.now())
    profile.custom_attributes.update(attributes)
    return profile


def matched(fake: FakeBraze, definition: dict[str, Any]) -> set[str]:
    return set(fake.segment_members(definition).external_ids)


# -- custom attributes -----------------------------------------------------------------------------------
ATTRIBUTE_USERS: dict[str, Any] = {
    "str": "Gold",
    "str_lower": "gold",
    "empty": "",
    "num0": 0,
    "num5": 5,
    "float": 5.5,
    "numeric_string": "5",
    "true": True,
    "false": False,
    "date": "2024-03-10T00:00:00Z",
    "date_old": {"$time": "2024-01-01T00:00:00.000Z"},
    "list": ["silver", "Gold"],
    "unset": None,
}
EVERYONE = set(ATTRIBUTE_USERS)


@pytest.fixture
def attribute_fake(fake: FakeBraze) -> FakeBraze:
    for external_id, value in ATTRIBUTE_USERS.items():
        body = {"external_id": external_id} | ({"a": value} if value is not None else {})
        response = fake.test_client().post(
            "/users/track", json={"attributes": [body]}, headers={"Authorization": "Bearer k"}
        )
        assert response.status_code == 201
    return fake


ATTRIBUTE_CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("equals is case-sensitive", {"op": "equals", "value": "Gold"}, {"str"}),
    ("equals true", {"op": "equals", "value": True}, {"true"}),
    ("equals a number (1 is 1.0, not True)", {"op": "equals", "value": 5}, {"num5"}),
    ("equals 0 is not false", {"op": "equals", "value": 0}, {"num0"}),
    ("does not equal includes users without it", {"op": "does_not_equal", "value": "Gold"}, EVERYONE - {"str"}),
    (
        "matches regex ignores case, any array element",
        {"op": "matches_regex", "value": "^gold$"},
        {"str", "str_lower", "list"},
    ),
    ("matches regex searches", {"op": "matches_regex", "value": "OL"}, {"str", "str_lower", "list"}),
    (
        "does not match regex needs a value",
        {"op": "does_not_match_regex", "value": "^gold$"},
        EVERYONE - {"str", "str_lower", "list", "unset"},
    ),
    ("exists", {"op": "exists"}, EVERYONE - {"unset"}),
    ("does not exist", {"op": "does_not_exist"}, {"unset"}),
    ("blank", {"op": "blank"}, {"empty", "unset"}),
    ("not blank", {"op": "not_blank"}, EVERYONE - {"empty", "unset"}),
    ("more than", {"op": "more_than", "value": 4}, {"num5", "float"}),
    ("more than is strict", {"op": "more_than", "value": 5.5}, set()),
    ("less than includes NULL", {"op": "less_than", "value": 5}, {"num0", "unset"}),
    ("exactly", {"op": "exactly", "value": 5}, {"num5"}),
    ("exactly 0 includes NULL", {"op": "exactly", "value": 0}, {"num0", "unset"}),
    ("is true", {"op": "is_true"}, {"true"}),
    ("is false", {"op": "is_false"}, {"false"}),
    ("is true or not set", {"op": "is_true_or_not_set"}, {"true", "unset"}),
    ("is false or not set", {"op": "is_false_or_not_set"}, {"false", "unset"}),
    ("before a date", {"op": "before", "date": "2024-03-01"}, {"date_old"}),
    ("after a date", {"op": "after", "date": "2024-03-01T00:00:00Z"}, {"date"}),
    ("more than N days ago", {"op": "more_than_days_ago", "days": 30}, {"date_old"}),
    ("less than N days ago", {"op": "less_than_days_ago", "days": 7}, {"date"}),
]


@pytest.mark.parametrize(("filter_", "expected"), [c[1:] for c in ATTRIBUTE_CASES], ids=[c[0] for c in ATTRIBUTE_CASES])
def test_custom_attribute_operators(attribute_fake: FakeBraze, filter_: dict[str, Any], expected: set[str]) -> None:
    assert matched(attribute_fake, {"custom_attribute": "a", **filter_}) == expected


def test_days_ago_counts_a_day_as_24_hours(fake: FakeBraze) -> None:
    user(fake, "just_inside", t="2024-03-14T10:00:01Z")
    user(fake, "just_outside", t="2024-03-14T09:59:59Z")
    user(fake, "future", t="2024-03-16T00:00:00Z")
    assert matched(fake, {"custom_attribute": "t", "op": "less_than_days_ago", "days": 1}) == {"just_inside"}
    assert matched(fake, {"custom_attribute": "t", "op": "more_than_days_ago", "days": 1}) == {"just_outside"}
    assert matched(fake, {"custom_attribute": "t", "op": "less_than_days_ago", "days": 0.5}) == set()


def test_time_filters_follow_the_clock(fake: FakeBraze) -> None:
    user(fake, "u", t="2024-03-10T00:00:00Z")
    definition = {"custom_attribute": "t", "op": "less_than_days_ago", "days": 7}
    assert matched(fake, definition) == {"u"}
    clock(fake).advance(4 * 86400)
    assert matched(fake, definition) == set()


# -- custom events and purchases ---------------------------------------------------------------------------
def events(fake: FakeBraze, external_id: str, *times: str, name: str = "Audience Entered") -> Profile:
    profile = user(fake, external_id)
    for when in times:
        profile.record_event(name, utc(when))
    return profile


def test_in_the_last_y_days_means_today_plus_y_whole_utc_days(fake: FakeBraze) -> None:
    profile = events(
        fake,
        "u",
        "2024-03-15T09:00:00Z",  # today
        "2024-03-14T00:00:00Z",  # start of yesterday: 34 hours ago, inside "last 1 day"
        "2024-03-13T23:59:59Z",  # 34 hours ago too, but the day before yesterday: outside
        "2024-03-08T00:00:00Z",  # first day of "last 7 days"
        "2024-03-07T23:59:59Z",  # outside "last 7 days"
        "2024-03-16T00:00:00Z",  # tomorrow: in the lifetime count, in no window
    )
    stats = profile.custom_events["Audience Entered"]
    now = fake.clock.now()
    assert [window_count(stats, y, now) for y in (1, 3, 7, 14)] == [2, 3, 4, 5]
    assert stats.count == 6


def test_one_calendar_day_looks_at_24_to_48_hours(fake: FakeBraze) -> None:
    events(fake, "u", "2024-03-14T00:00:00Z")
    definition = {"custom_event": "Audience Entered", "op": "exactly", "count": 1, "in_last_days": 1}
    clock(fake).set("2024-03-15T00:00:00Z")  # 24 hours later: inside
    assert matched(fake, definition) == {"u"}
    clock(fake).set("2024-03-15T23:59:59Z")  # almost 48 hours later: still inside
    assert matched(fake, definition) == {"u"}
    clock(fake).set("2024-03-16T00:00:00Z")  # a new UTC day: outside
    assert matched(fake, definition) == set()


EVENT_CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("more than, ever", {"op": "more_than", "count": 1}, {"twice", "old_and_new"}),
    ("less than, ever, includes never", {"op": "less_than", "count": 2}, {"once", "never"}),
    ("exactly, ever", {"op": "exactly", "count": 1}, {"once"}),
    ("exactly 0 is never", {"op": "exactly", "count": 0}, {"never"}),
    (
        "more than in the last 7 days",
        {"op": "more_than", "count": 0, "in_last_days": 7},
        {"once", "twice", "old_and_new"},
    ),
    ("exactly in the last 3 days", {"op": "exactly", "count": 1, "in_last_days": 3}, {"once", "old_and_new"}),
    (
        "less than in the last 30 days",
        {"op": "less_than", "count": 2, "in_last_days": 30},
        {"once", "never", "old_and_new"},
    ),
    ("first performed before", {"op": "first_performed_before", "date": "2024-03-01"}, {"old_and_new"}),
    ("first performed after", {"op": "first_performed_after", "date": "2024-03-01"}, {"once", "twice"}),
    ("last performed before", {"op": "last_performed_before", "date": "2024-03-14T12:00:00Z"}, {"twice"}),
    ("last performed after", {"op": "last_performed_after", "date": "2024-03-14T12:00:00Z"}, {"once", "old_and_new"}),
    ("last performed more than N days ago", {"op": "last_performed_more_than_days_ago", "days": 2}, {"twice"}),
    (
        "last performed less than N days ago",
        {"op": "last_performed_less_than_days_ago", "days": 2},
        {"once", "old_and_new"},
    ),
]


@pytest.fixture
def event_fake(fake: FakeBraze) -> FakeBraze:
    events(fake, "never")
    events(fake, "once", "2024-03-15T08:00:00Z")
    events(fake, "twice", "2024-03-12T08:00:00Z", "2024-03-12T09:00:00Z")
    events(fake, "old_and_new", "2024-01-10T00:00:00Z", "2024-03-15T09:00:00Z")
    events(fake, "other_event", "2024-03-15T09:00:00Z", name="Audience Exited")
    return fake


@pytest.mark.parametrize(("filter_", "expected"), [c[1:] for c in EVENT_CASES], ids=[c[0] for c in EVENT_CASES])
def test_custom_event_operators(event_fake: FakeBraze, filter_: dict[str, Any], expected: set[str]) -> None:
    also_never = {"other_event"} if "never" in expected else set()  # performed only another event
    assert matched(event_fake, {"custom_event": "Audience Entered", **filter_}) == expected | also_never


def test_events_sent_through_users_track_count(fake: FakeBraze) -> None:
    body = {
        "events": [
            {"external_id": "u", "name": "Audience Entered", "time": "2024-03-15T09:00:00.000Z"},
            {"external_id": "u", "name": "Audience Entered", "time": "2024-03-01T09:00:00.000Z"},
        ]
    }
    assert fake.test_client().post("/users/track", json=body, headers={"Authorization": "Bearer k"}).status_code == 201
    assert matched(fake, {"custom_event": "Audience Entered", "op": "exactly", "count": 2}) == {"u"}
    assert matched(fake, {"custom_event": "Audience Entered", "op": "exactly", "count": 1, "in_last_days": 7}) == {"u"}


def test_purchased_product_counts_quantity_as_purchases(fake: FakeBraze) -> None:
    body = {
        "purchases": [
            {"external_id": "three", "product_id": "shoe", "currency": "USD", "price": 10, "quantity": 3, "time": NOW},
            {
                "external_id": "one",
                "product_id": "shoe",
                "currency": "USD",
                "price": 10,
                "time": "2024-02-01T00:00:00Z",
            },
            {"external_id": "other", "product_id": "hat", "currency": "USD", "price": 10, "time": NOW},
        ]
    }
    assert fake.test_client().post("/users/track", json=body, headers={"Authorization": "Bearer k"}).status_code == 201
    assert matched(fake, {"purchase": "shoe", "op": "more_than", "count": 2}) == {"three"}
    assert matched(fake, {"purchase": "shoe", "op": "less_than", "count": 2}) == {"one", "other"}
    assert matched(fake, {"purchase": "shoe", "op": "exactly", "count": 1}) == {"one"}
    assert matched(fake, {"purchase": "shoe", "op": "exactly", "count": 0, "in_last_days": 30}) == {"one", "other"}
    assert matched(fake, {"purchase": "shoe", "op": "last_performed_before", "date": "2024-03-01"}) == {"one"}


# -- cohorts, combinations, members ----------------------------------------------------------------------
def cohort(fake: FakeBraze, cohort_id: str, name: str, *profiles: Profile) -> None:
    from harness.braze.model.cohorts import Cohort

    fake.workspace().cohorts[cohort_id] = Cohort(cohort_id, name, NOW, {p.braze_id for p in profiles})


def test_in_and_not_in_a_cohort_by_name(fake: FakeBraze) -> None:
    a, b, c = user(fake, "a"), user(fake, "b"), user(fake, "c")
    cohort(fake, "aud_1", "dormant_shopper", a)
    cohort(fake, "aud_2", "dormant_shopper", b)  # two cohorts, one name: the dropdown shows one name
    cohort(fake, "aud_3", "vip", c)
    assert matched(fake, {"cohort": "dormant_shopper", "op": "in"}) == {"a", "b"}
    assert matched(fake, {"cohort": "dormant_shopper", "op": "not_in"}) == {"c"}
    assert matched(fake, {"cohort": "aud_3", "op": "in"}) == set()  # by name, not by id
    assert matched(fake, {"cohort": "unknown", "op": "not_in"}) == {"a", "b", "c"}
    assert fake.in_cohort("a", "dormant_shopper") and fake.in_cohort(b, "dormant_shopper")
    assert not fake.in_cohort("c", "dormant_shopper") and not fake.in_cohort("nobody", "vip")


def test_and_or_not(fake: FakeBraze) -> None:
    user(fake, "gold_5", tier="gold", n=5)
    user(fake, "gold_1", tier="gold", n=1)
    user(fake, "silver_5", tier="silver", n=5)
    gold = {"custom_attribute": "tier", "op": "equals", "value": "gold"}
    big = {"custom_attribute": "n", "op": "more_than", "value": 3}
    assert matched(fake, {"and": [gold, big]}) == {"gold_5"}
    assert matched(fake, {"or": [gold, big]}) == {"gold_5", "gold_1", "silver_5"}
    assert matched(fake, {"not": gold}) == {"silver_5"}
    assert matched(fake, {"and": [{"not": {"or": [gold, big]}}]}) == set()
    assert matched(fake, {"or": [{"and": [gold, {"not": big}]}, {"not": gold}]}) == {"gold_1", "silver_5"}


def test_members_name_identified_users_by_external_id_others_by_alias_and_braze_id(fake: FakeBraze) -> None:
    user(fake, "known", plan="pro")
    anonymous = user(fake, alias="anon-1", plan="pro")
    fake.workspace().add_device(anonymous, "dev-1")
    found = fake.segment_members({"custom_attribute": "plan", "op": "equals", "value": "pro"})
    assert found.to_json() == {
        "external_ids": ["known"],
        "user_aliases": [{"alias_name": "anon-1", "alias_label": "label"}],
        "device_ids": ["dev-1"],
        "braze_ids": [anonymous.braze_id],
        "count": 2,
    }
    assert (
        "known" in found and anonymous.braze_id in found and {"alias_name": "anon-1", "alias_label": "label"} in found
    )
    assert len(found) == 2


def test_saved_segments_by_name_and_reset(fake: FakeBraze) -> None:
    user(fake, "u", vip=True)
    fake.save_segment("vips", {"custom_attribute": "vip", "op": "is_true"})
    assert fake.segment_members("vips").external_ids == ("u",)
    assert fake.saved_segments() == {"vips": {"custom_attribute": "vip", "op": "is_true"}}
    assert fake.delete_segment("vips") and not fake.delete_segment("vips")
    fake.save_segment("vips", {"custom_attribute": "vip", "op": "is_true"})
    fake.reset()
    with pytest.raises(KeyError, match="no saved segment 'vips'"):
        fake.segment_members("vips")


# -- definition errors -------------------------------------------------------------------------------------
BAD_DEFINITIONS: list[tuple[Any, str, str]] = [
    ({}, "$", "exactly one of and, or, not"),
    ({"custom_attribute": "a", "custom_event": "b", "op": "exists"}, "$", "found custom_attribute, custom_event"),
    ({"custom_attribute": "a", "op": "equals"}, "$", "'value' is a required property"),
    ({"custom_attribute": "a", "op": "exists", "value": 1}, "$.value", "'value' does not go with op 'exists'"),
    ({"custom_attribute": "a", "op": "more_than", "value": "1"}, "$.value", "'1' is not of type 'number'"),
    ({"custom_attribute": "a", "op": "sounds_like", "value": "x"}, "$.op", "'sounds_like' is not one of"),
    ({"custom_attribute": "a", "op": "matches_regex", "value": "(("}, "$.value", "not a valid regular expression"),
    ({"custom_attribute": "a", "op": "before", "date": "March"}, "$.date", "does not match"),
    ({"custom_event": "E", "op": "exactly", "count": 1, "in_last_days": 2}, "$.in_last_days", "is not one of"),
    ({"custom_event": "E", "op": "exactly", "count": 51, "in_last_days": 7}, "$.count", "maximum of 50"),
    ({"custom_event": "E", "op": "exactly", "count": -1}, "$.count", "minimum of 0"),
    ({"custom_event": "E", "op": "first_performed_before"}, "$", "'date' is a required property"),
    ({"cohort": "c", "op": "maybe"}, "$.op", "is not one of"),
    ({"and": []}, "$.and", "should be non-empty"),
    ({"or": [{"cohort": "c", "op": "in"}, {"not": {"x": 1}}]}, "$.or[1].not", "exactly one of"),
    ({"and": [{"custom_attribute": "", "op": "exists"}]}, "$.and[0].custom_attribute", "should be non-empty"),
    ("vip", "$", "exactly one of"),
]


@pytest.mark.parametrize(("definition", "path", "reason"), BAD_DEFINITIONS)
def test_definition_errors_name_the_path_and_reason(fake: FakeBraze, definition: Any, path: str, reason: str) -> None:
    with pytest.raises(SegmentDefinitionError) as caught:
        fake.segment_members(definition) if not isinstance(definition, str) else fake.save_segment("x", definition)
    assert any(v.path == path and reason in v.reason for v in caught.value.violations), caught.value.violations
