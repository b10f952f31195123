"""One live fake Braze per test session (per xdist worker), serving whichever fake the current test owns.

Starting waitress costs a thread and a port, so it happens once (pytest-httpserver's layering); each
test then points the server at its own fresh `FakeBraze`, which is the per-test reset, and makes the
live server and the in-process `fake_braze` one and the same fake. Between tests an idle fake answers,
so a straggling request from an earlier test cannot touch the next test's state.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from harness.braze import FakeBraze, LiveServer

__all__ = ["SessionServer"]

_WAITRESS_BODY_LIMIT = 256 * 1024 * 1024
"""waitress's own cap; each test's fake still enforces its configured `max_body_bytes` (413)."""


class SessionServer:
    """`LiveServer` on a free loopback port whose app can be switched per test with `serve(fake)`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **waitress_options: Any) -> None:
        self._idle = FakeBraze(max_body_bytes=_WAITRESS_BODY_LIMIT)
        self._idle_app: WSGIApplication = self._idle.app.wsgi_app
        self._current: WSGIApplication = self._idle_app
        # Flask's documented middleware slot: the idle fake's app forwards to the current test's app.
        self._idle.app.wsgi_app = self._dispatch  # type: ignore[method-assign]
        self._server = LiveServer(self._idle, host=host, port=port, **waitress_options)

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

    def _dispatch(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self._current(environ, start_response)

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
