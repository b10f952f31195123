"""`braze-harness engage`: a definition over an events file, JSON Lines out, clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from harness.cli import main
from harness.cli.engage import run_engage
from harness.resources import fixtures_dir
from harness.segment import validate_event

FOLDER = fixtures_dir() / "engage"
SPACE = str(FOLDER / "space.json")
EVENTS = str(FOLDER / "events.jsonl")


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, ["engage", *args])


def lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines()]


def test_prints_engage_events_as_json_lines() -> None:
    result = invoke("--definition", SPACE, EVENTS, "--until", "2024-03-14T00:00:00Z")
    assert result.exit_code == 0, result.output
    emitted = lines(result.output)
    assert emitted and all(validate_event(e) == [] for e in emitted)
    keys = {e["context"]["personas"]["computation_key"] for e in emitted}
    assert keys == {
        "frequent_buyers",
        "recent_buyers",
        "pro_browsers",
        "total_revenue",
        "last_product_viewed",
    }
    exits = [e for e in emitted if e.get("event") == "Audience Exited"]
    assert {e["userId"] for e in exits} == {"user-ada", "user-bob"}


def test_output_matches_the_python_seam_and_is_reproducible() -> None:
    first = invoke("--definition", SPACE, EVENTS, "--random-seed", "3")
    again = invoke("--definition", SPACE, EVENTS, "--random-seed", "3")
    assert first.output == again.output
    text = Path(SPACE).read_text(encoding="utf-8"), Path(EVENTS).read_text(encoding="utf-8")
    assert lines(first.output) == run_engage(*text, seed=3)
    assert lines(first.output) != lines(invoke("--definition", SPACE, EVENTS, "--random-seed", "4").output)


def test_the_old_seed_flag_still_works_for_one_release_and_says_so_on_stderr() -> None:
    old = invoke("--definition", SPACE, EVENTS, "--seed", "3")
    new = invoke("--definition", SPACE, EVENTS, "--random-seed", "3")
    assert old.exit_code == 0 and old.stdout == new.stdout
    assert "`engage --seed` is deprecated" in old.stderr and new.stderr == ""
    assert "--random-seed" in invoke("--help").output and "--seed " not in invoke("--help").output


def test_clock_and_no_backfill() -> None:
    args = (
        "--definition",
        SPACE,
        EVENTS,
        "--clock",
        "2024-03-04T00:00:00Z",
        "--until",
        "2024-03-14T00:00:00Z",
    )
    with_backfill = lines(invoke(*args).output)
    without = lines(invoke(*args, "--no-backfill").output)
    at_creation = [e for e in with_backfill if e["timestamp"].startswith("2024-03-04T00:00")]
    assert at_creation  # members at creation are sent
    assert not [e for e in without if e["timestamp"].startswith("2024-03-04T00:00")]
    assert without and len(without) < len(with_backfill)


def test_sync_interval(tmp_path: Path) -> None:
    definition = tmp_path / "recent.json"
    definition.write_text(
        json.dumps(
            {
                "type": "audience",
                "key": "recent",
                "condition": {"performed": "Order Completed", "within_days": 7},
            }
        )
    )
    hourly = lines(invoke("--definition", str(definition), EVENTS, "--sync-interval", "1h").output)
    assert hourly[0]["timestamp"] == "2024-03-01T11:00:00.000Z"  # ticks at 10:00, 11:00; Bob ordered at 10:30
    daily = lines(invoke("--definition", str(definition), EVENTS, "--sync-interval", "1d").output)
    assert daily[0]["timestamp"] == "2024-03-02T09:00:00.000Z"


def test_json_array_input(tmp_path: Path) -> None:
    array = tmp_path / "events.json"
    array.write_text(json.dumps([json.loads(line) for line in Path(EVENTS).read_text().splitlines()]))
    assert invoke("--definition", SPACE, str(array)).output == invoke("--definition", SPACE, EVENTS).output


def test_invalid_definition_is_explained(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "audience", "key": "a", "condition": {"performed": "E", "at_least": -1}}))
    result = invoke("--definition", str(bad), EVENTS)
    assert result.exit_code == 1
    assert "invalid definition" in result.output
    assert "$.condition.at_least" in result.output


def test_invalid_event_names_the_line(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(Path(EVENTS).read_text().splitlines()[0] + "\n" + json.dumps({"type": "track", "userId": "u"}))
    result = invoke("--definition", SPACE, str(events))
    assert result.exit_code == 1
    assert "line 2: invalid track event" in result.output
    assert '"event" is a required property' in result.output


def test_bad_options() -> None:
    assert invoke("--definition", SPACE, EVENTS, "--sync-interval", "soon").exit_code == 2
    assert invoke("--definition", SPACE, EVENTS, "--clock", "tomorrow").exit_code == 2


def test_parse_duration() -> None:
    from datetime import timedelta

    import pytest

    from harness.engage import parse_duration

    assert parse_duration("8h") == timedelta(hours=8)
    assert parse_duration("1d12h") == timedelta(days=1, hours=12)
    assert parse_duration("90s") == timedelta(seconds=90)
    assert parse_duration("2") == timedelta(hours=2)
    for bad in ("", "0h", "h", "5x", "3h5"):
        with pytest.raises(ValueError):
            parse_duration(bad)
