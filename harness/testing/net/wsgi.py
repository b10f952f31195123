"""One parsed HTTP request answered by a WSGI app, with the harness's socket-level faults read back.

The fake marks an answer that must never reach the client with `X-Harness-Fault: drop | timeout`
(see `harness.braze.FAULT_HEADER`); the in-process transports turn it into a closed connection or a
stalled one, as the live server does. Anything the app raises becomes a 500, as under a real server.
"""

from __future__ import annotations

import io
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote_to_bytes, urlsplit
from wsgiref.types import WSGIApplication

from harness.braze import FAULT_HEADER, direct_http, parse_fault_header

__all__ = ["Answer", "HttpRequest", "Outcome", "answer", "call_app"]

_FAULT_HEADER = FAULT_HEADER.lower()


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """A request as it arrived on the wire (the body de-chunked)."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def keep_alive(self) -> bool:
        tokens = {t.strip().lower() for t in (self.header("connection") or "").split(",")}
        if self.version == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens


@dataclass(frozen=True, slots=True)
class Answer:
    status: str
    """`201 CREATED`: the WSGI status line."""
    headers: list[tuple[str, str]]
    body: bytes


Outcome = Answer | Literal["drop", "timeout"]


def environ_for(request: HttpRequest, scheme: str, host: str, port: int) -> dict[str, Any]:
    """The WSGI environ of `request` (PEP 3333), as a server listening for `host:port` builds it."""
    target = request.target
    if "://" in target:  # absolute form, as sent to a forwarding proxy
        parts = urlsplit(target)
        path, query = parts.path or "/", parts.query
    else:
        path, _, query = target.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": request.version,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
    }
    for name, value in request.headers:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
            continue  # the body is whole: its length is what the app reads
        if key != "CONTENT_TYPE":
            key = f"HTTP_{key}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    if request.body or request.method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
        environ["CONTENT_LENGTH"] = str(len(request.body))
    return environ


def answer(app: WSGIApplication, request: HttpRequest, scheme: str, host: str, port: int) -> Outcome:
    """`app`'s answer to `request`: a fake Braze's direct path when it takes the request (what its WSGI app
    would answer, without a WSGI environ), else the WSGI app's (`call_app`)."""
    fast = direct_http(app)
    if fast is not None:
        try:
            found = fast.answer(request.method, request.target, request.headers, request.body, scheme, host, port)
        except Exception:
            return _raised()
        if found is not None:
            return _outcome(*found)
    return call_app(app, request, scheme, host, port)


def _raised() -> Answer:
    text = f"in-process server: the app raised\n{traceback.format_exc()}".encode()
    return Answer("500 INTERNAL SERVER ERROR", [("Content-Type", "text/plain; charset=utf-8")], text)


def _outcome(status: str, headers: list[tuple[str, str]], body: bytes) -> Outcome:
    fault = next((v for k, v in headers if k.lower() == _FAULT_HEADER), None)
    if fault is not None:
        kind = parse_fault_header(fault)[0]
        if kind in ("drop", "timeout"):
            return "drop" if kind == "drop" else "timeout"
    return Answer(status, headers, body)


def call_app(app: WSGIApplication, request: HttpRequest, scheme: str, host: str, port: int) -> Outcome:
    """Run `app` on `request`: its answer, or the fault it asked the transport for."""
    seen: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen[:] = [status, list(headers)]
        return chunks.append

    chunks: list[bytes] = []
    try:
        result: Iterable[bytes] = app(environ_for(request, scheme, host, port), start_response)
        try:
            chunks.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
    except Exception:
        return _raised()
    if not seen:
        return Answer("500 INTERNAL SERVER ERROR", [], b"in-process server: the app never called start_response")
    status, headers = seen
    return _outcome(status, headers, b"".join(chunks))
