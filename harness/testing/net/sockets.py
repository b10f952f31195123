"""Routed hosts for the socket-based clients: http.client / urllib.request, urllib3 / requests, httpx (sync).

Their connection code asks `socket.create_connection` (urllib3: its own `create_connection`) for a
socket, then `SSLContext.wrap_socket` for TLS. For a routed host both hand back a `RoutedSocket`: a
real socket (one end of a socketpair, so `fileno()`, `select` and urllib3's "was it dropped?" check
work) whose writes are parsed as HTTP requests and whose reads return the in-process app's answers.
Everything above it (pools, retries, redirects, timeouts, each client's HTTP parser) runs as against
a server. A drop fault closes the socket (the client's "remote end closed" error), a timeout fault
fails the read at once with `socket.timeout` (no real wait), and an app slower than the client's read
timeout times out, as it would over the network.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import errno
import socket
import ssl
import threading
import time
from collections import deque
from typing import Any

from harness.testing.net.patches import Patches
from harness.testing.net.session import current
from harness.testing.net.wire import Reply, Wire
from harness.testing.net.wsgi import HttpRequest

__all__ = ["RoutedSocket", "install", "install_urllib3", "open_routed", "submit"]

_DEFAULT = object()
_POOL: concurrent.futures.ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def submit(wire: Wire, request: HttpRequest) -> concurrent.futures.Future[Reply]:
    """Serve `request` on a worker thread, so the client can time out while the app runs (a latency fault)."""
    global _POOL
    if _POOL is None:
        with _POOL_LOCK:
            if _POOL is None:
                _POOL = concurrent.futures.ThreadPoolExecutor(max_workers=32, thread_name_prefix="harness-inprocess")
    return _POOL.submit(wire.serve, request)


def _ready(reply: Reply) -> concurrent.futures.Future[Reply]:
    future: concurrent.futures.Future[Reply] = concurrent.futures.Future()
    future.set_result(reply)
    return future


def _timeout(value: Any) -> float | None:
    """A client's timeout argument, with either library's "default" sentinel read as the global default."""
    if value is None or isinstance(value, (int, float)):
        return value
    return socket.getdefaulttimeout()


class RoutedSocket(socket.socket):
    """The client end of an in-memory connection to a routed host (see the module docstring)."""

    def __init__(self, wire: Wire) -> None:
        mine, peer = socket.socketpair()
        super().__init__(mine.family, mine.type, mine.proto, fileno=mine.detach())
        self._peer: socket.socket | None = peer
        self._wire = wire
        self._out = bytearray()
        self._pending: deque[concurrent.futures.Future[Reply]] = deque()
        self._state = "open"  # open | closing (answer then EOF) | closed | stalled
        self.server_hostname: str | None = None
        self.context: ssl.SSLContext | None = None

    def __repr__(self) -> str:
        return f"<RoutedSocket {self._wire.host}:{self._wire.port} via {self._wire.route.name} ({self._state})>"

    # -- writing: the client's request bytes ---------------------------------------------------
    def _take(self, data: bytes) -> int:
        if self.fileno() < 0:
            raise OSError(errno.EBADF, "Bad file descriptor")
        if self._state in ("closed", "closing"):
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")
        for event in self._wire.receive(data):
            if isinstance(event, bytes):
                self._pending.append(_ready(Reply(event)))
            elif self._wire.immediate():
                self._pending.append(_ready(self._serve_here(event)))
            else:
                self._pending.append(submit(self._wire, event))
        if self._wire.refused is not None:
            self._pending.append(_ready(self._wire.refused))
            self._wire.refused = None
        return len(data)

    def _serve_here(self, request: HttpRequest) -> Reply:
        """Answer on this thread (no thread hand-off); an answer slower than the read timeout still times out,
        as the client waiting on the worker thread would have."""
        timeout = self.gettimeout()
        started = time.monotonic()
        reply = self._wire.serve(request)
        if timeout and time.monotonic() - started > timeout:
            return Reply(fault="timeout")
        return reply

    def sendall(self, data: Any, flags: int = 0) -> None:
        self._take(bytes(data))

    def send(self, data: Any, flags: int = 0) -> int:
        return self._take(bytes(data))

    def sendmsg(self, buffers: Any, *args: Any) -> int:
        return self._take(b"".join(bytes(b) for b in buffers))

    def sendfile(self, file: Any, offset: int = 0, count: int | None = None) -> int:
        if offset:
            file.seek(offset)
        data = file.read() if count is None else file.read(count)
        return self._take(data.encode() if isinstance(data, str) else data)

    # -- reading: the app's answers ------------------------------------------------------------
    def _fill(self) -> bool:
        """Make answer bytes available; False at the end of the stream."""
        while not self._out:
            if self.fileno() < 0:
                raise OSError(errno.EBADF, "Bad file descriptor")
            if self._state == "stalled":
                raise TimeoutError("timed out")
            if self._state in ("closed", "closing") or not self._pending:
                if self._state == "open":  # nothing was asked: a real socket would wait for the timeout
                    raise TimeoutError("timed out (nothing was sent on this in-process connection)")
                return False
            timeout = self.gettimeout()
            future = self._pending[0]
            if timeout == 0 and not future.done():
                raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
            try:
                reply = future.result(timeout=timeout)
            except concurrent.futures.TimeoutError:
                self._state = "stalled"  # the late answer is never read, as on a connection given up
                raise TimeoutError("timed out") from None
            if self._pending and self._pending[0] is future:
                self._pending.popleft()  # (the session may have closed the connection meanwhile)
            if self._state == "closed":
                return False
            if reply.fault == "drop":
                self.server_close()
            elif reply.fault == "timeout":
                self._state = "stalled"
            else:
                self._out += reply.data
                if reply.close:
                    self._state = "closing"
                    self._close_peer()
        return True

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        if not self._fill():
            return b""
        data = bytes(self._out[:bufsize])
        del self._out[:bufsize]
        return data

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        view = memoryview(buffer).cast("B")
        if not self._fill():
            return 0
        size = min(nbytes or len(view), len(view), len(self._out))
        view[:size] = self._out[:size]
        del self._out[:size]
        return size

    def pending(self) -> int:  # ssl.SSLSocket's: bytes already decrypted
        return len(self._out)

    # -- connection ----------------------------------------------------------------------------
    def server_close(self) -> None:
        """The server closed the connection: reads end, the fd turns readable (what pools check)."""
        self._state = "closed"
        self._pending.clear()
        self._close_peer()

    def _close_peer(self) -> None:
        peer, self._peer = self._peer, None
        if peer is not None:
            peer.close()

    def _real_close(self, *args: Any) -> None:
        self._close_peer()
        super()._real_close(*args)  # type: ignore[misc]

    def setsockopt(self, *args: Any) -> None:
        if args and args[0] == socket.IPPROTO_TCP:
            return  # TCP_NODELAY and friends: meaningless on the socketpair
        with contextlib.suppress(OSError):
            super().setsockopt(*args)

    def getpeername(self) -> tuple[str, int]:
        return (self._wire.host, self._wire.port)

    def getsockname(self) -> tuple[str, int]:
        return ("127.0.0.1", 0)

    # -- TLS, as far as clients look at it -----------------------------------------------------
    def start_tls(self, context: ssl.SSLContext | None, server_hostname: str | None) -> RoutedSocket:
        self.context = context
        self.server_hostname = server_hostname
        self._wire.scheme = "https"
        return self

    def do_handshake(self, *args: Any) -> None:
        return None

    def unwrap(self) -> RoutedSocket:
        return self

    def selected_alpn_protocol(self) -> str | None:
        return None

    def version(self) -> str:
        return "TLSv1.3"

    def cipher(self) -> tuple[str, str, int]:
        return ("TLS_AES_128_GCM_SHA256", "TLSv1.3", 128)

    def compression(self) -> None:
        return None

    def getpeercert(self, binary_form: bool = False) -> Any:
        if binary_form:
            return b""
        host = self.server_hostname or self._wire.host
        return {"subject": ((("commonName", host),),), "subjectAltName": (("DNS", host),)}


def open_routed(address: Any, timeout: Any) -> RoutedSocket | None:
    """A routed socket when the current session routes `address`'s host; None otherwise."""
    session = current()
    if session is None or not isinstance(address, tuple) or len(address) < 2:
        return None
    route = session.table.find(address[0])
    if route is None:
        return None
    host = str(address[0]).rstrip(".").lower()
    if not route.exists(host):
        raise socket.gaierror(socket.EAI_NONAME, route.unknown(host))
    try:
        port = int(address[1])
    except (TypeError, ValueError):
        raise socket.gaierror(socket.EAI_SERVICE, f"port {address[1]!r} is not a number") from None
    sock = RoutedSocket(Wire(route, host, port, session))
    sock.settimeout(_timeout(timeout))
    session.track(sock)
    return sock


def install(patches: Patches) -> None:
    """`socket.create_connection` (http.client, urllib.request, httpx's sync backend) and TLS wrapping."""
    real_create = socket.create_connection

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        routed = open_routed(address, args[0] if args else kwargs.get("timeout", _DEFAULT))
        return routed if routed is not None else real_create(address, *args, **kwargs)

    patches.set(socket, "create_connection", create_connection)
    real_wrap = ssl.SSLContext.wrap_socket

    def wrap_socket(context: ssl.SSLContext, sock: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(sock, RoutedSocket):
            return sock.start_tls(context, kwargs.get("server_hostname"))
        return real_wrap(context, sock, *args, **kwargs)

    patches.set(ssl.SSLContext, "wrap_socket", wrap_socket)


def install_urllib3(module: Any, patches: Patches) -> None:
    """`urllib3.util.connection.create_connection`, which urllib3 (hence requests) connects with."""
    real_create = module.create_connection

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        routed = open_routed(address, args[0] if args else kwargs.get("timeout", _DEFAULT))
        return routed if routed is not None else real_create(address, *args, **kwargs)

    patches.set(module, "create_connection", create_connection)
