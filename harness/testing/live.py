"""One live fake Braze per test session (per xdist worker), serving whichever fake the current test owns.

Starting waitress costs a thread and a port, so it happens once (pytest-httpserver's layering); each
test then points the server at its own `FakeBraze` (the in-process `fake_braze`: one and the same fake).
Between tests an idle fake answers, so a straggling request from an earlier test cannot touch the next
test's state; `drain()` waits for requests already inside a test's fake before it is reset for another.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from harness.braze import TRANSPORT_MAX_BODY, FakeBraze, LiveServer, direct_http

__all__ = ["SessionServer"]


class SessionServer:
    """`LiveServer` on a free loopback port whose app can be switched per test with `serve(fake)`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **waitress_options: Any) -> None:
        self._idle = FakeBraze(max_body_bytes=TRANSPORT_MAX_BODY)  # each test's fake enforces its own (413)
        self._idle_app: WSGIApplication = self._idle.app.wsgi_app
        self._current: WSGIApplication = self._idle_app
        self._calls = 0
        self._quiet = threading.Condition(threading.Lock())
        # Flask's documented middleware slot: the idle fake's app forwards to the current test's app.
        self._idle.app.wsgi_app = self._dispatch  # type: ignore[method-assign]
        self._fake: FakeBraze = self._idle
        self._server = LiveServer(self._idle, host=host, port=port, inline=self._quick, **waitress_options)

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def host(self) -> str:
        return self._server.host

    @property
    def port(self) -> int:
        return int(self._server.port)  # waitress reports it as a str

    @property
    def address(self) -> str:
        """`host:port`, as the routing's allow list wants it."""
        return self.url.removeprefix("http://")

    def serve(self, fake: FakeBraze | None) -> None:
        """Answer with `fake` from now on (None: the idle fake)."""
        self._current = self._idle_app if fake is None else fake.app
        self._fake = self._idle if fake is None else fake

    def _quick(self) -> bool:
        """The current test's fake has no fault armed (so the server may answer it on its I/O thread)."""
        direct = direct_http(self._fake.app)
        return direct is not None and direct.quick()

    def _dispatch(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        app = self._current
        if app is self._idle_app:
            return app(environ, start_response)
        with self._quiet:
            self._calls += 1
        try:
            return app(environ, start_response)  # the fake answers with a list: done when this returns
        finally:
            with self._quiet:
                self._calls -= 1
                self._quiet.notify_all()

    def drain(self, timeout: float) -> bool:
        """Wait until no request is inside a test's fake; False if one still is after `timeout` seconds."""
        with self._quiet:
            return self._quiet.wait_for(lambda: self._calls == 0, timeout)

    def start(self) -> SessionServer:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> SessionServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
