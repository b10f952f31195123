"""The `fake_segment` fixture: Segment's hosts routed in-process for httpx and requests, marker options,
the workspace override, and assertions that say what happened."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
import requests

from harness.testing.segment_mock import SegmentMock

pytest_plugins = ["pytester"]


def test_both_segment_hosts_are_routed_for_httpx_and_requests(fake_segment: SegmentMock) -> None:
    body = {"userId": "u1", "event": "Signed Up", "writeKey": "wk"}
    assert httpx.post("https://api.segment.io/v1/track", json=body).json() == {"success": True}
    assert requests.post("https://events.eu1.segmentapis.com/v1/track", json=body, timeout=5).status_code == 200
    assert fake_segment.braze.user("u1").custom_events["Signed Up"].count == 2
    assert [e.host for e in fake_segment.requests] == ["api.segment.io", "events.eu1.segmentapis.com"]


@pytest.mark.segment(delivery="flush")
def test_delivery_flush_holds_events_until_fake_segment_flush(fake_segment: SegmentMock) -> None:
    httpx.post("https://api.segment.io/v1/identify", json={"userId": "u1", "traits": {"a": 1}}, auth=("wk", ""))
    assert not fake_segment.braze.has_user("u1")
    assert fake_segment.flush() == 1
    assert fake_segment.braze.user("u1").custom_attributes == {"a": 1}


@pytest.mark.braze(instance="EU-01", api_keys=["eu-key"])
def test_the_braze_destination_points_at_the_tests_fake_braze(fake_segment: SegmentMock) -> None:
    httpx.post("https://api.segment.io/v1/track", json={"userId": "u1", "event": "E"}, auth=("wk", ""))
    [entry] = fake_segment.braze.requests
    assert (entry.host, entry.status, entry.headers["authorization"]) == ("rest.fra-01.braze.eu", 201, "Bearer ****")


def test_assertions_list_what_the_fake_segment_received(fake_segment: SegmentMock) -> None:
    httpx.post("https://api.segment.io/v1/track", json={"event": "Anonymous"}, auth=("wk", ""))
    with pytest.raises(AssertionError, match=r"(?s)expected a delivery of 'Anonymous'.*no_user_anon_id"):
        fake_segment.assert_delivered("Anonymous")
    fake_segment.assert_received("Anonymous", count=1)
    fake_segment.assert_dropped("no_user_anon_id", name="Anonymous")
    with pytest.raises(AssertionError, match="1 event"):
        fake_segment.assert_no_failures()


def test_marker_and_workspace_fixture_options(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from harness.workspace import workspace_from_json

        @pytest.fixture
        def segment_workspace():
            return workspace_from_json({"sources": [{"name": "Backend", "write_key": "wk-suite"}]})
        """
    )
    pytester.makepyfile(
        """
        import httpx
        import pytest

        def test_the_suite_workspace(fake_segment):
            assert fake_segment.write_key == "wk-suite"
            httpx.post("https://api.segment.io/v1/track", json={"userId": "u", "event": "E"}, auth=("wk-suite", ""))
            fake_segment.assert_delivered("E", user_id="u")

        @pytest.mark.segment(write_keys=["wk-marker"])
        def test_the_marker_wins(fake_segment):
            httpx.post("https://api.segment.io/v1/track", json={"userId": "u", "event": "E"}, auth=("wk-suite", ""))
            fake_segment.assert_dropped("unknown_source")

        @pytest.mark.segment(delivery="later")
        def test_a_bad_option(fake_segment):
            pass
        """
    )
    result = pytester.runpytest("--strict-markers")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.segment: delivery is 'request' or 'flush', not 'later'*"])


def test_the_replay_layers_plugin_costs_nothing_at_pytest_start() -> None:
    """`braze_harness_replay` (the `segment_diagnose` fixture) is loaded by every pytest run."""
    from tests.testing.test_plugin_layering import loaded_modules

    loaded = loaded_modules("import harness.replay.pytest_plugin")
    assert [m for m in loaded if m.startswith(("harness", "flask", "jsonschema"))] == [
        "harness",
        "harness.replay",
        "harness.replay.pytest_plugin",
    ]


def test_the_readme_tour_from_analytics_identify_to_a_braze_segment_passes(pytester: pytest.Pytester) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "fake_segment" in b]
    pytester.makepyfile(test_tour=block)
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1)
