"""Controls: reset, faults (arm, list, clear) and data import keys, as forms that post back here.

Each action answers a redirect to the page (post/redirect/get), so a reload never repeats it; the
guard (`harness.braze.protect`) has already refused whatever another site's page could have sent.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from harness.braze import DEFAULT_WORKSPACE, Fault, redact
from harness.console.context import state, workspace_arg

__all__ = ["ENDPOINT_PATHS", "controls_blueprint", "fault_from_form"]

ENDPOINT_PATHS = (
    "/users/track",
    "/users/export/ids",
    "/users/identify",
    "/users/alias/new",
    "/users/delete",
    "/partners/segment/cohorts",
    "/partners/segment/cohorts/users",
)
STATUSES = (500, 502, 503, 504, 429, 202)


def fault_from_form(form: Any) -> Fault:
    """A fault from the arm form; ValueError says which field is wrong."""
    data: dict[str, Any] = {"kind": form.get("kind", "")}
    if data["kind"] == "status":
        data["status"] = _number(form.get("status"), int, "status")
    if form.get("path"):
        data["path"] = form["path"]
    if form.get("times"):
        data["times"] = _number(form["times"], int, "times")
    if form.get("probability"):
        data["probability"] = _number(form["probability"], float, "probability")
    if form.get("delay"):
        data["delay"] = _number(form["delay"], float, "delay")
    if form.get("applied"):
        data["applied"] = True
    return Fault.from_json(data)


def _number(text: str | None, kind: type[int] | type[float], name: str) -> Any:
    try:
        return kind(text or "")
    except ValueError:
        raise ValueError(f"{name} must be a number, not {text!r}") from None


def controls_blueprint() -> Blueprint:
    bp = Blueprint("controls", __name__)

    def page(error: str | None = None, status: int = 200) -> tuple[str, int]:
        fake = state().fake
        keys = []
        for ws in sorted(fake.store.workspaces):
            key = fake.data_import_key(ws)
            keys.append((ws, key, redact(key) if key else None))
        return render_template(
            "controls.html",
            faults=fake.faults.rules(),
            keys=keys,
            paths=ENDPOINT_PATHS,
            statuses=STATUSES,
            error=error,
            done=request.args.get("done", "")[:40],
            users=sum(len(w.profiles) for w in fake.store.workspaces.values()),
            requests=len(fake.journal),
        ), status

    def back(done: str) -> ResponseReturnValue:
        return redirect(url_for("controls.index", done=done), 303)

    @bp.get("/controls")
    def index() -> tuple[str, int]:
        return page()

    @bp.post("/controls/reset")
    def reset() -> ResponseReturnValue:
        state().fake.reset()
        return back("reset")

    @bp.post("/controls/faults")
    def arm() -> ResponseReturnValue:
        try:
            fault = fault_from_form(request.form)
        except ValueError as exc:
            return page(str(exc), 400)
        state().fake.faults.add(fault)
        return back("armed")

    @bp.post("/controls/faults/clear")
    def clear() -> ResponseReturnValue:
        state().fake.faults.clear()
        return back("cleared")

    @bp.post("/controls/faults/<int:rule_id>/remove")
    def remove(rule_id: int) -> ResponseReturnValue:
        state().fake.faults.remove(rule_id)
        return back("removed")

    @bp.post("/controls/keys/<action>")
    def keys(action: str) -> ResponseReturnValue:
        ws = workspace_arg() if "workspace" in request.args else request.form.get("workspace", DEFAULT_WORKSPACE)
        if ws not in state().fake.store.workspaces:
            return page(f"no workspace {ws!r}", 404)
        if action == "regenerate":
            state().fake.regenerate_data_import_key(ws)
        elif action == "invalidate":
            state().fake.invalidate_data_import_key(ws)
        else:
            return page(f"unknown key action {action!r}", 404)
        return back(f"key {action}d")

    return bp
