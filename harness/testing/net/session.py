"""One guarded stretch of a test: its routes, its allow list, what it blocked, its open connections.

The patched client seams ask `current()` on every call, so routes added mid-test take effect at once
and nothing is routed once the session ends. Sessions nest (the innermost one decides); the last one
to end is where the patches come off (see `activation`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import weakref
from collections.abc import Iterable
from types import CodeType, TracebackType
from typing import Protocol

from harness.testing.net.egress import AllowList, Blocked, EgressBlocked, calling_client, is_ip, is_loopback
from harness.testing.net.routes import Route, RouteTable

__all__ = ["Closable", "ExpectBlocked", "NetworkSession", "current"]

_STACK: list[NetworkSession] = []
_LOCK = threading.Lock()
_PROXY_VARIABLES = ("https_proxy", "http_proxy", "all_proxy", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")
_STAND_INS: dict[str, str] = {}
"""Routed host -> the address its lookups answer: TEST-NET-1 (192.0.2.0/24, RFC 5737), routed nowhere."""
_BY_STAND_IN: dict[str, str] = {}


def stand_in_address(host: str) -> str:
    """A fixed documentation address for a routed host, the same for the whole process."""
    with _LOCK:
        if host not in _STAND_INS:
            address = f"192.0.2.{len(_STAND_INS) % 254 + 1}"
            _STAND_INS[host] = address
            _BY_STAND_IN[address] = host
        return _STAND_INS[host]


def current() -> NetworkSession | None:
    """The innermost active session, or None (then every seam behaves as unpatched)."""
    return _STACK[-1] if _STACK else None


class Closable(Protocol):
    def server_close(self) -> None:
        """The server side goes away: the client sees the connection closed."""


class NetworkSession:
    """Routes, allowed hosts and refusals for one test (or one Hypothesis example)."""

    def __init__(self, allow: Iterable[str] = (), *, loopback: bool = True, origins: Iterable[CodeType] = ()) -> None:
        self.table = RouteTable()
        self.allowed = AllowList(list(allow))
        self.loopback = loopback
        """Connections to 127.0.0.0/8, ::1 and localhost pass (loopback servers: braze_server,
        pytest-httpserver, a local database). Unix sockets always pass."""
        self.blocked: list[Blocked] = []
        self.origins: set[CodeType] = set(origins)
        """The test function's code: a refusal it caught itself (`pytest.raises`) was expected."""
        self._connections: weakref.WeakSet[Closable] = weakref.WeakSet()
        self._calls = 0
        self._idle = threading.Condition(threading.Lock())
        self.connections_opened = 0
        """In-process connections opened so far (a pooled client opens one and keeps it)."""
        self._hostname = ""
        self._environment: dict[str, str | None] = {}

    # -- configuration -------------------------------------------------------------------------
    def add_route(self, route: Route) -> None:
        """Route `route`'s hosts from now on (replacing a route of the same name)."""
        self.table.add(route)
        if route.no_proxy and any(os.environ.get(name) for name in _PROXY_VARIABLES):
            # Clients read one spelling or the other (requests prefers lowercase): both get the union.
            entries: list[str] = []
            for name in ("no_proxy", "NO_PROXY"):
                self._environment.setdefault(name, os.environ.get(name))
                entries += [e.strip() for e in (os.environ.get(name) or "").split(",") if e.strip()]
            entries += route.no_proxy
            value = ",".join(dict.fromkeys(entries))
            os.environ["no_proxy"] = os.environ["NO_PROXY"] = value

    def restore_environment(self) -> None:
        """Take back what `add_route` added to NO_PROXY."""
        for name, value in self._environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._environment.clear()

    def allow(self, entry: str) -> None:
        """Let `entry` through: a host (any port), `host:port`, `[v6]:port` or a URL's host and port."""
        self.allowed.add(entry)

    def is_allowed(self, host: str, port: int | None) -> bool:
        """Would a connection to `host:port` pass the guard (allow list or loopback)?"""
        return (self.loopback and is_loopback(host)) or self.allowed.allows(host, port)

    # -- verdicts (raise EgressBlocked) ---------------------------------------------------------
    def routed_address(self, host: str) -> str | None:
        """What a lookup of a routed host answers, without the resolver: a stand-in address (connecting
        to it is refused; routed clients never look the host up). None for a host that is not routed;
        `socket.gaierror` for one that matches a route but names nothing."""
        route = self.table.find(host)
        if route is None:
            return None
        name = host.rstrip(".").lower()
        if not route.exists(name):
            raise socket.gaierror(socket.EAI_NONAME, route.unknown(name))
        return stand_in_address(name)

    def check_name(self, host: str, port: int | None) -> None:
        """Before resolving `host`: IP literals pass (the connection is judged), names must be allowed."""
        if is_ip(host) or (self.loopback and is_loopback(host)) or self.allowed.names(host):
            return
        if host == self._own_hostname():
            return  # this machine's name; what it resolves to is judged at connect
        raise self.block(host, port, "resolve")

    def check_address(self, family: int, address: object, action: str) -> None:
        """Before connecting (or sending a datagram) to `address`."""
        if family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, tuple) or len(address) < 2:
            return  # Unix sockets, netlink, ...; a malformed address fails in the real call
        host, port = address[0], address[1]
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if not isinstance(host, str):
            return
        port = port if isinstance(port, int) else None
        if is_ip(host):
            routed = _BY_STAND_IN.get(host)
            if routed is not None and self.table.find(routed) is not None:
                raise self.block(routed, port, action)  # a routed host reached without a routed client
            if not self.is_allowed(host, port):
                raise self.block(host, port, action)
            return
        if self.table.find(host) is not None:
            raise self.block(host, port, action)
        self.check_name(host, port)

    def learn(self, name: str, infos: object) -> None:
        """`name` was allowed and resolved: its addresses are allowed like it."""
        if isinstance(infos, list) and self.allowed.names(name):
            self.allowed.learn(name, [str(info[4][0]) for info in infos if isinstance(info, tuple) and info[4:]])

    def block(self, host: str, port: int | None, action: str) -> EgressBlocked:
        """Record a refusal; the caller raises the returned exception."""
        routed = self.table.find(host) is not None
        blocked = Blocked(host.lower(), port, action, calling_client(3), routed=routed)
        error = EgressBlocked(blocked)
        with _LOCK:
            self.blocked.append(blocked)
        return error

    def _own_hostname(self) -> str:
        if not self._hostname:
            try:
                self._hostname = socket.gethostname().lower()
            except OSError:
                self._hostname = "localhost"
        return self._hostname

    # -- teardown ------------------------------------------------------------------------------
    def unacknowledged(self) -> list[Blocked]:
        """Refusals the test did not expect: neither `expect_blocked` nor caught by the test's own code."""
        return [b for b in self.blocked if not b.expected and not b.caught_by(self.origins)]

    def expect_blocked(self, *hosts: str) -> ExpectBlocked:
        return ExpectBlocked(self, hosts)

    # -- connections ---------------------------------------------------------------------------
    def track(self, connection: Closable) -> None:
        with _LOCK:
            self._connections.add(connection)
            self.connections_opened += 1

    def close_connections(self) -> None:
        """Close every routed connection still open, so a pooled one cannot reach the next test's fake."""
        for connection in list(self._connections):
            with contextlib.suppress(Exception):  # closing a dead connection must not fail a teardown
                connection.server_close()
        self._connections = weakref.WeakSet()

    def calling(self) -> _Call:
        """`with session.calling():` around an app call, so `drain()` can wait for it."""
        return _Call(self)

    def drain(self, timeout: float) -> bool:
        """Wait until no app call of this session runs (a client that timed out leaves its call running);
        False if one is still running after `timeout` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._calls == 0, timeout)

    # -- the stack -----------------------------------------------------------------------------
    def push(self) -> bool:
        """Make this the current session; True when it is the first (the caller installs the patches)."""
        with _LOCK:
            _STACK.append(self)
            return len(_STACK) == 1

    def pop(self) -> bool:
        """End this session; True when it was the last."""
        with _LOCK:
            if self in _STACK:
                _STACK.remove(self)
            return not _STACK


class _Call:
    def __init__(self, session: NetworkSession) -> None:
        self._session = session

    def __enter__(self) -> None:
        with self._session._idle:
            self._session._calls += 1

    def __exit__(self, *exc: object) -> None:
        with self._session._idle:
            self._session._calls -= 1
            self._session._idle.notify_all()


class ExpectBlocked:
    """`with session.expect_blocked("hooks.example.com"):` a refusal of these hosts (any host if none
    given) is expected: it does not fail the test, an `EgressBlocked` for it is swallowed, and the
    block fails if no such refusal happened. `.blocked` lists them afterwards."""

    def __init__(self, session: NetworkSession, hosts: tuple[str, ...]) -> None:
        wrong = [h for h in hosts if not isinstance(h, str)]
        if wrong:
            raise TypeError(f"expect_blocked takes host names ('hooks.example.com'), not {wrong!r}")
        self._session = session
        self._hosts = {h.strip("[]").rstrip(".").lower() for h in hosts}
        self._start = 0
        self.blocked: list[Blocked] = []

    def _wanted(self, blocked: Blocked) -> bool:
        return not self._hosts or blocked.host in self._hosts

    def __enter__(self) -> ExpectBlocked:
        self._start = len(self._session.blocked)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        self.blocked = [b for b in self._session.blocked[self._start :] if self._wanted(b)]
        for blocked in self.blocked:
            blocked.expected = True
        if isinstance(exc, EgressBlocked) and self._wanted(exc.blocked):
            return True
        if exc is None and not self.blocked:
            wanted = ", ".join(sorted(self._hosts)) or "any host"
            raise AssertionError(f"expected a blocked connection to {wanted}; nothing was blocked")
        return False
