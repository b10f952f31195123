"""The fake Segment over WSGI, composed with the fake Braze on one app: the Tracking API and the debugger."""

from __future__ import annotations

import httpx
import pytest

from harness.braze import FakeBraze
from harness.workspace import FakeSegment, by_prefix, segment_app
from tests.workspace.support import fakes, identify, track


def client(
    delivery: str = "request", control_plane: bool = True, control_token: str | None = None
) -> tuple[httpx.Client, FakeSegment, FakeBraze]:
    segment, braze = fakes(delivery=delivery)
    app = by_prefix(segment_app(segment, control_plane=control_plane, control_token=control_token), braze.app)
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://localhost"), segment, braze


def test_one_app_serves_segments_tracking_api_and_every_braze_path_untouched() -> None:
    http, _, _ = client()
    assert http.post("/v1/identify", json=identify(), auth=("wk", "")).json() == {"success": True}
    direct = http.post(
        "/users/track",
        headers={"Authorization": "Bearer k"},
        json={"events": [{"external_id": "u1", "name": "Direct", "time": "2024-05-01T12:00:00Z"}]},
    )
    assert direct.status_code == 201  # Braze's direct WSGI path still answers
    assert http.get("/_harness/health").status_code == 200  # Braze's control plane
    profile = http.get("/_harness/users/u1").json()
    assert profile["custom_attributes"] == {"plan": "pro"} and "Direct" in profile["custom_events"]


def test_the_debugger_lists_events_newest_first_with_their_deliveries() -> None:
    http, _, _ = client()
    http.post("/v1/batch", json={"batch": [identify(), track(), {"type": "track", "event": "E"}]}, auth=("wk", ""))
    listing = http.get("/_harness/segment/events").json()
    assert listing["total"] == 3 and [e["id"] for e in listing["events"]] == [3, 2, 1]
    assert listing["events"][0]["discard"]["code"] == "no_user_anon_id"
    assert [e["id"] for e in http.get("/_harness/segment/events?type=identify").json()["events"]] == [1]
    assert [e["id"] for e in http.get("/_harness/segment/events?stage=failed_on_ingest").json()["events"]] == [3]
    one = http.get("/_harness/segment/events/2").json()
    [cloud] = [d for d in one["deliveries"] if d["destination"] == "Braze Cloud Mode (Actions)"]
    assert cloud["stage"] == "delivered" and cloud["requests"][0]["response"]["message"] == "success"
    assert cloud["requests"][0]["headers"]["authorization"].startswith("Bearer ****")
    assert http.get("/_harness/segment/events/99").status_code == 404
    overview = http.get("/_harness/segment/delivery").json()
    assert overview["destinations"]["Braze Cloud Mode (Actions)"]["steps"] == {"delivered": 2}
    [request] = http.get("/_harness/segment/requests").json()["requests"]
    assert request["path"] == "/v1/batch" and request["violations"][0]["path"] == "$.batch[2]"
    workspace = http.get("/_harness/segment/workspace").json()
    assert [d["type"] for d in workspace["destinations"]] == ["braze", "braze-cohorts"]


def test_flush_and_reset_over_http() -> None:
    http, segment, braze = client(delivery="flush")
    http.post("/v1/track", json=track(), auth=("wk", ""))
    assert braze.user("u1") is None
    assert http.post("/_harness/segment/flush").json() == {"delivered": 1}
    assert braze.user("u1") is not None
    assert http.post("/_harness/segment/reset").json() == {"reset": True}
    assert segment.events() == []
    assert http.post("/_harness/segment/engage/sync?at=nonsense").status_code == 400


def test_malformed_requests_over_http_get_segments_400() -> None:
    http, _, _ = client()
    bad = http.post("/v1/track", content=b"{nope", auth=("wk", ""), headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_request"
    assert http.post("/v1/track", json=track()).status_code == 400  # no write key


@pytest.mark.parametrize("header", ["X-Harness-Control-Token", "Authorization"])
def test_the_debugger_obeys_the_control_token(header: str) -> None:
    http, _, _ = client(control_token="s3cret")
    assert http.get("/_harness/segment/events").status_code == 401
    value = "s3cret" if header != "Authorization" else "Bearer s3cret"
    assert http.get("/_harness/segment/events", headers={header: value}).status_code == 200
    assert http.post("/v1/track", json=track(), auth=("wk", "")).status_code == 200  # the Tracking API is not guarded


def test_without_the_control_plane_the_debugger_is_not_served() -> None:
    http, _, _ = client(control_plane=False)
    assert http.get("/_harness/segment/events").status_code == 404


def test_the_debugger_is_guarded_like_brazes_control_plane() -> None:
    """A page in the user's browser cannot read or drive `/_harness/segment/` (DNS rebinding, other sites)."""
    http, _, _ = client()
    ok = http.get("/_harness/segment/events")
    assert ok.status_code == 200 and ok.headers["x-frame-options"] == "DENY"
    assert "access-control-allow-origin" not in ok.headers
    rebound = http.get("/_harness/segment/events", headers={"Host": "evil.example"})
    assert rebound.status_code == 403 and "DNS rebinding" in rebound.json()["errors"][0]["type"]
    other_site = http.get("/_harness/segment/events", headers={"Origin": "https://evil.example"})
    assert other_site.status_code == 403
    assert (
        http.post("/v1/identify", json=identify(), auth=("wk", ""), headers={"Host": "evil.example"}).status_code == 200
    )
