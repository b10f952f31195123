"""Control plane for catalogs and triggered sends (under `/_harness/`, beside control.py).

- `GET /catalogs` -> `{"workspace", "catalogs": [{description, fields, name, num_items, updated_at, items}]}`
- `GET /catalogs/<name>` -> the same with that one catalog (404 when there is none)
- `POST /catalogs` (body: `{"name", "fields": {"Name": "string"} | [{"name", "type"}], "description"}`) creates one
  by the rules of Braze's `POST /catalogs`, without counting against its rate limit or entering the journal
- `GET /sends?campaign_id=&canvas_id=&external_id=` -> `{"workspace", "sends": [...]}`: every triggered send, with
  each recipient's delivery
Every route takes `?workspace=NAME` (default: the default workspace). Errors are `{"message", "errors"}`.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Blueprint, Response, request

from harness.braze.backend import Backend
from harness.braze.http.control import guard
from harness.braze.http.responses import json_response
from harness.braze.model.config import DEFAULT_WORKSPACE
from harness.braze.service.errors import error_item

__all__ = ["messaging_blueprint"]


class _Refused(Exception):
    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or []


def messaging_blueprint(fake: Backend) -> Blueprint:
    bp = Blueprint("harness_messaging", __name__)
    guard(bp, fake.config.control_token)

    def workspace() -> str:
        name = request.args.get("workspace", DEFAULT_WORKSPACE)
        if name not in fake.store.workspaces:
            raise _Refused(404, f"no workspace {name!r}", [error_item(f"known: {', '.join(fake.store.workspaces)}")])
        return name

    def with_items(ws: str, names: list[str]) -> list[dict[str, Any]]:
        out = []
        for name in names:
            catalog = fake.catalog(name, workspace=ws)
            if catalog is not None:
                out.append({**catalog.to_json(), "items": list(fake.catalog_items(name, workspace=ws).values())})
        return out

    @bp.errorhandler(_Refused)
    def refused(exc: _Refused) -> Response:
        return json_response(exc.status, {"message": exc.message, "errors": exc.errors})

    @bp.get("/catalogs")
    def catalogs() -> Response:
        ws = workspace()
        names = [c.name for c in fake.catalogs(ws)]
        return json_response(200, {"workspace": ws, "catalogs": with_items(ws, names)})

    @bp.get("/catalogs/<name>")
    def catalog(name: str) -> Response:
        ws = workspace()
        if fake.catalog(name, workspace=ws) is None:
            raise _Refused(404, f"no catalog {name!r} in workspace {ws!r}")
        return json_response(200, {"workspace": ws, "catalogs": with_items(ws, [name])})

    @bp.post("/catalogs")
    def declare() -> Response:
        ws = workspace()
        try:
            body = orjson.loads(request.get_data(cache=True) or b"null")
        except orjson.JSONDecodeError as exc:
            raise _Refused(400, "request body is not valid JSON", [error_item(str(exc))]) from None
        try:
            declared = fake.declare_catalog(body, workspace=ws)
        except ValueError as exc:
            raise _Refused(400, "Invalid catalog", [error_item(str(exc))]) from None
        return json_response(201, {"workspace": ws, "catalogs": with_items(ws, [declared.name])})

    @bp.get("/sends")
    def sends() -> Response:
        ws = workspace()
        found = fake.sends(
            ws,
            campaign_id=request.args.get("campaign_id"),
            canvas_id=request.args.get("canvas_id"),
            external_id=request.args.get("external_id"),
        )
        return json_response(200, {"workspace": ws, "sends": [s.to_json() for s in found]})

    return bp
