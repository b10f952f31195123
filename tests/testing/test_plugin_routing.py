"""Routing into the fake with no socket: httpx sync and async, requests, every instance host, the guard."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import httpx
import pytest
import requests
import respx

from harness.braze import INSTANCES, FakeBraze, LiveServer
from harness.testing.mock import BrazeMock
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
        chunks = iter([raw[:20], raw[20:]])
        assert session.post("https://rest.iad-01.braze.com/users/track", data=chunks, headers=headers).ok
        assert session.get("https://rest.iad-01.braze.com/users/track", headers=AUTH).status_code == 405
    assert fake.user("u2") is not None and fake.user("u2").custom_events["Signed Up"].count == 3  # type: ignore[union-attr]


def test_httpx_async_client(routed: tuple[FakeBraze, BrazeRouting]) -> None:
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


def test_unknown_braze_host_fails_like_dns(routed: tuple[FakeBraze, BrazeRouting]) -> None:
    with pytest.raises(httpx.ConnectError, match=r"rest\.iad-42\.braze\.com is not the REST host of any Braze"):
        httpx.post("https://rest.iad-42.braze.com/users/track", json=BODY)
    with pytest.raises(requests.ConnectionError, match=r"rest\.fra-09\.braze\.eu is not the REST host"):
        requests.post("https://rest.fra-09.braze.eu/users/track", json=BODY)


@pytest.mark.parametrize(
    "url", ["https://api.segment.io/v1/track", "https://dashboard-01.braze.com/", "http://sdk.iad-01.braze.com/x"]
)
def test_other_hosts_are_blocked_and_recorded(routed: tuple[FakeBraze, BrazeRouting], url: str) -> None:
    _, routing = routed
    host = httpx.URL(url).host
    with pytest.raises(EgressBlocked, match=re.escape(f"blocked a request to {host}")):
        httpx.get(url)
    with pytest.raises(EgressBlocked, match=re.escape(f"allow_hosts=['{host}']")):
        requests.get(url)
    assert [(b.client, b.host) for b in routing.blocked] == [("httpx", host), ("requests", host)]
    assert isinstance(EgressBlocked(routing.blocked[0]), AssertionError)


def test_allowed_hosts_pass_through_to_the_network() -> None:
    with LiveServer(FakeBraze()) as other:
        fake = FakeBraze()
        with BrazeRouting(fake.app, allow=[f"127.0.0.1:{other.port}"]) as routing:
            assert httpx.get(f"{other.url}/_harness/health").json()["status"] == "ok"
            assert requests.get(f"{other.url}/_harness/health").json()["status"] == "ok"

            async def health() -> int:
                async with httpx.AsyncClient() as client:
                    return (await client.get(f"{other.url}/_harness/health")).status_code

            assert asyncio.run(health()) == 200
            assert routing.blocked == []
            with pytest.raises(EgressBlocked):
                httpx.get(f"http://127.0.0.1:{int(other.port) % 65535 + 1}/")
    assert routing.is_allowed("127.0.0.1", other.port)
    assert not routing.is_allowed("127.0.0.1", None)


def test_host_entries_without_port_allow_every_port() -> None:
    routing = BrazeRouting(FakeBraze().app, allow=["LocalHost", "[::1]:8080", "http://example.com:81/"])
    assert routing.is_allowed("example.com", 81) and not routing.is_allowed("example.com", 80)
    assert routing.is_allowed("localhost", 1234)
    assert routing.is_allowed("::1", 8080)
    assert not routing.is_allowed("::1", 8081)


def test_routing_ends_with_the_context() -> None:
    from requests.adapters import HTTPAdapter

    original = HTTPAdapter.send
    fake = FakeBraze()
    with BrazeRouting(fake.app):
        assert HTTPAdapter.send is not original
    assert HTTPAdapter.send is original


def test_a_users_respx_router_keeps_its_own_routes(routed: tuple[FakeBraze, BrazeRouting]) -> None:
    fake, routing = routed
    with respx.mock(assert_all_called=False) as own:
        own.get("https://api.example.com/ping").respond(204)
        assert httpx.get("https://api.example.com/ping").status_code == 204
        assert httpx.post("https://rest.iad-01.braze.com/users/track", json=BODY, headers=AUTH).status_code == 201
        with pytest.raises(AssertionError):
            httpx.get("https://api.example.com/other")
    assert routing.blocked[-1].url == "https://api.example.com/other"
    assert len(fake.requests) == 1


def test_braze_host_pattern() -> None:
    assert is_braze_rest_host("rest.iad-01.braze.com")
    assert is_braze_rest_host("REST.FRA-01.BRAZE.EU")
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
