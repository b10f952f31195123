"""`fake_braze_factory`: a fresh fake Braze per `with`, for tests where a fixture per test is too coarse.

Hypothesis runs a `@given` test's body once per example, but function-scoped fixtures only once per
test, so a `fake_braze` fixture would carry state from one example into the next (which is why
Hypothesis refuses it with its `function_scoped_fixture` health check). The factory is session-scoped:
each `with fake_braze_factory(**marker options) as fake_braze:` inside the test body gets a fake of its
own (reset, from the per-process cache), with the same routing, no-egress guard and end-of-block checks
as the fixture.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import CodeType
from typing import Any

from harness.braze import FakeBrazeConfig
from harness.testing import fakes
from harness.testing.checks import blocked_problems, strict_problems
from harness.testing.mock import BrazeMock
from harness.testing.net import activation
from harness.testing.net.routes import braze_route
from harness.testing.net.session import NetworkSession
from harness.testing.options import BrazeOptions

__all__ = ["FakeBrazeFactory"]


class FakeBrazeFactory:
    """`with factory(instance="EU-01", faults=[...]) as fake_braze:` (options as `@pytest.mark.braze`)."""

    def __init__(self, base: FakeBrazeConfig | None = None, allow_hosts: Iterable[str] = ()) -> None:
        self._base = base
        self._allow = tuple(allow_hosts)

    def __call__(self, **options: Any) -> AbstractContextManager[BrazeMock]:
        """A context manager yielding a fresh fake; OptionError for an option that makes no sense."""
        parsed = BrazeOptions.from_kwargs([options])
        config = parsed.apply(self._base if self._base is not None else FakeBrazeConfig())
        caller = sys._getframe(1).f_code  # the test: refusals it catches itself were expected
        return self._fresh(parsed, config, caller)

    @contextmanager
    def _fresh(self, options: BrazeOptions, config: FakeBrazeConfig, caller: CodeType) -> Iterator[BrazeMock]:
        fake = fakes.acquire(config)
        session = NetworkSession((*self._allow, *options.allow_hosts), loopback=options.allow_loopback)
        session.origins.add(caller)
        session.add_route(braze_route(lambda: fake.app))
        try:
            with activation.active(session):
                yield BrazeMock(fake, session)
            problems = blocked_problems(session) + (strict_problems(fake) if options.strict else [])
            if problems:
                raise AssertionError("\n".join(problems))
        finally:
            fakes.release(fake)
