"""X-RateLimit-* on every response, 429 past the limit (api_limits.md), and the capped, redacted journal."""

from __future__ import annotations

from harness.braze import FakeBraze, FakeBrazeConfig, RateLimit, parse_rate_limit
from harness.clock import FixedClock

from .support import Client, event


def limited(limit: int, seconds: float, clock: FixedClock) -> FakeBraze:
    return FakeBraze(FakeBrazeConfig(clock=clock, rate_limits={"users.track": RateLimit(limit, seconds)}))


def test_every_response_carries_rate_limit_headers(client: Client) -> None:
    for reply in (client.track(events=[event()]), client.track(events=[])):
        assert reply.headers["X-RateLimit-Limit"] == "3000"
        assert int(reply.headers["X-RateLimit-Remaining"]) < 3000
        assert int(reply.headers["X-RateLimit-Reset"]) > 0


def test_429_past_the_limit_then_a_new_window(clock: FixedClock) -> None:
    fake = limited(2, 3, clock)
    client = Client(fake)
    first, second, third = (client.track(events=[event()]) for _ in range(3))
    assert [first.status, second.status, third.status] == [201, 201, 429]
    assert third.body["message"] == "Over rate limit."
    assert third.headers["X-RateLimit-Remaining"] == "0"
    reset = int(third.headers["X-RateLimit-Reset"])
    assert reset == 1710072003  # 2024-03-10T12:00:00Z sits at the start of a 3-second window
    assert fake.user("u1").custom_events["Played"].count == 2
    clock.advance(3)
    assert client.track(events=[event()]).status == 201


def test_parse_rate_limit() -> None:
    assert parse_rate_limit("3000/3") == RateLimit(3000, 3)
    assert parse_rate_limit("250000/1h") == RateLimit(250000, 3600)
    assert parse_rate_limit("off") is None


def test_journal_records_accepted_and_refused_requests_with_redacted_keys(fake: FakeBraze) -> None:
    client = Client(fake, key="super-secret-key-1234")
    client.track(events=[event()])
    client.post("/users/track", data=b"nope")
    accepted, refused = fake.requests
    assert (accepted.status, refused.status) == (201, 400)
    assert accepted.headers["authorization"] == "Bearer ****1234"
    assert accepted.body == {"events": [event()]}
    assert accepted.response == {"message": "success", "events_processed": 1}
    assert refused.body is None and refused.raw == "nope"
    assert "super-secret" not in str([e.to_json() for e in fake.requests])


def test_journal_is_capped_by_count_and_counts_what_it_dropped() -> None:
    fake = FakeBraze(FakeBrazeConfig(journal_max_entries=3))
    client = Client(fake)
    for i in range(5):
        client.track(events=[event(f"u{i}")])
    assert [e.body["events"][0]["external_id"] for e in fake.requests] == ["u2", "u3", "u4"]
    assert fake.journal.dropped == 2


def test_journal_is_capped_by_bytes() -> None:
    fake = FakeBraze(FakeBrazeConfig(journal_max_bytes=5_000))
    client = Client(fake)
    for _ in range(20):
        client.track(events=[event(properties={"p": "x" * 200})])
    assert 0 < len(fake.requests) < 20
    assert fake.journal.dropped == 20 - len(fake.requests)


def test_control_plane(fake: FakeBraze) -> None:
    client = Client(fake)
    http = fake.test_client()
    client.track(attributes=[{"external_id": "u1", "plan": "pro"}], events=[event()])
    client.track(events=[{"name": "no id", "time": "2024-03-01T00:00:00Z"}])
    assert http.get("/_harness/health").json["status"] == "ok"
    journal = http.get("/_harness/requests").json
    assert journal["count"] == 2 and journal["dropped"] == 0
    assert [r["status"] for r in journal["requests"]] == [201, 400]
    assert http.get("/_harness/requests?status=400").json["count"] == 1
    assert http.get("/_harness/requests?limit=1").json["requests"][0]["status"] == 400
    user = http.get("/_harness/users/u1").json
    assert user["custom_attributes"] == {"plan": "pro"}
    assert user["custom_events"]["Played"]["count"] == 1
    assert http.get("/_harness/users/nobody").status_code == 404
    assert len(http.get("/_harness/state").json["workspaces"]["default"]["users"]) == 1
    assert http.post("/_harness/reset").json == {"status": "reset"}
    assert fake.user("u1") is None and fake.requests == []
    assert http.delete("/_harness/requests").status_code == 200


def test_partner_endpoints_journal_their_workspace_and_redact_their_keys(fake: FakeBraze) -> None:
    fake.test_client().post(
        "/partners/segment/cohorts",
        json={
            "partner_api_key": "partner-key-9876",
            "client_secret": "import-key-5555",
            "cohort_id": "aud_1",
            "name": "dormant_shopper",
            "created_at": "2024-03-01T00:00:00Z",
        },
    )
    [entry] = fake.requests
    assert entry.workspace == "default"
    assert (entry.body["partner_api_key"], entry.body["client_secret"]) == ("****9876", "****5555")
