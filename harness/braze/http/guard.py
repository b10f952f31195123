"""What a web page must not be able to do to the control plane (`/_harness/`, the console included).

The fake binds 127.0.0.1, but a page open in the same browser can still send it requests. Each rule
below closes one way in, and answers 403 with the reason:

- **DNS rebinding**: a page's own name made to resolve to 127.0.0.1 arrives with that name as its
  `Host`. Only the names the server answers to are accepted (`host_allowed`): loopback forms, Braze's
  REST hosts (only Braze or the fake itself can serve a page under those names), the bind address and
  `FakeBrazeConfig.allowed_hosts`. Braze's own endpoints keep accepting any Host (proxies, /etc/hosts).
- **Cross-origin requests**: fetch metadata (`Sec-Fetch-Site`, set by the browser) saying the request
  comes from another site, for anything but a top-level navigation; without it, an `Origin` that is
  not the server's own.
- **Requests a page can send without a preflight**: a state-changing call with a form or `text/plain`
  body (or a body with no type) needs the control token header or a same-origin proof; the control
  plane speaks JSON, which a page cannot send cross-origin without a CORS preflight that fails here.
- **No CORS headers** are ever sent, and every control answer is frame-denied and not to be embedded
  (`secure_headers`).

The console keeps the control token in an HttpOnly, SameSite=Strict cookie (`session_value`); the
token header stays the way for programs.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable

from flask import Flask, Response, request
from werkzeug.wrappers import Request

from harness.braze.http.responses import json_response
from harness.braze.model.config import FakeBrazeConfig
from harness.braze.model.instances import INSTANCES
from harness.braze.service.errors import error_item

__all__ = [
    "CONTROL_PREFIX",
    "CONTROL_TOKEN_HEADER",
    "SECURE_HEADERS",
    "bind_hosts",
    "host_allowed",
    "protect",
    "refusal",
    "secure_headers",
    "sent_token",
    "session_value",
    "token_matches",
]

CONTROL_PREFIX = "/_harness"
CONTROL_TOKEN_HEADER = "X-Harness-Control-Token"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_BRAZE_HOSTS = frozenset(host.lower() for instance in INSTANCES for host in instance.rest_hosts)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SIMPLE_TYPES = frozenset({"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"})
"""The content types a page may POST to another origin without a CORS preflight (Fetch standard)."""
_SESSION_LABEL = b"segment-braze-harness console session"
SECURE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _hostname(host_header: str) -> str:
    """`Example.com:4567` -> `example.com`; `[::1]:4567` -> `::1`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def _is_loopback(name: str) -> bool:
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True  # browsers resolve *.localhost to loopback themselves, never through DNS
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def bind_hosts(bind_address: str) -> tuple[str, ...]:
    """The Host names a server bound to `bind_address` answers to beyond the loopback forms: the address
    itself when it is a specific one (a wildcard bind names no host: use `allowed_hosts`)."""
    name = _hostname(bind_address) if bind_address.startswith("[") else bind_address.strip().lower()
    if not name or name in ("0.0.0.0", "::") or _is_loopback(name):
        return ()
    return (name,)


def host_allowed(host_header: str | None, allowed: Iterable[str]) -> bool:
    """Whether a control request's `Host` names this server (the port is not compared: rebinding changes
    the name, not the port)."""
    extra = {_hostname(h) for h in allowed}
    if "*" in extra:
        return True
    if not host_header:
        return False
    name = _hostname(host_header)
    return _is_loopback(name) or name in _BRAZE_HOSTS or name in extra


def sent_token(req: Request) -> str | None:
    """The control token a request carries in a header (`X-Harness-Control-Token` or `Bearer`), if any."""
    sent = req.headers.get(CONTROL_TOKEN_HEADER)
    if sent is None:
        scheme, _, value = (req.headers.get("Authorization") or "").partition(" ")
        sent = value.strip() if scheme.lower() == "bearer" else None
    return sent


def token_matches(sent: str | None, token: str) -> bool:
    return sent is not None and hmac.compare_digest(sent.encode(), token.encode())


def session_value(token: str) -> str:
    """What the console's cookie holds for a token: derived from it, so the cookie never shows the token."""
    return hmac.new(token.encode(), _SESSION_LABEL, hashlib.sha256).hexdigest()


def _own_origin(req: Request) -> str:
    return f"{req.scheme}://{req.host}".lower()


def _same_origin_proof(req: Request) -> bool:
    origin = req.headers.get("Origin")
    return req.headers.get("Sec-Fetch-Site") == "same-origin" or (
        origin is not None and origin.lower() == _own_origin(req)
    )


def refusal(req: Request, config: FakeBrazeConfig) -> str | None:
    """Why a control request is refused (403), or None. See the module docstring for each rule."""
    if not host_allowed(req.headers.get("Host"), config.allowed_hosts):
        return (
            f"Host {req.headers.get('Host')!r} is not a name this server answers to (DNS rebinding); "
            "use 127.0.0.1 or localhost, or add the name to allowed_hosts (serve --allowed-host)"
        )
    site = req.headers.get("Sec-Fetch-Site")
    unsafe = req.method not in _SAFE_METHODS
    if site in ("cross-site", "same-site") and (unsafe or req.headers.get("Sec-Fetch-Mode") != "navigate"):
        return f"request from another site (Sec-Fetch-Site: {site}): the control plane answers only its own pages"
    origin = req.headers.get("Origin")
    if site is None and origin is not None and origin.lower() != _own_origin(req):
        # fetch metadata, set by the browser, decides where present: a same-origin form post can say Origin: null
        return f"cross-origin request from {origin!r}: the control plane answers only its own pages"
    if unsafe and _preflight_free(req) and CONTROL_TOKEN_HEADER not in req.headers and not _same_origin_proof(req):
        return (
            f"a {req.mimetype or 'untyped'} {req.method} is what any web page can send here: send "
            f"Content-Type: application/json, the {CONTROL_TOKEN_HEADER} header, or a same-origin Origin"
        )
    return None


def _preflight_free(req: Request) -> bool:
    """A body a page can send cross-origin without a preflight: a simple content type, or none at all."""
    if req.mimetype in _SIMPLE_TYPES:
        return True
    return not req.mimetype and bool(req.content_length or req.headers.get("Transfer-Encoding"))


def secure_headers(response: Response) -> Response:
    for name, value in SECURE_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", "no-store")
    for name in [n for n, _ in response.headers.items() if n.lower().startswith("access-control-")]:
        del response.headers[name]
    return response


def protect(app: Flask, config: FakeBrazeConfig) -> None:
    """Apply the rules to every request under `/_harness/` that `app` serves (the whole app when it is
    mounted there, as the console is), before any token check or route."""

    def controlled() -> bool:
        return (request.script_root + request.path).startswith(CONTROL_PREFIX)

    def check() -> Response | None:
        if not controlled():
            return None
        reason = refusal(request, config)
        if reason is None:
            return None
        return json_response(403, {"message": "refused by the control plane's guard", "errors": [error_item(reason)]})

    def headers(response: Response) -> Response:
        return secure_headers(response) if controlled() else response

    app.before_request(check)
    app.after_request(headers)
