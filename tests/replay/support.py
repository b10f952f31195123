"""Running `braze-harness replay` in-process (click's CliRunner) on the shipped fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from harness.cli import main
from harness.contracts import contract
from harness.resources import fixtures_dir

__all__ = ["SEGMENT", "SETTINGS", "codes", "replay", "replay_json", "reports"]

SEGMENT = fixtures_dir() / "segment"
SETTINGS = fixtures_dir() / "replay"


def replay(*args: str | Path, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """`braze-harness replay ARGS` in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(main, ["replay", *map(str, args)], input=input, env=env, catch_exceptions=False)


def reports(result: Result) -> list[dict[str, Any]]:
    """The JSON Lines of a `--json` run, each checked against contracts/replay/report-event.json."""
    found = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    for report in found:
        violations = contract("replay/report-event").violations(report)
        assert not violations, [str(v) for v in violations]
    return found


def replay_json(*args: str | Path, **kwargs: Any) -> tuple[Result, list[dict[str, Any]]]:
    result = replay(*args, "--json", **kwargs)
    return result, reports(result)


def codes(report: dict[str, Any]) -> list[str]:
    return [d["code"] for d in report["diagnoses"]]
