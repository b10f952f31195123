"""Segments and cohorts: evaluate or save a Braze segment filter (the fake's filter language) and see its
members; the cohorts Segment's Braze Cohorts destination made, with theirs."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from harness.braze import Members, SegmentDefinitionError
from harness.console.context import state, workspace_arg

__all__ = ["EXAMPLE", "segments_blueprint"]

EXAMPLE = """{
  "and": [
    {"custom_attribute": "plan", "op": "equals", "value": "pro"},
    {"custom_event": "Order Completed", "op": "more_than", "count": 0, "in_last_days": 30}
  ]
}"""


def _evaluate(text: str, workspace: str) -> tuple[Any, Members | None, list[tuple[str, str]]]:
    """(definition, members, problems as (path, reason)) of a definition typed into the form."""
    try:
        definition = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return None, None, [("$", f"not JSON: {exc}")]
    try:
        return definition, state().fake.segment_members(definition, workspace=workspace), []
    except SegmentDefinitionError as exc:
        return definition, None, [(v.path, v.reason) for v in exc.violations]


def _page(workspace: str, text: str, members: Members | None, problems: list[tuple[str, str]], name: str = "") -> str:
    fake = state().fake
    saved = []
    for saved_name, definition in sorted(fake.saved_segments(workspace).items()):
        count = len(fake.segment_members(definition, workspace=workspace))
        saved.append((saved_name, orjson.dumps(definition).decode(), count))
    return render_template(
        "segments.html",
        workspace=workspace,
        text=text,
        members=members,
        problems=problems,
        saved=saved,
        name=name,
    )


def segments_blueprint() -> Blueprint:
    bp = Blueprint("segments", __name__)

    @bp.get("/segments")
    def index() -> str:
        ws = workspace_arg()
        chosen = request.args.get("name")
        if chosen is not None and chosen in state().fake.saved_segments(ws):
            text = orjson.dumps(state().fake.saved_segment(chosen, workspace=ws), option=orjson.OPT_INDENT_2).decode()
            _, members, problems = _evaluate(text, ws)
            return _page(ws, text, members, problems, chosen)
        return _page(ws, EXAMPLE, None, [])

    @bp.post("/segments")
    def evaluate() -> ResponseReturnValue:
        ws = workspace_arg()
        text = request.form.get("definition", "")[:200_000]
        name = request.form.get("name", "").strip()[:255]
        definition, members, problems = _evaluate(text, ws)
        if problems:
            return _page(ws, text, None, problems, name), 400
        if request.form.get("action") == "save":
            if not name:
                return _page(ws, text, members, [("name", "a saved segment needs a name")], name), 400
            state().fake.save_segment(name, definition, workspace=ws)
            return redirect(url_for("segments.index", workspace=ws, name=name), 303)
        return _page(ws, text, members, [], name), 200

    @bp.post("/segments/delete")
    def delete() -> ResponseReturnValue:
        ws = workspace_arg()
        state().fake.delete_segment(request.form.get("name", ""), workspace=ws)
        return redirect(url_for("segments.index", workspace=ws), 303)

    @bp.get("/cohorts")
    def cohorts() -> str:
        ws = workspace_arg()
        return render_template("cohorts.html", cohorts=state().fake.cohorts(ws), workspace=ws)

    return bp
