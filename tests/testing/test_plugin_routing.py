"""Routing into the fake and the guard around it: every instance host, request bodies, the allow list,
a second route (the seam a fake Segment will use), nesting, and the patches coming off again."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest
import requests
import respx
import urllib3.util.connection
from respx.models import AllMockedAssertionError

from harness.braze import INSTANCES, FakeBraze, LiveServer
from harness.testing.mock import BrazeMock
from harness.testing.net import activation
from harness.testing.net.routes import Route
from harness.testing.net.session import NetworkSession
from harness.testing.routing import BrazeRouting, EgressBlocked, is_braze_rest_host

EVENT = {"external_id": "u1", "name": "Signed Up", "time": "2024-05-01T10:00:00Z"}
BODY = {"events": [EVENT]}
AUTH = {"Authorization": "Bearer k"}
HOSTS = [(instance.name, host) for instance in INSTANCES for host in instance.rest_hosts]


@pytest.fixture
def routed() -> Iterator[tuple[FakeBraze, BrazeRouting]]:
    fake = FakeBraze()
    with BrazeRouting(fake.app) as routing:
        yield fake, routing


@pytest.mark.parametrize(("instance", "host"), HOSTS, ids=[h for _, h in HOSTS])
def test_every_instance_host_reaches_the_fake_as_that_instance(
    routed: tuple[FakeBraze, BrazeRouting], instance: str, host: str
) -> None:
    fake, _ = routed
    response = httpx.post(f"https://{host}/users/track", json=BODY, headers=AUTH)
    assert response.status_code == 201
    entry = fake.requests[-1]
    assert (entry.host, entry.instance) == (host, instance)
    assert response.headers["X-Harness-Request-Id"] == str(entry.id)


@pytest.mark.parametrize(("instance", "host"), [HOSTS[0], HOSTS[-1]])
def test_requests_keeps_the_host_too(routed: tuple[FakeBraze, BrazeRouting], instance: str, host: str) -> None:
    fake, _ = routed
    response = requests.post(f"https://{host}/users/track", json=BODY, headers=AUTH)
    assert response.status_code == 201
    assert response.json() == {"message": "success", "events_processed": 1}
    assert response.headers["Content-Type"] == "application/json"
    assert response.url == f"https://{host}/users/track"
    assert fake.requests[-1].instance == instance


def test_requests_session_and_every_body_form(routed: tuple[FakeBraze, BrazeRouting]) -> None:
    fake, _ = routed
    raw = b'{"events": [{"external_id": "u2", "name": "Signed Up", "time": "2024-05-01T10:00:00Z"}]}'
    headers = {**AUTH, "Content-Type": "application/json"}
    with requests.Session() as session:
        assert session.post("https://rest.iad-01.braze.com/users/track", data=raw, headers=headers).ok
        assert session.post("https://rest.iad-01.braze.com/users/track", data=raw.decode(), headers=headers).ok
        chunks = iter([raw[:20], raw[20:]])  # sent chunked: the fake sees the whole body
        assert session.post("https://rest.iad-01.braze.com/users/track", data=chunks, headers=headers).ok
        assert session.get("https://rest.iad-01.braze.com/users/track", headers=AUTH).status_code == 405
        assert session.head("https://rest.iad-01.braze.com/users/track", headers=AUTH).content == b""
    user = fake.user("u2")
    assert user is not None and user.custom_events["Signed Up"].count == 3


def test_httpx_async_client_streams_a_body(routed: tuple[FakeBraze, BrazeRouting]) -> None:
    fake, _ = routed

    async def send() -> list[int]:
        async def stream():  # type: ignore[no-untyped-def]
            yield b'{"events": [{"external_id": "u3", "name": "Signed Up",'
            yield b' "time": "2024-05-01T10:00:00Z"}]}'

        async with httpx.AsyncClient(base_url="https://rest.fra-02.braze.eu", headers=AUTH) as client:
            first = await client.post("/users/track", json=BODY)
            second = await client.post("/users/track", content=stream(), headers={"Content-Type": "application/json"})
            return [first.status_code, second.status_code]

    assert asyncio.run(send()) == [201, 201]
    assert {e.instance for e in fake.requests} == {"EU-02"}
    assert fake.user("u3") is not None


@pytest.mark.parametrize(
    "url", ["https://api.segment.io/v1/track", "https://dashboard-01.braze.com/", "http://sdk.iad-01.braze.com/x"]
)
def test_other_hosts_are_blocked_and_recorded(routed: tuple[FakeBraze, BrazeRouting], url: str) -> None:
    _, routing = routed
    host = httpx.URL(url).host
    with pytest.raises(EgressBlocked, match=re.escape(f"blocked a connection to {host}:")):
        httpx.get(url)
    with pytest.raises(EgressBlocked, match=re.escape(f"allow_hosts=['{host}']")):
        requests.get(url)
    assert [(b.via, b.host, b.action) for b in routing.blocked] == [
        ("httpx", host, "resolve"),
        ("requests", host, "resolve"),
    ]
    assert isinstance(EgressBlocked(routing.blocked[0]), AssertionError)


def test_raw_sockets_are_guarded_too(routed: tuple[FakeBraze, BrazeRouting]) -> None:
    _, routing = routed
    with pytest.raises(EgressBlocked, match=r"blocked a connection to 192\.0\.2\.1:443 \(refused at connect"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(EgressBlocked, match="datagram"):
        udp.sendto(b"x", ("192.0.2.2", 53))
    with pytest.raises(EgressBlocked, match=r"example\.org"):
        socket.gethostbyname("example.org")
    with socket.socket() as raw, pytest.raises(EgressBlocked, match="served in-process only to httpx"):
        raw.connect(("rest.iad-01.braze.com", 443))  # a routed host, but not through a routed client
    # looking a routed host up answers a documentation address (no resolver); connecting to it is refused
    [(_, _, _, _, (address, port))] = socket.getaddrinfo(
        "rest.iad-01.braze.com", 443, socket.AF_INET, socket.SOCK_STREAM
    )
    assert address.startswith("192.0.2.") and port == 443
    assert socket.gethostbyname("REST.IAD-01.BRAZE.COM") == address
    with socket.socket() as raw, pytest.raises(EgressBlocked, match=r"rest\.iad-01\.braze\.com:443"):
        raw.connect((address, 443))
    with pytest.raises(socket.gaierror, match="not the REST host of any Braze instance"):
        socket.getaddrinfo("rest.iad-42.braze.com", 443)
    assert [b.action for b in routing.blocked] == ["connect", "send", "resolve", "connect", "connect"]
    assert all(b.routed for b in routing.blocked[-2:])


def test_loopback_and_unix_sockets_pass_by_default(routed: tuple[FakeBraze, BrazeRouting], tmp_path: Any) -> None:
    with LiveServer(FakeBraze()) as other:
        assert httpx.get(f"{other.url}/_harness/health").json()["status"] == "ok"
        assert requests.get(f"http://localhost:{other.port}/_harness/health").ok
    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(path)
        server.listen()
        client.connect(path)
    assert routed[1].blocked == []


def test_allowed_hosts_pass_and_others_do_not_with_loopback_refused() -> None:
    with (
        LiveServer(FakeBraze()) as other,
        BrazeRouting(FakeBraze().app, allow=[f"localhost:{other.port}"], loopback=False) as routing,
    ):
        assert requests.get(f"http://localhost:{other.port}/_harness/health").json()["status"] == "ok"
        assert httpx.get(f"http://127.0.0.1:{other.port}/_harness/health").status_code == 200  # learned

        async def health() -> int:
            async with httpx.AsyncClient() as client:
                return (await client.get(f"http://localhost:{other.port}/_harness/health")).status_code

        assert asyncio.run(health()) == 200
        assert routing.blocked == []
        with pytest.raises(EgressBlocked, match=r"127\.0\.0\.1:\d+ \(refused at connect"):
            httpx.get(f"http://127.0.0.1:{other.port % 65535 + 1}/")
    assert routing.is_allowed("127.0.0.1", other.port)
    assert not routing.is_allowed("127.0.0.1", other.port + 1)


def test_allow_entries_read_hosts_ports_and_urls() -> None:
    routing = NetworkSession(["LocalHost", "[::1]:8080", "http://example.com:81/", "10.0.0.1"], loopback=False)
    assert routing.is_allowed("example.com", 81) and not routing.is_allowed("example.com", 80)
    assert routing.is_allowed("localhost", 1234)
    assert routing.is_allowed("::1", 8080) and not routing.is_allowed("::1", 8081)
    assert routing.is_allowed("10.0.0.1", 5432)
    assert not routing.is_allowed("127.0.0.1", 80)
    assert NetworkSession().is_allowed("127.0.0.2", 80) and NetworkSession().is_allowed("::1", 1)


def _patched() -> list[Any]:
    return [
        socket.getaddrinfo,
        socket.create_connection,
        socket.socket.connect,
        ssl.SSLContext.wrap_socket,
        urllib3.util.connection.create_connection,
    ]


def test_the_patches_come_off_with_the_last_session() -> None:
    before = _patched()
    with BrazeRouting(FakeBraze().app):
        inside = _patched()
        with BrazeRouting(FakeBraze().app):
            assert _patched() == inside
        assert _patched() == inside  # the outer session still routes
        assert httpx.post("https://rest.iad-01.braze.com/users/track", json=BODY, headers=AUTH).status_code == 201
    assert all(a is not b for a, b in zip(before, inside, strict=True))
    assert _patched() == before


def test_the_innermost_session_decides() -> None:
    outer_fake, inner_fake = FakeBraze(), FakeBraze()
    with BrazeRouting(outer_fake.app):
        with BrazeRouting(inner_fake.app):
            httpx.post("https://rest.iad-01.braze.com/users/track", json=BODY, headers=AUTH)
        httpx.post("https://rest.iad-01.braze.com/users/track", json=BODY, headers=AUTH)
    assert (len(outer_fake.requests), len(inner_fake.requests)) == (1, 1)


def test_a_pooled_connection_does_not_outlive_its_session() -> None:
    first, second = FakeBraze(), FakeBraze()
    with requests.Session() as session:
        with BrazeRouting(first.app):
            session.post("https://rest.iad-01.braze.com/users/track", json=BODY, headers=AUTH)
        with BrazeRouting(second.app):
            session.post("https://rest.iad-01.braze.com/users/track", json=BODY, headers=AUTH)
    assert (len(first.requests), len(second.requests)) == (1, 1)


def _segment_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """A stand-in for the fake Segment: echoes what it received."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps({"host": environ["HTTP_HOST"], "path": environ["PATH_INFO"], "body": body.decode()}).encode()]


def test_a_second_route_is_one_table_entry(routed: tuple[FakeBraze, BrazeRouting]) -> None:
    fake, routing = routed
    hosts = re.compile(r"api\.segment\.io|events\.eu1\.segmentapis\.com", re.IGNORECASE)
    routing.table.add(Route("segment", hosts, lambda: _segment_app))
    assert requests.post("https://api.segment.io/v1/track", data="{}").json() == {
        "host": "api.segment.io",
        "path": "/v1/track",
        "body": "{}",
    }
    assert httpx.post("https://events.eu1.segmentapis.com/v1/batch").json()["host"] == "events.eu1.segmentapis.com"
    assert httpx.post("https://rest.iad-01.braze.com/users/track", json=BODY, headers=AUTH).status_code == 201
    routing.table.remove("segment")
    with pytest.raises(EgressBlocked):
        httpx.post("https://api.segment.io/v1/track")
    assert len(fake.requests) == 1


def test_unknown_braze_host_fails_like_dns(routed: tuple[FakeBraze, BrazeRouting]) -> None:
    with pytest.raises(httpx.ConnectError, match=r"rest\.iad-42\.braze\.com is not the REST host of any Braze"):
        httpx.post("https://rest.iad-42.braze.com/users/track", json=BODY)
    with pytest.raises(requests.ConnectionError, match=r"Failed to resolve 'rest\.fra-09\.braze\.eu'"):
        requests.post("https://rest.fra-09.braze.eu/users/track", json=BODY)


def test_a_client_imported_after_routing_started_is_routed() -> None:
    code = (
        "from harness.braze import FakeBraze\n"
        "from harness.testing.routing import BrazeRouting\n"
        "fake = FakeBraze()\n"
        "with BrazeRouting(fake.app):\n"
        "    import requests\n"
        "    r = requests.post('https://rest.iad-01.braze.com/users/track', headers={'Authorization': 'Bearer k'},\n"
        "                      json={'attributes': [{'external_id': 'u1', 'plan': 'pro'}]})\n"
        "print(r.status_code, len(fake.requests))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["201", "1"]


def test_a_users_respx_router_keeps_its_own_routes(routed: tuple[FakeBraze, BrazeRouting]) -> None:
    fake, routing = routed
    with respx.mock(assert_all_called=False) as own:
        own.get("https://api.example.com/ping").respond(204)
        assert httpx.get("https://api.example.com/ping").status_code == 204
        assert httpx.post("https://rest.iad-01.braze.com/users/track", json=BODY, headers=AUTH).status_code == 201
        with pytest.raises(AllMockedAssertionError):  # respx refuses what it does not mock, before any socket
            httpx.get("https://api.example.com/other")
    assert routing.blocked == []
    assert len(fake.requests) == 1


def test_session_activation_is_reentrant_and_clean_on_error() -> None:
    session = NetworkSession()
    with pytest.raises(RuntimeError), activation.active(session):
        raise RuntimeError("boom")
    assert activation._installed is None


def test_braze_host_pattern() -> None:
    assert is_braze_rest_host("rest.iad-01.braze.com")
    assert is_braze_rest_host("REST.FRA-01.BRAZE.EU.")
    assert not is_braze_rest_host("rest.iad-01.braze.com.evil.io")
    assert not is_braze_rest_host("sdk.iad-01.braze.com")


def test_fixture_routes_every_client(fake_braze: BrazeMock) -> None:
    assert httpx.post(f"{fake_braze.base_url}/users/track", json=BODY, headers=fake_braze.headers).status_code == 201
    assert requests.post(f"{fake_braze.base_url}/users/track", json=BODY, headers=fake_braze.headers).status_code == 201
    assert fake_braze.requests.call_count == 2
    fake_braze.assert_tracked("u1", "Signed Up", count=2)


def test_fixture_reset_between_tests(fake_braze: BrazeMock) -> None:
    assert fake_braze.requests == []
    assert not fake_braze.has_user("u1")


@pytest.mark.braze(instance="KR-01")
def test_fixture_marker_in_this_suite(fake_braze: BrazeMock) -> None:
    assert fake_braze.base_url == "https://rest.kr-01.braze.com"
    assert httpx.post(f"{fake_braze.base_url}/users/track", json=BODY, headers=fake_braze.headers).status_code == 201
    assert fake_braze.requests.last.instance == "KR-01"


@pytest.fixture
def proxy_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a CI runner behind a proxy; set before the routing starts."""
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")


def test_a_proxy_in_the_environment_is_bypassed_for_routed_hosts(proxy_in_the_environment: None) -> None:
    import os
    import urllib.request

    fake = FakeBraze()
    url = "https://rest.iad-01.braze.com/users/track"
    with BrazeRouting(fake.app) as routing:
        assert os.environ["NO_PROXY"] == os.environ["no_proxy"] == "internal.example,braze.com,braze.eu"
        assert requests.post(url, json=BODY, headers=AUTH).status_code == 201
        assert httpx.post(url, json=BODY, headers=AUTH).status_code == 201
        headers = {**AUTH, "Content-Type": "application/json"}
        request = urllib.request.Request(url, data=json.dumps(BODY).encode(), headers=headers)
        assert urllib.request.urlopen(request).status == 201
        with pytest.raises(EgressBlocked, match=r"proxy\.invalid"):  # other hosts still go to the proxy: refused
            requests.get("https://api.example.com/")
    assert os.environ["NO_PROXY"] == "internal.example" and "no_proxy" not in os.environ
    assert len(fake.requests) == 3 and [b.host for b in routing.blocked] == ["proxy.invalid"]
