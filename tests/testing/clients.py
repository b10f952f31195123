"""Every HTTP client the routing supports, behind one small interface, for tests that run on each.

A client is used the way applications use it: one long-lived session (pool) per test, so connection
reuse, the pool's dropped-connection check and each library's own exceptions are exercised.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import httpx
import requests
import urllib3

Send = Callable[..., "Answer"]


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Client:
    name: str
    session: Callable[[], Any]
    """A context manager yielding `send(method, url, body=None, headers=None, timeout=30)`."""
    dropped: tuple[type[BaseException], ...]
    timed_out: tuple[type[BaseException], ...]
    unresolved: tuple[type[BaseException], ...]
    via: str
    """How the guard names this client in a refusal."""
    pooled: bool = True

    def __repr__(self) -> str:
        return self.name


def _lower(items: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in items}


def _payload(body: Any) -> bytes | None:
    return None if body is None else json.dumps(body).encode()


@contextmanager
def _httpx() -> Iterator[Send]:
    with httpx.Client() as client:

        def send(method: str, url: str, body: Any = None, headers: Any = None, timeout: float = 30) -> Answer:
            r = client.request(method, url, json=body, headers=headers, timeout=timeout)
            return Answer(r.status_code, _lower(r.headers.items()), r.content)

        yield send


@contextmanager
def _httpx_async() -> Iterator[Send]:
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient()

    def send(method: str, url: str, body: Any = None, headers: Any = None, timeout: float = 30) -> Answer:
        r = loop.run_until_complete(client.request(method, url, json=body, headers=headers, timeout=timeout))
        return Answer(r.status_code, _lower(r.headers.items()), r.content)

    try:
        yield send
    finally:
        loop.run_until_complete(client.aclose())
        loop.close()


@contextmanager
def _requests() -> Iterator[Send]:
    with requests.Session() as session:

        def send(method: str, url: str, body: Any = None, headers: Any = None, timeout: float = 30) -> Answer:
            r = session.request(method, url, json=body, headers=headers, timeout=timeout)
            return Answer(r.status_code, _lower(r.headers.items()), r.content)

        yield send


@contextmanager
def _urllib3() -> Iterator[Send]:
    with urllib3.PoolManager(retries=False) as pool:

        def send(method: str, url: str, body: Any = None, headers: Any = None, timeout: float = 30) -> Answer:
            sent = {"Content-Type": "application/json", **(headers or {})}
            r = pool.request(method, url, body=_payload(body), headers=sent, timeout=timeout)
            return Answer(r.status, _lower(r.headers.items()), r.data)

        yield send


@contextmanager
def _urllib() -> Iterator[Send]:
    def send(method: str, url: str, body: Any = None, headers: Any = None, timeout: float = 30) -> Answer:
        sent = {"Content-Type": "application/json", **(headers or {})}
        request = urllib.request.Request(url, data=_payload(body), headers=sent, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as r:
                return Answer(r.status, _lower(r.headers.items()), r.read())
        except urllib.error.HTTPError as error:  # urllib raises for 4xx / 5xx; the answer is on it
            return Answer(error.code, _lower(error.headers.items()), error.read())

    yield send


@contextmanager
def _http_client() -> Iterator[Send]:
    connections: dict[str, http.client.HTTPConnection] = {}

    def send(method: str, url: str, body: Any = None, headers: Any = None, timeout: float = 30) -> Answer:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in connections:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connections[key] = kind(parts.hostname or "", parts.port, timeout=timeout)
        connection = connections[key]
        sent = {"Content-Type": "application/json", **(headers or {})}
        try:
            connection.request(method, parts.path or "/", body=_payload(body), headers=sent)
            r = connection.getresponse()
            return Answer(r.status, _lower(r.getheaders()), r.read())
        except BaseException:
            connection.close()
            del connections[key]
            raise

    try:
        yield send
    finally:
        for connection in connections.values():
            connection.close()


@contextmanager
def _aiohttp() -> Iterator[Send]:
    loop = asyncio.new_event_loop()

    async def start() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    session = loop.run_until_complete(start())

    async def request(method: str, url: str, body: Any, headers: Any, timeout: float) -> Answer:
        limits = aiohttp.ClientTimeout(total=timeout, sock_read=timeout)
        async with session.request(method, url, json=body, headers=headers, timeout=limits) as r:
            return Answer(r.status, _lower(r.headers.items()), await r.read())

    def send(method: str, url: str, body: Any = None, headers: Any = None, timeout: float = 30) -> Answer:
        return loop.run_until_complete(request(method, url, body, headers, timeout))

    try:
        yield send
    finally:
        loop.run_until_complete(session.close())
        loop.close()


CLIENTS = [
    Client("httpx", _httpx, (httpx.RemoteProtocolError,), (httpx.ReadTimeout,), (httpx.ConnectError,), "httpx"),
    Client(
        "httpx-async",
        _httpx_async,
        (httpx.RemoteProtocolError,),
        (httpx.ReadTimeout,),
        (httpx.ConnectError,),
        "an async client's resolver thread",
    ),
    Client(
        "requests",
        _requests,
        (requests.ConnectionError,),
        (requests.ReadTimeout,),
        (requests.ConnectionError,),
        "requests",
    ),
    Client(
        "urllib3",
        _urllib3,
        (urllib3.exceptions.ProtocolError,),
        (urllib3.exceptions.ReadTimeoutError,),
        (urllib3.exceptions.NameResolutionError,),
        "urllib3",
    ),
    Client(
        "urllib",
        _urllib,
        (http.client.RemoteDisconnected,),
        (TimeoutError, socket.timeout),
        (urllib.error.URLError,),
        "urllib.request",
        pooled=False,
    ),
    Client(
        "http.client",
        _http_client,
        (http.client.RemoteDisconnected,),
        (TimeoutError,),
        (socket.gaierror,),
        "http.client",
    ),
    Client(
        "aiohttp",
        _aiohttp,
        (aiohttp.ServerDisconnectedError,),
        (asyncio.TimeoutError,),
        (aiohttp.ClientConnectorError,),
        "an async client's resolver thread",
    ),
]
