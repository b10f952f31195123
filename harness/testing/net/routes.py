"""The one table of host -> in-process server that every client seam consults.

An entry names the hosts it serves (a regular expression, matched whole and case-insensitively) and
the WSGI app that answers them. The fake Braze is one entry (`braze_route`); the fake Segment serving
Segment's Tracking API hosts (`api.segment.io`, `events.eu1.segmentapis.com`) is another
(`segment_route`), added the same way by its fixture. A host can match an entry's pattern and still
not exist (`rest.iad-42.braze.com`): clients then fail as they do on a name that does not resolve.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from wsgiref.types import WSGIApplication

__all__ = [
    "BRAZE_REST_HOST",
    "SEGMENT_API_HOST",
    "SEGMENT_API_HOSTS",
    "Route",
    "RouteTable",
    "braze_route",
    "is_braze_rest_host",
    "segment_route",
]

BRAZE_REST_HOST = re.compile(r"rest\.[a-z0-9-]+\.braze\.(?:com|eu)", re.IGNORECASE)
"""Every Braze REST host (`rest.iad-01.braze.com`, `rest.fra-01.braze.eu`, ...), known instance or not."""


SEGMENT_API_HOSTS = ("api.segment.io", "events.eu1.segmentapis.com")
"""Segment's Tracking API hosts: the default one, and the EU one ("HTTP API sources in EU workspaces should use
the `events.eu1.segmentapis.com` endpoint", segment-docs http-api/index.md)."""
SEGMENT_API_HOST = re.compile(r"api\.segment\.io|events\.eu1\.segmentapis\.com", re.IGNORECASE)


def is_braze_rest_host(host: str) -> bool:
    return bool(BRAZE_REST_HOST.fullmatch(host.rstrip(".")))


def _always(host: str) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Route:
    """Hosts matching `hosts` are answered in-process by `app()` (looked up per request)."""

    name: str
    hosts: re.Pattern[str]
    app: Callable[[], WSGIApplication]
    exists: Callable[[str], bool] = _always
    """False for a host that matches `hosts` but names nothing (a real client would fail to resolve it)."""
    unknown: Callable[[str], str] = lambda host: f"{host} does not resolve"
    """The resolver's message for such a host."""
    no_proxy: tuple[str, ...] = ()
    """Domains to add to NO_PROXY while routed, when the environment sets a proxy (HTTPS_PROXY, ...):
    clients that honour it then connect "directly", which for a routed host means into the app."""

    def serves(self, host: str) -> bool:
        return bool(self.hosts.fullmatch(host))


class RouteTable:
    """Routes by host; the first entry whose pattern matches wins."""

    def __init__(self) -> None:
        self._routes: list[Route] = []
        self._url_pattern: re.Pattern[str] | None = None

    def add(self, route: Route) -> None:
        """Add `route`, replacing any entry of the same name."""
        self._routes = [r for r in self._routes if r.name != route.name] + [route]
        self._url_pattern = None

    def remove(self, name: str) -> None:
        self._routes = [r for r in self._routes if r.name != name]
        self._url_pattern = None

    def clear(self) -> None:
        self._routes = []
        self._url_pattern = None

    def find(self, host: str | bytes | None) -> Route | None:
        """The route serving `host` (any case, a trailing dot ignored), or None."""
        if not host or not self._routes:
            return None
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        host = host.rstrip(".")
        return next((r for r in self._routes if r.serves(host)), None)

    def __iter__(self) -> Iterator[Route]:
        return iter(list(self._routes))

    def __len__(self) -> int:
        return len(self._routes)

    def url_pattern(self) -> re.Pattern[str] | None:
        """A regular expression matching any http(s) URL on a routed host (for `responses`' passthru)."""
        if not self._routes:
            return None
        if self._url_pattern is None:
            hosts = "|".join(f"(?:{r.hosts.pattern})" for r in self._routes)
            self._url_pattern = re.compile(rf"^https?://(?:[^@/?#]*@)?(?:{hosts})\.?(?::\d+)?(?:[/?#]|$)", re.I)
        return self._url_pattern


def braze_route(app: Callable[[], WSGIApplication]) -> Route:
    """Every Braze REST host, answered by the fake Braze whose WSGI app `app()` returns."""
    from harness.braze import INSTANCES, instance_for_host

    def exists(host: str) -> bool:
        return instance_for_host(host) is not None

    def unknown(host: str) -> str:
        known = ", ".join(h for instance in INSTANCES for h in instance.rest_hosts)
        return f"{host} is not the REST host of any Braze instance (it would not resolve); known: {known}"

    return Route("braze", BRAZE_REST_HOST, app, exists, unknown, no_proxy=("braze.com", "braze.eu"))


def segment_route(app: Callable[[], WSGIApplication]) -> Route:
    """Segment's Tracking API hosts, answered by the fake Segment whose WSGI app `app()` returns."""
    return Route("segment", SEGMENT_API_HOST, app, no_proxy=("segment.io", "segmentapis.com"))
