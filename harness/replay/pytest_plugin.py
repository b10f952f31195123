"""pytest plugin of the replay layer (`pytest11` entry point `braze_harness_replay`): replay's diagnoses
for the fake Segment of the `fake_segment` fixture.

The fixture lives in `harness.testing`, below replay, so it cannot import replay's diagnoses; it asks
pytest for the `segment_diagnose` fixture instead, and this plugin provides it. Nothing is imported until
a fake Segment's delivery fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from harness.workspace import Diagnose, FakeSegment

__all__ = ["segment_diagnose"]


@pytest.fixture(scope="session")
def segment_diagnose() -> Callable[[FakeSegment], Diagnose]:
    """`segment_diagnose(fake_segment)`: replay's diagnoses of that fake Segment's failed deliveries."""

    def make(fake: FakeSegment) -> Diagnose:
        from harness.replay.workspace import delivery_explainer

        return delivery_explainer(fake)

    return make
