"""Faults on demand in the pipeline: each kind, its scope (path, next N, seeded fraction), its journal entry,
and the control plane that arms them over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import ConnectionDropped, FakeBraze, FakeBrazeConfig, Fault, RateLimit, RequestTimedOut
from harness.clock import FixedClock

from .contract_check import CheckedClient
from .support import Client, event

TRACK = {"events": [event()]}


def statuses(client: Client, n: int, path: str = "/users/track", body: Any = TRACK) -> list[int]:
    return [client.post(path, body).status for _ in range(n)]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (500, "Internal Server Error"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
        (504, "Gateway Timeout"),
        (429, "Over rate limit."),
    ],
)
def test_status_faults_answer_brazes_error_shape_and_change_nothing(fake: FakeBraze, status: int, message: str) -> None:
    fake.faults.add(Fault.error(status))
    reply = Client(fake).track(**TRACK)  # Client checks the body against braze/error.response
    assert (reply.status, reply.body["message"]) == (status, message)
    assert fake.user("u1") is None
    [entry] = fake.requests
    assert entry.status == status and entry.response == reply.body
    assert entry.fault == {"rules": [1], "kind": "status", "status": status, "applied": False}
    assert entry.body == TRACK  # the request as sent, though it never reached the service


def test_429_fault_carries_a_used_up_rate_limit_window(fake: FakeBraze, clock: FixedClock) -> None:
    fake.faults.add(Fault.rate_limited(path="/users/track"))
    reply = Client(fake).track(**TRACK)
    assert reply.headers["X-RateLimit-Limit"] == "3000"
    assert reply.headers["X-RateLimit-Remaining"] == "0"
    assert int(reply.headers["X-RateLimit-Reset"]) == int(clock.now().timestamp()) + 3


def test_queued_202_is_brazes_maintenance_answer_and_the_request_is_still_applied(fake: FakeBraze) -> None:
    fake.faults.add(Fault.queued(times=1))
    client = Client(fake)
    queued = client.track(**TRACK)  # checked against braze/queued.response
    assert (queued.status, queued.body) == (202, {"message": "queued"})
    assert fake.user("u1").custom_events["Played"].count == 1
    assert fake.requests[0].fault == {
        "rules": [1],
        "kind": "status",
        "status": 202,
        "applied": True,
        "processed_status": 201,
    }
    assert client.track(**TRACK).status == 201


def test_an_applied_fault_loses_the_answer_but_keeps_the_change(fake: FakeBraze) -> None:
    fake.faults.add(Fault.error(504, applied=True, times=1))
    assert Client(fake).track(**TRACK).status == 504
    assert fake.user("u1").custom_events["Played"].count == 1
    assert fake.requests[0].fault["processed_status"] == 201


def test_next_n_then_normal_service(fake: FakeBraze) -> None:
    fake.faults.add(Fault.error(503, times=2))
    assert statuses(Client(fake), 4) == [503, 503, 201, 201]
    [rule] = fake.faults.rules()
    assert (rule["fired"], rule["remaining"]) == (2, 0)


def test_a_path_fault_leaves_other_endpoints_alone(fake: FakeBraze) -> None:
    fake.faults.add(Fault.error(500, path="/users/export/ids"))
    client = Client(fake)
    assert client.track(**TRACK).status == 201
    assert client.post("/users/export/ids", {"external_ids": ["u1"]}).status == 500


def test_a_fraction_with_a_seed_is_reproducible() -> None:
    def run(seed: int) -> list[int]:
        fake = FakeBraze(faults=[Fault.error(503, probability=0.3, seed=seed)])
        return statuses(Client(fake), 60)

    first = run(7)
    assert first == run(7)
    assert 5 < first.count(503) < 35
    assert first != run(8)


def test_reset_rearms_configured_faults_and_restarts_their_draws() -> None:
    fake = FakeBraze(faults=[Fault.error(503, probability=0.5, seed=1)])
    before = statuses(Client(fake), 20)
    fake.reset()
    assert statuses(Client(fake), 20) == before
    fake.faults.clear()
    assert set(statuses(Client(fake), 5)) == {201}


def test_latency_fixed_and_random_is_slept_and_journaled() -> None:
    slept: list[float] = []
    fake = FakeBraze(faults=[Fault.latency(0.25), Fault.latency((0.1, 0.2), seed=3)])
    fake.faults.sleep = slept.append
    assert statuses(Client(fake), 3) == [201, 201, 201]
    assert len(slept) == 3
    assert all(0.35 <= s <= 0.45 for s in slept)
    assert len(set(slept)) > 1  # the random part varies
    assert fake.requests[0].fault["kind"] == "latency"
    assert fake.requests[0].fault["delay"] == pytest.approx(slept[0], abs=1e-6)


def test_latency_adds_to_a_status_fault() -> None:
    slept: list[float] = []
    fake = FakeBraze(faults=[Fault.error(502, delay=0.5)])
    fake.faults.sleep = slept.append
    assert statuses(Client(fake), 1) == [502]
    assert slept == [0.5]


def test_drop_and_timeout_have_no_answer_in_the_journal_and_raise_from_call(fake: FakeBraze) -> None:
    fake.faults.add(Fault.drop(times=1))
    fake.faults.add(Fault.timeout(times=1, stall=2))
    with pytest.raises(ConnectionDropped):
        fake.call("/users/track", TRACK, api_key="k")
    with pytest.raises(RequestTimedOut):
        fake.call("/users/track", TRACK, api_key="k")
    assert fake.call("/users/track", TRACK, api_key="k").status == 201
    dropped, timed_out, ok = fake.requests
    assert (dropped.status, dropped.response, dropped.fault["kind"]) == (0, None, "drop")
    assert (timed_out.status, timed_out.fault["kind"]) == (0, "timeout")
    assert ok.fault is None
    assert fake.user("u1").custom_events["Played"].count == 1


def test_a_transport_that_cannot_drop_sees_a_marked_503(fake: FakeBraze) -> None:
    fake.faults.add(Fault.timeout(stall=3))
    response = fake.test_client().post("/users/track", json=TRACK, headers={"Authorization": "Bearer k"})
    assert response.status_code == 503
    assert response.headers["X-Harness-Fault"] == "timeout; stall=3"


def test_faults_do_not_touch_unknown_paths_or_the_control_plane(fake: FakeBraze) -> None:
    fake.faults.add(Fault.error(500))
    http = fake.test_client()
    assert http.get("/_harness/health").status_code == 200
    assert http.post("/users/nope", json={}).status_code == 404


def test_faults_count_before_the_rate_limiter() -> None:
    limits = {"users.track": RateLimit(2, 60)}
    fake = FakeBraze(FakeBrazeConfig(rate_limits=limits, faults=(Fault.error(503, times=2),)))
    assert statuses(Client(fake), 5) == [503, 503, 201, 201, 429]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"kind": "explode"}, "kind must be one of"),
        ({"kind": "status", "status": 302}, "status 202 or 400-599"),
        ({"kind": "status"}, "status 202 or 400-599"),
        ({"kind": "drop", "status": 500}, "only a status fault"),
        ({"kind": "drop", "times": 0}, "times must be"),
        ({"kind": "drop", "probability": 1.5}, "probability"),
        ({"kind": "latency", "delay": [2, 1]}, "delay"),
        ({"kind": "drop", "path": "users/track"}, "path must be"),
        ({"kind": "drop", "when": "now"}, "unknown fault field"),
        ({"status": 500}, "needs a kind"),
    ],
)
def test_bad_faults_say_why(spec: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Fault.from_json(spec)


def test_fault_json_round_trip() -> None:
    for fault in (
        Fault.latency((0.1, 0.3), path="/users/track", seed=4),
        Fault.error(503, times=3, probability=0.5),
        Fault.queued(),
        Fault.timeout(stall=5, applied=True),
        Fault.drop(delay=0.2),
    ):
        assert Fault.from_json(fault.to_json()).to_json() == fault.to_json()


def test_control_plane_arms_lists_and_clears_faults(fake: FakeBraze) -> None:
    http = CheckedClient(fake)
    added = http.post("/_harness/faults", json={"kind": "status", "status": 503, "times": 1, "path": "/users/track"})
    assert added.status_code == 201
    [rule] = added.json["faults"]
    assert (rule["id"], rule["status"], rule["remaining"]) == (1, 503, 1)
    many = http.post("/_harness/faults", json={"faults": [{"kind": "latency", "delay": 0}, {"kind": "drop"}]})
    assert [r["kind"] for r in many.json["faults"]] == ["latency", "drop"]
    assert http.delete("/_harness/faults/3").json["faults"][-1]["kind"] == "latency"
    assert http.delete("/_harness/faults/99").status_code == 404
    assert Client(fake).track(**TRACK).status == 503
    assert http.get("/_harness/faults").json["faults"][0]["fired"] == 1
    bad = http.post("/_harness/faults", json=[{"kind": "drop"}, {"kind": "status", "status": 99}])
    assert bad.status_code == 400 and "400-599" in bad.json["errors"][0]["type"]
    assert len(http.get("/_harness/faults").json["faults"]) == 2  # all or nothing
    assert http.delete("/_harness/faults").json == {"faults": []}
    assert http.post("/_harness/faults", data=b"{", content_type="application/json").status_code == 400


def test_control_plane_journal_shows_the_fault(fake: FakeBraze) -> None:
    fake.faults.add(Fault.drop())
    with pytest.raises(ConnectionDropped):
        fake.call("/users/track", TRACK, api_key="k")
    [entry] = fake.test_client().get("/_harness/requests").json["requests"]
    assert entry["status"] == 0 and entry["fault"]["kind"] == "drop"
