"""`fake_braze` shares a test with the other mocking tools: each answers its own hosts, Braze reaches the fake."""

from __future__ import annotations

import asyncio

import aiohttp
import httpx
import pytest
import requests
import requests_mock as requests_mock_module
import responses
import respx
from pytest_httpserver import HTTPServer

from harness.testing.mock import BrazeMock

EVENT = {"external_id": "u1", "name": "Signed Up", "time": "2024-05-01T10:00:00Z"}
BODY = {"events": [EVENT]}


def track_requests(fake: BrazeMock) -> requests.Response:
    return requests.post(f"{fake.base_url}/users/track", json=BODY, headers=fake.headers)


def track_httpx(fake: BrazeMock) -> httpx.Response:
    return httpx.post(f"{fake.base_url}/users/track", json=BODY, headers=fake.headers)


def test_responses(fake_braze: BrazeMock) -> None:
    with responses.RequestsMock() as mocked:
        mocked.post("https://hooks.example.com/x", json={"ok": True})
        assert requests.post("https://hooks.example.com/x").json() == {"ok": True}
        assert track_requests(fake_braze).status_code == 201
        with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
            requests.get("https://hooks.example.com/other")  # responses' own refusal, as without the harness
        assert [c.request.url for c in mocked.calls] == [
            "https://hooks.example.com/x",
            "https://hooks.example.com/other",
        ]
    fake_braze.assert_tracked("u1", "Signed Up", count=1)
    assert fake_braze.blocked == []


def test_responses_keeps_a_braze_url_the_user_mocked(fake_braze: BrazeMock) -> None:
    with responses.RequestsMock() as mocked:
        mocked.post(f"{fake_braze.base_url}/users/track", json={"message": "mocked"}, status=201)
        assert track_requests(fake_braze).json() == {"message": "mocked"}
        export = {"external_ids": ["u9"]}
        assert requests.post(f"{fake_braze.base_url}/users/export/ids", json=export, headers=fake_braze.headers).ok
    assert [e.path for e in fake_braze.requests] == ["/users/export/ids"]


@responses.activate
def test_responses_decorator_and_its_passthru_taken_back(fake_braze: BrazeMock) -> None:
    responses.post("https://hooks.example.com/x", status=204)
    assert requests.post("https://hooks.example.com/x").status_code == 204
    assert track_requests(fake_braze).status_code == 201
    assert len(responses.mock.passthru_prefixes) == 1  # the harness's, while the fake routes


def test_respx_mock_fixture(fake_braze: BrazeMock, respx_mock: respx.MockRouter) -> None:
    respx_mock.get("https://api.example.com/ping").respond(204)
    assert httpx.get("https://api.example.com/ping").status_code == 204
    assert track_httpx(fake_braze).status_code == 201

    async def both() -> list[int]:
        async with httpx.AsyncClient() as client:
            ping = await client.get("https://api.example.com/ping")
            braze = await client.post(f"{fake_braze.base_url}/users/track", json=BODY, headers=fake_braze.headers)
            return [ping.status_code, braze.status_code]

    assert asyncio.run(both()) == [204, 201]
    assert respx_mock.calls.call_count == 2  # only its own host
    fake_braze.assert_tracked("u1", "Signed Up", count=2)


def test_respx_route_on_a_braze_url_wins(fake_braze: BrazeMock) -> None:
    with respx.mock(assert_all_mocked=False) as router:  # unmatched hosts would get an empty 200
        router.post(f"{fake_braze.base_url}/users/export/ids").respond(200, json={"users": []})
        assert httpx.post(f"{fake_braze.base_url}/users/export/ids", json={}).json() == {"users": []}
        assert track_httpx(fake_braze).status_code == 201  # not the empty 200: the fake
        assert httpx.get("https://api.example.com/").status_code == 200  # respx's auto-mock, its choice
    assert [e.path for e in fake_braze.requests] == ["/users/track"]


def test_requests_mock(fake_braze: BrazeMock) -> None:
    with requests_mock_module.Mocker() as mocked:
        mocked.get("https://api.example.com/ping", text="pong")
        assert requests.get("https://api.example.com/ping").text == "pong"
        assert track_requests(fake_braze).status_code == 201
        with pytest.raises(requests_mock_module.NoMockAddress):
            requests.get("https://api.example.com/other")
        assert [r.url for r in mocked.request_history] == [
            "https://api.example.com/ping",
            "https://api.example.com/other",
        ]
    fake_braze.assert_tracked("u1", "Signed Up", count=1)


def test_pytest_httpserver(fake_braze: BrazeMock, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/webhook", method="POST").respond_with_json({"received": True})
    assert requests.post(httpserver.url_for("/webhook"), json={}).json() == {"received": True}
    assert httpx.post(httpserver.url_for("/webhook"), json={}).json() == {"received": True}

    async def aiohttp_both() -> list[int]:
        async with aiohttp.ClientSession() as session:
            async with session.post(httpserver.url_for("/webhook"), json={}) as hook:
                hook_status = hook.status
            async with session.post(f"{fake_braze.base_url}/users/track", json=BODY, headers=fake_braze.headers) as r:
                return [hook_status, r.status]

    assert asyncio.run(aiohttp_both()) == [200, 201]
    assert track_requests(fake_braze).status_code == 201
    httpserver.check_assertions()
    fake_braze.assert_tracked("u1", "Signed Up", count=2)


def test_all_of_them_at_once(fake_braze: BrazeMock, httpserver: HTTPServer, respx_mock: respx.MockRouter) -> None:
    httpserver.expect_request("/hook").respond_with_data("local")
    respx_mock.get("https://api.example.com/ping").respond(204)
    respx_mock.route(host="localhost").pass_through()  # respx mocks httpx; the local server is real
    with responses.RequestsMock() as mocked, requests_mock_module.Mocker(real_http=True) as rm:
        mocked.get("https://a.example.com/", body="responses")
        rm.get("https://b.example.com/", text="requests-mock")
        assert track_requests(fake_braze).status_code == 201
        assert track_httpx(fake_braze).status_code == 201
        assert httpx.get("https://api.example.com/ping").status_code == 204
        assert httpx.get(httpserver.url_for("/hook")).text == "local"
        assert requests.get("https://a.example.com/").text == "responses"
        assert requests.get("https://b.example.com/").text == "requests-mock"
    assert fake_braze.requests.call_count == 2
