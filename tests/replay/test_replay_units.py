"""Replay building blocks: layering, routing (and its memo), device-mode heuristic, object attribution."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from harness.braze import Code, Note
from harness.replay import ReplayConfig
from harness.replay.clientside import BRAZE_CLOUD, destination_enabled, device_mode
from harness.replay.routes import routes_for
from harness.translate import choose_routes
from harness.workspace.attribution import ObjectRange, object_ranges, split_notes

HARNESS = Path(__file__).parents[2] / "harness"


@pytest.mark.parametrize("package", ["segment", "braze", "translate", "engage", "contracts.py", "testing"])
def test_nothing_below_imports_replay_or_cli(package: str) -> None:
    root = HARNESS / package
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not [n for n in names if n.startswith(("harness.replay", "harness.cli"))], path


EVENTS: list[dict[str, Any]] = [
    {"type": "identify", "userId": "u"},
    {"type": "track", "event": "Order Completed", "userId": "u"},
    {"type": "track", "event": "Product Viewed", "userId": "u"},
    {"type": "track", "event": "Audience Entered", "userId": "u"},
    {"type": "track", "userId": "u"},
    {"type": "page", "name": "Home", "userId": "u"},
    {"event": "Order Completed", "userId": "u"},
]


@pytest.mark.parametrize("event", EVENTS)
def test_routes_agree_with_choose_routes_and_the_memo(event: dict[str, Any]) -> None:
    config = ReplayConfig.build(None)
    expected = [(p, a) for p, a in choose_routes(event, "braze")]
    for _ in range(2):  # the second time comes from the memo
        assert [(r.preset, r.action) for r in routes_for(event, config)] == expected


def test_legacy_purchases_cohort_mappings_and_overrides() -> None:
    order = {"type": "track", "event": "Order Completed", "userId": "u"}
    legacy = ReplayConfig.build(None, legacy_purchases=True, mapping={"trackPurchase": {"_update_existing_only": True}})
    [route] = routes_for(order, legacy)
    assert (route.subscription, route.action, route.preset) == ("Order Completed Calls", "trackPurchase", None)
    assert route.mapping_dict == {"_update_existing_only": True}
    entered = {
        "type": "track",
        "event": "Audience Entered",
        "userId": "u",
        "context": {"personas": {"computation_id": "aud_1", "computation_key": "vip"}},
    }
    cohorts = ReplayConfig.build({"client_secret": "s"}, cohort_audience_keys=("vip", "lapsed"))
    routes = routes_for(entered, cohorts)
    assert [(r.destination, r.subscription) for r in routes] == [
        ("braze", "Track Calls"),
        ("braze-cohorts", "Sync Audience (vip)"),
        ("braze-cohorts", "Sync Audience (lapsed)"),
    ]
    assert routes[1].mapping_dict == {"personas_audience_key": "vip"} and routes[1].batch == ("aud_1", "vip")
    implied = routes_for(entered, ReplayConfig.build({"client_secret": "s"}))
    assert implied[1].subscription == "Sync Audience (vip)"


def test_integrations_object() -> None:
    assert destination_enabled({}, "Braze Cohorts")
    assert not destination_enabled({"integrations": {"All": False}}, "Braze Cohorts")
    assert destination_enabled({"integrations": {"All": False, "Braze Cohorts": {"x": 1}}}, "Braze Cohorts")
    assert not destination_enabled({"integrations": {"Braze Cohorts": False}}, "Braze Cohorts")


@pytest.mark.parametrize(
    ("event", "evidence"),
    [
        ({"_metadata": {"bundled": ["Segment.io", "Braze Web Mode (Actions)"]}}, "'Braze Web Mode (Actions)'"),
        ({"context": {"library": {"name": "analytics-ios"}}, "integrations": {"Appboy": False}}, "Appboy is false"),
        (
            {"context": {"library": {"name": "analytics-ios"}}, "integrations": {BRAZE_CLOUD: False}},
            None,
        ),
        ({"context": {"library": {"name": "analytics-ruby"}}, "integrations": {"Braze": False}}, None),
        ({"context": {"library": {"name": "analytics.js"}}}, None),
    ],
)
def test_device_mode_heuristic(event: dict[str, Any], evidence: str | None) -> None:
    found = device_mode(event)
    assert (found is None) == (evidence is None)
    if found is not None and evidence is not None:
        assert evidence in found.evidence


def test_object_ranges_count_one_purchase_per_product() -> None:
    statuses = [
        {"status": 200, "sent": {"products": [{}, {}]}},
        {"status": 400, "errortype": "PAYLOAD_VALIDATION_FAILED"},
        {"status": 200, "sent": {"products": [{}]}},
    ]
    ranges = object_ranges(statuses, {"purchases": [{}, {}, {}]})
    assert ranges == [ObjectRange("purchases", 0, 2), None, ObjectRange("purchases", 2, 3)]
    assert object_ranges(statuses, {"purchases": [{}]}) is None  # does not add up: no attribution
    bad = Note(Code.VALUE_INVALID, "purchases[2]", "bad", "error")
    shared = Note(Code.REQUEST_NO_VALID_DATA, None, "shared", "error")
    note = Note(Code.VALUE_FUTURE_TIME, "purchases[1]", "note")
    general = Note(Code.REQUEST_UNKNOWN_FIELDS, None, "general")
    notes = split_notes([bad, shared, note, general], [])
    errors, warnings, _ = notes.for_range(ObjectRange("purchases", 0, 2))
    assert errors == [shared] and warnings == [general, note]
    errors, warnings, _ = notes.for_range(ObjectRange("purchases", 2, 3))
    assert errors == [shared, bad] and warnings == [general]
