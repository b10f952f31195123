"""Replay Segment debugger events offline: what Segment would send to Braze, what Braze answers, why.

Read events (`read_inputs`: one object, an array, JSON Lines), replay them in Segment's batches into a
fake Braze that models the user's workspace (`Replayer`), and get one diagnosed `EventCase` per event;
render them for a terminal or as JSON (`contracts/replay/report-event.json`).
"""

from __future__ import annotations

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
