"""The server side of one in-memory HTTP/1.1 connection: bytes in, requests parsed, answers as bytes.

Every routed client (urllib3, http.client, httpcore, aiohttp) writes its request bytes here and reads
the answer's bytes back, so each client's own HTTP parser, connection pool, retries and timeouts run
unchanged; only the socket is missing. Malformed input is answered 400 (431 for a huge head) and the
connection closed, as a real server does; nothing here raises on what a client sends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal, cast

from harness.braze import TRANSPORT_MAX_BODY, direct_http
from harness.testing.net.routes import Route
from harness.testing.net.session import NetworkSession
from harness.testing.net.wsgi import Answer, HttpRequest, answer

__all__ = ["MAX_BODY", "MAX_HEAD", "Reply", "RequestParser", "Wire", "encode"]

MAX_HEAD = 64 * 1024
MAX_BODY = TRANSPORT_MAX_BODY
"""The live server's cap; the app enforces its own (the fake answers 413 past `max_body_bytes`)."""
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class BadRequest(Exception):
    def __init__(self, status: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status


@dataclass(frozen=True, slots=True)
class Reply:
    """What the server does for one request: send `data` (then close if `close`), or a fault."""

    data: bytes = b""
    close: bool = False
    fault: Literal["drop", "timeout"] | None = None


class RequestParser:
    """Incremental HTTP/1.1 request parser: `feed(bytes)` returns the requests completed so far
    (and `100 Continue` interim answers to send at once, as bytes)."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._head: tuple[str, str, str, list[tuple[str, str]]] | None = None
        self._length = 0
        self._chunked = False
        self._chunk_state = "size"
        self._chunk_left = 0
        self._body = bytearray()

    def feed(self, data: bytes) -> list[HttpRequest | bytes]:
        self._buffer += data
        events: list[HttpRequest | bytes] = []
        while True:
            if self._head is None:
                while self._buffer[:2] == b"\r\n":  # RFC 9112 2.2: ignore empty lines before a request
                    del self._buffer[:2]
                end = self._buffer.find(b"\r\n\r\n")
                if end < 0:
                    if len(self._buffer) > MAX_HEAD:
                        raise BadRequest("431 Request Header Fields Too Large", "request head over 64 KiB")
                    return events
                if end > MAX_HEAD:
                    raise BadRequest("431 Request Header Fields Too Large", "request head over 64 KiB")
                head = bytes(self._buffer[:end])
                del self._buffer[: end + 4]
                self._start(head)
                started = cast("tuple[str, str, str, list[tuple[str, str]]] | None", self._head)
                assert started is not None
                expect = next((v for k, v in started[3] if k.lower() == "expect"), "")
                if expect.lower() == "100-continue" and (self._chunked or self._length) and not self._buffer:
                    events.append(_CONTINUE)
            request = self._body_done()
            if request is None:
                return events
            events.append(request)

    def _start(self, head: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if (
            len(parts) != 3
            or not _TOKEN.fullmatch(parts[0])
            or not parts[1]
            or parts[2] not in ("HTTP/1.1", "HTTP/1.0")
        ):
            raise BadRequest("400 Bad Request", f"malformed request line {lines[0][:100]!r}")
        headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon or not _TOKEN.fullmatch(name):
                raise BadRequest("400 Bad Request", f"malformed header line {line[:100]!r}")
            headers.append((name, value.strip(" \t")))
        encoding = ",".join(v for k, v in headers if k.lower() == "transfer-encoding").lower()
        lengths = {v.strip() for k, v in headers if k.lower() == "content-length"}
        self._chunked = encoding.rsplit(",", 1)[-1].strip() == "chunked"
        self._length = 0
        if not self._chunked and lengths:
            if len(lengths) != 1 or not next(iter(lengths)).isdigit():
                raise BadRequest("400 Bad Request", f"invalid Content-Length {sorted(lengths)!r}")
            self._length = int(next(iter(lengths)))
            if self._length > MAX_BODY:
                raise BadRequest("413 Payload Too Large", "request body over 256 MiB")
        self._head = (parts[0], parts[1], parts[2], headers)
        self._body = bytearray()
        self._chunk_state, self._chunk_left = "size", 0

    def _body_done(self) -> HttpRequest | None:
        assert self._head is not None
        if self._chunked:
            if not self._dechunk():
                return None
            body = bytes(self._body)
        else:
            if len(self._buffer) < self._length:
                return None
            body = bytes(self._buffer[: self._length])
            del self._buffer[: self._length]
        method, target, version, headers = self._head
        self._head = None
        return HttpRequest(method, target, version, headers, body)

    def _dechunk(self) -> bool:
        """Move whole chunks from the buffer to the body; True once the last chunk and trailers are in."""
        while True:
            if self._chunk_state == "data":
                take = min(self._chunk_left, len(self._buffer))
                self._body += self._buffer[:take]
                del self._buffer[:take]
                self._chunk_left -= take
                if self._chunk_left:
                    return False
                self._chunk_state = "crlf"
                continue
            end = self._buffer.find(b"\r\n")
            if end < 0:
                if len(self._buffer) > MAX_HEAD:
                    raise BadRequest("400 Bad Request", "chunk size line too long")
                return False
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 2]
            if self._chunk_state == "crlf":
                if line:
                    raise BadRequest("400 Bad Request", "chunk data not followed by CRLF")
                self._chunk_state = "size"
            elif self._chunk_state == "size":
                size = line.split(b";", 1)[0].strip()
                try:
                    self._chunk_left = int(size, 16)
                except ValueError:
                    raise BadRequest("400 Bad Request", f"invalid chunk size {size[:20]!r}") from None
                if self._chunk_left < 0 or len(self._body) + self._chunk_left > MAX_BODY:
                    raise BadRequest("413 Payload Too Large", "request body over 256 MiB")
                self._chunk_state = "data" if self._chunk_left else "trailer"
            elif not line:  # the empty line after the trailers
                self._chunk_state = "size"
                return True


def encode(answer: Answer, request: HttpRequest) -> Reply:
    """`answer` as HTTP/1.1 bytes for `request` (no body for HEAD, 1xx, 204, 304)."""
    code = answer.status.split(" ", 1)[0]
    bodiless = request.method == "HEAD" or code.startswith("1") or code in ("204", "304")
    keep_alive = request.keep_alive
    lines = [f"HTTP/1.1 {_status_line(answer.status)}"]
    lines += [f"{k}: {v}" for k, v in answer.headers if k.lower() not in _HOP_BY_HOP]
    if not bodiless or request.method == "HEAD":
        declared = next((v for k, v in answer.headers if k.lower() == "content-length"), None)
        length = declared if request.method == "HEAD" and declared is not None else str(len(answer.body))
        lines.append(f"Content-Length: {length}")
    if not keep_alive:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
    return Reply(head if bodiless else head + answer.body, close=not keep_alive)


def _status_line(status: str) -> str:
    """`401 UNAUTHORIZED` (werkzeug's spelling) -> `401 Unauthorized`, the phrase servers usually send."""
    code, _, phrase = status.partition(" ")
    try:
        return f"{code} {HTTPStatus(int(code)).phrase}"
    except ValueError:
        return status if phrase else f"{code} Unknown"


def _refusal(error: BadRequest) -> Reply:
    body = f"{error}\n".encode()
    head = f"HTTP/1.1 {error.status}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
    return Reply(f"{head}Connection: close\r\n\r\n".encode() + body, close=True)


class Wire:
    """The server end of one routed connection to `host:port`, answered by `route`'s app."""

    def __init__(self, route: Route, host: str, port: int, session: NetworkSession | None = None) -> None:
        self.route = route
        self.session = session
        self.host = host
        self.port = port
        self.scheme = "https" if port == 443 else "http"
        self._parser = RequestParser()
        self.refused: Reply | None = None
        """Set when the client sent something unparseable: send it, then close."""

    def receive(self, data: bytes) -> list[HttpRequest | bytes]:
        """Parse what the client wrote: complete requests to `serve`, interim answers to send now."""
        if self.refused is not None:
            return []
        try:
            return self._parser.feed(data)
        except BadRequest as error:
            self.refused = _refusal(error)
            return []

    def immediate(self) -> bool:
        """Whether a request may be answered on the client's own thread: the app is a fake Braze with no fault
        armed, so nothing can delay its answer (a latency fault needs the worker thread, for the client's
        timeout to run while the app waits)."""
        fast = direct_http(self.route.app())
        return fast is not None and fast.quick()

    def serve(self, request: HttpRequest) -> Reply:
        """Answer one request (callable from any thread)."""
        if self.session is None:
            outcome = answer(self.route.app(), request, self.scheme, self.host, self.port)
        else:
            with self.session.calling():
                outcome = answer(self.route.app(), request, self.scheme, self.host, self.port)
        if isinstance(outcome, str):
            return Reply(close=True, fault=outcome)
        return encode(outcome, request)
