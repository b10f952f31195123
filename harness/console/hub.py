"""Fan-out of the journal to the browsers watching the live stream, without ever blocking a request.

`Journal.subscribe` calls the listener on the request's own thread, so `Hub.publish` only offers the
entry to each client's bounded queue; a client too slow to keep up loses entries and is told so
(`overflowed`), and the stream then catches up from the journal itself. The number of clients is
capped: each open stream holds one of the server's worker threads.
"""

from __future__ import annotations

import queue
import threading

from harness.braze import Journal, JournalEntry

__all__ = ["Hub", "Subscriber"]


class Subscriber:
    """One browser's queue of entries to send."""

    def __init__(self, size: int) -> None:
        self._queue: queue.Queue[JournalEntry] = queue.Queue(maxsize=size)
        self._overflowed = threading.Event()

    def offer(self, entry: JournalEntry) -> None:
        try:
            self._queue.put_nowait(entry)
        except queue.Full:
            self._overflowed.set()

    def next(self, timeout: float) -> JournalEntry | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def take_overflow(self) -> bool:
        """True once after entries were dropped for this client (its queue emptied, to catch up afresh)."""
        if not self._overflowed.is_set():
            return False
        self._overflowed.clear()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return True


class Hub:
    def __init__(self, journal: Journal, max_clients: int = 2, queue_size: int = 256) -> None:
        self.journal = journal
        self.max_clients = max_clients
        self.queue_size = queue_size
        self._clients: list[Subscriber] = []
        self._lock = threading.Lock()
        self.unsubscribe = journal.subscribe(self.publish)

    def publish(self, entry: JournalEntry) -> None:
        with self._lock:
            clients = tuple(self._clients)
        for client in clients:
            client.offer(entry)

    def open(self) -> Subscriber | None:
        """A new client's queue, or None when `max_clients` streams are open already."""
        with self._lock:
            if len(self._clients) >= self.max_clients:
                return None
            client = Subscriber(self.queue_size)
            self._clients.append(client)
            return client

    def close(self, client: Subscriber) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)
