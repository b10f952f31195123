"""The fake Segment's bodies meet their contracts: Tracking API requests and answers, debugger records, the
workspace file (a workspace's JSON view reads back as the same workspace)."""

from __future__ import annotations

import json
from pathlib import Path

from segment.analytics import Client

from harness.braze import Fault
from harness.contracts import contract
from harness.testing.segment_mock import SegmentMock
from harness.workspace import load_workspace, workspace_from_json
from tests.workspace.support import fakes, identify, track

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "segment" / "workspace.json"


def test_answers_and_debugger_records_meet_their_contracts() -> None:
    segment, braze = fakes(load_workspace(FIXTURE))
    braze.faults.add(Fault.error(503, times=1))
    replies = [
        segment.send("/v1/batch", {"batch": [identify(), track(), {"type": "track"}]}, write_key="wk_python_backend"),
        segment.send("/v1/track", track(), write_key="unknown"),
        segment.send("/v1/track", raw=b"{", write_key="wk_python_backend"),
        segment.send("/v1/track", track()),
        segment.send("/v1/nope", {}, write_key="wk"),
    ]
    answers = contract("segment/tracking-api.response")
    assert [answers.check(r.body) for r in replies] == [[]] * len(replies)
    records = contract("segment/debugger-record")
    dumped = [json.loads(json.dumps(r.to_json())) for r in segment.events()]
    assert len(dumped) == 4 and [records.check(r) for r in dumped] == [[]] * 4
    assert any(d["requests"] and d["requests"][0]["retries"] for r in dumped for d in r["deliveries"])


def test_what_segment_analytics_python_sends_meets_the_request_contract(fake_segment: SegmentMock) -> None:
    client = Client("wk", sync_mode=True)
    client.identify("u1", {"plan": "pro"})
    client.page("u1", name="Home")
    client.group("u1", "g1", {"name": "Acme"})
    client.alias("anon-1", "u1")
    requests = contract("segment/tracking-api.request")
    assert [requests.check(e.body) for e in fake_segment.requests] == [[]] * 4


def test_the_workspace_json_view_reads_back_as_the_same_workspace() -> None:
    workspace = load_workspace(FIXTURE)
    again = workspace_from_json(json.loads(json.dumps(workspace.to_json(redact=False))))
    assert again.to_json() == workspace.to_json()
    assert contract("segment/workspace").check(json.loads(FIXTURE.read_text())) == []
