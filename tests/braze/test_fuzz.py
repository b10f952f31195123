"""Fuzzing every endpoint (by method and path, with drawn path parameters), in-process (the WSGI app) and over the
live server: no 5xx, every answer valid by its contract, state changed only by valid objects (see `fuzzing`).
Examples per test: 15 under the `dev` and `ci` profiles, the profile's 2,000 under `HYPOTHESIS_PROFILE=fuzz`."""

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
    ENDPOINTS_BY_KEY,
    FUZZ_EXAMPLES,
    KEY,
    KEYS,
    Twin,
    bodies_for,
    check_answer,
    content_types,
    describe,
    json_text,
    new_fake,
    raw_bodies,
    read_body,
    seed,
    snapshot,
    urls_for,
)

HEADERS = {"Authorization": f"Bearer {KEY}"}
_SHARED = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    **({"max_examples": FUZZ_EXAMPLES} if FUZZ_EXAMPLES else {}),
)


@pytest.fixture(scope="module")
def fakes() -> tuple[FakeBraze, Twin]:
    return new_fake(), Twin()


def check_state(key: str, status: int, payload: Any, body: Any, before: Any, fake: FakeBraze, twin: Twin) -> None:
    """State changed only by valid objects."""
    after = snapshot(fake)
    endpoint = ENDPOINTS_BY_KEY[key]
    if not 200 <= status < 300:
        assert after == before, f"{key} refused {describe(body)} ({status}) but changed the state"
    elif key == "POST /users/track":
        assert after == twin.state_after_valid_part(body, payload.get("errors", [])), (
            f"the objects {payload.get('errors')} were refused but changed the state: {describe(body)}"
        )
    elif after != before and endpoint.contract is not None:
        assert contract(endpoint.contract).is_valid(body), f"an invalid body changed the state: {body}"


def send(fake: FakeBraze, method: str, url: str, data: bytes, content_type: str | None) -> tuple[int, Any]:
    response = fake.test_client().open(url, method=method, data=data, headers=HEADERS, content_type=content_type)
    assert response.mimetype == "application/json", (response.status_code, response.data[:200])
    return response.status_code, orjson.loads(response.data)


@pytest.mark.parametrize("key", KEYS)
@_SHARED
@given(data=st.data())
def test_json_bodies_in_process(fakes: tuple[FakeBraze, Twin], key: str, data: st.DataObject) -> None:
    fake, twin = fakes
    endpoint = ENDPOINTS_BY_KEY[key]
    url = data.draw(urls_for(key), label="url")
    body = data.draw(bodies_for(key), label="body")
    seed(fake)
    before = snapshot(fake)
    content = json_text(body)
    status, payload = send(fake, endpoint.method, url, content, "application/json")
    check_answer(endpoint, status, payload, f"{url} {describe(body)}")
    parsed = read_body(endpoint, content) if 200 <= status < 300 else None  # as the fake read it
    check_state(key, status, payload, parsed, before, fake, twin)


@pytest.mark.parametrize("key", KEYS)
@_SHARED
@given(raw=st.data())
def test_bytes_and_content_types_in_process(fakes: tuple[FakeBraze, Twin], key: str, raw: st.DataObject) -> None:
    fake, twin = fakes
    endpoint = ENDPOINTS_BY_KEY[key]
    url = raw.draw(urls_for(key), label="url")
    data = raw.draw(raw_bodies(key), label="raw")
    content_type = raw.draw(content_types(), label="content_type")
    seed(fake)
    before = snapshot(fake)
    status, payload = send(fake, endpoint.method, url, data, content_type)
    check_answer(endpoint, status, payload, f"{url} {content_type}: {data[:200]!r}")
    if 200 <= status < 300:
        check_state(key, status, payload, read_body(endpoint, data), before, fake, twin)
    else:
        assert snapshot(fake) == before


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[LiveServer, httpx.Client, Twin]]:
    with LiveServer(new_fake()) as server, httpx.Client(base_url=server.url, headers=HEADERS) as client:
        yield server, client, Twin()


@_SHARED
@given(key=st.sampled_from(KEYS), data=st.data())
def test_live_server(live: tuple[LiveServer, httpx.Client, Twin], key: str, data: st.DataObject) -> None:
    server, client, twin = live
    endpoint = ENDPOINTS_BY_KEY[key]
    url = data.draw(urls_for(key), label="url")
    kind = data.draw(st.sampled_from(("json", "raw")), label="kind")
    if kind == "json":
        body = data.draw(bodies_for(key), label="body")
        content, content_type = json_text(body), "application/json"
    else:
        content, content_type = data.draw(raw_bodies(key), label="raw"), data.draw(content_types(), label="type")
    seed(server.fake)
    before = snapshot(server.fake)
    headers = {"Content-Type": content_type} if content_type is not None else {}
    response = client.request(endpoint.method, url, content=content, headers=headers)
    assert response.headers["content-type"] == "application/json"
    payload = response.json()
    check_answer(endpoint, response.status_code, payload, f"{url} {content_type}: {content[:200]!r}")
    if 200 <= response.status_code < 300:
        check_state(key, response.status_code, payload, read_body(endpoint, content), before, server.fake, twin)
    else:
        assert snapshot(server.fake) == before
