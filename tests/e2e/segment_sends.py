"""What Segment sends to Braze for a case, and delivering it to a fake Braze.

`segment_sends(key)` asks the translation core (`harness.translate.run_case`) and checks its answer against
the requests Segment's real destination code (@segment/action-destinations 3.497.0, run by ../shared/oracle)
made for the same case, recorded with:

    node ../shared/oracle/run.js WORKDIR tests/e2e/dormant_shopper_cases.json > tests/e2e/dormant_shopper_requests.jsonl

`case-6`, `case-7`, `case-10`…`case-13` are cases 6, 7, 10-13 of ../shared/oracle/cases-example.json
verbatim (their requests equal expected-example.jsonl); the other cases send the same audience through
Braze Cloud Mode first, because "a user can only be added to a cohort if the user already exists in Braze".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from werkzeug.test import TestResponse

from harness.translate import run_case
from tests.braze.contract_check import CheckedClient

__all__ = ["SegmentRequest", "deliver", "segment_case", "segment_sends"]

_HERE = Path(__file__).parent
CASES = _HERE / "dormant_shopper_cases.json"
RECORDED = _HERE / "dormant_shopper_requests.jsonl"


@dataclass(frozen=True, slots=True)
class SegmentRequest:
    """One HTTP request as Segment sends it (the translate layer's output format)."""

    method: str
    url: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


@cache
def _cases() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    outputs = [json.loads(line) for line in RECORDED.read_text(encoding="utf-8").splitlines() if line]
    assert len(cases) == len(outputs), "re-record dormant_shopper_requests.jsonl (see the module docstring)"
    return {case["key"]: (case, output) for case, output in zip(cases, outputs, strict=True)}


def segment_case(key: str) -> dict[str, Any]:
    """The case (destination, action, event or batch, settings, mapping, state)."""
    return _cases()[key][0]


def segment_sends(key: str) -> list[SegmentRequest]:
    """The requests Segment's Braze destinations send for the case `key` (translated, oracle-checked)."""
    case, recorded = _cases()[key]
    output = run_case(dict(case))
    assert output["error"] is None, output["error"]
    sent = [SegmentRequest(r["method"], r["url"], r["path"], r["headers"], r["body"]) for r in output["requests"]]
    assert [(r.path, r.headers, r.body) for r in sent] == [
        (r["path"], r["headers"], r["body"]) for r in recorded["requests"]
    ], f"harness.translate and Segment's code disagree on {key}"
    return sent


def deliver(client: CheckedClient, key: str) -> list[TestResponse]:
    """Send the case's requests to the fake, to the Braze host Segment addressed; every one must succeed."""
    responses = []
    for sent in segment_sends(key):
        headers = {k: v for k, v in sent.headers.items() if k != "content-type"}
        response = client.open(sent.method, sent.path, json=sent.body, host=sent.host, headers=headers)
        assert 200 <= response.status_code < 300, (key, sent.path, response.get_json())
        responses.append(response)
    return responses
