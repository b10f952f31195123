"""Test helpers: call the fake in-process and check every answer against its response contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from harness.braze import FakeBraze
from tests.braze.contract_check import assert_conforms


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]


def check_response(path: str, status: int, body: Any, method: str = "POST") -> None:
    """A 2xx matches the endpoint's response contract; anything else is the endpoint's error shape."""
    assert_conforms(None, method, path, status, body)


class Client:
    """`client.post("/users/track", {...})` with a REST API key, returning a checked `Reply`."""

    def __init__(self, fake: FakeBraze, key: str | None = "test-key", host: str = "localhost") -> None:
        self.fake = fake
        self.key = key
        self.host = host
        self._client = fake.test_client()

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        key: str | bool | None = True,
        data: bytes | str | None = None,
        content_type: str | None = "application/json",
        host: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent_headers = {"Host": host or self.host, **(headers or {})}
        api_key = self.key if key is True else key
        if api_key:
            sent_headers["Authorization"] = f"Bearer {api_key}"
        payload = data if data is not None else orjson.dumps(body)
        response = self._client.post(path, data=payload, headers=sent_headers, content_type=content_type)
        reply = Reply(response.status_code, response.get_json(silent=True), dict(response.headers))
        assert reply.status < 500 or self._faulted(reply), f"5xx from the fake: {reply.body}"
        assert response.mimetype == "application/json"
        check_response(path, reply.status, reply.body)
        return reply

    def _faulted(self, reply: Reply) -> bool:
        """True when a 5xx was asked for (a fault), not the fake failing."""
        request_id = int(reply.headers.get("X-Harness-Request-Id", 0))
        return any(e.id == request_id and e.fault for e in self.fake.journal.entries())

    def track(self, **arrays: Any) -> Reply:
        return self.post("/users/track", arrays)

    def get(self, path: str) -> Reply:
        response = self._client.get(path)
        return Reply(response.status_code, response.get_json(silent=True), dict(response.headers))


def event(external_id: str = "u1", name: str = "Played", time: str = "2024-03-01T12:00:00.000Z", **extra: Any) -> dict:
    return {"external_id": external_id, "name": name, "time": time, **extra}


def purchase(
    external_id: str = "u1",
    product_id: str = "sku-1",
    price: float = 9.99,
    currency: str = "USD",
    time: str = "2024-03-01T12:00:00.000Z",
    **extra: Any,
) -> dict:
    return {
        "external_id": external_id,
        "product_id": product_id,
        "price": price,
        "currency": currency,
        "time": time,
        **extra,
    }
