"""The socket-level guard: name lookups, connects and datagrams judged by the current session.

As pytest-socket does, the guard sits at the `socket` module, under every client (urllib, http.client,
urllib3, httpx, aiohttp's resolver and asyncio's `sock_connect`, raw sockets). It also refuses the
name lookup itself, so a blocked host never reaches the resolver and the error names the host, not an
address. A routed host's lookup answers a stand-in documentation address without asking the resolver
(code that only looks, like a proxy-bypass check, keeps working); connecting to it is refused.
Not covered: subprocesses, C extensions with their own sockets (pycurl, c-ares via aiodns), and event
loops that bypass Python sockets (uvloop).
"""

from __future__ import annotations

import socket
from typing import Any

from harness.testing.net.patches import Patches
from harness.testing.net.session import current

__all__ = ["install"]


def _text(host: Any) -> str | None:
    if isinstance(host, bytes):
        return host.decode("ascii", "replace")
    return host if isinstance(host, str) else None


def _port(port: Any) -> int | None:
    if isinstance(port, int):
        return port
    if isinstance(port, (str, bytes)):
        text = port.decode("ascii", "replace") if isinstance(port, bytes) else port
        if text.isdigit():
            return int(text)
        try:
            return socket.getservbyname(text, "tcp")
        except OSError:
            return None
    return None


def install(patches: Patches) -> None:
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        session, name = current(), _text(host)
        if session is None or not name:
            return real_getaddrinfo(host, port, *args, **kwargs)
        stand_in = session.routed_address(name)
        if stand_in is not None:
            return real_getaddrinfo(stand_in, port, *args, **kwargs)  # numeric: no resolver involved
        session.check_name(name, _port(port))
        infos = real_getaddrinfo(host, port, *args, **kwargs)
        session.learn(name, infos)
        return infos

    patches.set(socket, "getaddrinfo", getaddrinfo)

    def guard_name(name: str) -> None:
        real = getattr(socket, name)

        def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
            session, text = current(), _text(host)
            stand_in = session.routed_address(text) if session is not None and text else None
            if stand_in is not None:
                return stand_in if name == "gethostbyname" else (text, [], [stand_in])
            if session is not None and text:
                session.check_name(text, None)
            result = real(host, *args, **kwargs)
            if session is not None and text and session.allowed.names(text):
                addresses = [result] if isinstance(result, str) else list(result[2])
                session.allowed.learn(text, addresses)
            return result

        patches.set(socket, name, lookup)

    guard_name("gethostbyname")
    guard_name("gethostbyname_ex")

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto

    def connect(sock: socket.socket, address: Any) -> None:
        session = current()
        if session is not None:
            session.check_address(sock.family, address, "connect")
        return real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        session = current()
        if session is not None:
            session.check_address(sock.family, address, "connect")
        return real_connect_ex(sock, address)

    def sendto(sock: socket.socket, data: Any, *args: Any) -> int:
        session = current()
        if session is not None and args:
            session.check_address(sock.family, args[-1], "send")
        return real_sendto(sock, data, *args)

    patches.set(socket.socket, "connect", connect)
    patches.set(socket.socket, "connect_ex", connect_ex)
    patches.set(socket.socket, "sendto", sendto)
