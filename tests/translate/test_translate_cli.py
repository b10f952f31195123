"""`braze-harness translate`: case files, arrays of cases (JSON Lines) and bare events."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from harness.cli import main
from harness.resources import fixtures_dir

EVENT = {"type": "identify", "userId": "u1", "traits": {"plan": "pro"}}


def invoke(*args: str, stdin: str | None = None, status: int = 0) -> str:
    result = CliRunner().invoke(main, ["translate", *args], input=stdin)
    assert result.exit_code == status, result.output
    return result.output


def test_a_case_array_prints_json_lines_identical_to_the_runner() -> None:
    cases = fixtures_dir() / "golden" / "cases" / "aliases.json"
    expected = (fixtures_dir() / "golden" / "expected" / "aliases.jsonl").read_text(encoding="utf-8")
    failing = any(json.loads(line)["error"] is not None for line in expected.splitlines())
    assert invoke(str(cases), status=1 if failing else 0) == expected


def test_any_error_in_the_output_exits_1_after_printing_every_output(tmp_path: Path) -> None:
    good = {"destination": "braze", "action": "updateUserProfile", "event": EVENT}
    bad = {"destination": "braze", "action": "updateUserProfile", "event": {"type": "identify", "traits": {}}}
    case_file = tmp_path / "cases.json"
    case_file.write_text(json.dumps([bad, good]))
    lines = [json.loads(line) for line in invoke(str(case_file), status=1).splitlines()]
    assert [line["case"] for line in lines] == [0, 1]
    assert lines[0]["error"]["name"] == "IntegrationError" and lines[1]["error"] is None
    case_file.write_text(json.dumps([good]))
    invoke(str(case_file), status=0)
    invoke("--event", "-", "--action", "updateUserProfile", stdin=json.dumps({"type": "identify"}), status=1)


def test_the_exit_status_is_documented_in_help() -> None:
    assert "Exit status: 0 when no output has an `error`; 1 when any output has one" in invoke("--help")


def test_a_case_without_action_or_preset_says_what_is_missing_and_what_exists(tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps({"destination": "braze", "event": EVENT}))
    message = json.loads(invoke(str(case_file), status=1))["error"]["message"]
    assert message.startswith('the case names no "action" and no "preset"')
    assert "updateUserProfile" in message and '"Identify Calls"' in message and "None" not in message


def test_a_single_case_object(tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps({"destination": "braze", "action": "updateUserProfile", "event": EVENT}))
    output = json.loads(invoke(str(case_file)))
    assert output["case"] == 0 and output["requests"][0]["body"]["attributes"][0]["plan"] == "pro"


def test_a_bare_event_from_stdin_goes_where_the_presets_send_it() -> None:
    output = json.loads(invoke("--event", "-", stdin=json.dumps(EVENT)))
    assert output["preset"] == "Identify Calls" and output["action"] == "updateUserProfile"


def test_a_bare_event_with_action_settings_and_mapping(tmp_path: Path) -> None:
    (tmp_path / "event.json").write_text(json.dumps(EVENT))
    (tmp_path / "settings.json").write_text(json.dumps({"endpoint": "https://rest.fra-01.braze.eu", "api_key": "k"}))
    (tmp_path / "mapping.json").write_text(json.dumps({"_update_existing_only": True}))
    output = json.loads(
        invoke(
            "--event",
            str(tmp_path / "event.json"),
            "--action",
            "updateUserProfile",
            "--settings",
            str(tmp_path / "settings.json"),
            "--mapping",
            str(tmp_path / "mapping.json"),
        )
    )
    (request,) = output["requests"]
    assert request["url"] == "https://rest.fra-01.braze.eu/users/track"
    assert request["headers"]["authorization"] == "Bearer k"
    assert request["body"]["attributes"][0]["_update_existing_only"] is True


def test_usage_errors() -> None:
    result = CliRunner().invoke(main, ["translate"])
    assert result.exit_code == 2 and "CASE.json or --event" in result.output


def test_segment_version_flag(tmp_path: Path) -> None:
    products = [{"product_id": "p1", "price": 5}]
    event = {"type": "track", "event": "Order Completed", "userId": "u1", "properties": {"products": products}}
    event["receivedAt"] = "2024-03-01T12:00:00Z"
    older = json.loads(invoke("--event", "-", "--segment-version", "3.387.0", stdin=json.dumps(event)))
    assert older["preset"] == "Order Completed Calls"
    refused = json.loads(invoke("--event", "-", "--segment-version", "2.0.0", stdin=json.dumps(event), status=1))
    assert "the supported versions are" in refused["error"]["message"]
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps({"destination": "braze", "action": "ecommerce", "event": event}))
    assert json.loads(invoke(str(case_file), "--segment-version", "3.387.0", status=1))["error"]["name"] == "CaseError"
