"""Many clients at once: every event counted exactly once (count, first, last), every increment kept, cohort
membership exact, the journal complete or exactly capped, and no deadlock, over the live server (one per
xdist worker, through `braze_server`) and straight into the pipeline from threads."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from harness.braze import FakeBraze
from harness.braze.model.profiles import export_time
from harness.testing.mock import BrazeServer

THREADS = 8
REQUESTS = 12  # per thread and endpoint
USERS = 6
START = datetime(2024, 3, 1, tzinfo=UTC)
AUTH = {"partner_api_key": "p-key", "client_secret": "secret"}


def moment(thread: int, request: int, user: int) -> datetime:
    """Distinct times across threads, so first and last are known in advance."""
    return START + timedelta(minutes=thread * 1000 + request * 10 + user)


def track_body(thread: int, request: int) -> dict[str, Any]:
    return {
        "attributes": [{"external_id": f"u{u}", "visits": {"inc": 1}} for u in range(USERS)],
        "events": [
            {"external_id": f"u{u}", "name": "Played", "time": export_time(moment(thread, request, u))}
            for u in range(USERS)
        ],
    }


def members_of(thread: int) -> tuple[list[str], list[str]]:
    """Each thread owns 4 users: it adds all of them, then removes the last one."""
    mine = [f"m{thread}-{i}" for i in range(4)]
    return mine, mine[-1:]


def cohort_bodies(thread: int) -> list[dict[str, Any]]:
    added, removed = members_of(thread)
    bodies = [{**AUTH, "cohort_id": "c1", "cohort_changes": [{"user_ids": [uid]}]} for uid in added]
    bodies += [{**AUTH, "cohort_id": "c1", "cohort_changes": [{"user_ids": removed, "should_remove": True}]}]
    return bodies * 2


def interleaved(thread: int) -> list[tuple[int | None, dict[str, Any] | None]]:
    """The thread's /users/track request numbers and cohort bodies, alternating."""
    return list(itertools.zip_longest(range(REQUESTS), cohort_bodies(thread)))


def run_threads(work: Callable[[int], None]) -> None:
    """Start every thread at once; fail on any error or on a thread still running after 60 s (a deadlock)."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def runner(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(n)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=runner, args=(n,), daemon=True) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [t for t in threads if t.is_alive()], "threads still running after 60 s: deadlock?"
    assert not errors, errors[:3]


def prepare(fake: FakeBraze) -> int:
    """Users for the cohort threads and the cohort itself; returns how many requests that took."""
    users = [{"external_id": uid, "kind": "member"} for n in range(THREADS) for uid in members_of(n)[0]]
    assert fake.call("/users/track", {"attributes": users[:75]}, api_key="k").status == 201
    name = {**AUTH, "cohort_id": "c1", "name": "fans", "created_at": "2024-03-01T00:00:00Z"}
    assert fake.call("/partners/segment/cohorts", name, api_key="k").status == 201
    return 2


def check(fake: FakeBraze, sent: int) -> None:
    total = THREADS * REQUESTS
    for u in range(USERS):
        user = fake.user(f"u{u}")
        assert user is not None
        stats = user.custom_events["Played"]
        assert stats.count == total
        assert stats.first == moment(0, 0, u)
        assert stats.last == moment(THREADS - 1, REQUESTS - 1, u)
        assert user.custom_attributes["visits"] == total
    expected = sorted(uid for n in range(THREADS) for uid in members_of(n)[0] if uid not in members_of(n)[1])
    [cohort] = fake.cohorts()
    assert sorted(cohort.members.external_ids) == expected
    entries = fake.requests
    assert len(entries) == sent and fake.journal.dropped == 0
    assert sorted(e.id for e in entries) == list(range(1, sent + 1))
    assert {e.status for e in entries} == {201}


@pytest.mark.braze(rate_limits="off")
def test_live_server_counts_every_event_once_under_concurrent_clients(braze_server: BrazeServer) -> None:
    fake = braze_server.fake
    sent = prepare(fake)

    def work(n: int) -> None:
        with httpx.Client(base_url=braze_server.url, headers=braze_server.headers, timeout=30) as client:
            for request, cohort in interleaved(n):
                if request is not None:
                    assert client.post("/users/track", json=track_body(n, request)).status_code == 201
                if cohort is not None:
                    assert client.post("/partners/segment/cohorts/users", json=cohort).status_code == 201

    run_threads(work)
    check(fake, sent + THREADS * (REQUESTS + len(cohort_bodies(0))))


def test_in_process_calls_from_threads() -> None:
    fake = FakeBraze(rate_limits={})
    sent = prepare(fake)

    def work(n: int) -> None:
        for request, cohort in interleaved(n):
            if request is not None:
                assert fake.call("/users/track", track_body(n, request), api_key="k").status == 201
            if cohort is not None:
                assert fake.call("/partners/segment/cohorts/users", cohort).status == 201

    run_threads(work)
    check(fake, sent + THREADS * (REQUESTS + len(cohort_bodies(0))))


@pytest.mark.braze(rate_limits="off", journal_max_entries=25)
def test_a_capped_journal_keeps_exactly_the_newest_entries_under_concurrency(braze_server: BrazeServer) -> None:
    def work(n: int) -> None:
        with httpx.Client(base_url=braze_server.url, headers=braze_server.headers, timeout=30) as client:
            for request in range(REQUESTS):
                assert client.post("/users/track", json=track_body(n, request)).status_code == 201

    run_threads(work)
    total = THREADS * REQUESTS
    assert [e.id for e in braze_server.requests] == list(range(total - 24, total + 1))
    assert braze_server.journal.dropped == total - 25
    assert braze_server.fake.user("u0").custom_events["Played"].count == total
