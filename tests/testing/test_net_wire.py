"""The in-memory server side of a connection: whatever bytes a client writes, it answers or refuses,
never raises; a well-formed request parses the same however it is split."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from harness.testing.net.routes import Route
from harness.testing.net.wire import Reply, RequestParser, Wire
from harness.testing.net.wsgi import HttpRequest

REQUEST = (
    b"POST /users/track?x=1 HTTP/1.1\r\nHost: rest.iad-01.braze.com\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n"
    b"GET / HTTP/1.0\r\nContent-Length: 2\r\n\r\nok"
)


def echo(environ, start_response):  # type: ignore[no-untyped-def]
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Path", environ["PATH_INFO"])])
    return [body]


def wire() -> Wire:
    return Wire(Route("echo", re.compile(r".*"), lambda: echo), "rest.iad-01.braze.com", 443)


def feed(parser: RequestParser, data: bytes, cuts: list[int]) -> list[HttpRequest | bytes]:
    events: list[HttpRequest | bytes] = []
    start = 0
    for cut in [*sorted(c % (len(data) + 1) for c in cuts), len(data)]:
        events += parser.feed(data[start:cut])
        start = max(start, cut)
    return events


@given(cuts=st.lists(st.integers(0, 10_000), max_size=12))
def test_a_request_parses_the_same_however_it_is_split(cuts: list[int]) -> None:
    events = feed(RequestParser(), REQUEST, cuts)
    assert [(e.method, e.target, e.version, e.body) for e in events if isinstance(e, HttpRequest)] == [
        ("POST", "/users/track?x=1", "HTTP/1.1", b"hello world"),
        ("GET", "/", "HTTP/1.0", b"ok"),
    ]


ANY_BYTES = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda cut, junk: REQUEST[:cut] + junk, st.integers(0, len(REQUEST)), st.binary(max_size=40)),
)


@given(data=ANY_BYTES, cuts=st.lists(st.integers(0, 400), max_size=5))
def test_any_bytes_are_answered_or_refused_never_raised(data: bytes, cuts: list[int]) -> None:
    connection = wire()
    start = 0
    for cut in [*sorted(c % (len(data) + 1) for c in cuts), len(data)]:
        for event in connection.receive(data[start:cut]):
            if isinstance(event, HttpRequest):
                assert isinstance(connection.serve(event), Reply)
        start = max(start, cut)
    if connection.refused is not None:
        assert connection.refused.close and connection.refused.data.startswith(b"HTTP/1.1 4")


def test_an_answer_on_the_wire() -> None:
    connection = wire()
    [post, get] = [e for e in connection.receive(REQUEST) if isinstance(e, HttpRequest)]
    reply = connection.serve(post)
    head, _, body = reply.data.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 200 OK"
    assert b"X-Path: /users/track" in head and b"Content-Length: 11" in head
    assert (body, reply.close) == (b"hello world", False)
    assert connection.serve(get).close  # HTTP/1.0 without keep-alive


def test_malformed_heads_are_refused_like_a_server_does() -> None:
    for data, status in [
        (b"NOT A REQUEST\r\n\r\n", b"400"),
        (b"GET / HTTP/1.1\r\nbad header\r\n\r\n", b"400"),
        (b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", b"400"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"400"),
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 70_000, b"431"),
    ]:
        connection = wire()
        assert connection.receive(data) == []
        assert connection.refused is not None and connection.refused.data.split(b" ")[1] == status


def test_expect_100_continue_is_answered_before_the_body() -> None:
    parser = RequestParser()
    head = b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
    assert parser.feed(head) == [b"HTTP/1.1 100 Continue\r\n\r\n"]
    [request] = parser.feed(b"ok")
    assert isinstance(request, HttpRequest) and request.body == b"ok"


def test_an_app_that_raises_is_a_500() -> None:
    def broken(environ, start_response):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    connection = Wire(Route("broken", re.compile(r".*"), lambda: broken), "h", 80)
    [request] = connection.receive(b"GET / HTTP/1.1\r\n\r\n")
    assert isinstance(request, HttpRequest)
    reply = connection.serve(request)
    assert reply.data.startswith(b"HTTP/1.1 500 Internal Server Error") and b"RuntimeError: boom" in reply.data
