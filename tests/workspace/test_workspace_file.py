"""The workspace as data: the file and its contract, the defaults a new install gets, every problem named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.engage import Destination
from harness.workspace import (
    BRAZE_CLOUD,
    BRAZE_COHORTS,
    WorkspaceError,
    default_workspace,
    load_workspace,
    workspace_from_json,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "segment" / "workspace.json"


def test_the_default_workspace_is_a_new_install_of_both_braze_destinations() -> None:
    workspace = default_workspace()
    assert workspace.sources == ()  # any write key
    assert workspace.source_for("anything") is not None
    cloud, cohorts = workspace.destinations
    assert (cloud.name, cloud.kind, cohorts.name, cohorts.kind) == (
        BRAZE_CLOUD,
        "braze",
        BRAZE_COHORTS,
        "braze-cohorts",
    )
    assert [m.name for m in cloud.mappings] == [
        "Track Calls",
        "Order Placed (beta)",
        "Checkout Started (beta)",
        "Order Refunded (beta)",
        "Order Cancelled (beta)",
        "Product Viewed (beta)",
        "Identify Calls",
    ]
    [sync] = cohorts.mappings
    assert (sync.name, sync.action, sync.trigger) == (
        "Sync Audience",
        "syncAudiences",
        'event = "Audience Entered" or event = "Audience Exited"',
    )
    assert workspace_from_json({}).destinations[0].mappings[0].name == "Track Calls"  # the file's default too


def test_the_fixture_workspace_loads_with_its_engage_space_connected_to_both_destinations() -> None:
    workspace = load_workspace(FIXTURE)
    assert [s.name for s in workspace.sources] == ["Python backend", "Node checkout"]
    assert workspace.source_for("wk_python_backend") is not None and workspace.source_for("other") is None
    cloud = workspace.destination(BRAZE_CLOUD)
    assert [(m.name, m.action) for m in cloud.mappings] == [
        ("Identify Calls", "updateUserProfile"),
        ("Track Calls", "trackEvent"),
        ("Order Completed Calls", "trackPurchase"),
    ]
    assert cloud.mappings[1].trigger.startswith('type = "track" and event != "Order Completed"')  # the preset's
    assert workspace.engage is not None
    [audience] = workspace.engage.definitions
    assert audience.destinations == (
        Destination(BRAZE_CLOUD),
        Destination(BRAZE_COHORTS, send_identify=False, send_track=True),
    )
    assert json.loads(json.dumps(workspace.to_json()))["destinations"][0]["settings"] == {"app_id": "acme-app"}


def test_connections_a_definition_names_are_kept(tmp_path: Path) -> None:
    space = {"type": "audience", "key": "vip", "condition": {"trait": "plan", "equals": "pro"}}
    space["destinations"] = [{"name": BRAZE_CLOUD, "send_identify": False, "send_track": True}]
    (tmp_path / "space.json").write_text(json.dumps(space))
    (tmp_path / "ws.json").write_text(json.dumps({"engage": "space.json"}))
    workspace = load_workspace(tmp_path / "ws.json")
    assert workspace.engage is not None
    assert workspace.engage.definitions[0].destinations == (Destination(BRAZE_CLOUD, False, True),)


def test_settings_secrets_are_redacted_in_the_json_view() -> None:
    workspace = workspace_from_json({"destinations": [{"type": "braze", "settings": {"api_key": "secret-key-1234"}}]})
    assert workspace.to_json()["destinations"][0]["settings"]["api_key"] == "****1234"


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        ({"sources": [{"name": "s"}]}, "$.sources[0]", "'write_key' is a required property"),
        ({"destinations": [{"type": "klaviyo"}]}, "$.destinations[0].type", "klaviyo"),
        ({"destinations": [{"type": "braze", "mappings": [{"action": "nope"}]}]}, ".action", "no action 'nope'"),
        ({"destinations": [{"type": "braze", "mappings": [{"preset": "Nope"}]}]}, ".preset", "no preset 'Nope'"),
        (
            {"destinations": [{"type": "braze", "mappings": [{"action": "trackEvent", "trigger": "((("}]}]},
            ".trigger",
            "not FQL",
        ),
        (
            {"destinations": [{"type": "braze", "mappings": [{"preset": "Track Calls", "action": "trackPurchase"}]}]},
            ".action",
            "runs trackEvent",
        ),
        ({"destinations": [{"type": "braze", "settings": {"endpoint": "https://x"}}]}, ".settings", "REST Endpoint"),
        ({"destinations": [{"type": "braze", "sources": ["Web"]}]}, ".sources", "no source named 'Web'"),
        ({"destinations": [{"type": "braze"}, {"type": "braze"}]}, "$.destinations", "used twice"),
        ({"engage": {"type": "audience"}}, "$.engage", "required"),
        ({"delivery": {"max_attempts": 0}}, "$.delivery.max_attempts", "minimum"),
    ],
)
def test_every_problem_is_named_with_its_path(data: dict[str, Any], path: str, words: str) -> None:
    with pytest.raises(WorkspaceError) as caught:
        workspace_from_json(data)
    assert any(path in v.path and words in v.reason for v in caught.value.violations), caught.value.violations


def test_a_file_that_is_not_json_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "ws.json"
    bad.write_text("{")
    with pytest.raises(WorkspaceError, match=r"ws\.json: \$: not JSON"):
        load_workspace(bad)
