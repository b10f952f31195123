"""The control plane's guard: what a hostile web page could send is refused, over plain HTTP.

Each refusal is tested on its own (DNS rebinding, a preflight-free post, a cross-origin Origin, fetch
metadata from another site), with what must still pass beside it: programs (no Origin, JSON), the
token, same-origin pages, and Braze's own endpoints under any Host.
"""

from __future__ import annotations

import http.client

import httpx
import pytest

from harness.braze import FakeBraze, LiveServer, bind_hosts
from harness.braze.http.guard import host_allowed

TRACK = {"attributes": [{"external_id": "u1", "plan": "pro"}]}


@pytest.mark.parametrize("host", ["evil.example:4567", "attacker.test", "127.0.0.1.evil.example", "0x7f.evil"])
def test_a_rebinding_host_is_refused_on_the_control_plane(host: str) -> None:
    http = FakeBraze().test_client()
    for method, path in [("GET", "/_harness/health"), ("GET", "/_harness/state"), ("POST", "/_harness/reset")]:
        response = http.open(path, method=method, headers={"Host": host})
        assert response.status_code == 403, (method, path)
        assert "DNS rebinding" in response.get_json()["errors"][0]["type"]


@pytest.mark.parametrize(
    "host", ["localhost", "127.0.0.1:4567", "[::1]:4567", "127.0.0.2", "app.localhost:80", "rest.fra-01.braze.eu"]
)
def test_loopback_names_and_braze_hosts_are_answered(host: str) -> None:
    assert FakeBraze().test_client().get("/_harness/health", headers={"Host": host}).status_code == 200


def test_braze_endpoints_accept_any_host() -> None:
    http = FakeBraze().test_client()
    sent = http.post("/users/track", json=TRACK, headers={"Host": "braze.proxy.internal", "Authorization": "Bearer k"})
    assert sent.status_code == 201


def test_allowed_hosts_adds_names_and_star_turns_the_check_off() -> None:
    http = FakeBraze(allowed_hosts=("fake-braze",)).test_client()
    assert http.get("/_harness/health", headers={"Host": "fake-braze:4567"}).status_code == 200
    assert http.get("/_harness/health", headers={"Host": "other"}).status_code == 403
    anything = FakeBraze(allowed_hosts=("*",)).test_client()
    assert anything.get("/_harness/health", headers={"Host": "other"}).status_code == 200


def test_a_live_server_answers_its_bind_address_and_refuses_a_rebound_name() -> None:
    fake = FakeBraze()
    with LiveServer(fake) as server:
        assert httpx.get(f"{server.url}/_harness/health").status_code == 200
        connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
        connection.request("GET", "/_harness/health", headers={"Host": f"rebound.example:{server.port}"})
        assert connection.getresponse().status == 403
        connection.close()


def test_bind_hosts_names_a_specific_address_only() -> None:
    assert bind_hosts("192.0.2.10") == ("192.0.2.10",)
    assert bind_hosts("127.0.0.1") == bind_hosts("0.0.0.0") == bind_hosts("::") == ()
    assert host_allowed("192.0.2.10:4567", bind_hosts("192.0.2.10"))
    assert not host_allowed(None, ())


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data"],
)
def test_a_post_a_page_can_send_without_preflight_is_refused(content_type: str) -> None:
    fake = FakeBraze()
    http = fake.test_client()
    body = b'{"kind": "status", "status": 503}'
    response = http.post("/_harness/faults", data=body, headers={"Content-Type": content_type})
    assert response.status_code == 403
    assert "Content-Type: application/json" in response.get_json()["errors"][0]["type"]
    assert fake.faults.rules() == []  # nothing armed


def test_an_untyped_body_is_refused_but_an_empty_post_from_a_program_passes() -> None:
    fake = FakeBraze()
    http = fake.test_client()
    assert http.post("/_harness/faults", data=b'{"kind": "drop"}').status_code == 403
    assert http.post("/_harness/reset").status_code == 200  # curl -X POST .../reset: no body, no Origin


def test_the_token_header_or_a_same_origin_proof_lets_a_simple_post_through() -> None:
    body = b'{"kind": "drop"}'
    plain = {"Content-Type": "text/plain"}
    fake = FakeBraze(control_token="t0ken-0123456789")
    http = fake.test_client()
    assert (
        http.post(
            "/_harness/faults", data=body, headers={**plain, "X-Harness-Control-Token": "t0ken-0123456789"}
        ).status_code
        == 201
    )
    open_fake = FakeBraze()
    same = {**plain, "Origin": "http://localhost"}
    assert open_fake.test_client().post("/_harness/faults", data=body, headers=same).status_code == 201
    fetch = {**plain, "Sec-Fetch-Site": "same-origin"}
    assert open_fake.test_client().post("/_harness/faults", data=body, headers=fetch).status_code == 201


def test_json_from_a_program_needs_no_proof() -> None:
    fake = FakeBraze()
    assert fake.test_client().post("/_harness/faults", json={"kind": "drop"}).status_code == 201


@pytest.mark.parametrize("origin", ["http://evil.example", "http://localhost:3000", "null", "https://localhost"])
def test_a_cross_origin_request_is_refused_whatever_its_type(origin: str) -> None:
    fake = FakeBraze()
    http = fake.test_client()
    armed = http.post("/_harness/faults", json={"kind": "drop"}, headers={"Origin": origin})
    assert armed.status_code == 403 and "cross-origin" in armed.get_json()["errors"][0]["type"]
    assert http.get("/_harness/state", headers={"Origin": origin}).status_code == 403
    assert http.post("/_harness/reset", headers={"Origin": origin}).status_code == 403
    assert fake.faults.rules() == []


def test_fetch_metadata_decides_over_origin_where_a_browser_sends_both() -> None:
    fake = FakeBraze()
    http = fake.test_client()
    own_form = {"Origin": "null", "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded"}
    assert http.post("/_harness/reset", headers=own_form).status_code == 200  # Chromium, under a no-referrer policy
    foreign = {"Origin": "null", "Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"}
    assert http.post("/_harness/faults", data=b'{"kind": "drop"}', headers=foreign).status_code == 403
    assert fake.faults.rules() == []


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_fetch_metadata_from_another_site_is_refused_except_a_top_level_navigation(site: str) -> None:
    http = FakeBraze().test_client()
    assert http.get("/_harness/state", headers={"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "no-cors"}).status_code == 403
    assert (
        http.post("/_harness/reset", headers={"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "navigate"}).status_code == 403
    )
    link = {"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "navigate"}
    assert http.get("/_harness/health", headers=link).status_code == 200


def test_the_guard_runs_before_the_token_check() -> None:
    http = FakeBraze(control_token="t0ken-0123456789").test_client()
    assert http.get("/_harness/health", headers={"Host": "evil.example"}).status_code == 403
    assert http.get("/_harness/health").status_code == 401


def test_control_answers_are_frame_denied_and_carry_no_cors_headers() -> None:
    http = FakeBraze().test_client()
    for response in (
        http.get("/_harness/health"),
        http.get("/_harness/nothing-here"),
        http.get("/_harness/health", headers={"Host": "evil.example"}),
        http.options(
            "/_harness/faults", headers={"Origin": "http://localhost", "Access-Control-Request-Method": "POST"}
        ),
    ):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert not [name for name, _ in response.headers.items() if name.lower().startswith("access-control-")]


def test_braze_answers_carry_no_cors_headers_either() -> None:
    http = FakeBraze().test_client()
    preflight = http.options(
        "/users/track", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    )
    sent = http.post("/users/track", json=TRACK, headers={"Origin": "http://evil.example", "Authorization": "Bearer k"})
    for response in (preflight, sent):
        assert not [name for name, _ in response.headers.items() if name.lower().startswith("access-control-")]
