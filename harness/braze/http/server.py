"""A fake Braze served over HTTP by waitress (not Flask's development server), in a background thread.

`LiveServer` binds 127.0.0.1 on a free port by default; `serve` and the `braze_server` fixture use it.
The serving loop polls a stop flag, so `stop()` returns quickly and every socket is closed by the
thread that serves it (closing them from another thread races waitress's select loop).

Socket-level faults happen here: an answer marked `X-Harness-Fault: drop` is never sent and its
connection is closed (the client sees the server disconnect); `timeout` holds the connection first,
until the client gives up, the stall ends or the server stops.

A long answer (the console's live stream) finds `environ[STOPPING]`, an event set when the server stops,
and ends by itself then, so `stop()` never waits on a connected browser. Serving on a specific address
adds it to the fake's `allowed_hosts` (the names its control plane answers to).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Protocol, cast
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import WSGITask

from harness.braze.http.direct import direct_http
from harness.braze.http.guard import bind_hosts
from harness.braze.model.config import FakeBrazeConfig
from harness.braze.service.endpoints import PLAIN_POSTS
from harness.braze.service.faults import FAULT_HEADER, parse_fault_header

__all__ = ["STOPPING", "TRANSPORT_MAX_BODY", "LiveServer"]

log = logging.getLogger("harness.braze.http.server")
# waitress warns "Task queue depth is N" whenever a request waits for a worker thread; under load that
# is every request, and writing it costs more than the request. Queueing is expected here.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)

POLL_SECONDS = 0.05
STOPPING = "harness.server_stopping"
"""WSGI environ key: a `threading.Event` set when the live server stops (streaming answers poll it)."""
TRANSPORT_MAX_BODY = 256 << 20
"""waitress's own cap (and the in-process wire's), far above the fake's `max_body_bytes`: a body between
the two reaches the app, which answers Braze's 413 (or Segment's 400) and journals it; waitress spools
such a body to a temporary file, not memory. Past this cap waitress answers its own plain-text 413
without reading the body, as a front proxy would."""
_FAULT_HEADER = FAULT_HEADER.lower()


class _Drop(Exception):
    """Raised by the fault middleware: close this connection without writing a byte."""


class _FaultTask(WSGITask):
    def service(self) -> None:
        try:
            super().service()
        except _Drop:
            self.close_on_finish = True  # nothing was written: the channel closes once flushed


class _FaultChannel(HTTPChannel):
    task_class = _FaultTask


class _Inline:
    """Serves a plain Braze POST on the I/O thread when no fault is armed.

    waitress hands every request to a worker thread and the answer back. On one core (the GIL) that
    hand-off costs about as much as the request (`benchmarks/serve_throughput.py`; figures in
    benchmarks/README.md, round 5). A request goes to the workers, as before, when it is
    anything else (a GET, the console's live stream, a query string), when a fault is armed (a latency
    or timeout fault must hold up only its own client), or when it was queued from a worker thread (a
    pipelined request).
    """

    def __init__(self, server: Any, quick: Callable[[], bool]) -> None:
        self._real_add_task = server.add_task
        self._quick = quick
        self._pending: deque[HTTPChannel] = deque()
        self.io_thread: int | None = None

    def add_task(self, channel: HTTPChannel) -> None:
        request: Any = channel.requests[0]  # waitress parses command and path to str (its stubs say bytes)
        if (
            threading.get_ident() == self.io_thread
            and request.command == "POST"
            and not request.query
            and request.path in PLAIN_POSTS
            and self._quick()
        ):
            self._pending.append(channel)
        else:
            self._real_add_task(channel)

    def drain(self) -> None:
        while self._pending:
            self._pending.popleft().service()


class _InlineChannel(_FaultChannel):
    def handle_read(self) -> None:
        super().handle_read()
        inline: _Inline | None = getattr(self.server, "harness_inline", None)
        if inline is not None:
            inline.drain()


def _faulting(app: WSGIApplication, stopping: threading.Event) -> WSGIApplication:
    """Wrap `app` so a drop or timeout fault becomes a real dropped or stalled connection."""

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ[STOPPING] = stopping
        seen: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen[:] = [status, headers, exc_info]
            return lambda data: None

        body = app(environ, capture)
        status, headers, exc_info = seen
        fault = next((v for k, v in headers if k.lower() == _FAULT_HEADER), None)
        if fault is None:
            start_response(status, headers, exc_info)
            return body
        if hasattr(body, "close"):
            body.close()
        kind, stall = parse_fault_header(fault)
        if kind == "timeout":
            _stall(environ, stall, stopping)
        raise _Drop(kind)

    return serve


def _stall(environ: WSGIEnvironment, seconds: float, stopping: threading.Event) -> None:
    """Hold the connection: until the client disconnects, `seconds` pass, or the server stops."""
    disconnected = environ.get("waitress.client_disconnected", lambda: False)
    deadline = time.monotonic() + seconds
    while not stopping.wait(POLL_SECONDS) and not disconnected() and time.monotonic() < deadline:
        pass


class Served(Protocol):
    """What `LiveServer` serves: a fake with its WSGI app (a `FakeBraze`)."""

    @property
    def config(self) -> FakeBrazeConfig: ...

    @property
    def app(self) -> WSGIApplication: ...


class LiveServer:
    """`with LiveServer(fake) as server: httpx.post(server.url + "/users/track", ...)`."""

    def __init__(
        self,
        fake: Served,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 8,
        inline: Callable[[], bool] | None = None,
        **waitress_options: Any,
    ) -> None:
        """`inline`: whether a plain Braze POST may be served on the I/O thread now (`_Inline`); by default
        the fake's own "no fault armed" when `fake.app` is a fake Braze's app, else never."""
        self.fake = fake
        self._stop = threading.Event()
        config = fake.config
        config.allowed_hosts = (*config.allowed_hosts, *(h for h in bind_hosts(host) if h not in config.allowed_hosts))
        # lookahead: a stalled request sees its client leave. recv_bytes: a 27 KB /users/track body in one
        # read instead of four, so fewer hand-offs of the GIL between the I/O thread and the workers.
        options = {"channel_request_lookahead": 1, "recv_bytes": 65536, **waitress_options}
        self._server: Any = cast(Any, create_server)(
            _faulting(self.fake.app, self._stop),
            host=host,
            port=port,
            threads=threads,
            ident="fake-braze",
            max_request_body_size=max(self.fake.config.max_body_bytes + 1, TRANSPORT_MAX_BODY),
            **options,
        )
        self._server.channel_class = _FaultChannel
        direct = direct_http(fake.app)
        quick = inline if inline is not None else (direct.quick if direct is not None else None)
        self._inline: _Inline | None = None
        if quick is not None and hasattr(self._server, "add_task"):
            self._inline = _Inline(self._server, quick)
            self._server.add_task = self._inline.add_task
            self._server.harness_inline = self._inline
            self._server.channel_class = _InlineChannel
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> LiveServer:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self.serve_forever, name="fake-braze-server", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve until `stop()` (or Ctrl-C when run in the main thread), then close every socket."""
        server = self._server
        if self._inline is not None:
            self._inline.io_thread = threading.get_ident()
        try:
            while not self._stop.is_set():
                server.asyncore.loop(
                    timeout=POLL_SECONDS, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1
                )
        finally:
            server.task_dispatcher.shutdown()
            server.asyncore.close_all(server._map)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
