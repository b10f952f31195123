"""`fake_segment_factory`: a fresh fake Segment (and fake Braze) per `with`, for Hypothesis `@given` tests.

As `fake_braze_factory` does for Braze: a function-scoped fixture lives across all the examples of a
`@given` test, so each `with fake_segment_factory(**segment options, braze={...}) as fake_segment:` gets its
own fake Braze (reset, from the per-process cache), fake Segment, routing and no-egress guard.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from types import CodeType
from typing import Any

from harness.braze import FakeBrazeConfig
from harness.testing import fakes
from harness.testing.checks import blocked_problems
from harness.testing.mock import BrazeMock
from harness.testing.net import activation
from harness.testing.net.routes import braze_route
from harness.testing.net.session import NetworkSession
from harness.testing.options import BrazeOptions
from harness.testing.segment_mock import SegmentMock
from harness.testing.segment_options import SegmentOptions
from harness.testing.segment_setup import Explainer, build_fake_segment, route_segment
from harness.workspace import Workspace

__all__ = ["FakeSegmentFactory"]


class FakeSegmentFactory:
    """`with factory(write_keys=["wk"], braze={"instance": "EU-01"}) as fake_segment:` a fresh pair of fakes."""

    def __init__(self, base: Workspace | None = None, explainer: Explainer | None = None) -> None:
        self._base = base
        self._explainer = explainer

    def __call__(self, braze: Mapping[str, Any] | None = None, **options: Any) -> AbstractContextManager[SegmentMock]:
        braze_options = BrazeOptions.from_kwargs([dict(braze or {})])
        segment_options = SegmentOptions.from_kwargs([options])
        caller = sys._getframe(1).f_code
        return self._fresh(braze_options, segment_options, caller)

    @contextmanager
    def _fresh(self, braze: BrazeOptions, options: SegmentOptions, caller: CodeType) -> Iterator[SegmentMock]:
        fake = fakes.acquire(braze.apply(FakeBrazeConfig()))
        session = NetworkSession(braze.allow_hosts, loopback=braze.allow_loopback)
        session.origins.add(caller)
        session.add_route(braze_route(lambda: fake.app))
        segment = build_fake_segment(fake, options, self._base, self._explainer)
        route_segment(session, segment)
        try:
            with activation.active(session):
                yield SegmentMock(segment, BrazeMock(fake, session))
            problems = blocked_problems(session)
            if problems:
                raise AssertionError("\n".join(problems))
        finally:
            fakes.release(fake)
