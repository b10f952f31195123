"""Building the fake Segment of one test (or one Hypothesis example) and putting it on Segment's hosts.

The fake Segment is cheap to build (no Flask: a plain WSGI app), so each test gets a new one over its
reset `fake_braze`. Its failed deliveries are explained by `explainer(fake)` when one is given: the
pytest plugin passes replay's (the `segment_diagnose` fixture of `harness.replay.pytest_plugin`, the
layer above, found through pytest rather than imported), as `serve` does.
"""

from __future__ import annotations

from collections.abc import Callable

from harness.braze import FakeBraze
from harness.testing.net.routes import segment_route
from harness.testing.net.session import NetworkSession
from harness.testing.segment_options import SegmentOptions
from harness.workspace import Diagnose, FakeSegment, Workspace, segment_app

__all__ = ["Explainer", "build_fake_segment", "route_segment"]


Explainer = Callable[[FakeSegment], Diagnose]


def build_fake_segment(
    braze: FakeBraze, options: SegmentOptions, base: Workspace | None, explainer: Explainer | None = None
) -> FakeSegment:
    """A fake Segment playing the options' workspace, delivering into `braze` on its clock."""
    fake = FakeSegment(braze, options.workspace(base), delivery=options.delivery)  # type: ignore[arg-type]
    if explainer is not None:
        fake.diagnose = explainer(fake)
    return fake


def route_segment(session: NetworkSession, fake: FakeSegment) -> None:
    """Answer Segment's Tracking API hosts with `fake` in-process, for as long as `session` routes."""
    app = segment_app(fake)
    session.add_route(segment_route(lambda: app))
