"""A fake Braze served over HTTP by waitress (not Flask's development server), in a background thread.

`LiveServer` binds 127.0.0.1 on a free port by default; `serve` and the `braze_server` fixture use it.
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
        self._server = create_server(
            self.fake.app,
            host=host,
            port=port,
            threads=threads,
            ident="fake-braze",
            max_request_body_size=self.fake.config.max_body_bytes + 1,
            **waitress_options,
        )
        self.host = host
        self.port: int = self._server.effective_port  # type: ignore[union-attr]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> LiveServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.run, name="fake-braze-server", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Block serving requests until `stop()` (from a signal handler or another thread)."""
        self._server.run()

    def stop(self) -> None:
        self._server.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
