"""The live stream as server-sent events: one `entry` event per journaled request, newest as they come.

Each event's `id` is the journal id, so a browser that reconnects (`Last-Event-ID`) gets what it
missed from the journal; so does a client whose queue overflowed. The generator polls, every
`POLL_SECONDS`, whether the server is stopping or the browser left, and ends after `lifetime` seconds
(the browser reconnects at once), so an idle stream never pins a worker thread for good. Over the
client cap it answers one `busy` event and a retry delay.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator

import orjson

from harness.braze import Journal, JournalEntry
from harness.console.entries import RequestFilter
from harness.console.hub import Hub

__all__ = ["CATCH_UP", "POLL_SECONDS", "event", "stream"]

POLL_SECONDS = 0.25
HEARTBEAT_SECONDS = 15.0
CATCH_UP = 200
BUSY_RETRY_MS = 5000


def event(name: str, data: object, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {name}\ndata: {orjson.dumps(data).decode()}\n\n"


def _missed(journal: Journal, after: int, wanted: RequestFilter) -> list[JournalEntry]:
    return journal.entries(lambda e: e.id > after and wanted.matches(e))[-CATCH_UP:]


def stream(
    hub: Hub,
    wanted: RequestFilter,
    render: Callable[[JournalEntry], str],
    *,
    after: int,
    done: Callable[[], bool],
    lifetime: float = 300.0,
) -> Iterator[str]:
    """The event stream of one browser that has every entry up to id `after`; `done()` says the server
    stops or the browser left."""
    client = hub.open()
    if client is None:
        yield f"retry: {BUSY_RETRY_MS}\n" + event("busy", {"clients": hub.max_clients})
        return
    try:
        yield "retry: 1000\n: live\n\n"
        sent: deque[int] = deque(maxlen=4 * CATCH_UP)
        pending = _missed(hub.journal, after, wanted)
        end = time.monotonic() + lifetime
        quiet_since = time.monotonic()
        while True:
            for entry in pending:
                if entry.id > after and entry.id not in sent:
                    sent.append(entry.id)
                    quiet_since = time.monotonic()
                    yield event("entry", {"id": entry.id, "html": render(entry)}, entry.id)
            if done() or time.monotonic() >= end:
                return
            arrived = client.next(POLL_SECONDS)
            if client.take_overflow():
                yield event("gap", {"after": max(sent, default=after)})
                pending = _missed(hub.journal, after, wanted)
            elif arrived is not None and wanted.matches(arrived):
                pending = [arrived]
            else:
                pending = []
                if time.monotonic() - quiet_since >= HEARTBEAT_SECONDS:
                    quiet_since = time.monotonic()
                    yield ": ping\n\n"
    finally:
        hub.close(client)
