"""Hypothesis: `fake_braze_factory` gives each example a fresh fake, with no health check to suppress."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import harness.testing.factory
import harness.testing.fakes  # noqa: F401 - kept across pytester's in-process runs (see test_plugin_isolation)

pytest_plugins = ["pytester"]

README_HYPOTHESIS_EXAMPLE = """
import httpx
from hypothesis import given

from harness.testing.strategies.braze import track_bodies

braze = httpx.Client(base_url="https://rest.iad-01.braze.com")


@given(body=track_bodies())
def test_every_valid_track_body_is_accepted_whole(fake_braze_factory, body):
    with fake_braze_factory() as fake_braze:  # a fresh fake for each example
        response = braze.post("/users/track", json=body, headers=fake_braze.headers)
        assert response.status_code == 201
        fake_braze.assert_all_accepted()
        assert len(fake_braze.requests) == 1  # nothing left over from earlier examples
"""
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_readme_shows_this_example() -> None:
    blocks = [b.strip() for b in re.findall(r"```python\n(.*?)```", README, flags=re.S)]
    assert README_HYPOTHESIS_EXAMPLE.strip() in blocks


def test_the_readme_example_passes_with_every_health_check_on(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_readme_hypothesis=README_HYPOTHESIS_EXAMPLE)
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)


def test_a_function_scoped_fake_braze_is_what_the_health_check_refuses(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_wrong="""
        from hypothesis import given, strategies as st

        @given(n=st.integers())
        def test_shared_fake(fake_braze, n):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*function-scoped fixture 'fake_braze'*"])


def test_the_factory_takes_marker_options_and_checks_each_block(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_factory="""
        import httpx, pytest
        from hypothesis import given, settings, strategies as st
        from harness.braze import Fault
        from harness.testing import EgressBlocked

        EVENT = {"external_id": "u1", "name": "Signed Up", "time": "2024-05-01T10:00:00Z"}

        @settings(max_examples=10)
        @given(n=st.integers(1, 3))
        def test_options_per_block(fake_braze_factory, n):
            with fake_braze_factory(instance="EU-01", faults=[Fault.error(503, times=n)]) as fake_braze:
                codes = [httpx.post(f"{fake_braze.base_url}/users/track", json={"events": [EVENT]},
                                    headers=fake_braze.headers).status_code for _ in range(n + 1)]
                assert codes == [503] * n + [201]
                other = httpx.post("https://rest.iad-01.braze.com/users/track", json={"events": [EVENT]},
                                   headers=fake_braze.headers)
                assert other.status_code == 401  # instance= alone: another instance's host refuses the key

        def test_expected_refusal_in_a_block(fake_braze_factory):
            with fake_braze_factory() as fake_braze:
                with pytest.raises(EgressBlocked):
                    httpx.get("https://example.com/")

        def swallow():
            try:
                httpx.get("https://example.com/")
            except Exception:
                pass

        def test_swallowed_refusal_fails_the_block(fake_braze_factory):
            with pytest.raises(AssertionError, match="blocked connection.s. to example.com"):
                with fake_braze_factory():
                    swallow()

        def test_bad_options_say_so(fake_braze_factory):
            with pytest.raises(ValueError, match="unknown option.s. instnce"):
                fake_braze_factory(instnce="EU-01")

        def test_two_blocks_at_once_get_two_fakes(fake_braze_factory):
            with fake_braze_factory() as outer, fake_braze_factory() as inner:
                assert outer.fake is not inner.fake
                httpx.post(f"{inner.base_url}/users/track", json={"events": [EVENT]}, headers=inner.headers)
            assert (len(outer.requests), len(inner.requests)) == (0, 1)
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=5)
