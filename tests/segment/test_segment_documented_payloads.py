"""The payloads Segment documents (and Engage events captured in Segment's own tests) against the contracts.

Each fixture item says where it comes from and which violations, if any, it must give: the docs' own
placeholders (an audience's `computation_key` written `aud_###`) are reported, and the same payloads
with the placeholders filled in are valid. Nothing else a documented payload carries (`"sentAt": null`,
no `integrations`, `integrations: {}`, `context.__segment_internal`) is a violation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.resources import fixtures_dir
from harness.segment import validate_event

FOLDER = fixtures_dir() / "segment" / "documented"
ITEMS = [item for path in sorted(FOLDER.glob("*.json")) for item in json.loads(path.read_text(encoding="utf-8"))]


def test_the_documented_payloads_are_all_here() -> None:
    names = {item["name"] for item in ITEMS}
    assert len(ITEMS) >= 15 and all(item["source"] for item in ITEMS)
    assert {"Engage computed trait as an identify", "Engage computed trait as a track (Trait Computed)"} <= names
    assert any(item["event"].get("sentAt", "") is None for item in ITEMS)


@pytest.mark.parametrize("item", ITEMS, ids=[item["name"] for item in ITEMS])
def test_documented_payloads_give_exactly_their_expected_violations(item: dict[str, Any]) -> None:
    assert [str(v) for v in validate_event(item["event"])] == item["expected_violations"]


def test_validate_accepts_an_engage_event_with_sent_at_null(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from harness.cli import main

    lines = [json.dumps(item["event"]) for item in ITEMS if item["source"].startswith("issue 15")]
    events = tmp_path / "engage.jsonl"
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(events)])
    assert result.exit_code == 0, result.output
