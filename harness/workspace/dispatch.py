"""One port for both fakes: a path-prefix dispatcher in front of the fake Segment's and the fake Braze's apps.

Segment's Tracking API lives under `/v1/` and its debugger under `/_harness/segment/`; no Braze path starts
with either, so everything else (Braze's endpoints, its direct WSGI fast path, its `/_harness/` control
plane) reaches the fake Braze's own app untouched. `braze-harness serve` and the pytest plugin compose them
with it; the fake Braze knows nothing of Segment.
"""

from __future__ import annotations

from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from harness.workspace.http import DEBUGGER_PREFIX

__all__ = ["by_prefix", "is_segment_path"]


def is_segment_path(path: str) -> bool:
    """Whether the fake Segment answers `path` (the Tracking API or its debugger)."""
    return path == "/v1" or path.startswith("/v1/") or path == DEBUGGER_PREFIX or path.startswith(DEBUGGER_PREFIX + "/")


def by_prefix(segment: WSGIApplication, braze: WSGIApplication) -> WSGIApplication:
    """A WSGI app sending Segment's paths to `segment` and every other path to `braze`."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if is_segment_path(str(environ.get("PATH_INFO", ""))):
            return segment(environ, start_response)
        return braze(environ, start_response)

    return app
