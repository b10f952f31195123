"""pytest plugin of segment-braze-harness, registered through the `pytest11` entry point `braze_harness`.

Fixtures (layered like pytest-httpserver's):
- `fake_braze`: a fake Braze for this test (reset, reused per xdist worker); every Braze REST host is
  answered by it in-process, for httpx, requests / urllib3, urllib.request and aiohttp alike;
- `harness_network`: the no-egress guard `fake_braze` runs under (use it alone for a test that must
  not reach the network): any connection but loopback and allowed hosts is refused at the socket layer;
- `braze_server`: the same fake, also served on a loopback port by a server started once per session
  (per xdist worker), for subprocesses and non-Python clients;
- `fake_braze_factory` (session-scoped): `with fake_braze_factory() as fake_braze:` a fresh fake per
  block, for Hypothesis `@given` tests;
- `braze_config`, `braze_allow_hosts`, `braze_server_listen_address`: override them in a conftest;
- `fake_segment`: a fake Segment for this test answering Segment's Tracking API hosts (`api.segment.io`,
  `events.eu1.segmentapis.com`) in-process, its Braze destinations delivering into this test's
  `fake_braze`; `fake_segment_factory` (session-scoped) for Hypothesis; `segment_workspace` to override.
Markers: `@pytest.mark.braze(...)` (`harness.testing.options`), `@pytest.mark.segment(...)`
(`harness.testing.segment_options`).

Nothing of the harness is imported until a fixture runs: a pytest run that never uses them pays only
for importing this module.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from types import CodeType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from harness.braze import FakeBrazeConfig
    from harness.testing.factory import FakeBrazeFactory
    from harness.testing.live import SessionServer
    from harness.testing.mock import BrazeMock, BrazeServer
    from harness.testing.net.session import NetworkSession
    from harness.testing.options import BrazeOptions
    from harness.testing.segment_factory import FakeSegmentFactory
    from harness.testing.segment_mock import SegmentMock
    from harness.testing.segment_options import SegmentOptions
    from harness.testing.segment_setup import Explainer
    from harness.workspace import Workspace

__all__ = [
    "MARKER_HELP",
    "braze_allow_hosts",
    "braze_config",
    "braze_live_server",
    "braze_server",
    "braze_server_listen_address",
    "fake_braze",
    "fake_braze_factory",
    "fake_segment",
    "fake_segment_factory",
    "harness_network",
    "segment_workspace",
]

MARKER_HELP = (
    "braze(instance='US-01', api_keys=[...], limits='legacy-75|combined-75|combined-50', "
    "rate_limits={'users.track': '3000/3' | None} | 'off', allow_hosts=[...], allow_loopback=True, strict=False, "
    "faults=[Fault.error(503, times=2) | {'kind': 'drop', 'path': '/users/track'}, ...], "
    "**FakeBrazeConfig fields): configure the fake_braze / braze_server fixtures (segment-braze-harness). "
    "instance= alone: other instances' hosts refuse the key with 401."
)
_DRAIN_SECONDS = 2.0
"""How long teardown waits for requests still running in the fake (a client that timed out on a slow
answer); past it the fake is not reused."""
SEGMENT_MARKER_HELP = (
    "segment(workspace=Workspace | 'workspace.json' | {...}, write_keys=[...], engage=[Audience(...)] | 'space.json', "
    "delivery='request' | 'flush', max_attempts=3): configure the fake_segment fixture (segment-braze-harness)."
)
_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()
_OPTIONS: pytest.StashKey[BrazeOptions] = pytest.StashKey()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)
    config.addinivalue_line("markers", SEGMENT_MARKER_HELP)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report, so teardown checks only speak up when the test itself passed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _passed(node: pytest.Item) -> bool:
    call = node.stash.get(_REPORTS, {}).get("call")
    return call is not None and call.passed


def _options(request: pytest.FixtureRequest) -> BrazeOptions:
    """The test's merged `braze` markers (parsed once per test); a bad one fails the test readably."""
    from harness.testing.options import BrazeOptions, OptionError

    node = request.node
    if _OPTIONS in node.stash:
        cached: BrazeOptions = node.stash[_OPTIONS]
        return cached
    markers = list(node.iter_markers("braze"))
    if any(m.args for m in markers):
        pytest.fail("@pytest.mark.braze: takes keyword options only, e.g. @pytest.mark.braze(instance='EU-01')", False)
    try:
        options = BrazeOptions.from_kwargs(m.kwargs for m in reversed(markers))
    except OptionError as exc:
        pytest.fail(f"@pytest.mark.braze: {exc}", pytrace=False)
    node.stash[_OPTIONS] = options
    return options


def _test_code(request: pytest.FixtureRequest) -> list[CodeType]:
    """The test function's code objects (through decorators' `__wrapped__`)."""
    function = getattr(request, "function", None)
    codes: list[CodeType] = []
    while function is not None and len(codes) < 10:
        code = getattr(function, "__code__", None)
        if code is not None:
            codes.append(code)
        function = getattr(function, "__wrapped__", None)
    return codes


@pytest.fixture
def braze_config() -> FakeBrazeConfig:
    """The base configuration of each test's fake; `@pytest.mark.braze` applies on top. Override it in a conftest."""
    from harness.braze import FakeBrazeConfig

    return FakeBrazeConfig()


@pytest.fixture
def braze_allow_hosts() -> list[str]:
    """Hosts (`example.com`), `host:port`s or URLs the no-egress guard lets through. Override it to add some."""
    return []


@pytest.fixture
def harness_network(request: pytest.FixtureRequest, braze_allow_hosts: list[str]) -> Iterator[NetworkSession]:
    """No egress for this test: connections other than loopback, allowed hosts and routed hosts are
    refused at the socket layer, naming the host; refusals the test did not expect fail it at teardown."""
    from harness.testing.checks import blocked_problems
    from harness.testing.net import activation
    from harness.testing.net.session import NetworkSession

    options = _options(request)
    session = NetworkSession(
        (*braze_allow_hosts, *options.allow_hosts), loopback=options.allow_loopback, origins=_test_code(request)
    )
    with activation.active(session):
        yield session
    problems = blocked_problems(session)
    if problems and _passed(request.node):
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def fake_braze(
    request: pytest.FixtureRequest, braze_config: FakeBrazeConfig, harness_network: NetworkSession
) -> Iterator[BrazeMock]:
    """A fake Braze for this test (fresh state), answering every Braze REST host in-process, with no egress."""
    from harness.testing import fakes
    from harness.testing.checks import strict_problems
    from harness.testing.mock import BrazeMock
    from harness.testing.net.routes import braze_route
    from harness.testing.options import OptionError

    options = _options(request)
    try:
        config = options.apply(braze_config)
    except OptionError as exc:
        pytest.fail(f"@pytest.mark.braze: {exc}", pytrace=False)
    fake = fakes.acquire(config)
    harness_network.add_route(braze_route(lambda: fake.app))
    try:
        yield BrazeMock(fake, harness_network)
        problems = strict_problems(fake) if options.strict else []
        if problems and _passed(request.node):
            pytest.fail("\n".join(problems), pytrace=False)
    finally:
        harness_network.table.remove("braze")
        if not harness_network.drain(_DRAIN_SECONDS):
            fakes.discard(fake)  # a request the client gave up on still runs in it: never reuse it
        fakes.release(fake)


@pytest.fixture(scope="session")
def fake_braze_factory() -> FakeBrazeFactory:
    """`with fake_braze_factory(**marker options) as fake_braze:` a fresh fake per block (Hypothesis examples)."""
    from harness.testing.factory import FakeBrazeFactory

    return FakeBrazeFactory()


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
    from harness.console import mount
    from harness.testing import fakes
    from harness.testing.mock import BrazeServer

    mount(fake_braze.fake.app, fake_braze.fake)  # the console at .url + "/_harness/ui/" (idempotent)
    braze_live_server.serve(fake_braze.fake)
    if fake_braze.routing is not None:
        fake_braze.routing.allow(braze_live_server.address)
    try:
        yield BrazeServer(fake_braze.fake, braze_live_server.url, fake_braze.routing)
    finally:
        braze_live_server.serve(None)
        if not braze_live_server.drain(_DRAIN_SECONDS):
            fakes.discard(fake_braze.fake)


def _segment_options(request: pytest.FixtureRequest) -> SegmentOptions:
    from harness.testing.segment_options import SegmentOptionError, SegmentOptions

    markers = list(request.node.iter_markers("segment"))
    if any(m.args for m in markers):
        pytest.fail(
            "@pytest.mark.segment: takes keyword options only, e.g. @pytest.mark.segment(write_keys=['wk'])", False
        )
    try:
        return SegmentOptions.from_kwargs(m.kwargs for m in reversed(markers))
    except SegmentOptionError as exc:
        pytest.fail(f"@pytest.mark.segment: {exc}", pytrace=False)


@pytest.fixture
def segment_workspace() -> Workspace | None:
    """The workspace each test's fake Segment plays (None: the default one); `@pytest.mark.segment` applies on
    top. Override it in a conftest, e.g. `return load_workspace("segment-workspace.json")`."""
    return None


@pytest.fixture
def fake_segment(
    request: pytest.FixtureRequest, fake_braze: BrazeMock, segment_workspace: Workspace | None
) -> Iterator[SegmentMock]:
    """A fake Segment for this test: Segment's Tracking API hosts answered in-process, its Braze destinations
    delivering into this test's `fake_braze` (`.braze`), each request's events delivered before it is answered."""
    from harness.testing.segment_mock import SegmentMock
    from harness.testing.segment_options import SegmentOptionError
    from harness.testing.segment_setup import build_fake_segment, route_segment

    options = _segment_options(request)
    try:
        segment = build_fake_segment(fake_braze.fake, options, segment_workspace, _explainer(request))
    except SegmentOptionError as exc:
        pytest.fail(f"@pytest.mark.segment: {exc}", pytrace=False)
    routing = fake_braze.routing
    assert routing is not None
    route_segment(routing, segment)
    try:
        yield SegmentMock(segment, fake_braze)
    finally:
        routing.table.remove("segment")


@pytest.fixture(scope="session")
def fake_segment_factory(request: pytest.FixtureRequest) -> FakeSegmentFactory:
    """`with fake_segment_factory(braze={...}, **segment options) as fake_segment:` fresh fakes per block."""
    from harness.testing.segment_factory import FakeSegmentFactory

    return FakeSegmentFactory(explainer=_explainer(request))


def _explainer(request: pytest.FixtureRequest) -> Explainer | None:
    """Replay's diagnoses (`segment_diagnose`, from the replay layer's own plugin), when it is installed."""
    try:
        found: Explainer = request.getfixturevalue("segment_diagnose")
    except pytest.FixtureLookupError:
        return None
    return found
