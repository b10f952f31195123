"""Each rate-limit group on the injectable clock: Braze's defaults, its endpoints, its windows, no Retry-After,
and `serve --rate-limit GROUP=SPEC`. A client's backoff is tested in microseconds, not minutes."""

from __future__ import annotations

from datetime import date
from typing import Any

import click
import pytest

from harness.braze import RATE_LIMITS, FakeBraze, FakeBrazeConfig, RateLimit, WorkspaceConfig
from harness.braze.service.endpoints import ENDPOINTS
from harness.cli.serve import options_config, parse_rate_limits
from harness.clock import FixedClock

from .support import Client, event

COHORT = {"partner_api_key": "p-key", "client_secret": "secret", "cohort_id": "c1"}
BODIES: dict[str, Any] = {
    "/users/track": {"events": [event()]},
    "/users/export/ids": {"external_ids": ["u1"]},
    "/users/identify": {
        "aliases_to_identify": [{"external_id": "u1", "user_alias": {"alias_name": "a", "alias_label": "l"}}]
    },
    "/users/alias/new": {"user_aliases": [{"alias_name": "a", "alias_label": "l"}]},
    "/users/delete": {"external_ids": ["nobody"]},
    "/partners/segment/cohorts": {**COHORT, "name": "n", "created_at": "2024-03-01T00:00:00Z"},
    "/partners/segment/cohorts/users": {**COHORT, "cohort_changes": [{"user_ids": ["u1"]}]},
}
GROUPS = {e.path: e.group for e in ENDPOINTS if e.method == "POST"}


def test_every_endpoint_belongs_to_a_group_with_brazes_default_limit() -> None:
    assert {(e.method, e.path): e.group for e in ENDPOINTS} == {
        ("POST", "/users/track"): "users.track",
        ("POST", "/users/export/ids"): "users.export.ids",
        ("POST", "/users/identify"): "users.identify",
        ("POST", "/users/alias/new"): "users.identify",
        ("POST", "/users/delete"): "users.identify",
        ("POST", "/partners/segment/cohorts"): "cohorts",
        ("POST", "/partners/segment/cohorts/users"): "cohorts",
        ("GET", "/catalogs"): "catalogs",
        ("POST", "/catalogs"): "catalogs",
        ("DELETE", "/catalogs/{catalog_name}"): "catalogs",
        ("PUT", "/catalogs/{catalog_name}/items/{item_id}"): "catalogs.items",
        ("DELETE", "/catalogs/{catalog_name}/items/{item_id}"): "catalogs.items",
        ("GET", "/catalogs/{catalog_name}/items/{item_id}"): "catalogs.items",
        ("PUT", "/catalogs/{catalog_name}/items"): "catalogs.items.bulk",
        ("DELETE", "/catalogs/{catalog_name}/items"): "catalogs.items.bulk",
        ("POST", "/campaigns/trigger/send"): "messages.send",
        ("POST", "/canvas/trigger/send"): "messages.send",
    }
    assert FakeBrazeConfig().rate_limits == {}  # no changes: Braze's documented limits
    assert {
        "users.track": RateLimit(3000, 3),
        "users.identify": RateLimit(20_000, 60),
        "users.export.ids": RateLimit(250, 60),
        "cohorts": RateLimit(250_000, 3600),
        "catalogs": RateLimit(50, 60),
        "catalogs.items": RateLimit(50, 60),
        "catalogs.items.bulk": RateLimit(16_000, 60),
        "messages.send": RateLimit(250_000, 3600),
        "messages.broadcast": RateLimit(250, 60),
        "default": RateLimit(250_000, 3600),
    } == RATE_LIMITS


@pytest.mark.parametrize("path", sorted(BODIES))
def test_every_answer_carries_its_groups_headers(path: str, clock: FixedClock) -> None:
    reply = Client(FakeBraze(clock=clock)).post(path, BODIES[path])
    assert reply.status == 201
    rule = RATE_LIMITS[GROUPS[path]]
    assert (reply.headers["X-RateLimit-Limit"], reply.headers["X-RateLimit-Remaining"]) == (
        str(rule.limit),
        str(rule.limit - 1),
    )
    assert int(reply.headers["X-RateLimit-Reset"]) % rule.window_seconds == 0


@pytest.mark.parametrize("path", sorted(BODIES))
def test_refusals_before_the_limiter_carry_the_headers_uncounted(path: str, clock: FixedClock) -> None:
    cohorts = path.startswith("/partners/")  # authenticated by the body's keys, not a REST API key
    fake = FakeBraze(clock=clock, api_keys=("right",), data_import_keys=("secret",))
    bad_key = fake.call(path, {**BODIES[path], "client_secret": "wrong"} if cohorts else BODIES[path], api_key="wrong")
    bad_body = Client(FakeBraze(clock=clock)).post(path, "not an object")
    rule = RATE_LIMITS[GROUPS[path]]
    for reply in (bad_key, bad_body):
        assert reply.status in (400, 401)
        assert reply.headers["X-RateLimit-Limit"] == str(rule.limit)
    if not cohorts:  # a refused key is not counted against the right one
        assert fake.call(path, BODIES[path], api_key="right").headers["X-RateLimit-Remaining"] == str(rule.limit - 1)


def test_unknown_paths_and_methods_carry_the_default_headers(clock: FixedClock) -> None:
    fake = FakeBraze(clock=clock)
    for reply in (fake.call("/users/nothing", {}, api_key="k"), fake.call("/users/track", {}, method="GET")):
        assert reply.status in (404, 405) and reply.headers["X-RateLimit-Limit"] == "250000"


def test_identify_alias_and_delete_share_20000_a_minute(clock: FixedClock) -> None:
    """api_limits.md: /users/identify, /users/alias/new and /users/delete share one 20,000 per minute limit."""
    fake = FakeBraze(clock=clock, rate_limits={"users.identify": RateLimit(3, 60)})
    shared = ["/users/identify", "/users/alias/new", "/users/delete"]
    assert [fake.call(p, BODIES[p], api_key="k").status for p in shared] == [201, 201, 201]
    assert {fake.call(p, BODIES[p], api_key="k").status for p in shared} == {429}
    assert fake.call("/users/export/ids", BODIES["/users/export/ids"], api_key="k").status == 201
    fresh = FakeBraze(clock=clock).call("/users/delete", BODIES["/users/delete"], api_key="k")
    assert (fresh.headers["X-RateLimit-Limit"], int(fresh.headers["X-RateLimit-Reset"]) % 60) == ("20000", 0)


@pytest.mark.parametrize(("onboarded", "limit"), [(None, 250), (date(2024, 8, 22), 250), (date(2024, 8, 21), 2500)])
def test_export_ids_limit_depends_on_the_workspace_onboarding_date(
    onboarded: date | None, limit: int, clock: FixedClock
) -> None:
    """api_limits.md: 250 per minute, or 2,500 for workspaces onboarded before 22 August 2024."""
    workspace = WorkspaceConfig("default", api_keys=("k",), onboarded=onboarded)
    fake = FakeBraze(clock=clock, workspaces=(workspace,))
    replies = [fake.call("/users/export/ids", BODIES["/users/export/ids"], api_key="k") for _ in range(limit + 1)]
    assert replies[0].headers["X-RateLimit-Limit"] == str(limit)
    assert [r.status for r in replies].count(201) == limit and replies[-1].status == 429


def test_users_track_3000_per_3_seconds_exactly(clock: FixedClock) -> None:
    fake = FakeBraze(clock=clock)  # 2024-03-10T12:00:00Z: the start of a 3-second window
    body = {"events": [event()]}
    codes = [fake.call("/users/track", body, api_key="k").status for _ in range(3001)]
    assert codes.count(201) == 3000 and codes[-1] == 429
    clock.advance(2.999)
    assert fake.call("/users/track", body, api_key="k").status == 429
    clock.advance(0.001)
    assert fake.call("/users/track", body, api_key="k").headers["X-RateLimit-Remaining"] == "2999"
    assert fake.user("u1").custom_events["Played"].count == 3001


@pytest.mark.parametrize(("group", "paths"), [("cohorts", 2)])
def test_hourly_groups_count_their_endpoints_together_and_reset_on_the_hour(
    group: str, paths: int, clock: FixedClock
) -> None:
    limited = FakeBraze(clock=clock, rate_limits={**FakeBrazeConfig().rate_limits, group: RateLimit(paths, 3600)})
    client = Client(limited)
    mine = [p for p in sorted(BODIES) if GROUPS[p] == group]
    assert len(mine) == paths
    assert [client.post(p, BODIES[p]).status for p in mine] == [201] * paths
    refused = [client.post(p, BODIES[p]) for p in mine]
    assert {r.status for r in refused} == {429}
    assert refused[0].body["message"] == "Over rate limit."
    assert int(refused[0].headers["X-RateLimit-Reset"]) == int(clock.now().timestamp()) + 3600  # noon + 1 h
    assert client.post("/users/track", BODIES["/users/track"]).status == 201  # other groups untouched
    clock.advance(3600)
    assert client.post(mine[0], BODIES[mine[0]]).status == 201


def test_limits_are_counted_per_rest_api_key(clock: FixedClock) -> None:
    fake = FakeBraze(clock=clock, rate_limits={"users.track": RateLimit(1, 3)})
    assert Client(fake, key="a").track(events=[event()]).status == 201
    assert Client(fake, key="a").track(events=[event()]).status == 429
    assert Client(fake, key="b").track(events=[event()]).status == 201


def test_no_retry_after_braze_does_not_document_it(clock: FixedClock) -> None:
    fake = FakeBraze(clock=clock, rate_limits={"users.track": RateLimit(1, 3)})
    Client(fake).track(events=[event()])
    refused = Client(fake).track(events=[event()])
    assert refused.status == 429
    assert "Retry-After" not in refused.headers  # clients wait for X-RateLimit-Reset
    assert refused.headers["X-RateLimit-Reset"] == str(int(clock.now().timestamp()) + 3)


def test_a_group_turned_off_never_refuses_and_still_shows_the_documented_limit(clock: FixedClock) -> None:
    """api_limits.md: "Every single API request sent to Braze returns" X-RateLimit-*; off only stops the 429s."""
    fake = FakeBraze(clock=clock, rate_limits={"users.track": None, "default": RateLimit(5, 60)})
    client = Client(fake)
    replies = [client.track(events=[event()]) for _ in range(3001)]
    assert {r.status for r in replies} == {201}
    assert replies[0].headers["X-RateLimit-Limit"] == "3000"
    assert replies[0].headers["X-RateLimit-Remaining"] == "2999"
    assert replies[-1].headers["X-RateLimit-Remaining"] == "0"


def test_rate_limited_false_refuses_nothing_anywhere(clock: FixedClock) -> None:
    fake = FakeBraze(clock=clock, rate_limited=False, rate_limits={"cohorts": RateLimit(1, 60)})
    body = BODIES["/partners/segment/cohorts"]
    replies = [Client(fake).post("/partners/segment/cohorts", body) for _ in range(3)]
    assert [r.status for r in replies] == [201, 201, 201]
    assert [r.headers["X-RateLimit-Limit"] for r in replies] == ["1", "1", "1"]


def test_serve_rate_limit_per_group() -> None:
    assert parse_rate_limits(["3000/3"]) == {"users.track": RateLimit(3000, 3)}
    assert parse_rate_limits(["cohorts=10/1m", "default=off"]) == {"cohorts": RateLimit(10, 60), "default": None}
    assert parse_rate_limits(["off"]) is None
    config = options_config(rate_limits=("cohorts=100/1h", "users.track=10/1"))
    assert config.rate_limits == {"users.track": RateLimit(10, 1), "cohorts": RateLimit(100, 3600)}
    assert options_config(rate_limits=("off",)).rate_limited is False
    with pytest.raises(click.BadParameter, match="unknown rate limit group 'track'"):
        options_config(rate_limits=("track=1/1",))
