"""Golden tests: for every case generated with Segment's published code, the harness says the same.

The expected outputs come from `../shared/oracle` (see fixtures/golden/regenerate.py); these tests
need no Node. Compared: the whole output object, requests (method, path, headers, body), errors,
multistatus, subscription results and saved cohort state, ignoring only each request's `url` and
the value of the cohorts `partner_api_key` (a Segment secret). A second test checks the CLI's
serialization byte for byte against what the runner printed.

Two releases are reproduced. 3.497.0 (the default) has its corpus in `cases/` and `expected/`;
3.387.0 runs the same cases plus its own (`3.387.0/cases/`) and its outputs are in
`3.387.0/expected/`. Where a case names an action or preset 3.387.0 does not have, its runner said
`unknown action` / `unknown preset`, and the harness must refuse the case too.
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
CORPORA: dict[str, tuple[list[Path], Path]] = {
    "3.497.0": ([GOLDEN / "cases"], GOLDEN / "expected"),
    "3.387.0": ([GOLDEN / "cases", GOLDEN / "3.387.0" / "cases"], GOLDEN / "3.387.0" / "expected"),
}
Case = tuple[str, str, int, dict[str, Any], str]


def _load() -> list[Case]:
    out: list[Case] = []
    for version, (case_dirs, expected_dir) in CORPORA.items():
        for case_file in [f for folder in case_dirs for f in sorted(folder.glob("*.json"))]:
            cases = json.loads(case_file.read_text(encoding="utf-8"))
            expected_file = expected_dir / f"{case_file.stem}.jsonl"
            lines = [line for line in expected_file.read_text(encoding="utf-8").split("\n") if line]
            assert len(lines) == len(cases), f"{expected_file} is stale; run fixtures/golden/regenerate.py"
            label = case_file.stem if version == "3.497.0" else f"{version}/{case_file.stem}"
            out.extend(
                (version, f"{label}[{i}]", i, case, line)
                for i, (case, line) in enumerate(zip(cases, lines, strict=True))
            )
    return out


CASES = _load()
CURRENT = [c for c in CASES if c[0] == "3.497.0"]


def _run(version: str, case: dict[str, Any], index: int) -> dict[str, Any]:
    return run_case(case if version == "3.497.0" else {**case, "segment_version": version}, index)


def _refused_by_the_release(expected: str) -> bool:
    error = json.loads(expected).get("error") or {}
    return error.get("name") == "OracleError"


def _comparable(output: dict[str, Any]) -> dict[str, Any]:
    output = json.loads(json.dumps(output))
    for request in output.get("requests", []):
        request.pop("url", None)
        body = request.get("body")
        if isinstance(body, dict) and "partner_api_key" in body:
            body["partner_api_key"] = "<partner key>"
    return output


def test_the_golden_set_is_large_and_covers_every_action() -> None:
    assert len(CURRENT) >= 150
    actions = {json.loads(line)["action"] for _, _, _, _, line in CURRENT if "action" in json.loads(line)}
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
    assert sum(1 for _, _, _, case, _ in CURRENT if case.get("action") == action) >= least


def test_the_older_release_has_a_corpus_run_on_its_own_code() -> None:
    older = [c for c in CASES if c[0] == "3.387.0"]
    run_there = [c for c in older if not _refused_by_the_release(c[4])]
    assert len(run_there) >= 400 and sum(1 for c in older if "legacy" in c[1]) >= 50


@pytest.mark.parametrize(("version", "case_id", "index", "case", "expected"), CASES, ids=[c[1] for c in CASES])
def test_harness_output_equals_segments(
    version: str, case_id: str, index: int, case: dict[str, Any], expected: str
) -> None:
    output = _run(version, case, index)
    if _refused_by_the_release(expected):
        assert output["requests"] == [] and output["error"]["name"] == "CaseError"
        assert output["error"]["message"].startswith(("unknown action", "unknown preset"))
        return
    assert _comparable(output) == _comparable(json.loads(expected))


def test_serialization_is_byte_identical_to_the_runner() -> None:
    different = [
        case_id
        for version, case_id, index, case, expected in CASES
        if not _refused_by_the_release(expected) and js_json_dumps(_run(version, case, index)) != expected
    ]
    assert different == []


def test_fixture_paths_resolve() -> None:
    assert isinstance(GOLDEN, Path) and (GOLDEN / "regenerate.py").is_file()
