"""Route HTTP clients to a fake Braze outside pytest fixtures: `with BrazeRouting(fake.app): ...`.

What the `fake_braze` fixture does, as a context manager: every Braze REST host is answered by `app`
in-process (httpx sync and async, `requests` / urllib3, `urllib.request` / http.client, aiohttp), and
any other connection except loopback and `allow` is refused at the socket layer (`EgressBlocked`).
The machinery is in `harness.testing.net`.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from wsgiref.types import WSGIApplication

from harness.testing.net import activation
from harness.testing.net.egress import Blocked, EgressBlocked
from harness.testing.net.routes import BRAZE_REST_HOST, braze_route, is_braze_rest_host
from harness.testing.net.session import NetworkSession

__all__ = ["BRAZE_REST_HOST", "Blocked", "BrazeRouting", "EgressBlocked", "is_braze_rest_host"]


class BrazeRouting(NetworkSession):
    """A network session routing Braze to `app`, active inside `with` (or between `start()` and `stop()`)."""

    def __init__(self, app: WSGIApplication, *, allow: Iterable[str] = (), loopback: bool = True) -> None:
        super().__init__(allow, loopback=loopback)
        self.add_route(braze_route(lambda: app))

    def start(self) -> BrazeRouting:
        activation.start(self)
        return self

    def stop(self) -> None:
        activation.stop(self)

    def __enter__(self) -> BrazeRouting:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
