"""The plugin as a user meets it: small test files run with pytester, asserting outcomes and messages."""

from __future__ import annotations

import json

import pytest

import harness.testing.assertions
import harness.testing.live
import harness.testing.mock
import harness.testing.options
import harness.testing.routing  # noqa: F401 - imported here so pytester's in-process runs reuse them
from harness.contracts import contract

pytest_plugins = ["pytester"]

# pytester restores sys.modules after each in-process run: modules and compiled contracts loaded out
# here survive, so each small run costs milliseconds instead of re-importing the harness.
for _name in ("braze/users-track.request", "braze/users-export-ids.request"):
    contract(_name)

TRACK = """
import httpx

def track(fake, body, **kwargs):
    return httpx.post(f"{fake.base_url}/users/track", json=body, headers=fake.headers, **kwargs)

def post(base_url, body, key):
    return httpx.post(f"{base_url}/users/track", json=body, headers={"Authorization": f"Bearer {key}"})

EVENT = {"external_id": "u1", "name": "Audience Entered", "time": "2024-05-01T10:00:00Z"}
"""


def expect_in_order(result: pytest.RunResult, *fragments: str) -> None:
    """Each fragment appears in the output, in this order (plain substrings: no glob surprises with `[`)."""
    text = result.stdout.str()
    position = 0
    for fragment in fragments:
        found = text.find(fragment, position)
        assert found >= 0, f"{fragment!r} not found after position {position} in:\n{text}"
        position = found + len(fragment)


@pytest.fixture
def user_tests(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(helpers=TRACK)
    return pytester


README_EXAMPLE = """
import httpx
import pytest


def send_audience_entered(base_url: str, api_key: str, user_id: str) -> None:
    \"\"\"The code under test: what your integration sends to Braze.\"\"\"
    body = {
        "attributes": [{"external_id": user_id, "dormant_shopper": True}],
        "events": [{"external_id": user_id, "name": "Audience Entered", "time": "2024-05-01T10:00:00Z"}],
    }
    headers = {"Authorization": f"Bearer {api_key}"}
    httpx.post(f"{base_url}/users/track", json=body, headers=headers).raise_for_status()


@pytest.mark.braze(instance="EU-01", api_keys=["eu-key"])
def test_audience_entered_lands_on_the_profile(fake_braze):
    send_audience_entered("https://rest.fra-01.braze.eu", "eu-key", "u1")

    user = fake_braze.user("u1")
    assert user.custom_attributes == {"dormant_shopper": True}
    assert user.custom_events["Audience Entered"].count == 1
    fake_braze.assert_tracked("u1", "Audience Entered", count=1)
    fake_braze.assert_request("/users/track", status=201, user="u1", kind="events")
    fake_braze.assert_no_contract_violations()
"""
"""The README's example, verbatim: it must keep passing as written."""


def test_readme_example_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_readme=README_EXAMPLE)
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1)


def test_readme_example_fails_readably_on_the_wrong_instance(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_readme=README_EXAMPLE.replace('instance="EU-01"', 'instance="US-02"'))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    expect_in_order(result, "401 Unauthorized", "rest.fra-01.braze.eu")


def test_journal_and_views_together(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_views="""
        import httpx

        def test_views(fake_braze):
            body = {
                "attributes": [{"external_id": "u1", "plan": "pro", "email": "u1@example.com"}],
                "events": [{"external_id": "u1", "name": "Audience Entered", "time": "2024-05-01T10:00:00Z"}],
            }
            response = httpx.post(f"{fake_braze.base_url}/users/track", json=body, headers=fake_braze.headers)
            assert response.status_code == 201
            user = fake_braze.user("u1")
            assert user.custom_attributes == {"plan": "pro"}
            assert user.email == "u1@example.com"
            assert fake_braze.requests.filter(kind="events").call_count == 1
            assert fake_braze.requests.filter(user="u2") == []
        """
    )
    user_tests.runpytest().assert_outcomes(passed=1)


def test_state_is_fresh_in_every_test(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_fresh="""
        import pytest
        from helpers import EVENT, track

        @pytest.mark.parametrize("run", range(3))
        def test_each_run_starts_empty(fake_braze, run):
            assert fake_braze.requests == []
            assert not fake_braze.has_user("u1")
            assert track(fake_braze, {"events": [EVENT]}).status_code == 201
            assert fake_braze.user("u1").custom_events["Audience Entered"].count == 1
        """
    )
    user_tests.runpytest().assert_outcomes(passed=3)


def test_assert_tracked_failure_shows_closest_requests_and_violations(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_broken_time="""
        from helpers import track

        def test_event_with_bad_time(fake_braze):
            track(fake_braze, {"attributes": [{"external_id": "u2", "plan": "free"}]})
            track(fake_braze, {"events": [{"external_id": "u1", "name": "Audience Entered", "time": "yesterday"}]})
            fake_braze.assert_tracked("u1", "Audience Entered")
        """
    )
    result = user_tests.runpytest()
    result.assert_outcomes(failed=1)
    expect_in_order(
        result,
        "no user with external_id 'u1' in workspace 'default' (users there: 'u2')",
        "Closest requests received (2 of 2):",
        "#2 POST /users/track -> 400 (rest.iad-01.braze.com, US-01)",
        'body: {"events":[{"external_id":"u1","name":"Audience Entered","time":"yesterday"}]}',
        "'time' is not valid",
        "contract violations:",
        "$.events[0].time: 'yesterday' does not match",
        "#1 POST /users/track -> 201",
    )


def test_assert_tracked_count_mismatch_names_counts(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_count="""
        from helpers import EVENT, track

        def test_twice(fake_braze):
            track(fake_braze, {"events": [EVENT, {**EVENT, "name": "Signed Up"}]})
            fake_braze.assert_tracked("u1", "Audience Entered", count=2)
        """
    )
    result = user_tests.runpytest()
    result.assert_outcomes(failed=1)
    expect_in_order(result, "user 'u1' has custom event 'Audience Entered' ×1, expected ×2")


def test_assert_request_failure_lists_near_misses_first(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_near_miss="""
        import httpx
        from helpers import EVENT, track

        def test_expect_201(fake_braze):
            export = f"{fake_braze.base_url}/users/export/ids"
            httpx.post(export, json={"external_ids": ["u9"]}, headers=fake_braze.headers)
            track(fake_braze, {"events": [EVENT]}, params={})
            httpx.post(f"{fake_braze.base_url}/users/track", json={"events": [EVENT]})  # no key: 401
            fake_braze.assert_request("/users/track", status=201, user="u1", count=2)
        """
    )
    result = user_tests.runpytest()
    result.assert_outcomes(failed=1)
    expect_in_order(
        result,
        "expected 2 request(s) matching path='/users/track', status=201, user='u1'; got 1",
        "Closest requests received (3 of 3):",
        "#2 POST /users/track -> 201",
        "#3 POST /users/track -> 401",
        "Invalid API key",
        "#1 POST /users/export/ids",
    )


def test_assert_no_contract_violations_lists_each_violation(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_violations="""
        from helpers import EVENT, track

        def test_partly_invalid(fake_braze):
            body = {"events": [EVENT, {**EVENT, "revenue": 3}], "purchases": [{"external_id": "u1"}]}
            assert track(fake_braze, body).status_code == 201
            fake_braze.assert_no_contract_violations()
        """
    )
    result = user_tests.runpytest()
    result.assert_outcomes(failed=1)
    expect_in_order(
        result,
        "1 request(s) broke their contract:",
        "contract violations:",
        "$.events[1]: unknown field(s): 'revenue'",
        "$.purchases[0]: 'currency' is a required property",
    )


@pytest.mark.parametrize(
    ("call", "client"),
    [
        ("httpx.get('https://api.segment.io/v1/projects')", "httpx"),
        ("requests.get('https://api.segment.io/v1/projects')", "requests"),
        ("urllib.request.urlopen('https://api.segment.io/v1/projects')", "urllib.request"),
        ("asyncio.run(httpx.AsyncClient().get('https://api.segment.io/v1/projects'))", "an async client"),
    ],
)
def test_egress_fails_the_test_naming_the_host(user_tests: pytest.Pytester, call: str, client: str) -> None:
    user_tests.makepyfile(
        test_egress=f"""
        import asyncio, httpx, requests, urllib.request

        def test_calls_segment(fake_braze):
            {call}
        """
    )
    result = user_tests.runpytest()
    result.assert_outcomes(failed=1)
    expect_in_order(
        result,
        "EgressBlocked: braze-harness blocked a connection to api.segment.io:443 (refused at name lookup, via "
        + client,
        "allow_hosts=['api.segment.io']",
    )


SWALLOWING_CLIENT = """
import httpx, requests

class Notifier:
    \"\"\"Code under test that logs and moves on when a webhook fails.\"\"\"
    def notify(self):
        for send in (lambda: requests.post("https://hooks.example.com/x", json={}),
                     lambda: httpx.get("http://metrics.example.org/")):
            try:
                send()
            except Exception:
                pass

class Wrapper:
    \"\"\"Code under test that turns every failure into its own error.\"\"\"
    def notify(self):
        try:
            httpx.get("https://hooks.example.com/x")
        except Exception as exc:
            raise RuntimeError("webhook failed") from exc
"""


def test_a_swallowed_or_wrapped_refusal_still_fails_at_teardown(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_swallow=SWALLOWING_CLIENT
        + """
def test_client_that_logs_and_moves_on(fake_braze):
    Notifier().notify()

def test_client_that_wraps_the_error(fake_braze):
    import pytest
    with pytest.raises(RuntimeError):
        Wrapper().notify()
"""
    )
    result = user_tests.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=2)
    expect_in_order(
        result,
        "ERROR at teardown of test_client_that_logs_and_moves_on",
        "blocked connection(s) to hooks.example.com, metrics.example.org during this test",
        "hooks.example.com:443 (resolve, via requests)",
        "metrics.example.org:80 (resolve, via httpx)",
        "fake_braze.expect_blocked(",
        "ERROR at teardown of test_client_that_wraps_the_error",
        "hooks.example.com:443 (resolve, via httpx)",
    )


def test_a_refusal_the_test_expected_does_not_fail_it(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_expected=SWALLOWING_CLIENT
        + """
import pytest
from harness.testing import EgressBlocked

def test_pytest_raises(fake_braze):
    with pytest.raises(EgressBlocked, match="example.com"):
        httpx.get("https://example.com/")
    assert [b.host for b in fake_braze.blocked] == ["example.com"]

def test_pytest_raises_call_form(fake_braze):
    pytest.raises(EgressBlocked, requests.get, "https://example.com/")

def test_expect_blocked_around_a_swallowing_client(fake_braze):
    with fake_braze.expect_blocked("hooks.example.com", "metrics.example.org") as refused:
        Notifier().notify()
    assert [b.host for b in refused.blocked] == ["hooks.example.com", "metrics.example.org"]

def test_expect_blocked_around_a_wrapping_client(fake_braze):
    with fake_braze.expect_blocked(), pytest.raises(RuntimeError):
        Wrapper().notify()

def test_expect_blocked_swallows_the_error_it_expects(fake_braze):
    with fake_braze.expect_blocked("example.com"):
        httpx.get("https://example.com/")

def test_expect_blocked_fails_when_nothing_was_blocked(fake_braze):
    with fake_braze.expect_blocked("example.com"):
        pass

def test_only_what_was_expected_is_forgiven(fake_braze):
    with fake_braze.expect_blocked("hooks.example.com"):
        Notifier().notify()  # metrics.example.org was refused too: not expected
"""
    )
    result = user_tests.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=6, failed=1, errors=1)
    expect_in_order(
        result,
        "ERROR at teardown of test_only_what_was_expected_is_forgiven",
        "blocked connection(s) to metrics.example.org during this test",
        "expected a blocked connection to example.com; nothing was blocked",
    )


def test_loopback_passes_by_default_and_allow_loopback_false_refuses_it(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_allowed="""
        import httpx, pytest, requests
        from harness.braze import FakeBraze, LiveServer

        @pytest.fixture(scope="module")
        def other_server():
            with LiveServer(FakeBraze()) as server:
                yield server

        def test_loopback_by_default(other_server, fake_braze):
            assert httpx.get(f"{other_server.url}/_harness/health").status_code == 200

        @pytest.mark.braze(allow_loopback=False)
        def test_not_allowed(other_server, fake_braze):
            httpx.get(f"{other_server.url}/_harness/health")

        def test_allowed(other_server, request):
            request.applymarker(pytest.mark.braze(allow_loopback=False, allow_hosts=[f"127.0.0.1:{other_server.port}"]))
            request.getfixturevalue("fake_braze")
            assert requests.get(f"{other_server.url}/_harness/health").status_code == 200

        @pytest.mark.braze(allow_loopback=False)
        def test_braze_server_is_always_allowed(braze_server):
            assert httpx.get(f"{braze_server.url}/_harness/health").status_code == 200
        """
    )
    result = user_tests.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=3, failed=1)
    expect_in_order(result, "blocked a connection to 127.0.0.1:")


def test_the_network_guard_alone(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_guard="""
        import pytest, socket

        def test_no_network(harness_network):
            with pytest.raises(AssertionError, match="example.net"):
                socket.getaddrinfo("example.net", 443)

        def test_outside_the_fixture_nothing_is_patched():
            assert socket.getaddrinfo.__module__ == "socket"
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_user_respx_router_still_serves_its_own_hosts(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_respx="""
        import httpx
        from helpers import EVENT, track

        def test_both(fake_braze, respx_mock):
            respx_mock.post("https://api.segment.io/v1/track").respond(200, json={"success": True})
            assert httpx.post("https://api.segment.io/v1/track", json={}).json() == {"success": True}
            assert track(fake_braze, {"events": [EVENT]}).status_code == 201
        """
    )
    user_tests.runpytest().assert_outcomes(passed=1)


def test_marker_sets_instance_keys_and_limits(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_marker="""
        import httpx, pytest
        from helpers import EVENT, post, track

        pytestmark = pytest.mark.braze(instance="EU-01", api_keys=["eu-key"])

        def test_key_works_on_its_instance_only(fake_braze):
            assert fake_braze.base_url == "https://rest.fra-01.braze.eu"
            assert fake_braze.api_key == "eu-key"
            eu = track(fake_braze, {"events": [EVENT]})
            us = post("https://rest.iad-01.braze.com", {"events": [EVENT]}, fake_braze.api_key)
            assert (eu.status_code, us.status_code) == (201, 401)
            assert "belongs to EU-01" in us.headers["x-harness-detail"]

        @pytest.mark.braze(limits="combined-50")
        def test_function_marker_adds_to_module_marker(fake_braze):
            assert fake_braze.config.instance == "EU-01"
            body = {"events": [EVENT] * 30, "attributes": [{"external_id": "u1", "a": 1}] * 21}
            response = httpx.post(f"{fake_braze.base_url}/users/track", json=body, headers=fake_braze.headers)
            assert response.status_code == 400
            assert response.json()["message"] == "Max Input Length Exceeded"

        @pytest.mark.braze(instance="US-03", rate_limits={"users.track": "1/60"})
        def test_closest_marker_wins_and_rate_limits_apply(fake_braze):
            assert fake_braze.base_url == "https://rest.iad-03.braze.com"
            codes = [track(fake_braze, {"events": [EVENT]}).status_code for _ in range(2)]
            assert codes == [201, 429]  # the module's key now belongs to US-03; one request a minute
        """
    )
    user_tests.runpytest("--strict-markers").assert_outcomes(passed=3)


def test_marker_rejects_unknown_options_clearly(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_bad_marker="""
        import pytest

        @pytest.mark.braze(instnce="EU-01")
        def test_typo(fake_braze):
            pass

        @pytest.mark.braze(instance="MARS-01")
        def test_bad_instance(fake_braze):
            pass

        @pytest.mark.braze(limits="combined-99")
        def test_bad_limits(fake_braze):
            pass
        """
    )
    result = user_tests.runpytest()
    result.assert_outcomes(errors=3)
    expect_in_order(
        result,
        "@pytest.mark.braze: unknown option(s) instnce; known: ",
        "@pytest.mark.braze: unknown Braze instance 'MARS-01'; known: US-01",
        "@pytest.mark.braze: track_limits must be legacy-75, combined-75 or combined-50, not 'combined-99'",
    )


def test_strict_marker_fails_a_passing_test_that_sent_invalid_bodies(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_strict="""
        import pytest
        from helpers import EVENT, track

        @pytest.mark.braze(strict=True)
        def test_sloppy(fake_braze):
            track(fake_braze, {"events": [EVENT, {**EVENT, "time": 5}]})

        @pytest.mark.braze(strict=True)
        def test_clean(fake_braze):
            track(fake_braze, {"events": [EVENT]})
        """
    )
    result = user_tests.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    expect_in_order(result, "strict: 1 request(s) broke their contract or got a 5xx:", "$.events[1].time:")


def test_braze_config_fixture_is_overridable(user_tests: pytest.Pytester) -> None:
    user_tests.makeconftest(
        """
        import pytest
        from harness.braze import FakeBrazeConfig
        from harness.clock import FixedClock

        @pytest.fixture
        def braze_config():
            return FakeBrazeConfig(instance="JP-01", api_keys=("jp",), clock=FixedClock("2024-06-01T00:00:00Z"))

        @pytest.fixture
        def braze_allow_hosts():
            return ["localhost"]
        """
    )
    user_tests.makepyfile(
        test_config="""
        import pytest
        from helpers import EVENT, track

        def test_conftest_defaults(fake_braze):
            assert fake_braze.base_url == "https://rest.jp-01.braze.com"
            assert track(fake_braze, {"events": [EVENT]}).status_code == 201
            assert fake_braze.requests.last.at.isoformat() == "2024-06-01T00:00:00+00:00"
            assert fake_braze.routing.is_allowed("localhost", 8080)

        @pytest.mark.braze(api_keys=["other"])
        def test_marker_over_conftest(fake_braze):
            assert fake_braze.config.instance == "JP-01"
            assert fake_braze.api_key == "other"
        """
    )
    user_tests.runpytest().assert_outcomes(passed=2)


def test_braze_server_is_the_same_fake_live_reset_per_test_and_configured(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_live="""
        import json, subprocess, sys
        import httpx, pytest, requests
        from helpers import EVENT, post

        PORTS = set()
        CLIENT = (
            "import json, sys, urllib.request\\n"
            "body = json.dumps({'events': [json.loads(sys.argv[2])]}).encode()\\n"
            "headers = {'Authorization': 'Bearer k', 'Content-Type': 'application/json'}\\n"
            "req = urllib.request.Request(sys.argv[1] + '/users/track', data=body, headers=headers)\\n"
            "print(urllib.request.urlopen(req).status)\\n"
        )

        @pytest.mark.parametrize("run", range(2))
        def test_subprocess_client(braze_server, fake_braze, run):
            PORTS.add(braze_server.port)
            assert braze_server.url.startswith("http://127.0.0.1:")
            assert fake_braze.requests == []
            out = subprocess.run([sys.executable, "-c", CLIENT, braze_server.url, json.dumps(EVENT)],
                                 capture_output=True, text=True, check=True)
            assert out.stdout.strip() == "201"
            assert post(braze_server.url, {"events": [EVENT]}, "k").status_code == 201
            assert requests.get(f"{braze_server.url}/_harness/health").json()["requests"] == 2
            assert fake_braze.user("u1").custom_events["Audience Entered"].count == 2
            braze_server.assert_tracked("u1", "Audience Entered", count=2)
            assert {e.host for e in braze_server.requests} == {braze_server.url.removeprefix("http://")}

        def test_server_started_once():
            assert len(PORTS) == 1

        @pytest.mark.braze(instance="EU-02", api_keys=["eu2"])
        def test_the_marker_configures_the_live_fake_too(braze_server):
            ok = post(braze_server.url, {"events": [EVENT]}, "eu2")
            bad = post(braze_server.url, {"events": [EVENT]}, "x")
            assert (ok.status_code, bad.status_code) == (201, 401)
            assert braze_server.requests.last.instance == "EU-02"
        """
    )
    user_tests.runpytest().assert_outcomes(passed=4)


def test_marker_is_registered_with_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    expect_in_order(result, "@pytest.mark.braze(instance='US-01', api_keys=[...], limits=")
    result = pytester.runpytest("--fixtures")
    expect_in_order(
        result,
        "harness_network",
        "No egress for this test",
        "fake_braze",
        "A fake Braze for this test",
        "fake_braze_factory",
        "a fresh fake per block",
        "braze_server",
        "served over HTTP",
    )


def test_xdist_workers_each_own_a_fake_and_a_port(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        helpers=TRACK,
        test_workers="""
        import json, os
        import pytest
        from helpers import EVENT, track

        @pytest.mark.parametrize("n", range(8))
        def test_isolated(fake_braze, braze_server, n, tmp_path_factory):
            assert fake_braze.requests == []
            assert track(fake_braze, {"events": [{**EVENT, "external_id": f"u{n}"}]}).status_code == 201
            assert fake_braze.external_ids() == [f"u{n}"]
            out = tmp_path_factory.getbasetemp().parent / f"{os.environ['PYTEST_XDIST_WORKER']}-{n}.json"
            out.write_text(json.dumps({"worker": os.environ["PYTEST_XDIST_WORKER"], "url": braze_server.url}))
        """,
    )
    result = pytester.runpytest("-n", "2", "-p", "no:hypothesispytest")
    result.assert_outcomes(passed=8)
    records = [json.loads(p.read_text()) for p in pytester.path.parent.rglob("gw*-*.json")]
    by_worker: dict[str, set[str]] = {}
    for record in records:
        by_worker.setdefault(record["worker"], set()).add(record["url"])
    assert len(by_worker) == 2
    assert all(len(urls) == 1 for urls in by_worker.values())  # one server per worker session
    assert len(set().union(*by_worker.values())) == 2  # and each worker its own port


def test_async_tests_use_the_same_fixture(user_tests: pytest.Pytester) -> None:
    pytest.importorskip("anyio")
    user_tests.makepyfile(
        test_async="""
        import httpx, pytest
        from helpers import EVENT

        @pytest.mark.anyio
        async def test_async_client(fake_braze):
            async with httpx.AsyncClient(base_url=fake_braze.base_url, headers=fake_braze.headers) as client:
                response = await client.post("/users/track", json={"events": [EVENT]})
            assert response.status_code == 201
            fake_braze.assert_tracked("u1", "Audience Entered", count=1)
        """
    )
    user_tests.runpytest("-p", "anyio").assert_outcomes(passed=1)


def test_cohort_and_segment_views(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_cohorts="""
        import httpx
        from helpers import track

        AUTH = {"partner_api_key": "partner-key", "client_secret": "data-import-key"}

        def test_dormant_shopper_cohort(fake_braze):
            base = fake_braze.base_url
            track(fake_braze, {"attributes": [{"external_id": "u1", "plan": "pro"}, {"external_id": "u2"}]})
            cohort = {**AUTH, "cohort_id": "aud_1", "name": "dormant_shopper", "created_at": "2024-03-01T12:00:00Z"}
            assert httpx.post(f"{base}/partners/segment/cohorts", json=cohort).status_code == 201
            changes = {**AUTH, "cohort_id": "aud_1", "cohort_changes": [{"user_ids": ["u1"]}]}
            assert httpx.post(f"{base}/partners/segment/cohorts/users", json=changes).status_code == 201

            assert fake_braze.user("u1").in_cohort("dormant_shopper")
            assert not fake_braze.in_cohort("u2", "dormant_shopper")
            in_cohort = {"cohort": "dormant_shopper", "op": "in"}
            assert fake_braze.segment_members(in_cohort).external_ids == ("u1",)
            assert fake_braze.user("u1").in_segment({"custom_attribute": "plan", "op": "equals", "value": "pro"})
        """
    )
    user_tests.runpytest().assert_outcomes(passed=1)


def test_instance_alone_refuses_the_key_on_other_instances(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_instance="""
        import pytest
        from helpers import EVENT, post

        EU, US = "https://rest.fra-01.braze.eu", "https://rest.iad-01.braze.com"

        @pytest.mark.braze(instance="EU-01")
        def test_only_its_own_instance(fake_braze):
            assert post(EU, {"events": [EVENT]}, "any-key").status_code == 201
            us = post(US, {"events": [EVENT]}, "any-key")
            assert us.status_code == 401
            assert us.json()["message"] == "Invalid API key"

        def test_without_instance_any_instance_answers(fake_braze):
            assert post(EU, {"events": [EVENT]}, "k").status_code == 201
            assert post(US, {"events": [EVENT]}, "k").status_code == 201

        @pytest.mark.braze(instance="EU-01", any_key_instances="all")
        def test_unless_told_otherwise(fake_braze):
            assert post(US, {"events": [EVENT]}, "k").status_code == 201
        """
    )
    user_tests.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


def test_braze_server_serves_the_console_of_the_tests_fake(user_tests: pytest.Pytester) -> None:
    user_tests.makepyfile(
        test_console="""
        import httpx

        def test_console(braze_server):
            body = {"attributes": [{"external_id": "console-user", "plan": "pro"}]}
            sent = httpx.post(f"{braze_server.url}/users/track", json=body, headers=braze_server.headers)
            assert sent.status_code == 201
            page = httpx.get(f"{braze_server.url}/_harness/ui/users/console-user")
            assert page.status_code == 200 and "console-user" in page.text and "plan" in page.text
            assert page.headers["x-frame-options"] == "DENY"
        """
    )
    user_tests.runpytest().assert_outcomes(passed=1)
