"""`braze-harness demo`: the mission in one screen, on built-in data (no account, no configuration).

Ten Segment events (`fixtures/segment/demo.jsonl`) go through Segment's Braze destinations into an
offline Braze: an identify becomes attributes, a track a custom event whose count grows, Order
Completed an ecommerce event, an Engage audience arrives the three ways Braze's Segment page lists
(attribute, Audience Entered event, cohort), and three events show diagnosed problems. Each event is
sent alone (batch size 1) so every line shows the profile right after it; `replay` batches 75 as
production does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from harness.braze import Identifier
from harness.replay.config import ReplayConfig
from harness.replay.inputs import read_inputs
from harness.replay.loading import load_engage, load_segments
from harness.replay.render.brief import brief_lines
from harness.replay.runner import Replayer
from harness.replay.summary import Summary
from harness.resources import fixtures_dir

__all__ = ["DEMO_USER", "demo_config", "demo_events", "run_demo"]

DEMO_USER = "user-ada"


def demo_events() -> Path:
    return fixtures_dir() / "segment" / "demo.jsonl"


def demo_config(settings: dict[str, Any] | None = None, **options: Any) -> ReplayConfig:
    """Built-in settings: the reference runner's test keys, Braze Cohorts connected, demo segments. `settings`
    and `options` (a workspace's, `harness.replay.workspace.workspace_options`) replace them."""
    if settings is None:
        settings = {"client_secret": "demo-data-import-key"}
    options.setdefault("engage", load_engage(fixtures_dir() / "engage" / "audience.json"))
    options.setdefault("segments", load_segments(fixtures_dir() / "replay" / "demo-segments.json"))
    return ReplayConfig.build(settings, **{**options, "batch_size": 1})


def run_demo(echo: Callable[[str], None], config: ReplayConfig | None = None) -> Summary:
    """Replay the demo events, print the story, return the summary (the caller exits 0: it is a demo)."""
    config = config or demo_config()
    replayer = Replayer(config)
    summary = Summary()
    workspace = config.your_workspace
    echo(f"braze-harness demo: Segment events → Segment's Braze destinations → offline Braze ({workspace.instance})")
    with demo_events().open("rb") as stream:
        for case in replayer.run(read_inputs(stream)):
            summary.add(case)
            for line in brief_lines(case):
                echo(line)
    summary.requests = replayer.context.sender.count
    profile, _ = replayer.context.viewer.view(workspace.name, Identifier("external_id", DEMO_USER))
    for line in _profile_lines(profile):
        echo(line)
    for name, definition in config.segments.items():
        members = replayer.fake.segment_members(definition, workspace=workspace.name)
        echo(f"Braze segment {name!r}: {', '.join(members.external_ids) or 'nobody'}")
    echo(summary.sentence())
    echo("Demo exit status is 0; `braze-harness replay FILE` exits 1 when an event would fail in production.")
    return summary


def _profile_lines(profile: dict[str, Any] | None) -> Iterator[str]:
    if profile is None:
        return
    standard = ", ".join(f"{k} {v}" for k, v in profile["standard"].items())
    custom = ", ".join(f"{k}={json.dumps(v)}" for k, v in profile["custom_attributes"].items())
    events = ", ".join(f"{e['name']} ×{e['count']}" for e in profile["custom_events"])
    yield f"Braze profile {profile['external_id']}: {standard}; custom attributes {custom}"
    yield f"  custom events {events}; Segment cohorts {', '.join(profile['cohorts']) or 'none'}"
