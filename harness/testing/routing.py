"""In-process routing of HTTP clients to a fake Braze, with no network egress.

httpx (sync and async) goes through a respx router whose Braze route hands each request to the fake's
WSGI app through `httpx.WSGITransport` (no socket); `requests` goes through a patched
`HTTPAdapter.send` that does the same, the way the `responses` library intercepts it. Both keep the
Host header, so the fake takes the instance from the host as real Braze does. Any other host fails
loudly, naming the host, unless it is allowed (the session's live server on 127.0.0.1 always is);
the refusal is an `AllMockedAssertionError`, so a user's own respx router still gets its turn.
A drop or timeout fault of the fake is raised as the client library's own exception: httpx.ConnectError
or httpx.ReadTimeout, requests.ConnectionError or requests.ReadTimeout (at once: nobody waits).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any
from unittest import mock
from urllib.parse import urlsplit
from wsgiref.types import WSGIApplication

import httpx
import respx
from respx.models import AllMockedAssertionError

from harness.braze import FAULT_HEADER, INSTANCES, instance_for_host, parse_fault_header

if TYPE_CHECKING:
    import requests
    import requests.adapters

__all__ = ["BRAZE_REST_HOST", "Blocked", "BrazeRouting", "EgressBlocked", "is_braze_rest_host"]

BRAZE_REST_HOST = re.compile(r"^rest\.[a-z0-9-]+\.braze\.(?:com|eu)$", re.IGNORECASE)
"""Every Braze REST host (`rest.iad-01.braze.com`, `rest.fra-01.braze.eu`, ...), known instance or not."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_braze_rest_host(host: str) -> bool:
    return bool(BRAZE_REST_HOST.match(host))


@dataclass(frozen=True, slots=True)
class Blocked:
    """A request the guard refused: enough to name it in a failure message."""

    client: str
    method: str
    url: str
    host: str

    def __str__(self) -> str:
        return f"{self.method} {self.url} (host {self.host}, via {self.client})"


class EgressBlocked(AllMockedAssertionError):
    """A test tried to reach a host that is neither Braze (routed to the fake) nor allowed."""

    def __init__(self, blocked: Blocked) -> None:
        self.blocked = blocked
        super().__init__(
            f"braze-harness blocked a request to {blocked.host}: {blocked.method} {blocked.url}. "
            "Tests using fake_braze or braze_server get no network: Braze REST hosts are routed to the fake; "
            f"allow this host with @pytest.mark.braze(allow_hosts=[{blocked.host!r}]) or mock it with respx."
        )


def _fault_of(response: httpx.Response) -> str | None:
    """`drop` or `timeout` when the fake answered with a socket-level fault, else None."""
    value = response.headers.get(FAULT_HEADER)
    return parse_fault_header(value)[0] if value else None


def _fault_message(kind: str, method: str, url: str) -> str:
    if kind == "drop":
        return f"fake Braze dropped the connection (injected fault): {method} {url}"
    return f"fake Braze never answered (injected timeout fault): {method} {url}"


def _unknown_instance(host: str) -> str:
    known = ", ".join(h for instance in INSTANCES for h in instance.rest_hosts)
    return f"{host} is not the REST host of any Braze instance (a real client would fail to resolve it); known: {known}"


class BrazeRouting:
    """Route httpx and `requests` to `app` while active; refuse every host that is not allowed.

    `allow` entries are hosts (`localhost`, any port) or `host:port`. `blocked` lists refused requests,
    so a fixture can fail the test even when the client swallowed the error.
    """

    def __init__(self, app: WSGIApplication, *, allow: Iterable[str] = ()) -> None:
        self._transport = httpx.WSGITransport(app=app)
        self.allowed: set[str] = set()
        self.blocked: list[Blocked] = []
        for entry in allow:
            self.allow(entry)
        self.router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        self.router.route(host__regex=BRAZE_REST_HOST.pattern, name="braze").mock(side_effect=self._braze)
        self.router.route(name="no-egress").mock(side_effect=self._elsewhere)
        self._patchers: list[Any] = []

    # -- configuration -------------------------------------------------------------------------
    def allow(self, host: str) -> None:
        """Let requests to `host` (or `host:port`, or a URL's host and port) through to the network."""
        entry = host.strip().lower()
        if "://" in entry:
            entry = urlsplit(entry).netloc
        self.allowed.add(entry.strip("/"))

    def is_allowed(self, host: str, port: int | None) -> bool:
        host = host.lower()
        bracketed = f"[{host}]" if ":" in host else host
        return host in self.allowed or bracketed in self.allowed or f"{bracketed}:{port}" in self.allowed

    # -- activation ----------------------------------------------------------------------------
    def start(self) -> BrazeRouting:
        self.router.start()
        self._patch_requests()
        return self

    def stop(self) -> None:
        for patcher in reversed(self._patchers):
            patcher.stop()
        self._patchers.clear()
        self.router.stop(quiet=True)

    def __enter__(self) -> BrazeRouting:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- the bridge into the fake --------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        """Serve one request from the fake's app; the response is fully read (usable sync or async)."""
        if "transfer-encoding" in request.headers:  # WSGI wants a length: a chunked body would read as empty
            headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "transfer-encoding"]
            request = httpx.Request(request.method, request.url, headers=headers, content=request.read())
        response = self._transport.handle_request(request)
        content = response.read()
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

    def _braze(self, request: httpx.Request) -> httpx.Response | Awaitable[httpx.Response]:
        if instance_for_host(request.url.host) is None:
            raise httpx.ConnectError(_unknown_instance(request.url.host), request=request)
        if isinstance(request.stream, httpx.SyncByteStream):  # httpx.ByteStream is both: read it directly
            return self._answer(request)
        return self._handle_async(request)

    async def _handle_async(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._answer(request)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        response = self.handle(request)
        kind = _fault_of(response)
        if kind == "drop":
            raise httpx.ConnectError(_fault_message(kind, request.method, str(request.url)), request=request)
        if kind == "timeout":
            raise httpx.ReadTimeout(_fault_message(kind, request.method, str(request.url)), request=request)
        return response

    def _elsewhere(self, request: httpx.Request) -> httpx.Request:
        if self.is_allowed(request.url.host, request.url.port or _DEFAULT_PORTS.get(request.url.scheme)):
            return request  # respx: returning the request passes it through
        if self._claimed_elsewhere(request):
            raise AllMockedAssertionError("left to another respx router")
        blocked = Blocked("httpx", request.method, str(request.url), request.url.host)
        self.blocked.append(blocked)
        raise EgressBlocked(blocked)

    def _claimed_elsewhere(self, request: httpx.Request) -> bool:
        """True when another active respx router (e.g. the user's `respx_mock`) has a route for it."""
        mocker = getattr(self.router, "Mocker", None)
        for router in getattr(mocker, "routers", ()):
            if router is self.router:
                continue
            if any(not route.pattern or route.pattern.match(request) for route in router.routes):
                return True
        return False

    # -- requests ------------------------------------------------------------------------------
    def _patch_requests(self) -> None:
        try:
            from requests.adapters import HTTPAdapter
        except ImportError:  # requests is optional
            return
        original = HTTPAdapter.send
        routing = self

        @functools.wraps(original)
        def send(adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
            return routing._send_requests(original, adapter, request, *args, **kwargs)

        patcher = mock.patch.object(HTTPAdapter, "send", send)
        patcher.start()
        self._patchers.append(patcher)

    def _send_requests(
        self,
        original: Callable[..., requests.Response],
        adapter: requests.adapters.HTTPAdapter,
        request: requests.PreparedRequest,
        *args: Any,
        **kwargs: Any,
    ) -> requests.Response:
        import requests

        url = request.url or ""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if is_braze_rest_host(host):
            if instance_for_host(host) is None:
                raise requests.ConnectionError(_unknown_instance(host), request=request)
            response = self.handle(_to_httpx_request(request))
            kind = _fault_of(response)
            if kind == "drop":
                raise requests.ConnectionError(_fault_message(kind, request.method or "", url), request=request)
            if kind == "timeout":
                raise requests.ReadTimeout(_fault_message(kind, request.method or "", url), request=request)
            return _to_requests_response(adapter, request, response)
        if self.is_allowed(host, parts.port or _DEFAULT_PORTS.get(parts.scheme)):
            return original(adapter, request, *args, **kwargs)
        blocked = Blocked("requests", request.method or "GET", url, host)
        self.blocked.append(blocked)
        raise EgressBlocked(blocked)


def _to_httpx_request(request: requests.PreparedRequest) -> httpx.Request:
    body: Any = request.body
    if body is None:
        content = b""
    elif isinstance(body, bytes):
        content = body
    elif isinstance(body, str):
        content = body.encode("utf-8")
    elif hasattr(body, "read"):
        data = body.read()
        content = data.encode("utf-8") if isinstance(data, str) else data
    else:  # an iterable of chunks (requests streams it chunked)
        content = b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in body)
    headers = [(k, v) for k, v in request.headers.items() if k.lower() not in ("transfer-encoding", "content-length")]
    return httpx.Request(request.method or "GET", request.url or "", headers=headers, content=content)


def _to_requests_response(
    adapter: requests.adapters.HTTPAdapter, request: requests.PreparedRequest, response: httpx.Response
) -> requests.Response:
    from urllib3 import HTTPHeaderDict, HTTPResponse

    headers = HTTPHeaderDict()
    for key, value in response.headers.multi_items():
        headers.add(key, value)
    raw = HTTPResponse(
        body=io.BytesIO(response.content),
        headers=headers,
        status=response.status_code,
        reason=response.reason_phrase,
        preload_content=False,
        decode_content=False,
    )
    return adapter.build_response(request, raw)
