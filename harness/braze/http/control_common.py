"""What the control plane's blueprints share: a guarded blueprint whose refusals are `{"message", "errors"}`,
the `?workspace=NAME` argument, and a JSON body read once."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Blueprint, Response, request

from harness.braze.backend import Backend
from harness.braze.http.control import guard
from harness.braze.http.responses import json_response
from harness.braze.model.config import DEFAULT_WORKSPACE
from harness.braze.service.errors import error_item

__all__ = ["Refused", "guarded_blueprint", "json_body", "workspace_arg"]


class Refused(Exception):
    """Raised inside a control route: the blueprint answers `status` with `{"message", "errors"}`."""

    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or []


def guarded_blueprint(name: str, fake: Backend) -> Blueprint:
    """A blueprint behind the control token that turns `Refused` into its answer."""
    bp = Blueprint(name, __name__)
    guard(bp, fake.config.control_token)

    @bp.errorhandler(Refused)
    def refused(exc: Refused) -> Response:
        return json_response(exc.status, {"message": exc.message, "errors": exc.errors})

    return bp


def workspace_arg(fake: Backend) -> str:
    """The request's `?workspace=` (default: the default workspace); 404 with the known ones when there is none."""
    name = request.args.get("workspace", DEFAULT_WORKSPACE)
    if name not in fake.store.workspaces:
        raise Refused(404, f"no workspace {name!r}", [error_item(f"known: {', '.join(fake.store.workspaces)}")])
    return name


def json_body() -> Any:
    """The request's body as JSON (an empty body is `null`); 400 with the parser's words when it is not JSON."""
    try:
        return orjson.loads(request.get_data(cache=True) or b"null")
    except orjson.JSONDecodeError as exc:
        raise Refused(400, "request body is not valid JSON", [error_item(str(exc))]) from None
