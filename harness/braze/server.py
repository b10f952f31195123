"""A fake Braze served over HTTP by waitress (not Flask's development server), in a background thread.

`LiveServer` binds 127.0.0.1 on a free port by default; `serve` and the `braze_server` fixture use it.
The serving loop polls a stop flag, so `stop()` returns quickly and every socket is closed by the
thread that serves it (closing them from another thread races waitress's select loop).
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import Any

from waitress.server import create_server

from harness.braze.fake import FakeBraze

__all__ = ["LiveServer"]

log = logging.getLogger("harness.braze.server")
# waitress warns "Task queue depth is N" whenever a request waits for a worker thread; under load that
# is every request, and writing it costs more than the request. Queueing is expected here.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)

POLL_SECONDS = 0.05


class LiveServer:
    """`with LiveServer(fake) as server: httpx.post(server.url + "/users/track", ...)`."""

    def __init__(
        self,
        fake: FakeBraze | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 8,
        **waitress_options: Any,
    ) -> None:
        self.fake = fake or FakeBraze()
        self._server: Any = create_server(
            self.fake.app,
            host=host,
            port=port,
            threads=threads,
            ident="fake-braze",
            max_request_body_size=self.fake.config.max_body_bytes + 1,
            **waitress_options,
        )
        self.host = host
        self.port = int(self._server.effective_port)
        self._stop = threading.Event()
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
