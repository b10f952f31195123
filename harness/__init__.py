"""segment-braze-harness: an offline fake Braze and Segment → Braze translation, for tests and CI.

The public face, one import away (loaded on first use, so `import harness` and the CLI stay fast):

- `FakeBraze` / `create_app`: a fake Braze REST API with Braze's rules, contracts, profiles and cohorts;
- `FakeSegment` / `load_workspace`: a fake Segment (Tracking API, a workspace's Braze destinations and
  Engage space) delivering into a `FakeBraze`;
- `Fault`: latency, error answers, dropped connections and timeouts on demand (`FakeBraze.faults`);
- `translate` (the subpackage: `harness.translate.translate(event)`) / `run_case`: exactly what Segment's
  Braze destinations send for a Segment event;
- `simulate` / `EngageSimulator`: what Segment Engage sends for audiences and computed traits;
- `parse_event` / `validate_event`: Segment events checked against their contracts;
- `contract`: the JSON Schema contracts every layer shares.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "EngageSimulator",
    "FakeBraze",
    "FakeBrazeConfig",
    "FakeSegment",
    "Fault",
    "FixedClock",
    "SystemClock",
    "WorkspaceConfig",
    "contract",
    "create_app",
    "load_definitions",
    "load_workspace",
    "parse_event",
    "run_case",
    "simulate",
    "translate",
    "validate_event",
]

_HOMES = {
    "EngageSimulator": "harness.engage",
    "FakeBraze": "harness.braze",
    "FakeBrazeConfig": "harness.braze",
    "FakeSegment": "harness.workspace",
    "Fault": "harness.braze",
    "FixedClock": "harness.clock",
    "SystemClock": "harness.clock",
    "WorkspaceConfig": "harness.braze",
    "contract": "harness.contracts",
    "create_app": "harness.braze",
    "load_definitions": "harness.engage",
    "load_workspace": "harness.workspace",
    "parse_event": "harness.segment",
    "run_case": "harness.translate",
    "simulate": "harness.engage",
    "validate_event": "harness.segment",
}

# Names that are subpackages. `harness.translate` is always the subpackage, never its `translate`
# function: importing a submodule sets the parent's attribute to the module, so a function of the
# same name could not stay put (it flipped to the module on the second read).
_SUBPACKAGES = frozenset({"translate"})


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return importlib.import_module(f"harness.{name}")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return sorted(__all__)
