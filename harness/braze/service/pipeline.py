"""The request pipeline of the fake, free of Flask: one function every way in goes through.

instance (from Host) → faults → rate limit → auth → JSON body → contract → service → answer, and every
request, refused and faulted ones included, journaled. The Flask app wraps it for HTTP; `FakeBraze.call`
uses it directly for in-process callers (replay, benchmarks) that need no socket and no WSGI.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from harness.braze.model.instances import instance_for_host, instance_named
from harness.braze.model.notes import Code, Note
from harness.braze.model.redaction import HeaderItems, scrub, secrets_of
from harness.braze.service.auth import bearer_key, workspace_for_key
from harness.braze.service.bodies import parse_json_body
from harness.braze.service.call import Call, Endpoint
from harness.braze.service.errors import DETAIL_HEADER, BrazeError, NotFound, RateLimited
from harness.braze.service.faults import Fired
from harness.braze.service.runtime import Runtime
from harness.contracts import Violation, contract

__all__ = ["RawRequest", "Reply", "process", "refuse"]

log = logging.getLogger("harness.braze")
RATE_HEADER = "X-RateLimit-Limit"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
"""Characters a header value cannot hold (a path parameter may carry a newline into a detail)."""


@dataclass(slots=True)
class RawRequest:
    """A request as it arrived: nothing parsed yet."""

    method: str
    path: str
    host: str
    headers: HeaderItems
    body: bytes
    content_type: str | None = "application/json"
    query: Mapping[str, str] = field(default_factory=dict)
    query_string: str = ""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


@dataclass(slots=True)
class Reply:
    """What the fake answered, and the journal entry that records it."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    request_id: int
    violations: list[Violation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    fault: str | None = None
    """`drop` or `timeout`: no answer; the transport drops or stalls the connection (see `faults`)."""

    @property
    def warnings(self) -> list[str]:
        """The warnings and refusal notes as text (`events[3]: ...`); object errors are in the body's `errors`."""
        return [str(note) for note in self.notes if note.kind != "error"]


def process(runtime: Runtime, endpoint: Endpoint, request: RawRequest, params: dict[str, str] | None = None) -> Reply:
    """Run one request through the pipeline and journal it, whatever happens."""
    fired = runtime.faults.draw(endpoint.path) if runtime.faults.armed else None
    if fired is not None:
        if fired.delay:
            runtime.faults.sleep(fired.delay)
        if fired.fault is not None and not fired.fault.applies:  # never reaches the service
            instance = instance_for_host(request.host) or instance_named(runtime.config.instance)
            unread = _lenient_json(request.body)
            group, read = endpoint.group, unread is not None
            return _record(runtime, request, 0, {}, {}, unread, None, [], [], instance.name, fired, group, read)
    now = runtime.clock.now()
    instance = instance_for_host(request.host) or instance_named(runtime.config.instance)
    headers: dict[str, str] = {}
    body: Any = None
    workspace_name: str | None = None
    violations: list[Violation] = []
    notes: list[Note] = []
    caller, onboarded = "", None
    group = endpoint.group
    try:
        if endpoint.auth == "bearer":
            authorization = request.header("Authorization")
            key = bearer_key(authorization, request.query.get("api_key"), _body_key(request, authorization))
        else:
            key = None
        caller = key or ""
        workspace = workspace_for_key(runtime.store, key, instance) if key is not None else None
        workspace_name = workspace.name if workspace else None
        onboarded = workspace.config.onboarded if workspace else None
        if endpoint.group_for is not None:  # the body decides the limit: read it first
            body = _body(endpoint, request, runtime.config.max_body_bytes)
            group = endpoint.group_for(body)
        decision = runtime.limiter.hit(group, caller, onboarded)
        headers.update(decision.headers())
        if not decision.allowed:
            reason = f"more than {decision.limit} requests in this window; it resets at {decision.reset}"
            raise RateLimited(detail=reason)
        if endpoint.group_for is None:
            body = _body(endpoint, request, runtime.config.max_body_bytes)
        violations = contract(endpoint.contract).check(body) if endpoint.contract else []
        outcome = endpoint.service(Call(runtime.store, instance, workspace, body, violations, now, params or {}))
        notes = outcome.notes
        workspace_name = outcome.workspace or workspace_name
        status, payload = outcome.status, outcome.body
    except BrazeError as exc:
        status, payload = exc.status, exc.body()
        notes = [*exc.notes, *_explain(exc, headers)]
        if RATE_HEADER not in headers:  # refused before the limiter: show the window, uncounted
            headers.update(runtime.limiter.peek(group, caller, onboarded).headers())
    except Exception as exc:  # never a bare 500: Braze-shaped, journaled, logged (credentials scrubbed)
        secrets = secrets_of(request.headers, request.query, body)
        trace = scrub("".join(traceback.format_exception(exc)), secrets)
        log.error("fake Braze failed on %s %s\n%s", request.method, request.path, trace)
        status, payload = 500, {"message": "Internal Server Error", "errors": []}
        bug = BrazeError(detail=f"harness bug: {type(exc).__name__}: {exc}", code=Code.HARNESS_ERROR)
        notes = _explain(bug, headers)
    return _record(
        runtime, request, status, payload, headers, body, workspace_name, violations, notes, instance.name, fired,
        group, body is not None,
    )  # fmt: skip


def refuse(runtime: Runtime, request: RawRequest, error: BrazeError | None = None) -> Reply:
    """Answer (and journal) a request no endpoint takes: unknown path, wrong method, body too large."""
    error = error or NotFound(detail=f"no Braze endpoint {request.method} {request.path} in this fake")
    headers: dict[str, str] = runtime.limiter.peek("default", "").headers()
    notes = _explain(error, headers)
    return _record(runtime, request, error.status, error.body(), headers, None, None, [], notes, None)


def _explain(error: BrazeError, headers: dict[str, str]) -> list[Note]:
    """A refusal's own headers, and its detail in `X-Harness-Detail` (ASCII, as headers must be) and the journal."""
    headers.update(error.headers)
    refusal = error.refusal()
    if error.detail:
        ascii_only = error.detail.encode("ascii", "backslashreplace").decode("ascii")
        headers[DETAIL_HEADER] = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", ascii_only)
    return [refusal] if refusal is not None else []


def _record(
    runtime: Runtime,
    request: RawRequest,
    status: int,
    payload: dict[str, Any],
    headers: dict[str, str],
    body: Any,
    workspace: str | None,
    violations: list[Violation],
    notes: list[Note],
    instance: str | None,
    fired: Fired | None = None,
    group: str = "default",
    parsed: bool = False,
) -> Reply:
    """`parsed`: `body` is `orjson.loads(request.body)` (so the journal may keep the bytes instead)."""
    if status >= 400 or notes or violations:  # where the fake may echo what it was sent
        secrets = secrets_of(request.headers, request.query, body)
        if secrets:
            payload = scrub(payload, secrets)
            notes = [replace(n, text=scrub(n.text, secrets), subject=scrub(n.subject, secrets)) for n in notes]
            if DETAIL_HEADER in headers:
                headers[DETAIL_HEADER] = scrub(headers[DETAIL_HEADER], secrets)
            violations = [replace(v, reason=scrub(v.reason, secrets)) for v in violations]
    kind: str | None = None
    journal_status: int = status
    response: dict[str, Any] | None = payload
    journal_fault: dict[str, Any] | None = None
    if fired is not None:
        faulted = fired.outcome(status, payload, headers, lambda: runtime.limiter.exhausted(group).headers())
        status, payload, headers, kind = faulted.status, faulted.body, faulted.headers, faulted.kind
        journal_status, response, journal_fault = (
            faulted.journal_status,
            faulted.journal_response,
            faulted.journal_fault,
        )
    entry = runtime.journal.record(
        at=runtime.clock.now(),
        method=request.method,
        path=request.path,
        query=request.query_string,
        host=request.host,
        headers=request.headers.items(),
        body=body,
        raw=request.body,
        status=journal_status,
        response=response,
        instance=instance,
        workspace=workspace,
        violations=violations,
        notes=notes,
        fault=journal_fault,
        parsed_from_raw=parsed,
    )
    headers["X-Harness-Request-Id"] = str(entry.id)
    return Reply(status, payload, headers, entry.id, violations, notes, kind)


def _body_key(request: RawRequest, authorization: str | None) -> object:
    """The deprecated body `api_key`, looked for only when neither the header nor the URL carries a key."""
    if authorization or request.query.get("api_key") or b'"api_key"' not in request.body:
        return None
    found = _lenient_json(request.body)
    return found.get("api_key") if isinstance(found, dict) else None


def _body(endpoint: Endpoint, request: RawRequest, max_bytes: int) -> Any:
    """The request's JSON body; None for endpoints that read none (a GET), or an optional one left empty."""
    if endpoint.body == "none" or (endpoint.body == "optional" and not request.body.strip()):
        return None
    return parse_json_body(request.body, request.content_type, max_bytes=max_bytes)


def _lenient_json(raw: bytes) -> Any:
    """The body for the journal of a request that was never parsed (faulted before the pipeline)."""
    try:
        return orjson.loads(raw) if raw.strip() else None
    except orjson.JSONDecodeError:
        return None
