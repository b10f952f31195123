"""`FakeBraze.call`: the pipeline without HTTP gives the same answers and journal as over HTTP."""

from __future__ import annotations

from harness.braze import FakeBraze

from .support import Client, event


def test_call_matches_http(fake: FakeBraze) -> None:
    body = {"events": [event(), {"name": "no identifier", "time": "2024-03-01T00:00:00Z"}]}
    direct = fake.call("/users/track", body, api_key="k")
    over_http = Client(fake).post("/users/track", body)
    assert (direct.status, direct.body) == (over_http.status, over_http.body) == (201, direct.body)
    assert direct.headers["X-RateLimit-Limit"] == "3000"
    assert [e.id for e in fake.requests] == [direct.request_id, int(over_http.headers["X-Harness-Request-Id"])]
    assert fake.user("u1").custom_events["Played"].count == 2


def test_call_refuses_like_http(fake: FakeBraze) -> None:
    assert fake.call("/users/track", {"events": [event()]}).status == 401
    assert fake.call("/users/nope", {}, api_key="k").status == 404
    assert fake.call("/users/track", raw=b"{", api_key="k").body["message"].startswith("Request body is not valid JSON")
    assert fake.call("/users/track", {"events": [event()]}, api_key="k", method="GET").status == 405
    assert fake.call("/users/track", {"events": [event()]}, api_key="k", host="rest.fra-01.braze.eu").status == 201
    assert fake.requests[-1].instance == "EU-01"
    assert len(fake.requests) == 5


def test_call_runs_without_building_a_flask_app() -> None:
    """Backend.call is the pipeline with no HTTP: replay and benchmarks never pay for Flask."""
    fake = FakeBraze()
    assert fake.call("/users/track", {"attributes": [{"external_id": "u1", "a": 1}]}, api_key="k").status == 201
    assert "app" not in vars(fake)
    assert fake.user("u1") is not None
    fake.app  # noqa: B018 - built on first use
    assert "app" in vars(fake)
