"""Reusing one fake per worker must not let a test see another's state: not in order, not shuffled, not
under xdist. Each test below changes a different part of the fake, then the next one must find it
exactly as a newly built fake is."""

from __future__ import annotations

import pytest

# Imported out here so they survive pytester's in-process runs (it restores sys.modules after each): the
# per-process cache of fakes must not outlive the modules its fakes were built with.
import harness.braze
import harness.testing.fakes
import harness.testing.mock
import harness.testing.net.activation  # noqa: F401

pytest_plugins = ["pytester"]

SHUFFLE = """
import random

def pytest_addoption(parser):
    parser.addoption("--shuffle-seed", type=int, default=None)

def pytest_collection_modifyitems(config, items):
    seed = config.getoption("--shuffle-seed")
    if seed is not None:
        random.Random(seed).shuffle(items)
"""

MUTATORS = '''
import httpx, pytest
from harness.braze import FakeBraze, Fault
from harness.clock import FixedClock

CLOCK = FixedClock("2024-06-01T00:00:00Z")  # one window for the rate limit, whenever the test runs
pytestmark = pytest.mark.braze(rate_limits={"users.track": "2/60"}, data_import_keys=["dik"], clock=CLOCK)
HTTP = httpx.Client()  # one client (building one loads the CA bundle, ~20 ms)
EVENT = {"external_id": "u0", "name": "Signed Up", "time": "2024-05-01T10:00:00Z"}
PARTNER = {"partner_api_key": "p", "client_secret": "dik"}


def observe(fake):
    return {
        "state": fake.state(),
        "segments": fake.saved_segments(),
        "data_import_key": fake.data_import_key(),
        "cohorts": [c.to_json() for c in fake.cohorts()],
        "faults": fake.faults.rules(),
        "journal": len(fake.journal),
    }


PRISTINE = {}


def pristine(config):
    """What a newly built fake shows, and the braze_id it gives the first user (built once)."""
    if not PRISTINE:
        fresh = FakeBraze(config)
        PRISTINE["observed"] = observe(fresh)
        fresh.call("/users/track", {"events": [EVENT]}, api_key="k")
        PRISTINE["braze_id"] = fresh.user("u0").braze_id
    return PRISTINE


@pytest.fixture(autouse=True)
def starts_pristine(fake_braze):
    expected = pristine(fake_braze.config)
    assert observe(fake_braze.fake) == expected["observed"]
    response = HTTP.post(f"{fake_braze.base_url}/users/track", json={"events": [EVENT]}, headers=fake_braze.headers)
    assert response.status_code == 201
    assert response.headers["x-harness-request-id"] == "1"
    assert response.headers["x-ratelimit-remaining"] == "1"  # a fresh rate-limit window
    assert fake_braze.user("u0").braze_id == expected["braze_id"]  # ids restart too


def post(fake_braze, path, body, **kwargs):
    return HTTP.post(f"{fake_braze.base_url}{path}", json=body, headers=fake_braze.headers, **kwargs)


@pytest.mark.parametrize("n", range(3))
def test_profiles(fake_braze, n):
    post(fake_braze, "/users/track", {"attributes": [{"external_id": f"u{i}", "plan": n} for i in range(1, 9)]})
    assert len(fake_braze.external_ids()) == 9


@pytest.mark.parametrize("n", range(3))
def test_cohorts(fake_braze, n):
    cohort = {**PARTNER, "cohort_id": f"c{n}", "name": "vip", "created_at": "2024-03-01T12:00:00Z"}
    assert post(fake_braze, "/partners/segment/cohorts", cohort).status_code == 201
    changes = {**PARTNER, "cohort_id": f"c{n}", "cohort_changes": [{"user_ids": ["u0"]}]}
    assert post(fake_braze, "/partners/segment/cohorts/users", changes).status_code == 201
    assert fake_braze.in_cohort("u0", "vip")


@pytest.mark.parametrize("n", range(3))
def test_saved_segments_and_keys(fake_braze, n):
    base = fake_braze.base_url
    definition = {"custom_attribute": "plan", "op": "exists"}
    assert HTTP.put(f"{base}/_harness/segments/s{n}", json=definition).status_code == 200
    assert HTTP.post(f"{base}/_harness/data-import-keys/regenerate").status_code == 200
    assert fake_braze.fake.data_import_key() != "dik"


@pytest.mark.parametrize("n", range(3))
def test_faults_armed_mid_test(fake_braze, n):
    fake_braze.faults.add(Fault.error(500))
    fake_braze.faults.add(Fault.drop(times=5))
    assert post(fake_braze, "/users/track", {"events": [EVENT]}).status_code == 500


@pytest.mark.parametrize("n", range(3))
def test_rate_limit_used_up(fake_braze, n):
    assert post(fake_braze, "/users/track", {"events": [EVENT]}).status_code == 201
    assert post(fake_braze, "/users/track", {"events": [EVENT]}).status_code == 429


@pytest.mark.parametrize("n", range(3))
def test_over_the_live_server(braze_server, n):
    response = HTTP.post(f"{braze_server.url}/users/track", json={"events": [EVENT]}, headers=braze_server.headers)
    assert response.status_code == 201
    assert braze_server.user("u0").custom_events["Signed Up"].count == 2


@pytest.mark.parametrize("n", range(3))
def test_a_request_still_running_when_the_test_ends(fake_braze, n):
    fake_braze.faults.add(Fault.latency(0.2))
    with pytest.raises(httpx.ReadTimeout):
        post(fake_braze, "/users/track", {"events": [EVENT]}, timeout=0.02)
'''


@pytest.fixture
def mutators(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(SHUFFLE)
    pytester.makepyfile(test_mutators=MUTATORS)
    return pytester


@pytest.mark.parametrize("seed", [1])
def test_no_state_leaks_between_tests_in_any_order(mutators: pytest.Pytester, seed: int) -> None:
    mutators.runpytest("--shuffle-seed", str(seed), "-p", "no:randomly").assert_outcomes(passed=21)


def test_no_state_leaks_under_xdist(mutators: pytest.Pytester) -> None:
    result = mutators.runpytest_subprocess("-n", "2", "--shuffle-seed", "4", "-p", "no:hypothesispytest")
    result.assert_outcomes(passed=21)
