"""Replay never cuts a reason: long messages wrap at 120 columns, whole, in both report forms."""

from __future__ import annotations

import json

import click

from .support import SEGMENT, replay


def _lines(output: str) -> list[str]:
    return [click.unstyle(line) for line in output.splitlines()]


def test_the_full_report_keeps_segments_whole_message_wrapped() -> None:
    result = replay(SEGMENT / "invalid-currency.json")
    text = " ".join(line.strip() for line in _lines(result.stdout))
    assert text.count('"ZMW", or "ZWG".') == 1  # Segment's long currency message, whole, once (the delivery)
    assert text.count("...") == 1 and '"USD", ... (169 codes; the delivery error lists them all)' in text
    reasons = [line for line in _lines(result.stdout) if line.startswith(("  ✗", "  →", "      "))]
    assert reasons and all(len(line) <= 120 for line in reasons if "{" not in line)  # JSON bodies stay whole


def test_brief_lines_wrap_instead_of_clipping() -> None:
    result = replay(SEGMENT / "no-user-id.json", "--brief")
    lines = _lines(result.stdout)
    assert "..." not in result.stdout
    assert all(len(line) <= 120 for line in lines)
    fix = " ".join(line.strip() for line in lines if line.startswith("      ")).replace("fix: ", "")
    assert fix.endswith("properties.braze_id.")


def test_a_long_string_in_a_body_is_shown_by_its_start_and_length_and_kept_whole_in_json() -> None:
    blob = "b" * 5000
    event = {
        "type": "track",
        "userId": "u1",
        "event": "Big",
        "messageId": "m1",
        "timestamp": "2024-03-01T10:00:00.000Z",
        "receivedAt": "2024-03-01T10:00:00.200Z",
        "properties": {"blob": blob},
    }
    text = replay("-", input=json.dumps(event)).stdout
    assert blob not in text
    assert '"blob":"' + "b" * 60 + '... (5,000 characters)"' in text
    assert blob in replay("-", "--json", input=json.dumps(event)).stdout
