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

from flask import Blueprint, Response, request

from harness.braze.backend import Backend
from harness.braze.http.control_common import Refused, guarded_blueprint, json_body, workspace_arg
from harness.braze.http.responses import json_response
from harness.braze.service.errors import error_item

__all__ = ["messaging_blueprint"]


def messaging_blueprint(fake: Backend) -> Blueprint:
    bp = guarded_blueprint("harness_messaging", fake)

    def workspace() -> str:
        return workspace_arg(fake)

    def with_items(ws: str, names: list[str]) -> list[dict[str, Any]]:
        out = []
        for name in names:
            catalog = fake.catalog(name, workspace=ws)
            if catalog is not None:
                out.append({**catalog.to_json(), "items": list(fake.catalog_items(name, workspace=ws).values())})
        return out

    @bp.get("/catalogs")
    def catalogs() -> Response:
        ws = workspace()
        names = [c.name for c in fake.catalogs(ws)]
        return json_response(200, {"workspace": ws, "catalogs": with_items(ws, names)})

    @bp.get("/catalogs/<name>")
    def catalog(name: str) -> Response:
        ws = workspace()
        if fake.catalog(name, workspace=ws) is None:
            raise Refused(404, f"no catalog {name!r} in workspace {ws!r}")
        return json_response(200, {"workspace": ws, "catalogs": with_items(ws, [name])})

    @bp.post("/catalogs")
    def declare() -> Response:
        ws = workspace()
        body = json_body()
        try:
            declared = fake.declare_catalog(body, workspace=ws)
        except ValueError as exc:
            raise Refused(400, "Invalid catalog", [error_item(str(exc))]) from None
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
