"""Routed hosts for aiohttp: `TCPConnector` gets an in-memory transport for them instead of a socket.

aiohttp's own protocol (`ResponseHandler`), HTTP parser, connection pool and timeouts run on it; the app
runs on a worker thread so the loop keeps turning. A drop fault closes the transport
(`ServerDisconnectedError`); a timeout fault fails the read at once with aiohttp's read-timeout error
(`SocketTimeoutError`, an `asyncio.TimeoutError`), as its `sock_read` timer would.
"""

from __future__ import annotations

import asyncio
import socket
from collections import deque
from typing import Any

from harness.testing.net.patches import Patches
from harness.testing.net.session import current
from harness.testing.net.sockets import submit
from harness.testing.net.wire import Reply, Wire
from harness.testing.net.wsgi import HttpRequest

__all__ = ["MemoryTransport", "install"]


class MemoryTransport(asyncio.Transport):
    """An asyncio transport whose peer is a `Wire`: requests written are answered on the loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, wire: Wire, protocol: Any) -> None:
        super().__init__()
        self._loop = loop
        self._wire = wire
        self._protocol = protocol
        self._queue: deque[HttpRequest | Reply] = deque()
        self._serving = False
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._reading = True

    # -- the client writes ---------------------------------------------------------------------
    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._closing:
            return
        self._queue.extend(Reply(e) if isinstance(e, bytes) else e for e in self._wire.receive(bytes(data)))
        if self._wire.refused is not None:
            self._queue.append(self._wire.refused)
            self._wire.refused = None
        if self._queue and not self._serving:
            self._serving = True
            self._task = self._loop.create_task(self._serve())  # kept: the loop holds tasks weakly

    def writelines(self, list_of_data: Any) -> None:
        self.write(b"".join(bytes(d) for d in list_of_data))

    def can_write_eof(self) -> bool:
        return False

    def write_eof(self) -> None:
        raise NotImplementedError("in-process connections cannot half-close")

    def get_write_buffer_size(self) -> int:
        return 0

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return (0, 0)

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        return None

    # -- the server answers --------------------------------------------------------------------
    def _closed_meanwhile(self) -> bool:
        """Whether the client closed the transport while the answer was computed (read after an await)."""
        return self._closing

    async def _serve(self) -> None:
        try:
            while self._queue and not self._closing:
                item = self._queue.popleft()
                reply = item if isinstance(item, Reply) else await asyncio.wrap_future(submit(self._wire, item))
                if self._closed_meanwhile():
                    return
                if reply.fault == "drop":
                    self.server_close()
                    return
                if reply.fault == "timeout":
                    self._stall()
                    return
                self._protocol.data_received(reply.data)
                if reply.close:
                    self.server_close()
                    return
        finally:
            self._serving = False

    def _stall(self) -> None:
        import aiohttp

        error = getattr(aiohttp, "SocketTimeoutError", aiohttp.ServerTimeoutError)
        self._protocol.set_exception(error("Timeout on reading data from socket"))

    def server_close(self) -> None:
        """The server closed the connection (a drop fault, `Connection: close`, or the session ended)."""
        if self._closing:
            return
        self._closing = True
        self._queue.clear()
        if self._loop.is_closed():
            return
        if self._loop is _running_loop():
            self._protocol.connection_lost(None)
        else:
            self._loop.call_soon_threadsafe(self._protocol.connection_lost, None)

    # -- the client closes ---------------------------------------------------------------------
    def close(self) -> None:
        if not self._closing:
            self._closing = True
            self._queue.clear()
            if self._task is not None and not self._task.done():
                self._task.cancel()  # an answer the client gave up on (its timeout): nobody reads it
            if not self._loop.is_closed():
                self._loop.call_soon(self._protocol.connection_lost, None)

    def abort(self) -> None:
        self.close()

    def is_closing(self) -> bool:
        return self._closing

    # -- the rest of the interface -------------------------------------------------------------
    def pause_reading(self) -> None:
        self._reading = False

    def resume_reading(self) -> None:
        self._reading = True

    def is_reading(self) -> bool:
        return self._reading and not self._closing

    def set_protocol(self, protocol: Any) -> None:
        self._protocol = protocol

    def get_protocol(self) -> Any:
        return self._protocol

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        if name == "peername":
            return (self._wire.host, self._wire.port)
        if name == "sockname":
            return ("127.0.0.1", 0)
        return default


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def install(module: Any, patches: Patches) -> None:
    """`aiohttp.connector`: routed hosts skip DNS, sockets and TLS, and any proxy."""
    connector = module.TCPConnector
    real_create = connector._create_connection

    async def _create_connection(self: Any, req: Any, traces: Any, timeout: Any) -> Any:
        session = current()
        host = req.url.raw_host or ""
        route = session.table.find(host) if session is not None else None
        if route is None or session is None:
            return await real_create(self, req, traces, timeout)
        name = host.rstrip(".").lower()
        if not route.exists(name):
            error = getattr(module, "ClientConnectorDNSError", module.ClientConnectorError)
            raise error(req.connection_key, socket.gaierror(socket.EAI_NONAME, route.unknown(name)))
        wire = Wire(route, name, int(req.port or (443 if req.is_ssl() else 80)), session)
        wire.scheme = "https" if req.is_ssl() else "http"
        protocol = self._factory()
        transport = MemoryTransport(asyncio.get_running_loop(), wire, protocol)
        protocol.connection_made(transport)
        session.track(transport)
        return protocol

    patches.set(connector, "_create_connection", _create_connection)
