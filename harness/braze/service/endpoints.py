"""Every REST endpoint the fake serves, assembled from the services' own tuples, and how a request finds one."""

from __future__ import annotations

from harness.braze.service import catalog_items, catalogs, cohorts, messaging, track, users
from harness.braze.service.call import Endpoint

__all__ = ["ENDPOINTS", "PLAIN_POSTS", "resolve"]

ENDPOINTS: tuple[Endpoint, ...] = (
    *track.ENDPOINTS,
    *users.ENDPOINTS,
    *cohorts.ENDPOINTS,
    *catalogs.ENDPOINTS,
    *catalog_items.ENDPOINTS,
    *messaging.ENDPOINTS,
)
PLAIN_POSTS: dict[str, Endpoint] = {e.path: e for e in ENDPOINTS if e.method == "POST" and not e.templated}
"""POST endpoints on fixed paths, by path: what the direct WSGI path serves without Flask."""
_TEMPLATED = tuple(e for e in ENDPOINTS if e.templated)
_BY_PATH: dict[str, list[Endpoint]] = {}
for _endpoint in ENDPOINTS:
    if not _endpoint.templated:
        _BY_PATH.setdefault(_endpoint.path, []).append(_endpoint)


def resolve(method: str, path: str) -> tuple[Endpoint, dict[str, str]] | list[Endpoint]:
    """The endpoint (and path parameters) a request is for; else the endpoints on that path with other
    methods (empty: no Braze endpoint at that path)."""
    candidates: list[tuple[Endpoint, dict[str, str]]] = [(e, {}) for e in _BY_PATH.get(path.rstrip("/") or path, ())]
    if not candidates:
        candidates = [(e, found) for e in _TEMPLATED if (found := e.match(path)) is not None]
    for endpoint, params in candidates:
        if endpoint.method == method:
            return endpoint, params
    return [endpoint for endpoint, _ in candidates]
