"""The control plane under `/_harness/`: health, reset, the request journal, state read-back, seeding
and faults.

Like moto's `/moto-api/` and WireMock's `/__admin/`: what a test (or a non-Python client) needs to see
what the fake received and what it now holds. Control requests are not journaled. With a control token
configured, every control request must carry it (`guard`); `serve --no-control-plane` leaves it out.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Blueprint, Response, request

from harness.braze.backend import Backend, StateError
from harness.braze.http.guard import CONTROL_TOKEN_HEADER, sent_token, token_matches
from harness.braze.http.responses import json_response
from harness.braze.model.config import DEFAULT_WORKSPACE
from harness.braze.model.faults import Fault
from harness.braze.model.journal import JournalEntry
from harness.braze.service.errors import error_item
from harness.braze.service.seed import SeedError

__all__ = ["CONTROL_TOKEN_HEADER", "control_blueprint", "guard"]


def guard(bp: Blueprint, token: str | None) -> None:
    """With a token, answer 401 to any control request that does not carry it (compared in constant time).
    What a web page must not do is refused before this, by `guard.protect` on the whole app."""
    if not token:
        return

    def check() -> Response | None:
        if token_matches(sent_token(request), token):
            return None
        reason = f"send the control token as {CONTROL_TOKEN_HEADER}: TOKEN or Authorization: Bearer TOKEN"
        return json_response(401, {"message": "control token required", "errors": [error_item(reason)]})

    bp.before_request(check)


def control_blueprint(fake: Backend) -> Blueprint:
    bp = Blueprint("harness_control", __name__)
    guard(bp, fake.config.control_token)

    @bp.get("/health")
    def health() -> Response:
        return json_response(
            200,
            {
                "status": "ok",
                "instance": fake.config.instance,
                "workspaces": sorted(fake.store.workspaces),
                "requests": len(fake.journal),
            },
        )

    @bp.post("/reset")
    def reset() -> Response:
        fake.reset()
        return json_response(200, {"status": "reset"})

    @bp.get("/requests")
    def requests() -> Response:
        entries = fake.journal.entries(_journal_filter(request.args))
        limit = request.args.get("limit", type=int)
        if limit is not None:
            entries = entries[-limit:] if limit > 0 else []
        return json_response(
            200,
            {
                "requests": [e.to_json() for e in entries],
                "count": len(entries),
                "dropped": fake.journal.dropped,
            },
        )

    @bp.delete("/requests")
    def clear_requests() -> Response:
        fake.journal.clear()
        return json_response(200, {"status": "cleared"})

    @bp.get("/users/<path:external_id>")
    def user(external_id: str) -> Response:
        workspace = request.args.get("workspace", DEFAULT_WORKSPACE)
        profile = fake.user(external_id, workspace=workspace)
        if profile is None:
            return json_response(
                404,
                {
                    "message": f"no user with external_id {external_id!r} in workspace {workspace!r}",
                    "errors": [],
                },
            )
        return json_response(200, fake.profile_state(profile))

    @bp.post("/seed")
    def seed() -> Response:
        workspace = request.args.get("workspace", DEFAULT_WORKSPACE)
        if workspace not in fake.store.workspaces:
            return json_response(404, {"message": f"no workspace {workspace!r}", "errors": []})
        try:
            seeded = fake.seed(request.get_json(force=True, silent=True), workspace=workspace)
        except SeedError as exc:
            errors = [error_item(v.reason, path=v.path) for v in exc.violations]
            return json_response(400, {"message": "Invalid seed: not a /users/export/ids response", "errors": errors})
        return json_response(200, {"workspace": workspace, "seeded": len(seeded)})

    @bp.get("/state")
    def state() -> Response:
        return json_response(200, fake.state())

    @bp.post("/state")
    def load_state() -> Response:
        """Replace the fake's state with a snapshot (what GET /state answers); all or nothing."""
        try:
            fake.load_state(orjson.loads(request.get_data()))
        except orjson.JSONDecodeError as exc:
            return json_response(400, {"message": "request body is not valid JSON", "errors": [error_item(str(exc))]})
        except StateError as exc:
            errors = [error_item(v.reason, path=v.path) for v in exc.violations]
            return json_response(400, {"message": "Invalid state: not a GET /_harness/state answer", "errors": errors})
        users = sum(len(ws.profiles) for ws in fake.store.workspaces.values())
        return json_response(200, {"status": "loaded", "workspaces": sorted(fake.store.workspaces), "users": users})

    @bp.get("/faults")
    def faults() -> Response:
        return json_response(200, {"faults": fake.faults.rules()})

    @bp.post("/faults")
    def add_faults() -> Response:
        """A fault object, a list of them, or `{"faults": [...]}`; all or none are armed."""
        try:
            data = orjson.loads(request.get_data())
            items = data.get("faults") if isinstance(data, dict) and "faults" in data else data
            parsed = [Fault.from_json(_fault_object(item)) for item in (items if isinstance(items, list) else [items])]
        except (orjson.JSONDecodeError, ValueError, TypeError) as exc:
            return json_response(400, {"message": "Bad fault.", "errors": [error_item(str(exc))]})
        ids = {fake.faults.add(fault) for fault in parsed}
        return json_response(201, {"faults": [r for r in fake.faults.rules() if r["id"] in ids]})

    @bp.delete("/faults")
    def clear_faults() -> Response:
        fake.faults.clear()
        return json_response(200, {"faults": []})

    @bp.delete("/faults/<int:rule_id>")
    def remove_fault(rule_id: int) -> Response:
        if not fake.faults.remove(rule_id):
            return json_response(404, {"message": f"no fault {rule_id}", "errors": []})
        return json_response(200, {"faults": fake.faults.rules()})

    return bp


def _fault_object(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError(f"a fault is a JSON object like {{'kind': 'drop'}}, not {item!r}")
    return item


def _journal_filter(args: Any) -> Any:
    path = args.get("path")
    status = args.get("status", type=int)
    since = args.get("since", type=int)
    method = args.get("method")

    def keep(entry: JournalEntry) -> bool:
        return (
            (path is None or entry.path == path)
            and (status is None or entry.status == status)
            and (since is None or entry.id > since)
            and (method is None or entry.method == method.upper())
        )

    return keep
