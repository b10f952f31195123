"""The control plane under `/_harness/`: health, reset, the request journal, state read-back and seeding.

Like moto's `/moto-api/` and WireMock's `/__admin/`: what a test (or a non-Python client) needs to see
what the fake received and what it now holds. Control requests are not journaled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request

from harness.braze.config import DEFAULT_WORKSPACE
from harness.braze.errors import error_item
from harness.braze.journal import JournalEntry
from harness.braze.seed import SeedError

if TYPE_CHECKING:
    from harness.braze.fake import FakeBraze

__all__ = ["control_blueprint"]


def control_blueprint(fake: FakeBraze) -> Blueprint:
    from harness.braze.app import json_response

    bp = Blueprint("harness_control", __name__)

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

    return bp


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
