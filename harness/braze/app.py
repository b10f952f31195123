"""The Flask application of a fake Braze: one generic request pipeline for every endpoint.

Pipeline: instance (from Host) → rate limit → auth → JSON body → contract → service → response, with
every request (refused ones included) journaled and every response carrying X-RateLimit-* headers.
Anything unexpected becomes a Braze-shaped 500 and is journaled; the test suite asserts none happen.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import orjson
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from harness.braze.auth import bearer_key, workspace_for_key
from harness.braze.bodies import parse_json_body
from harness.braze.endpoints import ENDPOINTS, Call, Endpoint
from harness.braze.errors import (
    BrazeError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    error_item,
)
from harness.braze.instances import instance_for_host, instance_named
from harness.contracts import Violation, contract

if TYPE_CHECKING:
    from harness.braze.config import FakeBrazeConfig
    from harness.braze.fake import FakeBraze

__all__ = ["build_app", "create_app"]

log = logging.getLogger("harness.braze")
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
    from harness.braze.control import control_blueprint
    from harness.braze.control_segments import segments_blueprint

    app.register_blueprint(control_blueprint(fake), url_prefix=CONTROL_PREFIX)
    app.register_blueprint(segments_blueprint(fake), url_prefix=CONTROL_PREFIX)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        if request.path.startswith(CONTROL_PREFIX):
            return json_response(exc.code or 500, {"message": exc.name, "errors": [error_item(exc.description or "")]})
        if exc.code == 405:
            error: BrazeError = MethodNotAllowed(
                errors=[error_item(f"{request.method} is not allowed on {request.path}")]
            )
        elif isinstance(exc, RequestEntityTooLarge):
            error = PayloadTooLarge(errors=[error_item(f"request body over {fake.config.max_body_bytes:,} bytes")])
        else:
            error = NotFound(errors=[error_item(f"no Braze endpoint {request.method} {request.path} in this fake")])
        return _finish(fake, error.status, error.body(), {}, None, None, [], [])

    return app


def _view(fake: FakeBraze, endpoint: Endpoint) -> Any:
    def view() -> Response:
        return handle(fake, endpoint)

    view.__name__ = endpoint.path.strip("/").replace("/", "_")
    return view


def handle(fake: FakeBraze, endpoint: Endpoint) -> Response:
    """Run one request through the pipeline and journal it, whatever happens."""
    now = fake.clock.now()
    instance = instance_for_host(request.host) or instance_named(fake.config.instance)
    headers: dict[str, str] = {}
    body: Any = None
    workspace_name: str | None = None
    violations: list[Violation] = []
    warnings: list[str] = []
    try:
        key = (
            bearer_key(request.headers.get("Authorization"), request.args.get("api_key"))
            if endpoint.auth == "bearer"
            else None
        )
        decision = fake.limiter.hit(endpoint.group, key or "")
        if decision is not None:
            headers.update(decision.headers())
            if not decision.allowed:
                raise RateLimited(
                    errors=[
                        error_item(f"more than {decision.limit} requests in this window; it resets at {decision.reset}")
                    ]
                )
        workspace = workspace_for_key(fake.store, key, instance) if key is not None else None
        workspace_name = workspace.name if workspace else None
        raw = request.get_data(cache=True)
        body = parse_json_body(raw, request.content_type, max_bytes=fake.config.max_body_bytes)
        violations = contract(endpoint.contract).check(body)
        outcome = endpoint.service(Call(fake, instance, workspace, body, violations, now))
        warnings = outcome.warnings
        workspace_name = outcome.workspace or workspace_name
        status, payload = outcome.status, outcome.body
    except BrazeError as exc:
        headers.update(exc.headers)
        status, payload = exc.status, exc.body()
    except RequestEntityTooLarge:
        error = PayloadTooLarge(errors=[error_item(f"request body over {fake.config.max_body_bytes:,} bytes")])
        status, payload = error.status, error.body()
    except Exception as exc:  # never a bare 500: Braze-shaped, journaled, logged
        log.exception("fake Braze failed on %s %s", request.method, request.path)
        status, payload = (
            500,
            {"message": "Internal Server Error", "errors": [error_item(f"{type(exc).__name__}: {exc}")]},
        )
    return _finish(fake, status, payload, headers, body, workspace_name, violations, warnings, instance.name)


def _finish(
    fake: FakeBraze,
    status: int,
    payload: dict[str, Any],
    headers: dict[str, str],
    body: Any,
    workspace: str | None,
    violations: list[Violation],
    warnings: list[str],
    instance: str | None = None,
) -> Response:
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raw = b""
    entry = fake.journal.record(
        at=fake.clock.now(),
        method=request.method,
        path=request.path,
        query=request.query_string.decode("latin-1"),
        host=request.host,
        headers=request.headers.items(),
        body=body,
        raw=raw,
        status=status,
        response=payload,
        instance=instance,
        workspace=workspace,
        violations=violations,
        warnings=warnings,
    )
    response = json_response(status, payload)
    response.headers.update(headers)
    response.headers["X-Harness-Request-Id"] = str(entry.id)
    return response


def json_response(status: int, payload: Any) -> Response:
    return Response(orjson.dumps(payload), status=status, mimetype="application/json")
