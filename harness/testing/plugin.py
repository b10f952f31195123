"""pytest plugin of segment-braze-harness, registered through the `pytest11` entry point `braze_harness`.

Fixtures (layered like pytest-httpserver's):
- `fake_braze`: a fresh in-process fake per test; httpx and `requests` calls to any Braze REST host are
  routed into it with no socket, and every other host fails the test (no egress);
- `braze_server`: the same fake, also served on a loopback port by a server started once per session
  (per xdist worker), for subprocesses and non-Python clients;
- `braze_config`, `braze_allow_hosts`, `braze_server_listen_address`: override them in a conftest.
Marker: `@pytest.mark.braze(instance=..., api_keys=[...], limits=..., allow_hosts=[...], strict=...,
faults=[Fault.error(503, times=2), {"kind": "drop", "probability": 0.1, "seed": 7}])`.

The harness is imported inside the fixtures, so a pytest run that never uses them pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from harness.braze import FakeBraze, FakeBrazeConfig
    from harness.testing.live import SessionServer
    from harness.testing.mock import BrazeMock, BrazeServer
    from harness.testing.routing import BrazeRouting

__all__ = [
    "MARKER_HELP",
    "braze_allow_hosts",
    "braze_config",
    "braze_live_server",
    "braze_server",
    "braze_server_listen_address",
    "fake_braze",
]

MARKER_HELP = (
    "braze(instance='US-01', api_keys=[...], limits='legacy-75|combined-75|combined-50', "
    "rate_limits={'users.track': '3000/3' | None} | 'off', allow_hosts=[...], strict=False, "
    "faults=[Fault.error(503, times=2) | {'kind': 'drop', 'path': '/users/track'}, ...], "
    "**FakeBrazeConfig fields): configure the fake_braze / braze_server fixtures (segment-braze-harness)."
)
_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report, so teardown checks only speak up when the test itself passed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def braze_config() -> FakeBrazeConfig:
    """The base configuration of each test's fake; `@pytest.mark.braze` applies on top. Override it in a conftest."""
    from harness.braze import FakeBrazeConfig

    return FakeBrazeConfig()


@pytest.fixture
def braze_allow_hosts() -> list[str]:
    """Hosts (`localhost`) or `host:port`s the no-egress guard lets through besides Braze. Override it to add some."""
    return []


@pytest.fixture
def fake_braze(
    request: pytest.FixtureRequest, braze_config: FakeBrazeConfig, braze_allow_hosts: list[str]
) -> Iterator[BrazeMock]:
    """A fresh fake Braze for this test, with every Braze REST host routed to it and no other egress."""
    from harness.braze import FakeBraze
    from harness.testing.mock import BrazeMock
    from harness.testing.options import BrazeOptions, OptionError
    from harness.testing.routing import BrazeRouting

    markers = list(request.node.iter_markers("braze"))
    problem = (
        "takes keyword options only, e.g. @pytest.mark.braze(instance='EU-01')" if any(m.args for m in markers) else ""
    )
    try:
        options = BrazeOptions.from_kwargs(m.kwargs for m in reversed(markers))
        config = options.apply(braze_config)
    except OptionError as exc:
        problem = str(exc)
    if problem:
        pytest.fail(f"@pytest.mark.braze: {problem}", pytrace=False)
    fake = FakeBraze(config)
    with BrazeRouting(fake.app, allow=[*braze_allow_hosts, *options.allow_hosts]) as routing:
        yield BrazeMock(fake, routing)
    _check_after_test(request.node, fake, routing, strict=options.strict)


def _check_after_test(node: pytest.Item, fake: FakeBraze, routing: BrazeRouting, *, strict: bool) -> None:
    """Fail a passing test that reached a blocked host (the client may have swallowed the error) or,
    with `strict`, that sent a request breaking its contract or got a 5xx from the fake."""
    from harness.testing.assertions import render

    call = node.stash.get(_REPORTS, {}).get("call")
    if call is None or not call.passed:
        return
    problems: list[str] = []
    if routing.blocked:
        hosts = sorted({b.host for b in routing.blocked})
        problems.append(
            f"braze-harness blocked request(s) to {', '.join(hosts)} during this test "
            "(the client may have swallowed the error):"
        )
        problems += [f"  {b}" for b in routing.blocked]
        problems.append(f"Allow them with @pytest.mark.braze(allow_hosts={hosts!r}) or mock them with respx.")
    if strict:
        injected = ("status", "drop", "timeout")  # a fault the test asked for is not the fake failing
        bad = [
            e
            for e in fake.journal.entries()
            if e.violations or (e.status >= 500 and not (e.fault and e.fault.get("kind") in injected))
        ]
        if bad:
            problems.append(f"strict: {len(bad)} request(s) broke their contract or got a 5xx:")
            problems += [render(e) for e in bad[:10]]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def braze_server_listen_address() -> tuple[str, int]:
    """Where the session's live server listens; port 0 picks a free one (one per xdist worker)."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def braze_live_server(braze_server_listen_address: tuple[str, int]) -> Iterator[SessionServer]:
    """The session's live server (started on first use, stopped at the end of the session)."""
    from harness.testing.live import SessionServer

    host, port = braze_server_listen_address
    with SessionServer(host, port) as server:
        yield server


@pytest.fixture
def braze_server(fake_braze: BrazeMock, braze_live_server: SessionServer) -> Iterator[BrazeServer]:
    """This test's fake, served over HTTP at `.url`; `fake_braze` in the same test is the same fake."""
    from harness.testing.mock import BrazeServer

    braze_live_server.serve(fake_braze.fake)
    if fake_braze.routing is not None:
        fake_braze.routing.allow(braze_live_server.address)
    try:
        yield BrazeServer(fake_braze.fake, braze_live_server.url, fake_braze.routing)
    finally:
        braze_live_server.serve(None)
