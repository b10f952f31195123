"""Repo-level test configuration: Hypothesis profiles.

`dev` (default) keeps the suite fast on a laptop; `ci` is deterministic and bounded; `fuzz` runs
many more examples. Pick one with HYPOTHESIS_PROFILE=ci|dev|fuzz.
"""

from __future__ import annotations

import os
import sys

from hypothesis import HealthCheck, settings

# Bytecode. With PYTHONDONTWRITEBYTECODE set (as on this project's machines), every pytest process (each xdist
# worker, each pytester and CLI subprocess) recompiled the package and re-rewrote the asserts of every test
# module, about 2 s a process and 5-7 s of a `-n 2` run. `__pycache__/` is git-ignored, so the suite keeps
# bytecode (HARNESS_TEST_NO_BYTECODE=1 keeps the environment's choice).
if not os.environ.get("HARNESS_TEST_NO_BYTECODE"):
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

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
