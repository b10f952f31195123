"""The direct WSGI path for plain POSTs to Braze endpoints answers exactly as the Flask route does."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from harness.braze import FakeBraze, FakeBrazeConfig
from harness.braze.model.faults import Fault
from harness.clock import FixedClock

from .support import event

KEY = {"Authorization": "Bearer k"}
MIXED = {"events": [event(time="nope")], "attributes": [{"external_id": "u1"}]}
CASES: list[tuple[str, Any, dict[str, str]]] = [
    ("/users/track", {"events": [event()]}, {"Authorization": "Bearer k"}),
    ("/users/track", MIXED, KEY),
    ("/users/track", b"not json", {"Authorization": "Bearer k"}),
    ("/users/track", {"events": [event()]}, {}),
    ("/users/track", {"events": [event()]}, {"Authorization": "Bearer k", "Host": "rest.fra-01.braze.eu"}),
    ("/users/export/ids", {"external_ids": ["u1"]}, {"Authorization": "Bearer k"}),
    ("/partners/segment/cohorts", {"partner_api_key": "p", "client_secret": "s"}, {}),
    ("/users/delete", {"external_ids": ["u1"]}, {"Authorization": "Bearer k", "Content-Type": "text/plain"}),
]  # fmt: skip


def answer(app: Any, path: str, body: Any, headers: dict[str, str]) -> tuple[str, list[tuple[str, str]], bytes]:
    data = body if isinstance(body, bytes) else orjson.dumps(body)
    builder = EnvironBuilder(path=path, method="POST", data=data, headers=headers, content_type="application/json")
    if "Content-Type" in headers:
        builder.content_type = headers["Content-Type"]
    iterable, status, sent = run_wsgi_app(app, builder.get_environ())
    return status, sorted(sent.items()), b"".join(iterable)


def fresh() -> FakeBraze:
    return FakeBraze(FakeBrazeConfig(clock=FixedClock("2024-03-10T12:00:00Z"), faults=(Fault.error(503, times=1),)))


@pytest.mark.parametrize(("path", "body", "headers"), CASES)
def test_direct_path_equals_flask_route(path: str, body: Any, headers: dict[str, str]) -> None:
    direct, routed = fresh(), fresh()
    flask_route = routed.app.wsgi_app.flask_app  # type: ignore[attr-defined]
    for _ in range(2):  # the first answer is the 503 fault, the second the real one
        assert answer(direct.app.wsgi_app, path, body, headers) == answer(flask_route, path, body, headers)
    assert [e.to_json() for e in direct.requests] == [e.to_json() for e in routed.requests]
    assert direct.state() == routed.state()


def test_what_the_direct_path_leaves_to_flask(fake: FakeBraze) -> None:
    http = fake.test_client()
    assert http.get("/users/track").status_code == 405
    assert http.post("/users/track?api_key=k", json={"events": [event()]}).status_code == 201
    big = FakeBraze(max_body_bytes=100)
    assert (
        big.test_client().post("/users/track", data=b"x" * 101, headers={"Authorization": "Bearer k"}).status_code
        == 413
    )
