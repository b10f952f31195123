"""Replay Segment debugger events offline: what Segment would send to Braze, what Braze answers, why.

Read events (`read_inputs`: one object, an array, JSON Lines), replay them in Segment's batches into a
fake Braze that models the user's workspace (`Replayer`), and get one diagnosed `EventCase` per event;
render them for a terminal or as JSON (`contracts/replay/report-event.json`).

Names are exported lazily (PEP 562): the replay layer's pytest plugin (`harness.replay.pytest_plugin`)
is imported at every pytest start, and the fakes should only load when a test uses them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.replay.config import ConfigError, ReplayConfig
    from harness.replay.diagnose.catalog import CATALOG, Problem
    from harness.replay.inputs import InputItem, read_inputs
    from harness.replay.model import Delivery, Diagnosis, EventCase, SentRequest
    from harness.replay.runner import Replayer, build_fake

__all__ = [
    "CATALOG",
    "ConfigError",
    "Delivery",
    "Diagnosis",
    "EventCase",
    "InputItem",
    "Problem",
    "ReplayConfig",
    "Replayer",
    "SentRequest",
    "build_fake",
    "read_inputs",
]

_HOMES = {
    "CATALOG": "diagnose.catalog",
    "ConfigError": "config",
    "Delivery": "model",
    "Diagnosis": "model",
    "EventCase": "model",
    "InputItem": "inputs",
    "Problem": "diagnose.catalog",
    "ReplayConfig": "config",
    "Replayer": "runner",
    "SentRequest": "model",
    "build_fake": "runner",
    "read_inputs": "inputs",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"harness.replay.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'harness.replay' has no attribute {name!r}")
