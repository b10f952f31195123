"""An Engage audience `dormant_shopper` reaching Braze the three ways Braze's Segment Engage page describes.

braze-docs segment_engage.md: an audience arrives as a custom attribute through identify ("filter with
equals"), as custom events through track ("Audience Entered", filter with "more than", "less than" or
"exactly"), or as a cohort (the "Segment Cohorts" filter). The requests are the exact ones Segment's code
sends (`segment_sends`), delivered to a fake Braze and checked against their response contracts.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import FakeBraze
from harness.clock import FixedClock
from tests.braze.contract_check import CheckedClient
from tests.e2e.segment_sends import deliver, segment_case, segment_sends

IDENTIFY_TRAIT = {"custom_attribute": "dormant_shopper", "op": "equals", "value": True}
ENTERED_ONCE = {"custom_event": "Audience Entered", "op": "exactly", "count": 1}
IN_COHORT = {"cohort": "dormant_shopper", "op": "in"}


@pytest.fixture
def fake() -> FakeBraze:
    return FakeBraze(clock=FixedClock("2024-03-01T12:00:05Z"))


@pytest.fixture
def client(fake: FakeBraze) -> CheckedClient:
    return CheckedClient(fake)


def clock(fake: FakeBraze) -> FixedClock:
    assert isinstance(fake.clock, FixedClock)
    return fake.clock


def members(fake: FakeBraze, definition: dict[str, Any]) -> tuple[str, ...]:
    return fake.segment_members(definition).external_ids


def test_the_cases_are_segments_own_requests() -> None:
    assert segment_case("case-11")["name"].startswith("braze-cohorts add (Audience Entered)")
    [create, users] = segment_sends("case-11")
    assert create.body["partner_api_key"] == "PARTNER_API_KEY_US"
    assert create.body["client_secret"] == users.body["client_secret"] == "test-client-secret"


def test_identify_trait_matches_custom_attribute_equals_true(fake: FakeBraze, client: CheckedClient) -> None:
    deliver(client, "case-6")
    assert members(fake, IDENTIFY_TRAIT) == ("user-6",)
    assert members(fake, ENTERED_ONCE) == ()


def test_audience_entered_event_matches_performed_exactly_once(fake: FakeBraze, client: CheckedClient) -> None:
    deliver(client, "case-7")
    assert members(fake, ENTERED_ONCE) == ("user-7",)
    assert members(fake, {**ENTERED_ONCE, "in_last_days": 1}) == ("user-7",)
    assert members(fake, {"custom_event": "Audience Entered", "op": "more_than", "count": 1}) == ()
    assert members(fake, IDENTIFY_TRAIT) == ()
    clock(fake).set("2024-03-03T00:00:00Z")  # two UTC days later: out of "the last 1 day"
    assert members(fake, {**ENTERED_ONCE, "in_last_days": 1}) == ()
    assert members(fake, ENTERED_ONCE) == ("user-7",)


def test_computed_trait_event_matches_trait_computed_exactly_once(fake: FakeBraze, client: CheckedClient) -> None:
    deliver(client, "case-10")
    assert members(fake, {"custom_event": "Trait Computed", "op": "exactly", "count": 1}) == ("user-10",)


def test_cohort_sync_matches_in_segment_cohort_and_leaving_removes(fake: FakeBraze, client: CheckedClient) -> None:
    deliver(client, "cloud-entered-user-11")  # Braze Cloud Mode creates user-11 in Braze
    deliver(client, "case-11")  # Braze Cohorts: create cohort aud_1 "dormant_shopper", add user-11
    assert members(fake, IN_COHORT) == ("user-11",)
    assert fake.in_cohort("user-11", "dormant_shopper")
    assert members(fake, {"and": [IN_COHORT, ENTERED_ONCE]}) == ("user-11",)
    listed = client.get("/_harness/cohorts").get_json()["cohorts"]
    assert [(c["cohort_id"], c["name"], c["members"]["external_ids"]) for c in listed] == [
        ("aud_1", "dormant_shopper", ["user-11"])
    ]
    deliver(client, "cohort-exited-user-11")  # Audience Exited: should_remove
    assert members(fake, IN_COHORT) == ()
    assert not fake.in_cohort("user-11", "dormant_shopper")
    assert members(fake, {"cohort": "dormant_shopper", "op": "not_in"}) == ("user-11",)


def test_a_user_not_yet_in_braze_is_not_added(fake: FakeBraze, client: CheckedClient) -> None:
    deliver(client, "case-11")
    assert members(fake, IN_COHORT) == ()
    assert fake.cohorts()[0].name == "dormant_shopper"


def test_leaving_on_an_eu_instance(fake: FakeBraze, client: CheckedClient) -> None:
    deliver(client, "cloud-entered-user-12-eu")
    deliver(client, "cohort-entered-user-12-eu")
    assert fake.in_cohort("user-12", "dormant_shopper")
    deliver(client, "case-12")  # Audience Exited, EU endpoint, EU partner key
    assert not fake.in_cohort("user-12", "dormant_shopper")
    assert {e.instance for e in fake.requests} == {"EU-01"}


def test_batch_adds_aliases_and_removes_users(fake: FakeBraze, client: CheckedClient) -> None:
    for key in ("cloud-identify-users-13", "cloud-alias-anon-13a", "cloud-alias-anon-13c", "cohort-entered-users-13"):
        deliver(client, key)
    # Segment had the cohort name in its state, so it sent no name call: the cohort is still unnamed
    [unnamed] = fake.cohorts()
    assert (unnamed.name, unnamed.members.external_ids) == (None, ("user-13a", "user-13b"))
    assert members(fake, IN_COHORT) == ()
    deliver(client, "case-13")  # names aud_1, adds two aliases, removes both users
    found = fake.segment_members(IN_COHORT)
    assert found.external_ids == ()
    assert found.user_aliases == (("segment_anonymous_id", "anon-13a"), ("segment_anonymous_id", "anon-13c"))


def test_configured_keys_accept_segments_keys(client: CheckedClient) -> None:
    fake = FakeBraze(
        clock=FixedClock("2024-03-01T12:00:05Z"),
        partner_keys={"US": ("PARTNER_API_KEY_US",), "EU": ("PARTNER_API_KEY_EU",)},
        data_import_keys=("test-client-secret",),
    )
    configured = CheckedClient(fake)
    deliver(configured, "cloud-entered-user-11")
    deliver(configured, "case-11")
    assert fake.in_cohort("user-11", "dormant_shopper")
