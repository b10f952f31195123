"""`mount(app, fake)`: serve the console at `/_harness/ui/` beside a fake's Braze paths, in one call.

The console app is put in front of the fake's WSGI app (Flask's middleware slot, as the direct path
is), so mounting works whenever it happens, even after the fake has answered requests. `/_harness`
and a browser's `GET /` are sent to the console. With the control plane off there is no console.
"""

from __future__ import annotations

from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Flask
from werkzeug.utils import redirect

from harness.braze import CONTROL_PREFIX, Backend
from harness.console.app import create_console_app

__all__ = ["PREFIX", "mount"]

PREFIX = CONTROL_PREFIX + "/ui"
_MOUNTED = "harness_console_app"


def mount(app: Flask, fake: Backend, *, max_streams: int = 2, stream_lifetime: float = 300.0) -> Flask | None:
    """Serve `fake`'s console on `app` (its own Flask app, returned); idempotent; None with the control
    plane off. `max_streams` caps the live streams (each holds one server thread while open)."""
    if not fake.config.control_plane:
        return None
    existing = app.extensions.get(_MOUNTED)
    if isinstance(existing, Flask):
        return existing
    console = create_console_app(fake, max_streams=max_streams, stream_lifetime=stream_lifetime)
    app.extensions[_MOUNTED] = console
    app.wsgi_app = _dispatch(console.wsgi_app, app.wsgi_app)  # type: ignore[method-assign, assignment]
    return console


def _dispatch(console: WSGIApplication, rest: WSGIApplication) -> WSGIApplication:
    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == PREFIX or path.startswith(PREFIX + "/"):
            inner = dict(environ)
            inner["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX
            inner["PATH_INFO"] = path[len(PREFIX) :] or "/"
            if path == PREFIX:
                return redirect(inner["SCRIPT_NAME"] + "/", 308)(environ, start_response)
            return console(inner, start_response)
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and (
            path in (CONTROL_PREFIX, CONTROL_PREFIX + "/")
            or (path == "/" and "text/html" in environ.get("HTTP_ACCEPT", ""))
        ):
            return redirect(environ.get("SCRIPT_NAME", "") + PREFIX + "/", 302)(environ, start_response)
        return rest(environ, start_response)

    return serve
