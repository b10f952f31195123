"""Control plane for cohorts, segment filters and data import keys (under `/_harness/`, beside control.py).

- `GET /cohorts` -> `{"cohorts": [{cohort_id, name, created_at, members: {external_ids, user_aliases,
  device_ids, braze_ids, count}}]}`
- `POST /segments/evaluate` (body: a definition) -> `{"members": {...}}`
- `PUT /segments/<name>` (body: a definition), `GET /segments/<name>` (evaluated now), `GET /segments`,
  `DELETE /segments/<name>`
- `GET /data-import-keys`, `POST /data-import-keys/regenerate`, `POST /data-import-keys/invalidate`, as the
  dashboard's "create a new key or invalidate an existing one" (segment_engage.md)
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
from harness.braze.service.segments import SegmentDefinitionError

__all__ = ["segments_blueprint"]


class _Refused(Exception):
    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or []


def segments_blueprint(fake: Backend) -> Blueprint:
    bp = Blueprint("harness_segments", __name__)
    guard(bp, fake.config.control_token)

    def workspace() -> str:
        name = request.args.get("workspace", DEFAULT_WORKSPACE)
        if name not in fake.store.workspaces:
            raise _Refused(404, f"no workspace {name!r}", [error_item(f"known: {', '.join(fake.store.workspaces)}")])
        return name

    def definition() -> Any:
        try:
            return orjson.loads(request.get_data(cache=True) or b"null")
        except orjson.JSONDecodeError as exc:
            raise _Refused(400, "request body is not valid JSON", [error_item(str(exc))]) from None

    def evaluated(name: str | None, body: Any, ws: str) -> dict[str, Any]:
        try:
            members = fake.segment_members(body, workspace=ws)
        except SegmentDefinitionError as exc:
            raise _Refused(
                400, "Invalid segment definition", [error_item(v.reason, path=v.path) for v in exc.violations]
            ) from None
        out: dict[str, Any] = {"name": name} if name is not None else {}
        return {**out, "workspace": ws, "definition": body, "members": members.to_json()}

    @bp.errorhandler(_Refused)
    def refused(exc: _Refused) -> Response:
        return json_response(exc.status, {"message": exc.message, "errors": exc.errors})

    @bp.get("/cohorts")
    def cohorts() -> Response:
        return json_response(200, {"cohorts": [c.to_json() for c in fake.cohorts(workspace())]})

    @bp.post("/segments/evaluate")
    def evaluate() -> Response:
        return json_response(200, evaluated(None, definition(), workspace()))

    @bp.put("/segments/<name>")
    def save(name: str) -> Response:
        ws, body = workspace(), definition()
        try:
            fake.save_segment(name, body, workspace=ws)
        except SegmentDefinitionError as exc:
            errors = [error_item(v.reason, path=v.path) for v in exc.violations]
            raise _Refused(400, "Invalid segment definition", errors) from None
        return json_response(200, {"name": name, "workspace": ws, "definition": body})

    @bp.get("/segments/<name>")
    def get(name: str) -> Response:
        ws = workspace()
        try:
            body = fake.saved_segment(name, workspace=ws)
        except KeyError as exc:
            raise _Refused(404, f"no saved segment {name!r}", [error_item(str(exc.args[0]))]) from None
        return json_response(200, evaluated(name, body, ws))

    @bp.get("/segments")
    def saved() -> Response:
        ws = workspace()
        return json_response(200, {"workspace": ws, "segments": fake.saved_segments(ws)})

    @bp.delete("/segments/<name>")
    def delete(name: str) -> Response:
        ws = workspace()
        if not fake.delete_segment(name, workspace=ws):
            raise _Refused(404, f"no saved segment {name!r}")
        return json_response(200, {"name": name, "workspace": ws, "status": "deleted"})

    @bp.get("/data-import-keys")
    def keys() -> Response:
        return json_response(
            200, {"data_import_keys": {ws: fake.data_import_key(ws) for ws in sorted(fake.store.workspaces)}}
        )

    @bp.post("/data-import-keys/regenerate")
    def regenerate() -> Response:
        ws = workspace()
        return json_response(200, {"workspace": ws, "data_import_key": fake.regenerate_data_import_key(ws)})

    @bp.post("/data-import-keys/invalidate")
    def invalidate() -> Response:
        ws = workspace()
        old = fake.invalidate_data_import_key(ws)
        return json_response(200, {"workspace": ws, "data_import_key": None, "invalidated": old is not None})

    return bp
