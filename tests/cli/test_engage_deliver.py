"""`braze-harness engage --deliver`: Engage's output reaches a running fake Braze as Segment sends it."""

from __future__ import annotations

from click.testing import CliRunner

from harness.braze import FakeBraze, LiveServer
from harness.cli import main
from harness.resources import fixtures_dir

ENGAGE = fixtures_dir() / "engage"


def test_deliver_sends_attributes_events_and_cohorts() -> None:
    fake = FakeBraze()
    with LiveServer(fake) as server:
        result = CliRunner().invoke(
            main,
            [
                "engage",
                "--definition",
                str(ENGAGE / "space.json"),
                str(ENGAGE / "events.jsonl"),
                "--until",
                "2024-03-14T00:00:00Z",
                "--deliver",
                server.url,
                "--cohorts",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "0 request(s) refused" in result.output
    assert fake.segment_members(
        {"custom_attribute": "frequent_buyers", "op": "equals", "value": True}
    ).external_ids == ("user-bob",)
    assert fake.user("user-bob").custom_events["Audience Entered"].count >= 1
    assert fake.in_cohort("user-bob", "frequent_buyers")
    assert {c.name for c in fake.cohorts()} >= {"frequent_buyers", "recent_buyers"}


def test_deliver_reports_refusals_with_a_failing_exit_status() -> None:
    with LiveServer(FakeBraze(api_keys=("the-real-key",))) as server:
        result = CliRunner().invoke(
            main,
            [
                "engage",
                "--definition",
                str(ENGAGE / "audience.json"),
                str(ENGAGE / "events.jsonl"),
                "--deliver",
                server.url,
                "--api-key",
                "wrong-key",
            ],
        )
    assert result.exit_code == 1
    assert "POST /users/track 401" in result.output
