"""The fake Segment over HTTP: a WSGI app for the Tracking API (`/v1/*`) and its debugger (`/_harness/segment/`).

Plain WSGI, no Flask: the Tracking API's answers are one JSON object each, and the app is composed with
the fake Braze's own (`dispatch.by_prefix`) by whoever serves both (`braze-harness serve`, the pytest
plugin). The debugger, Segment's Source Debugger and Event Delivery view as JSON:

    GET  /_harness/segment/events[?source=&type=&name=&user_id=&stage=&destination=&limit=]   newest first
    GET  /_harness/segment/events/<id>         one event: as stored, and each delivery (requests, answers,
                                               Braze's errors, the diagnosis of a failure)
    GET  /_harness/segment/delivery[?destination=]   Delivery Overview: events per step and discard code
    GET  /_harness/segment/requests[?limit=]   the Tracking API requests (the journal)
    GET  /_harness/segment/workspace           sources, destinations (secrets redacted), mappings, Engage
    POST /_harness/segment/flush               deliver what is queued (delivery "flush")
    POST /_harness/segment/engage/sync[?at=]   let Engage's batch definitions sync
    POST /_harness/segment/reset               forget events, requests and Engage profiles

Guarded like Braze's control plane: left out with `control_plane=False`, and with a token it answers only
requests carrying `X-Harness-Control-Token: TOKEN` or `Authorization: Bearer TOKEN`.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

import orjson
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request

from harness.braze import SECURE_HEADERS, refusal
from harness.clock import utc
from harness.workspace.fake import FakeSegment
from harness.workspace.tracking import TrackingRequest

__all__ = ["DEBUGGER_PREFIX", "segment_app"]

DEBUGGER_PREFIX = "/_harness/segment"
_READ_LIMIT = 8 * 1024 * 1024
"""Bytes read of a request body at most (Segment refuses anything over 500 KB anyway)."""


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    found = {key[5:].replace("_", "-").lower(): str(value) for key, value in environ.items() if key.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        found["content-type"] = str(environ["CONTENT_TYPE"])
    return found


def _body(environ: WSGIEnvironment) -> bytes:
    length = environ.get("CONTENT_LENGTH")
    stream = environ["wsgi.input"]
    if length and str(length).isdigit():
        data: bytes = stream.read(min(int(length), _READ_LIMIT))
        return data
    if environ.get("wsgi.input_terminated"):
        data = stream.read(_READ_LIMIT)
        return data
    return b""


def _json(start_response: StartResponse, status: int, body: Any, *, guarded: bool = False) -> Iterable[bytes]:
    data = orjson.dumps(body)
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    if guarded:  # the control plane's answers: framing denied, no CORS, not cached (harness.braze's guard)
        headers += [*SECURE_HEADERS.items(), ("Cache-Control", "no-store")]
    start_response(f"{status} {HTTP_STATUS_CODES.get(status, 'UNKNOWN').upper()}", headers)
    return [data]


def _query(environ: WSGIEnvironment) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(str(environ.get("QUERY_STRING", ""))).items()}


def _limit(query: dict[str, str], default: int = 100) -> int:
    value = query.get("limit", "")
    return int(value) if value.isdigit() else default


def segment_app(fake: FakeSegment, *, control_plane: bool = True, control_token: str | None = None) -> WSGIApplication:
    """The WSGI app serving `fake`: the Tracking API, and (unless left out) its debugger."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        method = str(environ.get("REQUEST_METHOD", "GET"))
        if path.startswith(DEBUGGER_PREFIX) and control_plane:
            refused = refusal(Request(environ), fake.braze.config)  # Host, Origin, preflight-free posts
            if refused is not None:
                body = {"message": "refused by the control plane's guard", "errors": [{"type": refused}]}
                return _json(start_response, 403, body, guarded=True)
            headers = _headers(environ)
            if control_token and not _authorized(headers, control_token):
                return _json(start_response, 401, {"message": "control plane token required"}, guarded=True)
            status, body = _control(fake, method, path[len(DEBUGGER_PREFIX) :].rstrip("/"), _query(environ))
            return _json(start_response, status, body, guarded=True)
        if not path.startswith("/v1"):
            return _json(start_response, 404, {"code": "not_found", "message": f"{method} {path} is not served"})
        host = str(environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or "")
        request = TrackingRequest(method, path, host, _headers(environ), _body(environ))
        reply = fake.receive(request)
        return _json(start_response, reply.status, reply.body)

    return app


def _authorized(headers: dict[str, str], token: str) -> bool:
    given = headers.get("x-harness-control-token") or ""
    bearer = headers.get("authorization", "")
    if bearer.lower().startswith("bearer "):
        given = given or bearer[7:]
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


def _control(fake: FakeSegment, method: str, route: str, query: dict[str, str]) -> tuple[int, Any]:
    if method == "GET":
        if route == "/events":
            found = fake.events(
                source=query.get("source"),
                type=query.get("type"),
                name=query.get("name"),
                user_id=query.get("user_id"),
                stage=query.get("stage"),
                destination=query.get("destination"),
            )
            newest = list(reversed(found))[: _limit(query)]
            return 200, {"events": [r.to_json() for r in newest], "total": len(found), "dropped": fake.debugger.dropped}
        if route.startswith("/events/") and route[8:].isdigit():
            record = fake.debugger.get(int(route[8:]))
            return (200, record.to_json()) if record else (404, {"message": f"no event #{route[8:]}"})
        if route == "/delivery":
            return 200, fake.debugger.delivery_overview(query.get("destination"))
        if route == "/requests":
            entries = fake.journal.entries()[-_limit(query) :]
            return 200, {"requests": [e.to_json() for e in reversed(entries)], "dropped": fake.journal.dropped}
        if route == "/workspace":
            return 200, fake.workspace.to_json()
    if method == "POST":
        if route == "/flush":
            return 200, {"delivered": fake.flush()}
        if route == "/reset":
            fake.reset()
            return 200, {"reset": True}
        if route == "/engage/sync":
            try:
                at = utc(query["at"]) if query.get("at") else None
            except ValueError:
                return 400, {"message": f"at={query['at']!r} is not an ISO-8601 time"}
            return 200, {"sent": [r.to_json() for r in fake.sync_engage(at)]}
    return 404, {"message": f"{method} {DEBUGGER_PREFIX}{route} is not part of the fake Segment's debugger"}
