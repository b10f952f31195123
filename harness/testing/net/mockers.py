"""Living with the other mocking libraries: each keeps its own hosts, routed hosts reach the fake.

`responses` and `requests-mock` replace `requests`' transport and refuse any URL nobody registered;
`respx` does the same for httpx. While a session routes hosts, a request to one of them that the
library has no mock for is sent the real way instead, which for a routed host means into the fake (the
routing sits below them, in urllib3 and httpcore). A mock the user did register for a routed URL
still wins. Each shim uses the library's own pass-through mechanism.
"""

from __future__ import annotations

import weakref
from typing import Any
from urllib.parse import urlsplit

from harness.testing.net.patches import Patches
from harness.testing.net.session import current

__all__ = ["install_requests_mock", "install_responses", "install_respx_mocks", "install_respx_router"]


def _routed(url: Any) -> bool:
    session = current()
    if session is None:
        return False
    try:
        host = urlsplit(str(url)).hostname
    except ValueError:
        return False
    return session.table.find(host) is not None


def install_responses(module: Any, patches: Patches) -> None:
    """`responses.RequestsMock`: add a passthru pattern for routed hosts to each mock that sees a request."""
    mock_class = module.RequestsMock
    real_on_request = mock_class._on_request
    added: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()

    def _on_request(mock: Any, adapter: Any, request: Any, **kwargs: Any) -> Any:
        session = current()
        pattern = session.table.url_pattern() if session is not None else None
        if pattern is not None and added.get(mock) is not pattern:
            previous = added.get(mock)
            mock.passthru_prefixes = tuple(p for p in mock.passthru_prefixes if p is not previous)
            mock.add_passthru(pattern)  # consulted only when none of the user's mocks matched
            added[mock] = pattern
        return real_on_request(mock, adapter, request, **kwargs)

    def take_back() -> None:
        for mock, pattern in list(added.items()):
            mock.passthru_prefixes = tuple(p for p in mock.passthru_prefixes if p is not pattern)

    patches.set(mock_class, "_on_request", _on_request)
    patches.defer(take_back)


def install_requests_mock(module: Any, patches: Patches) -> None:
    """`requests_mock.adapter.Adapter`: no matcher for a routed URL -> run it for real (as `real_http`)."""
    run_real = getattr(module, "_RunRealHTTP", None)
    if run_real is None:
        return
    adapter_class = module.Adapter
    real_send = adapter_class.send
    no_mock = module.exceptions.NoMockAddress

    def send(adapter: Any, request: Any, **kwargs: Any) -> Any:
        try:
            return real_send(adapter, request, **kwargs)
        except no_mock:
            if not _routed(request.url):
                raise
            if adapter.request_history:
                adapter.request_history.pop()  # not a call to the user's mock
            raise run_real() from None

    patches.set(adapter_class, "send", send)


def install_respx_router(module: Any, patches: Patches) -> None:
    """`respx.router.Router`: a routed host no route of this router claims is not this router's."""
    router_class = module.Router
    not_mocked = module.AllMockedAssertionError

    def unclaimed(router: Any, request: Any) -> bool:
        if not _routed(request.url):
            return False
        return not any(not route.pattern or bool(route.pattern.match(request)) for route in router.routes)

    real_resolve = router_class.resolve
    real_aresolve = router_class.aresolve

    def resolve(router: Any, request: Any) -> Any:
        if unclaimed(router, request):
            raise not_mocked(f"RESPX: {request!r} is routed to the harness")
        return real_resolve(router, request)

    async def aresolve(router: Any, request: Any) -> Any:
        if unclaimed(router, request):
            raise not_mocked(f"RESPX: {request!r} is routed to the harness")
        return await real_aresolve(router, request)

    patches.set(router_class, "resolve", resolve)
    patches.set(router_class, "aresolve", aresolve)


def install_respx_mocks(module: Any, patches: Patches) -> None:
    """`respx.mocks.Mocker`: when no router answered a routed host, pass it through (into the fake)."""
    mocker = module.Mocker
    not_mocked = module.AllMockedAssertionError
    passthrough = module.PassThrough
    real_handler = mocker.handler.__func__
    real_async_handler = mocker.async_handler.__func__

    def handler(cls: Any, request: Any) -> Any:
        try:
            return real_handler(cls, request)
        except not_mocked:
            if not _routed(request.url):
                raise
            raise passthrough("routed to the harness", request=request, origin=None) from None

    async def async_handler(cls: Any, request: Any) -> Any:
        try:
            return await real_async_handler(cls, request)
        except not_mocked:
            if not _routed(request.url):
                raise
            raise passthrough("routed to the harness", request=request, origin=None) from None

    patches.set(mocker, "handler", classmethod(handler))
    patches.set(mocker, "async_handler", classmethod(async_handler))
