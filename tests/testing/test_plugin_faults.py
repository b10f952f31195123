"""Faults as a test meets them: the marker, `fake_braze.faults`, and the client library's own exceptions,
in-process (the same as over the network: see test_plugin_clients for every client) and over the live
server (a real drop, a real stall)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import requests

from harness.braze import Fault
from harness.testing.mock import BrazeMock, BrazeServer

EVENT = {"external_id": "u1", "name": "Signed Up", "time": "2024-05-01T10:00:00Z"}
BODY = {"events": [EVENT]}


def track_httpx(fake: BrazeMock, **kwargs: object) -> httpx.Response:
    return httpx.post(f"{fake.base_url}/users/track", json=BODY, headers=fake.headers, **kwargs)  # type: ignore[arg-type]


def track_requests(fake: BrazeMock, **kwargs: object) -> requests.Response:
    return requests.post(f"{fake.base_url}/users/track", json=BODY, headers=fake.headers, **kwargs)  # type: ignore[arg-type]


@pytest.mark.braze(faults=[Fault.error(503, times=2)], strict=True)
def test_marker_arms_faults_and_strict_does_not_count_them(fake_braze: BrazeMock) -> None:
    codes = [track_httpx(fake_braze).status_code for _ in range(3)]
    assert codes == [503, 503, 201]
    fake_braze.assert_tracked("u1", "Signed Up", count=1)


@pytest.mark.braze(faults={"kind": "status", "status": 429, "path": "/users/track"})
def test_marker_takes_the_json_form_too(fake_braze: BrazeMock) -> None:
    response = track_requests(fake_braze)
    assert response.status_code == 429
    assert response.headers["X-RateLimit-Remaining"] == "0"


@pytest.mark.braze(faults=[Fault.drop(times=1)])
def test_drop_is_the_disconnect_httpx_reports_in_process_as_over_the_network(fake_braze: BrazeMock) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
        track_httpx(fake_braze)
    assert track_httpx(fake_braze).status_code == 201
    assert [e.fault["kind"] if e.fault else None for e in fake_braze.requests] == ["drop", None]


@pytest.mark.braze(faults=[Fault.timeout(times=1)])
def test_timeout_raises_httpx_read_timeout_in_process_sync_and_async(fake_braze: BrazeMock) -> None:
    with pytest.raises(httpx.ReadTimeout):
        track_httpx(fake_braze)
    fake_braze.faults.add(Fault.timeout(times=1))

    async def send() -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.post(f"{fake_braze.base_url}/users/track", json=BODY, headers=fake_braze.headers)

    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(send())


def test_requests_gets_its_own_exceptions_in_process(fake_braze: BrazeMock) -> None:
    fake_braze.faults.add(Fault.drop(times=1))
    fake_braze.faults.add(Fault.timeout(times=1))
    with pytest.raises(requests.ConnectionError):
        track_requests(fake_braze)
    with pytest.raises(requests.ReadTimeout):
        track_requests(fake_braze, timeout=1)
    assert track_requests(fake_braze).status_code == 201


def test_a_retrying_client_gets_through_a_seeded_fraction_of_errors(fake_braze: BrazeMock) -> None:
    fake_braze.faults.add(Fault.error(503, probability=0.5, seed=11))
    fake_braze.faults.add(Fault.drop(probability=0.2, seed=12))
    sent = 0
    with httpx.Client(base_url=fake_braze.base_url, headers=fake_braze.headers) as client:
        for n in range(20):
            body = {"events": [{**EVENT, "external_id": f"u{n}"}]}
            for _attempt in range(30):
                sent += 1
                try:
                    response = client.post("/users/track", json=body)
                except httpx.RemoteProtocolError:  # the dropped connection
                    continue
                if response.status_code == 201:
                    break
    assert len(fake_braze.external_ids()) == 20
    assert len(fake_braze.requests) == sent > 20


def test_live_server_drops_the_connection_for_real(braze_server: BrazeServer) -> None:
    braze_server.faults.add(Fault.drop(times=1))
    with pytest.raises(httpx.RemoteProtocolError):  # what httpx says when a server closes without answering
        track_httpx(braze_server)
    braze_server.faults.add(Fault.drop(times=1))
    with pytest.raises(requests.ConnectionError):
        track_requests(braze_server)
    assert track_httpx(braze_server).status_code == 201


def test_live_server_stalls_past_the_clients_timeout(braze_server: BrazeServer) -> None:
    braze_server.faults.add(Fault.timeout(times=2, stall=30))
    with pytest.raises(httpx.ReadTimeout):
        track_httpx(braze_server, timeout=0.2)
    with pytest.raises(requests.ReadTimeout):
        track_requests(braze_server, timeout=0.2)
    assert track_httpx(braze_server, timeout=5).status_code == 201  # the stalled threads did not block it
    assert [e.status for e in braze_server.requests] == [0, 0, 201]


def test_live_server_control_plane_arms_faults(braze_server: BrazeServer) -> None:
    added = httpx.post(f"{braze_server.url}/_harness/faults", json={"kind": "status", "status": 502, "times": 1})
    assert added.status_code == 201
    assert track_httpx(braze_server).status_code == 502
    assert httpx.get(f"{braze_server.url}/_harness/faults").json()["faults"][0]["remaining"] == 0
