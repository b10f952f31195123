"""The direct WSGI path: a plain POST to a Braze endpoint goes straight into the pipeline (Flask's middleware slot).

What the route would do, without a request context, URL matching and Response object per request
(~0.2 ms of a /users/track request). Anything else (a query string, no Content-Length, a body over
the limit, another method or path) goes through Flask, which answers it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.sansio.utils import get_host

from harness.braze.backend import Backend
from harness.braze.http.responses import dumps
from harness.braze.service.endpoints import PLAIN_POSTS
from harness.braze.service.pipeline import RawRequest, process

__all__ = ["direct"]


def direct(backend: Backend, flask_app: WSGIApplication) -> WSGIApplication:
    limit = backend.config.max_body_bytes
    runtime = backend.runtime

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
        reply = process(runtime, endpoint, raw)
        data = dumps(reply.body)
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data))), *reply.headers.items()]
        start_response(f"{reply.status} {HTTP_STATUS_CODES.get(reply.status, 'UNKNOWN').upper()}", headers)
        return [data]

    app.flask_app = flask_app  # type: ignore[attr-defined]
    return app


def _server(environ: WSGIEnvironment) -> tuple[str, int | None] | None:
    name = environ.get("SERVER_NAME")
    if not name:
        return None
    port = environ.get("SERVER_PORT")
    return name, int(port) if port and port.isdigit() else None
