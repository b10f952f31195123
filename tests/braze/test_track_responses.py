"""/users/track answers: success counts, partial errors, fatal errors and the object limits."""

from __future__ import annotations

import pytest

from harness.braze import Code, FakeBraze, FakeBrazeConfig
from harness.braze.service.track import VALID_DATA_MESSAGE
from harness.clock import FixedClock

from .support import Client, event, purchase

IDENTIFIER_REQUIRED = "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required"


def test_success_counts_only_the_kinds_sent(client: Client) -> None:
    reply = client.track(attributes=[{"external_id": "u1", "plan": "pro"}], events=[event(), event()])
    assert reply.status == 201
    assert reply.body == {"message": "success", "attributes_processed": 1, "events_processed": 2}


def test_partial_failure_is_201_with_errors_and_the_valid_objects_applied(client: Client, fake: FakeBraze) -> None:
    reply = client.track(events=[event("u1"), {"name": "Played", "time": "2024-03-01T00:00:00Z"}, event("u2")])
    assert reply.status == 201
    assert reply.body == {
        "message": "success",
        "events_processed": 2,
        "errors": [{"type": IDENTIFIER_REQUIRED, "input_array": "events", "index": 1}],
    }
    assert fake.user("u1").custom_events["Played"].count == 1
    assert fake.user("u2").custom_events["Played"].count == 1


def test_every_object_invalid_is_the_fatal_400(client: Client, fake: FakeBraze) -> None:
    reply = client.track(attributes=[{"plan": "pro"}], purchases=[purchase(currency="EURO")])
    assert reply.status == 400
    assert reply.body == {
        "message": VALID_DATA_MESSAGE,
        "errors": [
            {"type": IDENTIFIER_REQUIRED, "input_array": "attributes", "index": 0},
            {"type": "'currency' must be an ISO 4217 currency", "input_array": "purchases", "index": 0},
        ],
    }
    assert fake.workspace().profiles == {}


@pytest.mark.parametrize("body", [{}, {"attributes": [], "events": []}])
def test_no_objects_at_all_is_the_fatal_400(client: Client, body: dict) -> None:
    reply = client.post("/users/track", body)
    assert (reply.status, reply.body) == (400, {"message": VALID_DATA_MESSAGE, "errors": []})


def test_75_objects_per_array_pass_and_76_fail_by_default(client: Client, fake: FakeBraze) -> None:
    ok = client.track(attributes=[{"external_id": f"u{i}"} for i in range(75)], events=[event() for _ in range(75)])
    assert ok.status == 201
    over = client.track(events=[event(f"n{i}") for i in range(76)])
    assert over.status == 400
    assert over.body["message"] == "Max Input Length Exceeded"
    assert over.body["errors"] == []  # Segment reads errors[].index: a whole-request refusal has none
    assert over.headers["X-Harness-Detail"] == "'events' has 76 objects; at most 75 are allowed per array"
    assert fake.user("n0") is None


@pytest.mark.parametrize(("limits", "allowed"), [("combined-75", 75), ("combined-50", 50)])
def test_combined_limits_count_all_three_arrays(limits: str, allowed: int) -> None:
    client = Client(FakeBraze(FakeBrazeConfig(track_limits=limits)))  # type: ignore[arg-type]
    half = allowed // 2
    assert client.track(attributes=[{"external_id": "a"}] * half, events=[event()] * (allowed - half)).status == 201
    over = client.track(attributes=[{"external_id": "a"}] * half, events=[event()] * (allowed - half + 1))
    assert (over.status, over.body["message"]) == (400, "Max Input Length Exceeded")


def test_objects_are_applied_attributes_then_events_then_purchases(client: Client, fake: FakeBraze) -> None:
    # The event is update-only: it finds the user because attributes are processed first.
    reply = client.track(
        events=[event("late", _update_existing_only=True)], attributes=[{"external_id": "late", "plan": "x"}]
    )
    assert reply.status == 201
    assert fake.user("late").custom_events["Played"].count == 1


def test_x_braze_batch_and_bulk_headers_are_accepted(client: Client) -> None:
    for header in ("X-Braze-Batch", "X-Braze-Bulk"):
        assert client.post("/users/track", {"events": [event()]}, headers={header: "true"}).status == 201


def test_unknown_fields_in_an_event_reject_that_event_only(client: Client) -> None:
    reply = client.track(events=[event(colour="red"), event()])
    assert reply.status == 201
    [error] = reply.body["errors"]
    assert error["index"] == 0 and "'colour'" in error["type"]


def test_unknown_top_level_fields_are_ignored_with_a_warning_and_a_violation(client: Client, fake: FakeBraze) -> None:
    """Braze's docs are silent; Braze most plausibly ignores them. The violation stays on record for
    `validate` and the marker's `strict`, and the journal says what was ignored."""
    assert client.post("/users/track", {"partner": "Acme", "events": [event()]}).status == 201
    reply = client.post("/users/track", {"evnts": [event()], "events": [event()]})
    assert reply.status == 201 and reply.body == {"message": "success", "events_processed": 1}
    entry = fake.requests[-1]
    assert [(v.path, v.keyword) for v in entry.violations] == [("$", "additionalProperties")]
    assert [n.code for n in entry.notes] == [Code.REQUEST_UNKNOWN_FIELDS]
    assert "'evnts'" in entry.warnings[0] and "ignored" in entry.warnings[0]


def test_strict_refuses_unknown_top_level_fields(clock: FixedClock) -> None:
    strict = Client(FakeBraze(clock=clock, strict=True))
    reply = strict.post("/users/track", {"evnts": [event()], "events": [event()]})
    assert reply.status == 400
    assert reply.body["errors"] == [{"type": "unknown field(s): 'evnts'", "path": "$"}]
