"""Users: the searchable list (`/users`) and a profile (`/users/<external_id>`, `/anonymous/<braze_id>`).

An external_id may hold anything Braze accepts (slashes, a leading slash, `..`, spaces, any script), so
the route takes the whole rest of the path (`AnyPath`) and links are built with `url_for`, which
escapes it. A browser resolves `.` and `..` segments before sending a URL, so an id holding one is
linked as `/user?external_id=...` instead (`profile_url`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from werkzeug.routing import PathConverter

from harness.console.context import state, workspace_arg
from harness.console.display import VALUE_LIMIT, clip, compact
from harness.console.profiles import LIST_LIMIT, list_users, profile_page

__all__ = ["AnyPath", "profile_url", "users_blueprint"]

_DOTS = frozenset({".", "..", "%2e", "%2e%2e", ".%2e", "%2e."})


def profile_url(external_id: str, workspace: str | None = None) -> str:
    """The profile page's URL; the query form when a browser would rewrite the path form."""
    extra: dict[str, Any] = {"workspace": workspace} if workspace else {}
    if any(segment.lower() in _DOTS for segment in external_id.split("/")):
        return url_for("users.by_query", external_id=external_id, **extra)
    return url_for("users.profile", external_id=external_id, **extra)


class AnyPath(PathConverter):
    """The rest of the path, whatever it holds (werkzeug's `path` refuses a leading slash)."""

    regex = ".+"
    part_isolating = False


def users_blueprint() -> Blueprint:
    bp = Blueprint("users", __name__)
    bp.add_app_template_global(profile_url)

    @bp.get("/users")
    def index() -> str:
        ws = workspace_arg()
        search = (request.args.get("q") or "")[:500]
        rows, total = list_users(state().fake, ws, search)
        return render_template("users.html", rows=rows, total=total, search=search, limit=LIST_LIMIT, workspace=ws)

    def shown(external_id: str | None, braze_id: str | None) -> tuple[str, int]:
        ws = workspace_arg()
        page = profile_page(state().fake, ws, external_id=external_id, braze_id=braze_id)
        if page is None:
            wanted = f"external_id {external_id!r}" if external_id is not None else f"braze_id {braze_id!r}"
            message = f"No user with {clip(wanted, 300).text} in workspace {ws!r}."
            return render_template("not_found.html", message=message), 404
        return render_template("user.html", page=page, workspace=ws, compact=compact, clip=clip, limit=VALUE_LIMIT), 200

    @bp.get("/users/<anypath:external_id>")
    def profile(external_id: str) -> tuple[str, int]:
        return shown(external_id, None)

    @bp.get("/user")
    def by_query() -> tuple[str, int]:
        return shown(request.args.get("external_id", ""), None)

    @bp.get("/anonymous/<braze_id>")
    def anonymous(braze_id: str) -> tuple[str, int]:
        return shown(None, braze_id)

    return bp
