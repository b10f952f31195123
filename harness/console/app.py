"""The console's own Flask app: pages, static assets, the login, and the guard every control request gets.

It is a separate app mounted under `/_harness/ui` (see `mount`), so it can be added to a fake's app at
any time, has its own HTML error pages, and touches nothing of Braze's paths.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from harness.braze import Backend, protect
from harness.console.auth import auth_blueprint, require_login
from harness.console.context import EXTENSION, ConsoleState
from harness.console.hub import Hub
from harness.console.pages_controls import controls_blueprint
from harness.console.pages_segments import segments_blueprint
from harness.console.pages_stream import stream_blueprint
from harness.console.pages_users import AnyPath, users_blueprint

__all__ = ["create_console_app"]

_HERE = Path(__file__).resolve().parent


def create_console_app(fake: Backend, *, max_streams: int = 2, stream_lifetime: float = 300.0) -> Flask:
    """The console of `fake` (served with SCRIPT_NAME `/_harness/ui`); `max_streams` caps live streams,
    each of which holds one server thread while open."""
    app = Flask("harness.console", template_folder=str(_HERE / "templates"), static_folder=str(_HERE / "static"))
    app.url_map.converters["anypath"] = AnyPath
    app.url_map.merge_slashes = False
    app.extensions[EXTENSION] = ConsoleState(fake, Hub(fake.journal, max_streams), stream_lifetime)
    protect(app, fake.config)
    app.before_request(require_login)
    pages = (auth_blueprint(), stream_blueprint(), users_blueprint(), segments_blueprint(), controls_blueprint())
    for blueprint in pages:
        app.register_blueprint(blueprint)

    @app.context_processor
    def shared() -> dict[str, object]:
        return {
            "fake": fake,
            "instance": fake.config.instance,
            "workspaces": sorted(fake.store.workspaces),
            "token_required": bool(fake.config.control_token),
            "nav": request.blueprint,
        }

    @app.errorhandler(HTTPException)
    def error(exc: HTTPException) -> tuple[str, int] | BaseResponse:
        if exc.code == 405 or request.endpoint == "stream.events":
            return exc.get_response()
        message = exc.description if exc.code == 404 else exc.name
        return render_template("not_found.html", message=message, code=exc.code), exc.code or 500

    return app
