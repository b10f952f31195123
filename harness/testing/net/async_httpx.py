"""Routed hosts for httpx's async clients: httpcore's async network backends (anyio, trio) hand out an
in-memory stream for them, below httpcore's own HTTP/1.1, pool and timeouts.

The app runs on a worker thread (`anyio.to_thread`), so a slow answer does not block the event loop and
the client's read timeout applies to it as over the network; a drop fault ends the stream (httpx's
`RemoteProtocolError`, as from a real server), a timeout fault fails the read at once (`ReadTimeout`).
"""

from __future__ import annotations

import inspect
import socket
from collections import deque
from typing import Any, cast

from harness.testing.net.patches import Patches
from harness.testing.net.session import current
from harness.testing.net.wire import Reply, Wire
from harness.testing.net.wsgi import HttpRequest

__all__ = ["RoutedStream", "install"]

_ABANDON: dict[str, bool] = {}


async def _in_thread(wire: Wire, request: HttpRequest) -> Reply:
    import anyio.to_thread

    if not _ABANDON:  # anyio >= 4.1 says abandon_on_cancel, older versions cancellable
        parameters = inspect.signature(anyio.to_thread.run_sync).parameters
        _ABANDON["abandon_on_cancel" if "abandon_on_cancel" in parameters else "cancellable"] = True
    serve: Any = anyio.to_thread.run_sync
    return cast(Reply, await serve(wire.serve, request, **_ABANDON))


class RoutedStream:
    """httpcore's `AsyncNetworkStream` interface over a `Wire`."""

    def __init__(self, wire: Wire) -> None:
        self._wire = wire
        self._out = bytearray()
        self._pending: deque[HttpRequest | Reply] = deque()
        self._state = "open"  # open | closing | closed | stalled

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        import anyio
        import httpcore

        while not self._out:
            if self._state == "stalled":
                raise httpcore.ReadTimeout("timed out")
            if self._state != "open" or not self._pending:
                if self._state == "open":
                    raise httpcore.ReadTimeout("timed out (nothing was sent on this in-process connection)")
                return b""
            item = self._pending.popleft()
            if isinstance(item, Reply):
                reply = item
            else:
                try:
                    with anyio.fail_after(timeout):
                        reply = await _in_thread(self._wire, item)
                except TimeoutError:
                    self._state = "stalled"
                    raise httpcore.ReadTimeout("timed out") from None
            if reply.fault == "drop":
                self.server_close()
            elif reply.fault == "timeout":
                self._state = "stalled"
            else:
                self._out += reply.data
                if reply.close:
                    self._state = "closing"
        data = bytes(self._out[:max_bytes])
        del self._out[:max_bytes]
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        import httpcore

        if self._state in ("closed", "closing"):
            raise httpcore.WriteError("[Errno 32] Broken pipe")
        for event in self._wire.receive(buffer):
            self._pending.append(Reply(event) if isinstance(event, bytes) else event)
        if self._wire.refused is not None:
            self._pending.append(self._wire.refused)
            self._wire.refused = None

    async def aclose(self) -> None:
        self._state = "closed"
        self._pending.clear()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> Any:
        self._wire.scheme = "https"
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # what the pool asks of an idle connection: has the server closed it?
            return self._state in ("closed", "closing") or bool(self._out)
        if info == "server_addr":
            return (self._wire.host, self._wire.port)
        if info == "client_addr":
            return ("127.0.0.1", 0)
        return None  # ssl_object None: HTTP/1.1, as without ALPN

    def server_close(self) -> None:
        self._state = "closed"
        self._pending.clear()


def _patch_backend(backend: type, patches: Patches) -> None:
    real_connect = backend.connect_tcp  # type: ignore[attr-defined]

    async def connect_tcp(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        session = current()
        route = session.table.find(host) if session is not None else None
        if route is None or session is None:
            return await real_connect(self, host, port, *args, **kwargs)
        import httpcore

        name = host.rstrip(".").lower()
        if not route.exists(name):
            raise httpcore.ConnectError(str(socket.gaierror(socket.EAI_NONAME, route.unknown(name))))
        stream = RoutedStream(Wire(route, name, int(port), session))
        session.track(stream)
        return stream

    patches.set(backend, "connect_tcp", connect_tcp)


def install(module: Any, patches: Patches) -> None:
    """`httpcore._backends.anyio` or `httpcore._backends.trio`: patch the backend class it defines."""
    for name in ("AnyIOBackend", "TrioBackend"):
        backend = getattr(module, name, None)
        if isinstance(backend, type) and "connect_tcp" in vars(backend):
            _patch_backend(backend, patches)
