"""The in-process wire's shortcuts answer exactly as the general path does, bit for bit.

- a request parsed off the wire goes straight into a fake Braze's pipeline (`DirectHttp.answer`, no WSGI
  environ) when the direct WSGI path would take it: the same status line, headers, body, journal entry
  and state as through the WSGI app (`call_app`), over generated requests for every endpoint (headers
  repeated, in any case, any Host, content types, targets with queries and percent-escapes, bodies
  valid, mutated, arbitrary or not JSON);
- the journal keeps a parsed body as its bytes and decodes it when first read (`journal.LAZY_BODIES`):
  entries read back the same as eagerly kept ones;
- a fake with no fault armed is answered on the client's own thread, with the same answers.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.braze import FakeBraze, Fault
from harness.braze.model import journal
from harness.testing.net.sockets import RoutedSocket
from harness.testing.net.wire import Reply, Wire
from harness.testing.net.wsgi import Answer, HttpRequest, answer, call_app
from harness.testing.routing import BrazeRouting
from tests.braze.fuzzing import KEY, KEYS, bodies_for, content_types, json_text, new_fake, raw_bodies, seed, snapshot

HOSTS = ("rest.iad-01.braze.com", "REST.fra-01.braze.eu", "rest.iad-01.braze.com:443", "rest.iad-05.braze.com:8443")
_HEADER_NAMES = st.sampled_from(
    ("Authorization", "authorization", "X-Braze-Thing", "x_braze_thing", "Accept", "Content-Type", "content-type",
     "Content-Length", "Transfer-Encoding", "Host", "X-Harness-Control-Token", "User-Agent")
)  # fmt: skip
_VALUES = st.one_of(st.sampled_from((f"Bearer {KEY}", "Bearer other", "", "application/json", "gzip")), st.text(
    st.characters(min_codepoint=32, max_codepoint=126), max_size=12))  # fmt: skip


@st.composite
def requests(draw: st.DrawFn) -> tuple[HttpRequest, str]:
    key = draw(st.sampled_from(KEYS), label="endpoint")
    method, path = key.split(" ", 1)
    method = draw(st.sampled_from((method, method, "POST", "GET")), label="method")
    target = path.replace("{", "").replace("}", "")
    target = draw(st.sampled_from((target, target, quote(target), target + "?", target + "?api_key=" + KEY)))
    body = draw(st.one_of(bodies_for(key).map(json_text), raw_bodies(key), st.just(b"")), label="body")
    host = draw(st.sampled_from(HOSTS), label="host")
    headers: list[tuple[str, str]] = []
    if draw(st.booleans(), label="authorized"):
        headers.append(("Authorization", f"Bearer {KEY}"))
    content_type = draw(content_types(), label="content type")
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    headers += draw(st.lists(st.tuples(_HEADER_NAMES, _VALUES), max_size=4), label="more headers")
    if draw(st.booleans(), label="host header"):
        headers.insert(draw(st.integers(0, len(headers))), ("Host", host))
    return HttpRequest(method, target, "HTTP/1.1", headers, body), host.split(":")[0]


def _entries(fake: FakeBraze) -> list[Any]:
    return [entry.to_json() for entry in fake.requests]


@pytest.fixture(scope="module")
def twins() -> tuple[FakeBraze, FakeBraze]:
    return new_fake(), new_fake()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drawn=st.lists(requests(), min_size=1, max_size=4))
def test_the_direct_answer_is_the_wsgi_apps(twins: tuple[FakeBraze, FakeBraze], drawn: Any) -> None:
    fast, general = twins
    seed(fast)
    seed(general)
    lazy = journal.LAZY_BODIES
    for request, host in drawn:
        try:
            journal.LAZY_BODIES = False  # the reference keeps every body parsed, as before
            expected = call_app(general.app, request, "https", host, 443)
        finally:
            journal.LAZY_BODIES = lazy
        got = answer(fast.app, request, "https", host, 443)
        assert isinstance(got, Answer) and isinstance(expected, Answer)
        assert (got.status, got.headers, got.body) == (expected.status, expected.headers, expected.body)
    assert _entries(fast) == _entries(general)
    assert snapshot(fast) == snapshot(general)


def test_lazy_bodies_read_back_as_parsed_ones() -> None:
    lazy, eager = new_fake(), new_fake()
    bodies = [
        {"attributes": [{"external_id": "u1", "plan": "pro", "nested": {"a": [1, {"b": None}]}}]},
        {"partner_api_key": "partner-secret-1234", "client_secret": "s3cret-5678", "cohort_id": "c", "name": "n"},
        [1, 2, 3],
        None,
    ]
    paths = ("/users/track", "/partners/segment/cohorts", "/users/track", "/users/track")
    journal.LAZY_BODIES = False
    try:
        for path, body in zip(paths, bodies, strict=True):
            eager.call(path, body, api_key=KEY)
    finally:
        journal.LAZY_BODIES = True
    for path, body in zip(paths, bodies, strict=True):
        lazy.call(path, body, api_key=KEY)
    assert [e._source is not None for e in lazy.requests] == [True, True, True, False]  # not read yet
    assert lazy.requests == eager.requests
    assert [e.body for e in lazy.requests] == [e.body for e in eager.requests]
    assert lazy.requests[1].body["partner_api_key"] == "****1234"
    assert all(e._source is None for e in lazy.requests)  # read once, then kept parsed


def _wire(fake: FakeBraze, kind: type[Wire] = Wire) -> Wire:
    route = BrazeRouting(fake.app).table.find("rest.iad-01.braze.com")
    assert route is not None
    return kind(route, "rest.iad-01.braze.com", 443)


def test_a_fake_without_faults_answers_on_the_clients_thread(fake_braze: Any) -> None:
    wire = _wire(fake_braze.fake)
    assert wire.immediate()
    fake_braze.faults.add(Fault.latency(0.01, times=1))
    assert not wire.immediate()  # a latency fault: the worker thread, so the client's timeout can run
    with httpx.Client() as client:
        sent = client.post(f"{fake_braze.base_url}/users/track", json={"events": []}, headers=fake_braze.headers)
    assert sent.status_code == 400


class _SlowWire(Wire):
    def serve(self, request: HttpRequest) -> Reply:
        time.sleep(0.05)  # the fake takes longer than the client waits
        return super().serve(request)


def test_an_answer_slower_than_the_read_timeout_still_times_out_on_the_clients_thread() -> None:
    fake = new_fake()
    sock = RoutedSocket(_wire(fake, _SlowWire))
    try:
        sock.settimeout(0.01)
        body = json_text({"events": [{"external_id": "u1", "name": "x", "time": "2024-03-01T00:00:00Z"}]})
        head = f"POST /users/track HTTP/1.1\r\nHost: rest.iad-01.braze.com\r\nAuthorization: Bearer {KEY}\r\n"
        sock.sendall(f"{head}Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        with pytest.raises(TimeoutError):
            sock.recv(1024)
    finally:
        sock.close()
    assert [entry.status for entry in fake.requests] == [201]  # answered and journaled all the same, as over TCP


def test_a_plain_post_takes_the_direct_path_and_the_rest_the_wsgi_app(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = new_fake()
    body = json_text({"events": [{"external_id": "u1", "name": "x", "time": "2024-03-01T00:00:00Z"}]})
    headers = [("Host", "rest.iad-01.braze.com"), ("Authorization", f"Bearer {KEY}")]
    headers.append(("Content-Type", "application/json"))
    through_wsgi: list[str] = []
    real = call_app

    def spy(app: Any, request: HttpRequest, *args: Any) -> Any:
        through_wsgi.append(request.target)
        return real(app, request, *args)

    monkeypatch.setattr("harness.testing.net.wsgi.call_app", spy)
    for target in ("/users/track", "/users/track?api_key=x", "/users/export/ids", "/catalogs", "/no/such/path"):
        answer(fake.app, HttpRequest("POST", target, "HTTP/1.1", headers, body), "https", "rest.iad-01.braze.com", 443)
    assert through_wsgi == ["/users/track?api_key=x", "/no/such/path"]
