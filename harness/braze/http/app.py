"""The Flask application of a fake Braze: routes only, HTTP in and out around the pipeline.

Every Braze endpoint is one route; unknown paths, wrong methods and oversized bodies get Braze-shaped
4xx answers and are journaled too. The control plane (`/_harness/`) is a pair of blueprints (left out
with `control_plane=False`). A drop or timeout fault leaves the `X-Harness-Fault` header for the
transport to act on (`server.LiveServer`, `harness.testing.routing`).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from harness.braze.backend import Backend
from harness.braze.http.control import control_blueprint
from harness.braze.http.control_messaging import messaging_blueprint
from harness.braze.http.control_segments import segments_blueprint
from harness.braze.http.direct import DIRECT_HTTP, DirectHttp, direct
from harness.braze.http.guard import CONTROL_PREFIX, protect
from harness.braze.http.responses import json_response, reply_response
from harness.braze.service.call import Endpoint
from harness.braze.service.endpoints import ENDPOINTS
from harness.braze.service.errors import BrazeError, MethodNotAllowed, PayloadTooLarge, error_item
from harness.braze.service.pipeline import RawRequest, process, refuse

__all__ = ["CONTROL_PREFIX", "build_app"]


def build_app(backend: Backend) -> Flask:
    """The Flask app serving `backend` (kept at `app.extensions["fake_braze"]`)."""
    app = Flask("harness.braze")
    app.url_map.merge_slashes = False  # `/catalogs//items` is no Braze path: 404, not a redirect to another one
    app.config["MAX_CONTENT_LENGTH"] = backend.config.max_body_bytes
    app.extensions["fake_braze"] = backend
    runtime = backend.runtime
    for endpoint in ENDPOINTS:
        rule = re.sub(r"\{(\w+)\}", r"<\1>", endpoint.path)
        name = f"{endpoint.method} {endpoint.path}"
        app.add_url_rule(rule, name, _view(backend, endpoint), methods=[endpoint.method], strict_slashes=False)
    if backend.config.control_plane:
        protect(app, backend.config)
        app.register_blueprint(control_blueprint(backend), url_prefix=CONTROL_PREFIX)
        app.register_blueprint(segments_blueprint(backend), url_prefix=CONTROL_PREFIX)
        app.register_blueprint(messaging_blueprint(backend), url_prefix=CONTROL_PREFIX)
    app.wsgi_app = direct(backend, app.wsgi_app)  # type: ignore[method-assign, assignment]
    app.extensions[DIRECT_HTTP] = DirectHttp(backend)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        if request.path.startswith(CONTROL_PREFIX):
            return json_response(exc.code or 500, {"message": exc.name, "errors": [error_item(exc.description or "")]})
        if isinstance(exc, RequestEntityTooLarge):
            return _too_large(backend)
        error: BrazeError | None = None
        if exc.code == 405:
            error = MethodNotAllowed(detail=f"{request.method} is not allowed on {request.path}")
        return reply_response(refuse(runtime, _raw_request(with_body=False), error))

    return app


def _view(backend: Backend, endpoint: Endpoint) -> Any:
    def view(**params: str) -> Response:
        try:
            raw_request = _raw_request()
        except RequestEntityTooLarge:
            return _too_large(backend)
        return reply_response(process(backend.runtime, endpoint, raw_request, params))

    view.__name__ = f"{endpoint.method}_{endpoint.path}".strip("/").replace("/", "_")
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


def _too_large(backend: Backend) -> Response:
    error = PayloadTooLarge(detail=f"request body over {backend.config.max_body_bytes:,} bytes")
    return reply_response(refuse(backend.runtime, _raw_request(with_body=False), error))
