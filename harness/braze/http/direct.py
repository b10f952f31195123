"""The direct WSGI path: a plain POST to a Braze endpoint goes straight into the pipeline (Flask's middleware slot).

What the route would do, without a request context, URL matching and Response object per request
(~0.2 ms of a /users/track request). Anything else (a query string, no Content-Length, a body over
the limit, another method or path) goes through Flask, which answers it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote_to_bytes
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.sansio.utils import get_host

from harness.braze.backend import Backend
from harness.braze.http.responses import dumps
from harness.braze.service.endpoints import PLAIN_POSTS
from harness.braze.service.pipeline import RawRequest, process

__all__ = ["DIRECT_HTTP", "DirectHttp", "direct", "direct_http"]

DIRECT_HTTP = "fake_braze_direct_http"
"""Where a fake's Flask app keeps its `DirectHttp` (`app.extensions`)."""
Answer = tuple[str, list[tuple[str, str]], bytes]
"""A WSGI status line, headers and body."""


class _Pairs:
    """Header pairs with the `items()` a `RawRequest` reads."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def items(self) -> list[tuple[str, str]]:
        return self.pairs


class DirectHttp:
    """The direct path for an HTTP request already parsed off a wire (the in-process transports): what the
    WSGI app answers for the same request, without building a WSGI environ. `answer` gives None for
    anything the direct path leaves to Flask, exactly as `direct` does."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.limit = backend.config.max_body_bytes

    def quick(self) -> bool:
        """No fault is armed: no answer can be delayed, so a caller may be served on its own thread."""
        return not self.backend.faults.armed

    def answer(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes, scheme: str, host: str, port: int
    ) -> Answer | None:
        """The answer `direct` gives to the environ `harness.testing.net.wsgi.environ_for` builds for this
        request, or None where it would hand the request to Flask."""
        if method != "POST" or "?" in target or "://" in target or len(body) > self.limit:
            return None
        endpoint = PLAIN_POSTS.get(unquote_to_bytes(target).decode("latin-1"))
        if endpoint is None:
            return None
        merged: dict[str, str] = {}
        for name, value in headers:  # as the environ keys them (HTTP_X_BRAZE_...), repeats joined
            key = name.upper().replace("-", "_")
            if key == "CONTENT_LENGTH" or key == "TRANSFER_ENCODING":
                continue
            if key != "CONTENT_TYPE":
                key = f"HTTP_{key}"
            merged[key] = f"{merged[key]},{value}" if key in merged else value
        merged["CONTENT_LENGTH"] = str(len(body))
        pairs = []  # as werkzeug's EnvironHeaders lists them, in the environ's order
        for key, value in merged.items():
            if key.startswith("HTTP_") and key != "HTTP_CONTENT_TYPE" and key != "HTTP_CONTENT_LENGTH":
                pairs.append((key[5:].replace("_", "-").title(), value))
            elif value and (key == "CONTENT_TYPE" or key == "CONTENT_LENGTH"):
                pairs.append((key.replace("_", "-").title(), value))
        raw = RawRequest(
            method="POST",
            path=endpoint.path,
            host=get_host(scheme, merged.get("HTTP_HOST"), (host, port) if host else None),
            headers=_Pairs(pairs),
            body=body,
            content_type=merged.get("CONTENT_TYPE"),
        )
        return _answer(self.backend, endpoint, raw)


def direct_http(app: Any) -> DirectHttp | None:
    """The `DirectHttp` of a fake Braze's Flask app; None for any other app."""
    extensions = getattr(app, "extensions", None)
    found = extensions.get(DIRECT_HTTP) if isinstance(extensions, dict) else None
    return found if isinstance(found, DirectHttp) else None


def _answer(backend: Backend, endpoint: Any, raw: RawRequest) -> Answer:
    reply = process(backend.runtime, endpoint, raw)
    data = dumps(reply.body)
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data))), *reply.headers.items()]
    return f"{reply.status} {HTTP_STATUS_CODES.get(reply.status, 'UNKNOWN').upper()}", headers, data


def direct(backend: Backend, flask_app: WSGIApplication) -> WSGIApplication:
    limit = backend.config.max_body_bytes

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        endpoint = PLAIN_POSTS.get(environ.get("PATH_INFO", ""))
        length = environ.get("CONTENT_LENGTH")
        if (
            endpoint is None
            or environ.get("REQUEST_METHOD") != "POST"
            or environ.get("QUERY_STRING")
            or not length
            or not length.isdigit()
            or int(length) > limit
            or environ.get("HTTP_TRANSFER_ENCODING")
        ):
            return flask_app(environ, start_response)
        raw = RawRequest(
            method="POST",
            path=endpoint.path,
            host=get_host(environ["wsgi.url_scheme"], environ.get("HTTP_HOST"), _server(environ)),
            headers=EnvironHeaders(environ),
            body=environ["wsgi.input"].read(int(length)),
            content_type=environ.get("CONTENT_TYPE"),
        )
        status, headers, data = _answer(backend, endpoint, raw)
        start_response(status, headers)
        return [data]

    app.flask_app = flask_app  # type: ignore[attr-defined]
    return app


def _server(environ: WSGIEnvironment) -> tuple[str, int | None] | None:
    name = environ.get("SERVER_NAME")
    if not name:
        return None
    port = environ.get("SERVER_PORT")
    return name, int(port) if port and port.isdigit() else None
