"""What the `fake_braze` and `braze_server` fixtures return: one fake Braze, seen the way tests need it.

The model is `unittest.mock` / respx: a call history (`requests`), `assert_*` helpers with readable
failures, plus read-back of the fake's state as profile views. The `FakeBraze` itself stays at `.fake`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from harness.braze import DEFAULT_WORKSPACE, FakeBraze, FakeBrazeConfig, Faults, Instance, Journal, instance_named
from harness.testing import assertions
from harness.testing.calls import Kind, Match, Requests
from harness.testing.net.egress import Blocked
from harness.testing.net.session import ExpectBlocked, NetworkSession
from harness.testing.views import UserView, in_cohort, known_external_ids, segment_members

__all__ = ["DEFAULT_TEST_KEY", "BrazeMock", "BrazeServer"]

DEFAULT_TEST_KEY = "braze-harness-test-key"
"""The REST API key `headers` uses when none is configured (the zero-config fake accepts any key)."""


class BrazeMock:
    """A fake Braze in a test: its journal as calls, its profiles as views, assertions on both."""

    def __init__(self, fake: FakeBraze, routing: NetworkSession | None = None) -> None:
        self.fake = fake
        self.routing = routing
        """The test's network session: `allow(host)`, `is_allowed(host, port)`, `blocked`, its route table."""

    # -- the fake ------------------------------------------------------------------------------
    @property
    def config(self) -> FakeBrazeConfig:
        return self.fake.config

    @property
    def app(self) -> Flask:
        return self.fake.app

    @property
    def journal(self) -> Journal:
        return self.fake.journal

    @property
    def faults(self) -> Faults:
        """Arm faults mid-test: `fake_braze.faults.add(Fault.error(503, times=2))`; `.clear()` disarms them."""
        return self.fake.faults

    @property
    def instance(self) -> Instance:
        """The configured instance (where `base_url` points)."""
        return instance_named(self.config.instance)

    @property
    def base_url(self) -> str:
        """Where a client should send requests to reach this fake: the instance's REST URL, routed in-process."""
        return self.instance.rest_url

    @property
    def api_key(self) -> str:
        """A REST API key the fake accepts on its instance."""
        for workspace in self.config.all_workspaces():
            if workspace.instance == self.instance.name and workspace.api_keys:
                return workspace.api_keys[0]
        return DEFAULT_TEST_KEY

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"}

    def reset(self) -> None:
        """Forget all state and the journal, as between tests."""
        self.fake.reset()

    def state(self) -> dict[str, Any]:
        return self.fake.state()

    # -- the network guard ---------------------------------------------------------------------
    @property
    def blocked(self) -> list[Blocked]:
        """Connections the guard refused during this test so far."""
        return list(self.routing.blocked) if self.routing is not None else []

    def expect_blocked(self, *hosts: str) -> ExpectBlocked:
        """`with fake_braze.expect_blocked("hooks.example.com"):` the code inside is expected to be refused
        a connection to these hosts (any host if none given): the refusal does not fail the test, an
        `EgressBlocked` reaching the `with` is swallowed, and the block fails if nothing was refused."""
        if self.routing is None:
            raise RuntimeError("this fake has no network session (it was not made by fake_braze)")
        return self.routing.expect_blocked(*hosts)

    # -- what was received ---------------------------------------------------------------------
    @property
    def requests(self) -> Requests:
        """A snapshot of the journal, oldest first; `.filter(path=..., user=..., kind=...)` narrows it."""
        return Requests(self.fake.journal.entries())

    # -- what the fake now holds ---------------------------------------------------------------
    def user(self, external_id: str, workspace: str = DEFAULT_WORKSPACE) -> UserView:
        """The profile with this external_id; `UnknownUser` (an AssertionError) names the users there are."""
        __tracebackhide__ = True
        return UserView(self.fake, external_id, workspace)

    def has_user(self, external_id: str, workspace: str = DEFAULT_WORKSPACE) -> bool:
        return self.fake.user(external_id, workspace=workspace) is not None

    def external_ids(self, workspace: str = DEFAULT_WORKSPACE) -> list[str]:
        return known_external_ids(self.fake, workspace)

    def in_cohort(self, external_id: str, cohort: str, workspace: str = DEFAULT_WORKSPACE) -> bool:
        """Delegates to `FakeBraze.in_cohort`: in a cohort of this name."""
        return in_cohort(self.fake, external_id, cohort, workspace)

    def segment_members(self, definition: Any, workspace: str = DEFAULT_WORKSPACE) -> Any:
        """Delegates to `FakeBraze.segment_members`: who matches a segment definition (or saved name) now."""
        return segment_members(self.fake, definition, workspace)

    # -- assertions ----------------------------------------------------------------------------
    def assert_request(
        self,
        path: str | None = None,
        *,
        method: str | None = None,
        status: int | None = None,
        user: str | None = None,
        kind: Kind | None = None,
        event: str | None = None,
        instance: str | None = None,
        count: int | None = None,
    ) -> Requests:
        """At least one (or exactly `count`) request matched; returns the matches."""
        __tracebackhide__ = True
        return assertions.assert_request(self.fake, Match(path, method, status, user, kind, event, instance), count)

    def assert_tracked(
        self,
        external_id: str,
        event: str | None = None,
        count: int | None = None,
        *,
        purchase: str | None = None,
        attributes: Mapping[str, Any] | None = None,
        workspace: str = DEFAULT_WORKSPACE,
    ) -> None:
        """The user exists and holds the event (`count` times), the purchase, the attribute values."""
        __tracebackhide__ = True
        assertions.assert_tracked(
            self.fake, external_id, event, count, purchase=purchase, attributes=attributes, workspace=workspace
        )

    def assert_no_contract_violations(self) -> None:
        __tracebackhide__ = True
        assertions.assert_no_contract_violations(self.fake)

    def assert_all_accepted(self) -> None:
        """Every request got a 2xx with no per-object errors."""
        __tracebackhide__ = True
        assertions.assert_all_accepted(self.fake)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.instance.name} requests={len(self.fake.journal)}>"


class BrazeServer(BrazeMock):
    """The same fake, also served over HTTP on a loopback port (for subprocesses and non-Python clients)."""

    def __init__(self, fake: FakeBraze, url: str, routing: NetworkSession | None = None) -> None:
        super().__init__(fake, routing)
        self.url = url

    @property
    def base_url(self) -> str:
        return self.url

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 80
