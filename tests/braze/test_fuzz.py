"""Fuzzing every endpoint, in-process (the WSGI app) and over the live server: no 5xx, every answer valid by
its contract, state changed only by valid objects (see `fuzzing`). Examples per test: 15 under the `dev` and
`ci` profiles, the profile's 2,000 under `HYPOTHESIS_PROFILE=fuzz`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.braze import FakeBraze, LiveServer
from harness.contracts import contract

from .fuzzing import (
    ENDPOINTS_BY_PATH,
    FUZZ_EXAMPLES,
    KEY,
    PATHS,
    Twin,
    bodies_for,
    check_answer,
    content_types,
    describe,
    json_text,
    new_fake,
    raw_bodies,
    seed,
    snapshot,
)

HEADERS = {"Authorization": f"Bearer {KEY}"}
_SHARED = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    **({"max_examples": FUZZ_EXAMPLES} if FUZZ_EXAMPLES else {}),
)


@pytest.fixture(scope="module")
def fakes() -> tuple[FakeBraze, Twin]:
    return new_fake(), Twin()


def check_state(path: str, status: int, payload: Any, body: Any, before: Any, fake: FakeBraze, twin: Twin) -> None:
    """State changed only by valid objects."""
    after = snapshot(fake)
    if not 200 <= status < 300:
        assert after == before, f"{path} refused {describe(body)} ({status}) but changed the state"
    elif path == "/users/track":
        assert after == twin.state_after_valid_part(body, payload.get("errors", [])), (
            f"the objects {payload.get('errors')} were refused but changed the state: {describe(body)}"
        )
    elif after != before:
        assert contract(ENDPOINTS_BY_PATH[path].contract).is_valid(body), f"an invalid body changed the state: {body}"


def send(fake: FakeBraze, path: str, data: bytes, content_type: str | None) -> tuple[int, Any]:
    response = fake.test_client().post(path, data=data, headers=HEADERS, content_type=content_type)
    assert response.mimetype == "application/json", response.data[:200]
    return response.status_code, orjson.loads(response.data)


@pytest.mark.parametrize("path", PATHS)
@_SHARED
@given(data=st.data())
def test_json_bodies_in_process(fakes: tuple[FakeBraze, Twin], path: str, data: st.DataObject) -> None:
    fake, twin = fakes
    body = data.draw(bodies_for(path), label="body")
    seed(fake)
    before = snapshot(fake)
    content = json_text(body)
    status, payload = send(fake, path, content, "application/json")
    check_answer(ENDPOINTS_BY_PATH[path], status, payload, describe(body))
    parsed = orjson.loads(content) if 200 <= status < 300 else None  # as the fake read it
    check_state(path, status, payload, parsed, before, fake, twin)


@pytest.mark.parametrize("path", PATHS)
@_SHARED
@given(raw=st.data())
def test_bytes_and_content_types_in_process(fakes: tuple[FakeBraze, Twin], path: str, raw: st.DataObject) -> None:
    fake, twin = fakes
    data = raw.draw(raw_bodies(path), label="raw")
    content_type = raw.draw(content_types(), label="content_type")
    seed(fake)
    before = snapshot(fake)
    status, payload = send(fake, path, data, content_type)
    check_answer(ENDPOINTS_BY_PATH[path], status, payload, f"{content_type}: {data[:200]!r}")
    if 200 <= status < 300:
        check_state(path, status, payload, orjson.loads(data), before, fake, twin)
    else:
        assert snapshot(fake) == before


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[LiveServer, httpx.Client, Twin]]:
    with LiveServer(new_fake()) as server, httpx.Client(base_url=server.url, headers=HEADERS) as client:
        yield server, client, Twin()


@_SHARED
@given(path=st.sampled_from(PATHS), data=st.data())
def test_live_server(live: tuple[LiveServer, httpx.Client, Twin], path: str, data: st.DataObject) -> None:
    server, client, twin = live
    kind = data.draw(st.sampled_from(("json", "raw")), label="kind")
    if kind == "json":
        body = data.draw(bodies_for(path), label="body")
        content, content_type = json_text(body), "application/json"
    else:
        content, content_type = data.draw(raw_bodies(path), label="raw"), data.draw(content_types(), label="type")
    seed(server.fake)
    before = snapshot(server.fake)
    headers = {"Content-Type": content_type} if content_type is not None else {}
    response = client.post(path, content=content, headers=headers)
    assert response.headers["content-type"] == "application/json"
    payload = response.json()
    check_answer(ENDPOINTS_BY_PATH[path], response.status_code, payload, f"{content_type}: {content[:200]!r}")
    if 200 <= response.status_code < 300:
        check_state(path, response.status_code, payload, orjson.loads(content), before, server.fake, twin)
    else:
        assert snapshot(server.fake) == before
