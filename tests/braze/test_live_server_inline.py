"""`LiveServer` answers a plain Braze POST on its I/O thread, and everything else on its workers."""

from __future__ import annotations

import threading

import httpx
import pytest

from harness.braze import FakeBraze, Fault, LiveServer
from harness.braze.http import server as live

BODY = {"events": [{"external_id": "u1", "name": "Played", "time": "2024-03-01T12:00:00Z"}]}
HEADERS = {"Authorization": "Bearer k"}


@pytest.fixture
def answered_on(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The thread each request was served on: 'io' or 'worker'."""
    seen: list[str] = []
    real_service = live.HTTPChannel.service

    def service(channel: live.HTTPChannel) -> None:
        seen.append("io" if threading.current_thread().name == "fake-braze-server" else "worker")
        real_service(channel)

    monkeypatch.setattr(live.HTTPChannel, "service", service)
    return seen


def test_a_plain_post_is_answered_on_the_io_thread_and_the_rest_on_workers(answered_on: list[str]) -> None:
    fake = FakeBraze()
    with LiveServer(fake) as server, httpx.Client(base_url=server.url, headers=HEADERS) as client:
        assert client.post("/users/track", json=BODY).status_code == 201
        assert client.get("/_harness/health").status_code == 200
        assert client.post("/users/track?x=1", json=BODY).status_code == 201  # a query string: Flask's way
        fake.faults.add(Fault.error(502, times=1))
        assert client.post("/users/track", json=BODY).status_code == 502  # a fault armed: a worker serves it
        assert client.post("/users/track", json=BODY).status_code == 201  # spent, but still listed: a worker
        fake.faults.reset()
        assert client.post("/users/track", json=BODY).status_code == 201
    assert answered_on == ["io", "worker", "worker", "worker", "worker", "io"]
    assert fake.user("u1").custom_events["Played"].count == 4  # the 502 was never applied


def test_a_stalled_connection_never_holds_up_the_others() -> None:
    fake = FakeBraze()
    fake.faults.add(Fault.timeout(times=1, stall=30))
    with LiveServer(fake) as server:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{server.url}/users/track", json=BODY, headers=HEADERS, timeout=0.2)
        answer = httpx.post(f"{server.url}/users/track", json=BODY, headers=HEADERS, timeout=5)
    assert answer.status_code == 201
