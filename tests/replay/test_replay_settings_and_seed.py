"""Settings from a file, flags and the environment; the workspace model; seeding existing Braze users."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.replay import ConfigError, ReplayConfig

from .support import SEGMENT, SETTINGS, codes, replay, replay_json

IDENTIFY = json.dumps(
    {
        "type": "identify",
        "userId": "user-1042",
        "traits": {"plan": "team"},
        "messageId": "api-1",
        "timestamp": "2024-03-01T10:00:00Z",
        "receivedAt": "2024-03-01T10:00:00Z",
    }
)


def sent(report: dict[str, Any]) -> dict[str, Any]:
    request: dict[str, Any] = report["deliveries"][0]["requests"][0]
    return request


def test_flags_beat_the_environment_which_beats_the_file(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"api_key": "file-key-0001", "endpoint": "EU-01", "app_id": "file-app"}))
    _, [from_file] = replay_json("-", "--settings", str(settings), input=IDENTIFY)
    assert sent(from_file)["url"] == "https://rest.fra-01.braze.eu/users/track"
    assert sent(from_file)["headers"]["authorization"] == "Bearer ****0001"
    env = {"BRAZE_API_KEY": "env-key-0002", "BRAZE_REST_ENDPOINT": "https://rest.iad-03.braze.com"}
    _, [from_env] = replay_json("-", "--settings", str(settings), input=IDENTIFY, env=env)
    assert sent(from_env)["url"] == "https://rest.iad-03.braze.com/users/track"
    assert sent(from_env)["headers"]["authorization"] == "Bearer ****0002"
    _, [from_flags] = replay_json(
        "-", "--settings", str(settings), "--api-key", "flag-key-0003", "--endpoint", "AU-01", input=IDENTIFY, env=env
    )
    assert sent(from_flags)["url"] == "https://rest.au-01.braze.com/users/track"
    assert sent(from_flags)["headers"]["authorization"] == "Bearer ****0003"


def test_app_id_reaches_event_objects() -> None:
    track = json.loads(IDENTIFY) | {"type": "track", "event": "E"}
    _, [report] = replay_json("-", "--app-id", "my-app", input=json.dumps(track))
    assert report["deliveries"][0]["objects"][0]["app_id"] == "my-app"


def test_workspace_model_from_the_environment() -> None:
    env = {"BRAZE_WORKSPACE_INSTANCE": "EU-02", "BRAZE_API_KEY": "k-123456789"}
    result, [report] = replay_json("-", input=IDENTIFY, env=env)
    assert result.exit_code == 1 and codes(report) == ["endpoint_instance_mismatch"]


def test_bad_configuration_is_a_usage_error(tmp_path: Path) -> None:
    unknown = tmp_path / "settings.json"
    unknown.write_text(json.dumps({"apiKey": "x"}))
    result = replay("-", "--settings", str(unknown), input=IDENTIFY)
    assert result.exit_code == 2 and "unknown settings apiKey" in result.stderr
    assert replay("-", "--endpoint", "XX-99", input=IDENTIFY).exit_code == 2
    mapping = tmp_path / "mapping.json"
    mapping.write_text("[1]")
    assert replay("-", "--mapping", str(mapping), input=IDENTIFY).exit_code == 2


def test_config_build_keeps_the_implied_workspace_unless_told() -> None:
    config = ReplayConfig.build({"api_key": "k1", "endpoint": "https://rest.fra-02.braze.eu"})
    [workspace] = config.all_workspaces()
    assert (workspace.instance, workspace.api_keys) == ("EU-02", ("k1",))
    assert config.cohorts_settings is None
    told = ReplayConfig.build(
        {"api_key": "k1", "client_secret": "s1"}, workspace_instance="https://rest.iad-05.braze.com"
    )
    assert told.your_workspace.instance == "US-05" and told.your_workspace.data_import_key == "s1"
    assert told.cohorts_settings == {"client_secret": "s1", "endpoint": "https://rest.iad-01.braze.com"}
    with pytest.raises(ConfigError):
        ReplayConfig.build({"workspaces": "nope"})


def test_seed_makes_cohort_and_update_only_checks_reflect_the_real_workspace(tmp_path: Path) -> None:
    seed = SETTINGS / "seed-export.json"
    cohort = SEGMENT / "cohort-unknown-user.json"
    result, [report] = replay_json(cohort, "--client-secret", "dik-1", "--seed", seed)
    assert result.exit_code == 0 and codes(report) == []
    assert report["profile"]["cohorts"] == ["dormant_shopper"]
    assert report["profile"]["custom_attributes"]["plan"] == "pro"  # from the export
    mapping = SETTINGS / "update-only.mapping.json"
    update_only = SEGMENT / "update-only-unknown-user.json"
    result, [report] = replay_json(update_only, "--mapping", mapping, "--seed", seed)
    assert result.exit_code == 0 and codes(report) == []
    password_resets = {e["name"]: e for e in report["profile"]["custom_events"]}["Password Reset"]
    assert password_resets["count"] == 3  # two in the export, one replayed
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"users": [{"nonsense": 1}]}))
    refused = replay(cohort, "--seed", str(bad))
    assert refused.exit_code == 2 and "invalid seed" in refused.stderr
