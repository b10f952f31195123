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

from flask import Blueprint, Response

from harness.braze.backend import Backend
from harness.braze.http.control_common import Refused, guarded_blueprint, json_body, workspace_arg
from harness.braze.http.responses import json_response
from harness.braze.service.errors import error_item
from harness.braze.service.segments import SegmentDefinitionError

__all__ = ["segments_blueprint"]


def segments_blueprint(fake: Backend) -> Blueprint:
    bp = guarded_blueprint("harness_segments", fake)

    def workspace() -> str:
        return workspace_arg(fake)

    def evaluated(name: str | None, body: Any, ws: str) -> dict[str, Any]:
        try:
            members = fake.segment_members(body, workspace=ws)
        except SegmentDefinitionError as exc:
            raise Refused(
                400, "Invalid segment definition", [error_item(v.reason, path=v.path) for v in exc.violations]
            ) from None
        out: dict[str, Any] = {"name": name} if name is not None else {}
        return {**out, "workspace": ws, "definition": body, "members": members.to_json()}

    @bp.get("/cohorts")
    def cohorts() -> Response:
        return json_response(200, {"cohorts": [c.to_json() for c in fake.cohorts(workspace())]})

    @bp.post("/segments/evaluate")
    def evaluate() -> Response:
        return json_response(200, evaluated(None, json_body(), workspace()))

    @bp.put("/segments/<name>")
    def save(name: str) -> Response:
        ws, body = workspace(), json_body()
        try:
            fake.save_segment(name, body, workspace=ws)
        except SegmentDefinitionError as exc:
            errors = [error_item(v.reason, path=v.path) for v in exc.violations]
            raise Refused(400, "Invalid segment definition", errors) from None
        return json_response(200, {"name": name, "workspace": ws, "definition": body})

    @bp.get("/segments/<name>")
    def get(name: str) -> Response:
        ws = workspace()
        try:
            body = fake.saved_segment(name, workspace=ws)
        except KeyError as exc:
            raise Refused(404, f"no saved segment {name!r}", [error_item(str(exc.args[0]))]) from None
        return json_response(200, evaluated(name, body, ws))

    @bp.get("/segments")
    def saved() -> Response:
        ws = workspace()
        return json_response(200, {"workspace": ws, "segments": fake.saved_segments(ws)})

    @bp.delete("/segments/<name>")
    def delete(name: str) -> Response:
        ws = workspace()
        if not fake.delete_segment(name, workspace=ws):
            raise Refused(404, f"no saved segment {name!r}")
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
