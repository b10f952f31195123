"""The Flask application of a fake Braze: HTTP in and out around `pipeline.process`.

Every Braze endpoint is one route; unknown paths, wrong methods and oversized bodies get Braze-shaped
4xx answers and are journaled too. The control plane (`/_harness/`) is a blueprint of its own (left out
with `control_plane=False`). A drop or timeout fault leaves the `X-Harness-Fault` header for the
transport to act on (`server.LiveServer`, `harness.testing.routing`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

import orjson
from flask import Flask, Response, request
from werkzeug.datastructures import EnvironHeaders
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.sansio.utils import get_host

from harness.braze.endpoints import ENDPOINTS, Endpoint
from harness.braze.errors import BrazeError, MethodNotAllowed, PayloadTooLarge, error_item
from harness.braze.pipeline import RawRequest, Reply, process, refuse

if TYPE_CHECKING:
    from harness.braze.config import FakeBrazeConfig
    from harness.braze.fake import FakeBraze

__all__ = ["build_app", "create_app"]

CONTROL_PREFIX = "/_harness"


def create_app(config: FakeBrazeConfig | None = None) -> Flask:
    """Flask application factory: a fresh fake Braze (its state at `app.extensions["fake_braze"]`)."""
    from harness.braze.fake import FakeBraze

    return FakeBraze(config).app


def build_app(fake: FakeBraze) -> Flask:
    app = Flask("harness.braze")
    app.config["MAX_CONTENT_LENGTH"] = fake.config.max_body_bytes
    app.extensions["fake_braze"] = fake
    for endpoint in ENDPOINTS:
        app.add_url_rule(endpoint.path, endpoint.path, _view(fake, endpoint), methods=["POST"])
    if fake.config.control_plane:
        from harness.braze.control import control_blueprint
        from harness.braze.control_segments import segments_blueprint

        app.register_blueprint(control_blueprint(fake), url_prefix=CONTROL_PREFIX)
        app.register_blueprint(segments_blueprint(fake), url_prefix=CONTROL_PREFIX)
    app.wsgi_app = _direct(fake, app.wsgi_app)  # type: ignore[method-assign]

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        if request.path.startswith(CONTROL_PREFIX):
            return json_response(exc.code or 500, {"message": exc.name, "errors": [error_item(exc.description or "")]})
        if isinstance(exc, RequestEntityTooLarge):
            return _too_large(fake)
        error: BrazeError | None = None
        if exc.code == 405:
            error = MethodNotAllowed(detail=f"{request.method} is not allowed on {request.path}")
        return _respond(refuse(fake, _raw_request(with_body=False), error))

    return app


def _direct(fake: FakeBraze, flask_app: WSGIApplication) -> WSGIApplication:
    """Flask's middleware slot: a plain POST to a Braze endpoint goes straight into the pipeline.

    What the route would do, without a request context, URL matching and Response object per request
    (~0.2 ms of a /users/track request). Anything else (a query string, no Content-Length, a body over
    the limit, another method or path) goes through Flask, which answers it the same way as before.
    """
    by_path = {endpoint.path: endpoint for endpoint in ENDPOINTS}
    limit = fake.config.max_body_bytes

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        endpoint = by_path.get(environ.get("PATH_INFO", ""))
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
        reply = process(fake, endpoint, raw)
        data = _dumps(reply.body)
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


def _view(fake: FakeBraze, endpoint: Endpoint) -> Any:
    def view() -> Response:
        try:
            raw_request = _raw_request()
        except RequestEntityTooLarge:
            return _too_large(fake)
        return _respond(process(fake, endpoint, raw_request))

    view.__name__ = endpoint.path.strip("/").replace("/", "_")
    return view


def _raw_request(with_body: bool = True) -> RawRequest:
    return RawRequest(
        method=request.method,
        path=request.path,
        host=request.host,
        headers=request.headers,
        body=request.get_data(cache=True) if with_body else b"",
        content_type=request.content_type,
        query=request.args,
        query_string=request.query_string.decode("latin-1"),
    )


def _too_large(fake: FakeBraze) -> Response:
    error = PayloadTooLarge(detail=f"request body over {fake.config.max_body_bytes:,} bytes")
    return _respond(refuse(fake, _raw_request(with_body=False), error))


def _respond(reply: Reply) -> Response:
    response = json_response(reply.status, reply.body)
    response.headers.update(reply.headers)
    return response


def json_response(status: int, payload: Any) -> Response:
    return Response(_dumps(payload), status=status, mimetype="application/json")


def _dumps(payload: Any) -> bytes:
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:  # a journaled body deeper than orjson's limit: show it clipped
        return orjson.dumps(_clip(payload, SHOWN_DEPTH))


SHOWN_DEPTH = 200


def _clip(value: Any, depth: int) -> Any:
    if isinstance(value, dict | list) and depth <= 0:
        return f"[nested more than {SHOWN_DEPTH} levels: not shown]"
    if isinstance(value, dict):
        return {k: _clip(v, depth - 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_clip(v, depth - 1) for v in value]
    return value
