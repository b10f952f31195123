"""Golden tests: for every case generated with Segment's published code, the harness says the same.

The expected outputs come from `../shared/oracle` (see fixtures/golden/regenerate.py); these tests
need no Node. Compared: the whole output object, requests (method, path, headers, body), errors,
multistatus, subscription results and saved cohort state, ignoring only each request's `url` and
the value of the cohorts `partner_api_key` (a Segment secret). A second test checks the CLI's
serialization byte for byte against what the runner printed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.js import js_json_dumps
from harness.resources import fixtures_dir
from harness.translate import run_case

GOLDEN = fixtures_dir() / "golden"


def _load() -> list[tuple[str, dict[str, Any], str]]:
    out = []
    for case_file in sorted((GOLDEN / "cases").glob("*.json")):
        cases = json.loads(case_file.read_text(encoding="utf-8"))
        expected_file = GOLDEN / "expected" / f"{case_file.stem}.jsonl"
        lines = [line for line in expected_file.read_text(encoding="utf-8").split("\n") if line]
        assert len(lines) == len(cases), f"{expected_file.name} is stale; run fixtures/golden/regenerate.py"
        out.extend(
            (f"{case_file.stem}[{i}]", case, line) for i, (case, line) in enumerate(zip(cases, lines, strict=True))
        )
    return out


CASES = _load()


def _comparable(output: dict[str, Any]) -> dict[str, Any]:
    output = json.loads(json.dumps(output))
    for request in output.get("requests", []):
        request.pop("url", None)
        body = request.get("body")
        if isinstance(body, dict) and "partner_api_key" in body:
            body["partner_api_key"] = "<partner key>"
    return output


def test_the_golden_set_is_large_and_covers_every_action() -> None:
    assert len(CASES) >= 150
    actions = {json.loads(line)["action"] for _, _, line in CASES if "action" in json.loads(line)}
    assert {
        "updateUserProfile",
        "updateUserProfile2",
        "trackEvent",
        "trackEvent2",
        "trackPurchase",
        "trackPurchase2",
        "identifyUser",
        "identifyUser2",
        "createAlias",
        "createAlias2",
        "ecommerce",
        "ecommerceSingleProduct",
        "upsertCatalogItem",
        "triggerCampaign",
        "triggerCanvas",
        "syncAudiences",
    } <= actions


@pytest.mark.parametrize(
    ("action", "least"), [("upsertCatalogItem", 60), ("triggerCampaign", 45), ("triggerCanvas", 35)]
)
def test_the_newer_actions_have_a_corpus_of_their_own(action: str, least: int) -> None:
    assert sum(1 for _, case, _ in CASES if case.get("action") == action) >= least


@pytest.mark.parametrize(("case_id", "case", "expected"), CASES, ids=[c[0] for c in CASES])
def test_harness_output_equals_segments(case_id: str, case: dict[str, Any], expected: str) -> None:
    index = int(case_id.rsplit("[", 1)[1].rstrip("]"))
    assert _comparable(run_case(case, index)) == _comparable(json.loads(expected))


def test_serialization_is_byte_identical_to_the_runner() -> None:
    different = []
    for case_id, case, expected in CASES:
        index = int(case_id.rsplit("[", 1)[1].rstrip("]"))
        if js_json_dumps(run_case(case, index)) != expected:
            different.append(case_id)
    assert different == []


def test_fixture_paths_resolve() -> None:
    assert isinstance(GOLDEN, Path) and (GOLDEN / "regenerate.py").is_file()
