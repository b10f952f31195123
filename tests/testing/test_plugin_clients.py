"""Each supported client reaches the fake in-process and meets it as it would meet Braze over the network:
its own pool, its own HTTP parser, its own exceptions for a dropped connection, a timeout or a name that
does not resolve; and nothing else gets out."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from harness.braze import Fault
from harness.testing.mock import BrazeMock
from harness.testing.routing import EgressBlocked
from tests.testing.clients import CLIENTS, Client, Send

EVENT = {"external_id": "u1", "name": "Signed Up", "time": "2024-05-01T10:00:00Z"}
BODY = {"events": [EVENT]}


@pytest.fixture(params=CLIENTS, ids=[c.name for c in CLIENTS])
def client(request: pytest.FixtureRequest) -> Client:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def send(client: Client, fake_braze: BrazeMock) -> Iterator[Send]:
    with client.session() as send:
        yield send


def track(fake: BrazeMock, send: Send, **kwargs: object) -> object:
    return send("POST", f"{fake.base_url}/users/track", BODY, fake.headers, **kwargs)


@pytest.mark.braze(instance="EU-02")
def test_a_track_reaches_the_fake_as_the_instance_of_its_host(fake_braze: BrazeMock, send: Send) -> None:
    answer = send("POST", "https://rest.fra-02.braze.eu/users/track", BODY, fake_braze.headers)
    assert (answer.status, answer.json()) == (201, {"message": "success", "events_processed": 1})
    assert answer.headers["content-type"] == "application/json"
    entry = fake_braze.requests.last
    assert (entry.host, entry.instance, entry.body) == ("rest.fra-02.braze.eu", "EU-02", BODY)
    assert answer.headers["x-harness-request-id"] == str(entry.id) == "1"
    fake_braze.assert_tracked("u1", "Signed Up", count=1)


def test_a_retry_after_two_injected_503s_succeeds(fake_braze: BrazeMock, send: Send) -> None:
    fake_braze.faults.add(Fault.error(503, times=2))
    statuses = []
    for _attempt in range(5):
        statuses.append(track(fake_braze, send).status)  # type: ignore[attr-defined]
        if statuses[-1] == 201:
            break
    assert statuses == [503, 503, 201]
    assert [e.status for e in fake_braze.requests] == [503, 503, 201]
    fake_braze.assert_tracked("u1", "Signed Up", count=1)


def test_a_429_says_when_to_come_back_in_x_ratelimit_reset(fake_braze: BrazeMock, send: Send) -> None:
    fake_braze.faults.add(Fault.error(429, times=1))
    refused = track(fake_braze, send)
    assert refused.status == 429  # type: ignore[attr-defined]
    assert refused.json()["message"] == "Over rate limit."  # type: ignore[attr-defined]
    assert refused.headers["x-ratelimit-remaining"] == "0"  # type: ignore[attr-defined]
    reset = int(refused.headers["x-ratelimit-reset"])  # type: ignore[attr-defined]
    assert reset >= int(time.time()) - 1  # an epoch second the client can wait for
    assert track(fake_braze, send).status == 201  # type: ignore[attr-defined]


def test_a_dropped_connection_is_the_clients_own_error_and_the_next_request_reconnects(
    fake_braze: BrazeMock, client: Client, send: Send
) -> None:
    assert track(fake_braze, send).status == 201  # type: ignore[attr-defined]
    fake_braze.faults.add(Fault.drop(times=1))
    with pytest.raises(client.dropped):
        track(fake_braze, send)
    assert track(fake_braze, send).status == 201  # type: ignore[attr-defined]
    assert [e.fault["kind"] if e.fault else None for e in fake_braze.requests] == [None, "drop", None]


def test_a_timeout_fault_is_the_clients_read_timeout_without_waiting_for_it(
    fake_braze: BrazeMock, client: Client, send: Send
) -> None:
    fake_braze.faults.add(Fault.timeout(times=1))
    started = time.monotonic()
    with pytest.raises(client.timed_out):
        track(fake_braze, send, timeout=30)
    assert time.monotonic() - started < 30  # answered at once, not after the client's timeout
    assert track(fake_braze, send).status == 201  # type: ignore[attr-defined]


def test_an_answer_slower_than_the_read_timeout_times_out(fake_braze: BrazeMock, client: Client, send: Send) -> None:
    fake_braze.faults.add(Fault.latency(0.15, times=1))  # three times the client's read timeout
    with pytest.raises(client.timed_out):
        track(fake_braze, send, timeout=0.05)
    assert track(fake_braze, send, timeout=5).status == 201  # type: ignore[attr-defined]


def test_a_pooled_client_keeps_one_connection(fake_braze: BrazeMock, client: Client, send: Send) -> None:
    for _ in range(3):
        assert track(fake_braze, send).status == 201  # type: ignore[attr-defined]
    assert fake_braze.routing is not None
    assert fake_braze.routing.connections_opened == (1 if client.pooled else 3)


def test_an_unknown_instance_host_does_not_resolve(fake_braze: BrazeMock, client: Client, send: Send) -> None:
    with pytest.raises(client.unresolved, match=r"rest\.iad-42\.braze\.com is not the REST host of any Braze"):
        send("POST", "https://rest.iad-42.braze.com/users/track", BODY, fake_braze.headers)
    assert fake_braze.requests == []


def test_any_other_host_is_blocked_naming_it_and_the_client(fake_braze: BrazeMock, client: Client, send: Send) -> None:
    with pytest.raises(EgressBlocked, match=r"blocked a connection to api\.segment\.io:443") as caught:
        send("POST", "https://api.segment.io/v1/track", {}, {})
    assert caught.value.blocked.via == client.via
    assert "allow_hosts=['api.segment.io']" in str(caught.value)
    assert [b.host for b in fake_braze.blocked] == ["api.segment.io"]


def test_a_requests_adapter_retries_as_in_production(fake_braze: BrazeMock) -> None:
    """urllib3's own Retry runs: the session sees one 201; the fake saw [503, 503, 201]."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util import Retry

    fake_braze.faults.add(Fault.error(503, times=2))
    retry = Retry(total=3, status_forcelist=[503], allowed_methods=None, backoff_factor=0)
    with requests.Session() as session:
        session.mount("https://", HTTPAdapter(max_retries=retry))
        response = session.post(f"{fake_braze.base_url}/users/track", json=BODY, headers=fake_braze.headers)
    assert response.status_code == 201
    assert [e.status for e in fake_braze.requests] == [503, 503, 201]
    assert fake_braze.routing is not None and fake_braze.routing.connections_opened == 1  # one kept-alive connection


def test_urllib3_retries_a_dropped_connection_and_a_read_timeout(fake_braze: BrazeMock) -> None:
    import urllib3
    from urllib3.util import Retry

    fake_braze.faults.add(Fault.drop(times=1))
    fake_braze.faults.add(Fault.timeout(times=1))
    with urllib3.PoolManager(retries=Retry(total=3, allowed_methods=None, backoff_factor=0)) as pool:
        response = pool.request(
            "POST", f"{fake_braze.base_url}/users/track", json=BODY, headers=fake_braze.headers, timeout=30
        )
    assert response.status == 201
    assert [e.fault["kind"] if e.fault else e.status for e in fake_braze.requests] == ["drop", "timeout", 201]
