"""Repo-level test configuration: Hypothesis profiles.

`dev` (default) keeps the suite fast on a laptop; `ci` is deterministic and bounded; `fuzz` runs
many more examples. Pick one with HYPOTHESIS_PROFILE=ci|dev|fuzz.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("fuzz", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
