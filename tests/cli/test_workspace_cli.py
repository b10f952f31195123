"""`--workspace FILE` on serve, replay and demo: one workspace file, read the same way by the three commands."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from harness.cli import main
from harness.replay.workspace import config_from_workspace
from harness.workspace import load_workspace, workspace_from_json

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = ROOT / "fixtures" / "segment" / "workspace.json"


def test_the_workspace_maps_onto_replays_config() -> None:
    data = json.loads(WORKSPACE.read_text())
    data["destinations"][0]["settings"] = {"api_key": "k-123", "endpoint": "https://rest.fra-01.braze.eu"}
    data["destinations"][0]["mappings"][0]["mapping"] = {"_update_existing_only": True}
    data["destinations"][1]["settings"] = {"client_secret": "dik"}
    config = config_from_workspace(workspace_from_json(data, base=WORKSPACE.parent))
    assert config.braze_settings["api_key"] == "k-123"
    assert config.braze_settings["endpoint"] == "https://rest.fra-01.braze.eu"
    assert config.cohorts_settings is not None and config.cohorts_settings["client_secret"] == "dik"
    assert config.mapping == {"Identify Calls": {"_update_existing_only": True}}
    assert config.legacy_purchases  # Order Completed → Track Purchase
    assert config.engage is not None and [d.key for d in config.engage.definitions] == ["repeat_buyers"]


def test_replay_with_a_workspace_routes_order_completed_to_its_track_purchase_mapping(tmp_path: Path) -> None:
    event = {
        "type": "track",
        "userId": "u1",
        "event": "Order Completed",
        "properties": {"order_id": "o1", "products": [{"product_id": "p1", "price": 5, "currency": "EUR"}]},
        "timestamp": "2024-05-01T12:00:00Z",
        "receivedAt": "2024-05-01T12:00:01Z",
        "messageId": "m1",
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    result = CliRunner().invoke(main, ["replay", str(path), "--workspace", str(WORKSPACE), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))
    assert [(d["subscription"], d["action"]) for d in report["deliveries"]] == [
        ("Order Completed Calls", "trackPurchase")
    ]


def test_replay_refuses_a_mapping_with_a_trigger_of_its_own(tmp_path: Path) -> None:
    custom = {"destinations": [{"type": "braze", "mappings": [{"action": "trackEvent", "trigger": 'event = "X"'}]}]}
    (tmp_path / "ws.json").write_text(json.dumps(custom))
    (tmp_path / "e.json").write_text(json.dumps({"type": "track", "userId": "u1", "event": "X"}))
    result = CliRunner().invoke(main, ["replay", str(tmp_path / "e.json"), "--workspace", str(tmp_path / "ws.json")])
    assert result.exit_code == 2 and "trigger of its own" in result.output and "serve --workspace" in result.output


def test_demo_plays_against_a_workspace() -> None:
    result = CliRunner().invoke(main, ["demo", "--workspace", str(WORKSPACE)])
    assert result.exit_code == 0, result.output
    assert "purchase" in result.output  # the workspace's Track Purchase mapping takes Order Completed


def test_serve_refuses_a_bad_workspace_file_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "ws.json"
    bad.write_text(json.dumps({"destinations": [{"type": "braze", "mappings": [{"preset": "Nope"}]}]}))
    result = CliRunner().invoke(main, ["serve", "--workspace", str(bad)])
    assert result.exit_code == 2 and "no preset 'Nope'" in result.output


def test_the_fixture_workspace_is_what_the_readme_serves() -> None:
    workspace = load_workspace(WORKSPACE)
    assert [s.write_key for s in workspace.sources] == ["wk_python_backend", "wk_node_checkout"]
