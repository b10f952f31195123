"""The control token, for a browser: asked once (a login form, or `?token=` which is taken out of the URL
at once) and then kept in an HttpOnly, SameSite=Strict cookie scoped to the console.

The cookie holds a value derived from the token (`harness.braze.session_value`), never the token, and
is named after the port, so two fakes on one machine keep their own logins. Programs keep sending the
token header, which the console accepts too. Without a configured token there is nothing to ask.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from harness.braze import sent_token, session_value, token_matches
from harness.console.context import state

__all__ = ["auth_blueprint", "cookie_name", "require_login"]

_OPEN_ENDPOINTS = frozenset({"auth.login", "static"})


def cookie_name() -> str:
    port = request.host.rpartition(":")[2] if ":" in request.host.rpartition("]")[2] else "80"
    return f"braze_harness_console_{port if port.isdigit() else 'default'}"


def _token() -> str | None:
    return state().fake.config.control_token or None


def _logged_in(token: str) -> bool:
    cookie = request.cookies.get(cookie_name())
    if cookie is not None and hmac.compare_digest(cookie.encode(), session_value(token).encode()):
        return True
    return token_matches(sent_token(request), token)


def _remember(response: BaseResponse, token: str) -> BaseResponse:
    response.set_cookie(
        cookie_name(),
        session_value(token),
        path=request.script_root + "/",
        httponly=True,
        samesite="Strict",
        secure=request.scheme == "https",
    )
    return response


def _safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this console only (never another site)."""
    root = request.script_root + "/"
    if target and target.startswith(root) and not target.startswith("//") and "\\" not in target:
        return target
    return root


def require_login() -> BaseResponse | tuple[str, int] | None:
    """Before every console request: pass, take a `?token=` out of the URL, or ask for the token."""
    token = _token()
    if token is None or request.endpoint in _OPEN_ENDPOINTS:
        return None
    if "token" in request.args:
        if not token_matches(request.args["token"], token):
            return render_template("login.html", error="That is not the control token.", next=""), 401
        rest = {k: v for k, v in request.args.items(multi=True) if k != "token"}
        clean = request.script_root + request.path + (f"?{urlencode(rest)}" if rest else "")
        return _remember(redirect(clean, 303), token)
    if _logged_in(token):
        return None
    if request.method == "GET" and request.endpoint != "stream.events":
        here = request.script_root + request.full_path.rstrip("?")
        return redirect(request.script_root + "/login?" + urlencode({"next": here}), 303)
    return render_template("login.html", error="Log in with the control token first.", next=""), 401


def auth_blueprint() -> Blueprint:
    bp = Blueprint("auth", __name__)

    @bp.route("/login", methods=["GET", "POST"])
    def login() -> BaseResponse | str | tuple[str, int]:
        token = _token()
        target = _safe_next(request.values.get("next"))
        if token is None:
            return redirect(target, 303)
        if request.method == "GET":
            return render_template("login.html", error=None, next=target)
        if token_matches(request.form.get("token"), token):
            return _remember(redirect(target, 303), token)
        return render_template("login.html", error="That is not the control token.", next=target), 401

    @bp.post("/logout")
    def logout() -> BaseResponse:
        response = redirect(request.script_root + "/login", 303)
        response.delete_cookie(cookie_name(), path=request.script_root + "/")
        return response

    return bp
