"""What may leave the process while the harness guards the network: an allow list, loopback, and a
record of each refusal with the exception that was raised for it.

The exception is an `AssertionError`, not an `OSError`, on purpose: HTTP clients turn `OSError`s into
their own connection errors (and retry them), which would bury the message; an `AssertionError`
reaches the test as it is. A client that catches everything still cannot hide it: the record stays,
and the fixture fails the test at teardown unless the test itself caught it.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from dataclasses import dataclass, field
from types import CodeType, FrameType, TracebackType
from urllib.parse import urlsplit

__all__ = ["AllowList", "Blocked", "EgressBlocked", "is_ip", "is_loopback", "parse_host_port"]

_LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})
_WHEN = {"resolve": "refused at name lookup", "connect": "refused at connect", "send": "a datagram, refused"}
_CLIENTS = {
    "requests": "requests",
    "urllib3": "urllib3",
    "httpx": "httpx",
    "httpcore": "httpx",
    "aiohttp": "aiohttp",
    "aiohappyeyeballs": "aiohttp",
    "urllib": "urllib.request",
    "http": "http.client",
    "asyncio": "asyncio",
    "concurrent": "an async client's resolver thread",
}


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_ip(host: str) -> bool:
    return _address(host) is not None


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 (also IPv4-mapped) and the names that always mean this machine."""
    name = host.strip("[]").rstrip(".").lower()
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    address = _address(name)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def parse_host_port(entry: str) -> tuple[str, int | None]:
    """`host`, `host:port`, `[v6]:port`, a bare IPv6 address, or a URL -> (host, port or None)."""
    text = entry.strip()
    if "://" in text:
        parts = urlsplit(text)
        try:
            port = parts.port
        except ValueError:
            port = None
        return (parts.hostname or "").lower(), port
    text = text.strip("/")
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
        return host.lower(), int(port_text) if port_text.isdigit() else None
    if text.count(":") == 1:
        host, _, port_text = text.partition(":")
        if port_text.isdigit():
            return host.lower().rstrip("."), int(port_text)
    return text.lower().rstrip("."), None


def _key(host: str) -> str:
    """One spelling per host: no brackets, no trailing dot, lower case."""
    return host.strip("[]").rstrip(".").lower()


class AllowList:
    """Hosts (any port) or host:ports let through; names also allow the addresses they resolve to."""

    def __init__(self, entries: tuple[str, ...] | list[str] = ()) -> None:
        self._ports: dict[str, set[int | None]] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: str) -> None:
        host, port = parse_host_port(entry)
        if _key(host):
            self._ports.setdefault(_key(host), set()).add(port)

    def names(self, host: str) -> bool:
        """`host` is on the list (with any port): resolving it is allowed."""
        return _key(host) in self._ports

    def allows(self, host: str, port: int | None) -> bool:
        ports = self._ports.get(_key(host))
        return ports is not None and (None in ports or port in ports)

    def learn(self, name: str, addresses: list[str]) -> None:
        """`name` is allowed and resolved to `addresses`: connecting to them is allowed the same way."""
        ports = self._ports.get(name.rstrip(".").lower())
        if ports is None:
            return
        for address in addresses:
            self._ports.setdefault(address.lower(), set()).update(ports)

    def __repr__(self) -> str:
        entries = sorted(f"{h}:{p}" if p is not None else h for h, ports in self._ports.items() for p in ports)
        return f"AllowList({entries!r})"


def calling_client(skip: int = 2) -> str:
    """The outermost HTTP client on the stack (`requests` rather than the `urllib3` below it)."""
    frame: FrameType | None
    try:
        frame = sys._getframe(skip)
    except ValueError:  # a shallower stack than expected
        frame = sys._getframe()
    found = ""
    while frame is not None:
        top = str(frame.f_globals.get("__name__", "")).split(".", 1)[0]
        found = _CLIENTS.get(top, found)
        frame = frame.f_back
    return found or "a socket"


@dataclass(eq=False)
class Blocked:
    """One refused resolution, connection or datagram, and the exception raised for it."""

    host: str
    port: int | None
    action: str
    """`resolve`, `connect` or `send`."""
    via: str
    routed: bool = False
    """The host is served in-process, but this client does not go through a routed seam."""
    error: EgressBlocked | None = field(default=None, repr=False)
    expected: bool = False
    """Acknowledged by `expect_blocked(...)`."""

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.address} ({self.action}, via {self.via})"

    def caught_by(self, codes: set[CodeType]) -> bool:
        """The exception was caught, and not re-raised, by one of `codes` (the test function: a
        `with pytest.raises(...)` or `except` in its body) or by pytest itself (`pytest.raises(E, fn)`).
        The catching frame is the first entry of its traceback; code under test that swallows it,
        even when defined in the test module, is not the test."""
        tb: TracebackType | None = self.error.__traceback__ if self.error is not None else None
        if tb is None:
            return False
        code = tb.tb_frame.f_code
        pytest_package = sys.modules.get("_pytest")
        pytest_dir = os.path.dirname(getattr(pytest_package, "__file__", None) or "/nonexistent") + os.sep
        return code in codes or code.co_filename.startswith(pytest_dir)


class EgressBlocked(AssertionError):
    """A test tried to reach a host that is neither routed in-process nor allowed."""

    def __init__(self, blocked: Blocked) -> None:
        self.blocked = blocked
        blocked.error = self
        if blocked.routed:
            why = (
                f"{blocked.host} is served in-process only to httpx, requests / urllib3, urllib.request / "
                "http.client and aiohttp; this connection came from another client or a raw socket. Point it at "
                "braze_server.url (the same fake over loopback) instead"
            )
        else:
            why = (
                "Tests using fake_braze get no network: Braze REST hosts are served in-process and loopback is "
                f"allowed. Allow this host with @pytest.mark.braze(allow_hosts=[{blocked.host!r}]) or the "
                "braze_allow_hosts fixture, or mock it (respx, responses, requests-mock)"
            )
        when = _WHEN.get(blocked.action, blocked.action)
        super().__init__(f"braze-harness blocked a connection to {blocked.address} ({when}, via {blocked.via}). {why}.")
