"""Requests as data, and the scripted replies that stand in for Braze while translating.

Segment's actions call `request(url, {method, json, headers})` and react to the reply. Here the
request is recorded as a `BrazeRequest` (method, url, path, the headers a server would see, the JSON
body) and answered from a script of `{status, body}` replies used in order, the last one repeating,
with `201 {"message": "success"}` by default, exactly like the reference runner. A non-2xx reply
raises `HTTPError` with the status text Node would give, as actions-core's request client does. URLs
are recorded as `fetch` sends them (`harness.js.url`: percent-encoding, dot segments, no fragment).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from harness.js import MISSING, normalize_json_numbers, split_origin
from harness.translate.errors import HTTPError

__all__ = ["USER_AGENT", "BrazeRequest", "Client", "Response", "status_text"]

USER_AGENT = "Segment (Actions)"

_STATUS_TEXT = {
    100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints", 200: "OK",
    201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
    205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported",
    226: "IM Used", 300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other",
    304: "Not Modified", 305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
    400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
    404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
    407: "Proxy Authentication Required", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
    411: "Length Required", 412: "Precondition Failed", 413: "Payload Too Large", 414: "URI Too Long",
    415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
    418: "I'm a Teapot", 421: "Misdirected Request", 422: "Unprocessable Entity", 423: "Locked",
    424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required",
    429: "Too Many Requests", 431: "Request Header Fields Too Large",
    451: "Unavailable For Legal Reasons", 500: "Internal Server Error", 501: "Not Implemented",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    505: "HTTP Version Not Supported", 506: "Variant Also Negotiates", 507: "Insufficient Storage",
    508: "Loop Detected", 509: "Bandwidth Limit Exceeded", 510: "Not Extended",
    511: "Network Authentication Required",
}  # fmt: skip


def status_text(status: int) -> str:
    """Node's `http.STATUS_CODES` text, `unknown` for codes it does not name."""
    return _STATUS_TEXT.get(status, "unknown")


@dataclass(frozen=True, slots=True)
class BrazeRequest:
    """One HTTP request Segment would send: method, path, headers, JSON body and the full URL."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    url: str = ""

    def to_json(self) -> dict[str, Any]:
        """The reference runner's request object."""
        return {
            "method": self.method,
            "url": self.url,
            "path": self.path,
            "headers": self.headers,
            "body": self.body,
        }


@dataclass(slots=True)
class Response:
    """A reply as actions-core sees it: `data` is the parsed JSON body (MISSING if unparsable)."""

    status: int
    data: Any
    content: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status <= 299


def _reply(script: dict[str, Any]) -> Response:
    status = script.get("status")
    status = 201 if status is None else int(status)
    body = script.get("body")
    content = body if isinstance(body, str) else json.dumps({} if body is None else body, ensure_ascii=False)
    try:
        data = normalize_json_numbers(json.loads(content, parse_constant=_reject))
    except ValueError:
        data = MISSING
    return Response(status, data, content)


def _reject(constant: str) -> Any:
    raise ValueError(constant)


_DEFAULT = {"status": 201, "body": {"message": "success"}}
_HTTP_SPACE = " \t\r\n"


@lru_cache(maxsize=1024)
def _recorded(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Headers as a server records them: lower-case names, trimmed values, sorted."""
    merged = {k.lower(): v.strip(_HTTP_SPACE) for k, v in items}
    merged["content-type"] = "application/json"
    return tuple(sorted(merged.items()))


@dataclass(slots=True)
class Client:
    """Records requests and answers them from `responses` (Segment's request client, minus I/O)."""

    headers: dict[str, str]
    responses: list[dict[str, Any]] | None = None
    sent: list[BrazeRequest] = field(default_factory=list)
    _cursor: int = 0

    def post(self, url: str, body: Any, headers: dict[str, str] | None = None) -> Response:
        return self.send("POST", url, body, headers)

    def send(self, method: str, url: str, body: Any, headers: dict[str, str] | None = None) -> Response:
        """Record one request (the URL as `fetch` would send it) and answer it from the script."""
        items = tuple(self.headers.items()) + (tuple(headers.items()) if headers else ())
        origin, target = split_origin(url)
        self.sent.append(BrazeRequest(method, target, dict(_recorded(items)), body, origin + target))
        script = self._next_script()
        response = _DEFAULT_RESPONSE if script is _DEFAULT else _reply(script)
        if not response.ok:
            raise HTTPError(status_text(response.status), response.status, response)
        return response

    def _next_script(self) -> dict[str, Any]:
        """The next scripted reply: used in order, the last one repeating."""
        script = self.responses
        if not script:
            return _DEFAULT
        if self._cursor < len(script) - 1:
            self._cursor += 1
            return script[self._cursor - 1]
        return script[-1]


_DEFAULT_RESPONSE = _reply(_DEFAULT)
