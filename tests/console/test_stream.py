"""The live stream: the hub never blocks a request, a slow browser catches up from the journal, the stream
sends only what its filter shows, caps its clients, and ends when the server stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx

from harness.braze import FakeBraze, LiveServer
from harness.console import mount
from harness.console.context import EXTENSION, ConsoleState
from harness.console.entries import RequestFilter
from harness.console.hub import Hub
from harness.console.sse import stream

from .support import UI

BODY = {"attributes": [{"external_id": "u1", "plan": "pro"}]}


def send(fake: FakeBraze, times: int = 1, path: str = "/users/track") -> None:
    for _ in range(times):
        fake.call(path, BODY if path == "/users/track" else {"external_ids": ["u1"]}, api_key="any-key-1234")


def entry_ids(chunks: Iterator[str], count: int) -> list[int]:
    """The ids of the next `count` entry events (other events and comments skipped)."""
    ids: list[int] = []
    for chunk in chunks:
        if chunk.startswith("id: ") and "event: entry" in chunk:
            ids.append(int(chunk.split("\n", 1)[0].removeprefix("id: ")))
            if len(ids) == count:
                return ids
    return ids


def test_a_full_queue_drops_without_blocking_and_says_so_once() -> None:
    fake = FakeBraze()
    hub = Hub(fake.journal, max_clients=1, queue_size=2)
    client = hub.open()
    assert client is not None
    send(fake, 5)  # returns: the listener never waits for the browser
    assert client.take_overflow() and not client.take_overflow()
    assert client.next(0) is None  # emptied, to catch up from the journal


def test_the_stream_sends_what_was_missed_then_new_entries_once_each() -> None:
    fake = FakeBraze()
    send(fake, 3)
    hub = Hub(fake.journal)
    chunks = stream(hub, RequestFilter(), lambda e: f"row {e.id}", after=1, done=lambda: False)
    assert next(chunks).startswith("retry:")
    send(fake, 2)
    assert entry_ids(chunks, 4) == [2, 3, 4, 5]
    send(fake, 1)
    assert entry_ids(chunks, 1) == [6]
    chunks.close()
    assert hub.clients == 0


def test_a_slow_browser_gets_a_gap_and_then_what_it_missed_from_the_journal() -> None:
    fake = FakeBraze()
    hub = Hub(fake.journal, queue_size=2)
    chunks = stream(hub, RequestFilter(), lambda e: "", after=0, done=lambda: False)
    next(chunks)
    send(fake, 1)
    assert entry_ids(chunks, 1) == [1]
    send(fake, 6)  # more than its queue holds
    assert "event: gap" in next(chunks)
    assert entry_ids(chunks, 6) == [2, 3, 4, 5, 6, 7]
    chunks.close()


def test_the_stream_sends_only_what_its_filter_shows() -> None:
    fake = FakeBraze()
    hub = Hub(fake.journal)
    chunks = stream(hub, RequestFilter(path="/users/export/ids"), lambda e: "", after=0, done=lambda: False)
    next(chunks)
    send(fake, 2)
    send(fake, 1, "/users/export/ids")
    assert entry_ids(chunks, 1) == [3]
    chunks.close()


def test_over_the_cap_a_browser_is_told_to_retry_later() -> None:
    fake = FakeBraze()
    hub = Hub(fake.journal, max_clients=1)
    first = stream(hub, RequestFilter(), lambda e: "", after=0, done=lambda: False)
    next(first)
    busy = list(stream(hub, RequestFilter(), lambda e: "", after=0, done=lambda: False))
    assert len(busy) == 1 and "event: busy" in busy[0] and busy[0].startswith("retry: ")
    first.close()
    assert hub.open() is not None


def test_the_stream_ends_when_told_and_frees_its_slot() -> None:
    fake = FakeBraze()
    hub = Hub(fake.journal)
    stopping = threading.Event()
    chunks = stream(hub, RequestFilter(), lambda e: "", after=0, done=stopping.is_set)
    next(chunks)
    assert hub.clients == 1
    stopping.set()
    assert list(chunks) == []
    assert hub.clients == 0


def _live() -> tuple[FakeBraze, ConsoleState]:
    fake = FakeBraze()
    console = mount(fake.app, fake, max_streams=1)
    assert console is not None
    return fake, console.extensions[EXTENSION]


def test_over_http_a_request_reaches_a_connected_browser_and_a_second_one_is_busy() -> None:
    fake, state = _live()
    with LiveServer(fake) as server, httpx.Client(timeout=10) as http:
        with http.stream("GET", f"{server.url}{UI}/stream") as events:
            assert events.headers["content-type"].startswith("text/event-stream")
            lines = events.iter_lines()
            assert next(lines).startswith("retry:")
            http.post(f"{server.url}/users/track", json=BODY, headers={"Authorization": "Bearer k"})
            for line in lines:
                if line.startswith("data: "):
                    assert '"id":1' in line and "/users/track" in line
                    break
            second = http.get(f"{server.url}{UI}/stream")
            assert "event: busy" in second.text
        assert state.hub.clients <= 1


def test_stop_ends_a_connected_stream_instead_of_waiting_for_it() -> None:
    fake, state = _live()
    server = LiveServer(fake).start()
    opened = threading.Event()
    ended = threading.Event()

    def browser() -> None:
        try:
            with httpx.Client(timeout=30) as http, http.stream("GET", f"{server.url}{UI}/stream") as events:
                for _ in events.iter_lines():
                    opened.set()
        except httpx.HTTPError:
            pass  # the server closed the connection: what a stop looks like to a browser
        ended.set()

    reader = threading.Thread(target=browser, daemon=True)
    reader.start()
    assert opened.wait(10)
    assert state.hub.clients == 1
    server.stop()
    assert state.hub.clients == 0  # the stream ended within stop(), not abandoned by waitress's 5 s wait
    reader.join(10)
    assert ended.is_set()
