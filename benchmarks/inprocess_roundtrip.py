#!/usr/bin/env python3
"""In-process round trip through the fake vs a static respx route, and the contract check's share.

    python benchmarks/inprocess_roundtrip.py [--repeat 7] [--rounds 40]

Each measurement against its own baseline in the same run (best of `--repeat`, CPU time, interleaved so
both see the same machine load; the routing session is entered once, as in a test, and each round posts
`--rounds` times):

1. round trip as a test runs it: `translate()` of 75 identify + 75 track events (two /users/track
   requests: 75 attributes, 75 events), sent with httpx through the plugin's routing (the in-memory
   HTTP/1.1 wire: httpcore and h11 on the client side, the fake's pipeline on the other: contract check,
   rules, state, journal) vs the same through a static respx route that answers a constant.
2. one prebuilt body of 75 attributes + 75 events (serve_throughput's), httpx -> wire -> fake vs httpx ->
   respx -> constant: the issue's figure (target at most 1.5x), translation left out.
3. the fake alone: `FakeBraze.call` with the same bytes (parse, contract, rules, state, journal; no HTTP)
   vs the static route's whole httpx round trip.
4. the wire's floor: httpx -> wire -> a WSGI app answering a constant vs the static route (what any
   in-process app costs below httpx's client API: httpcore, h11, the wire, a worker thread hand-off), and
   the same on the client's own thread, as a fake Braze with no fault armed is served (the fake's direct
   path with its answer replaced by a constant): the least the fake's route can cost.
5. what any fake must do, on the static route itself: a respx route whose side effect parses the body (orjson,
   the fastest parser installed) before answering the constant, and one that also checks it against the
   contract; no wire, no rules, no state, no journal. Above 1.5x, no fake that reads what it is sent can
   meet the target on this machine, whatever its transport.
6. the contract check (`Contract.check`) as a share of the fake's handling of that body (`FakeBraze.call`),
   for a valid body and for one with an invalid object (the full violation walk). Target: at most 10%.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import respx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from serve_throughput import body as big_body

from harness.braze import FakeBraze, FakeBrazeConfig
from harness.braze.http.direct import DIRECT_HTTP
from harness.contracts import contract
from harness.testing.routing import BrazeRouting
from harness.translate import translate

HOST = "https://rest.iad-01.braze.com"
HEADERS = {"Authorization": "Bearer bench-key"}


def events(n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    identifies = [
        {
            "type": "identify",
            "userId": f"user-{i}",
            "messageId": f"i-{i}",
            "traits": {"email": f"user{i}@example.com", "firstName": "Ada", "plan": "pro", "logins": i},
            "timestamp": "2024-03-01T12:00:00.000Z",
        }
        for i in range(n)
    ]
    tracks = [
        {
            "type": "track",
            "event": "Video Played",
            "userId": f"user-{i}",
            "messageId": f"t-{i}",
            "properties": {"video_id": f"v{i}", "duration": 12.5, "autoplay": False},
            "timestamp": "2024-03-01T12:00:00.000Z",
        }
        for i in range(n)
    ]
    return identifies, tracks


def best(
    run: Callable[[], Any],
    baseline: Callable[[], Any],
    repeat: int,
    rounds: int,
    run_in: Any = None,
    base_in: Any = None,
) -> tuple[float, float]:
    """Best CPU seconds per call of each, interleaved; each timed stretch inside its routing session, entered
    before the clock starts (as a test's fixture is)."""
    runs, bases = [], []
    for _ in range(repeat):
        for work, session, kept in ((baseline, base_in, bases), (run, run_in, runs)):
            with session if session is not None else contextlib.nullcontext():
                start = time.process_time()
                for _ in range(rounds):
                    work()
                kept.append((time.process_time() - start) / rounds)
    return min(runs), min(bases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=300, help="posts per timed stretch")
    args = parser.parse_args(argv)
    identifies, tracks = events(75)
    fake = FakeBraze(FakeBrazeConfig(rate_limited=False, journal_max_entries=1000))
    routing = BrazeRouting(fake.app)
    constant = respx.MockRouter(assert_all_called=False)
    constant.post(host="rest.iad-01.braze.com").mock(return_value=httpx.Response(201, json={"message": "success"}))
    client = httpx.Client(base_url=HOST, headers=HEADERS)

    def translated() -> None:
        for batch, action in ((identifies, "updateUserProfile"), (tracks, "trackEvent")):
            for request in translate(batch, action=action).requests:
                response = client.post(request.path, json=request.body)
                assert response.status_code == 201, response.text

    payload = big_body()

    def prebuilt() -> None:
        response = client.post("/users/track", content=payload, headers={"Content-Type": "application/json"})
        assert response.status_code == 201, response.text

    def constant_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        environ["wsgi.input"].read()
        start_response("201 CREATED", [("Content-Type", "application/json"), ("Content-Length", "21")])
        return [b'{"message":"success"}']

    floor = BrazeRouting(constant_app)  # type: ignore[arg-type]
    hollow = FakeBraze(FakeBrazeConfig(rate_limited=False))
    head = [("Content-Type", "application/json"), ("Content-Length", "21")]
    answered = ("201 CREATED", head, b'{"message":"success"}')
    hollow.app.extensions[DIRECT_HTTP].answer = lambda *request: answered  # the pipeline left out
    inline_floor = BrazeRouting(hollow.app)

    track = contract("braze/users-track.request")
    success = httpx.Response(201, json={"message": "success"})

    def read(request: httpx.Request) -> httpx.Response:
        assert orjson.loads(request.content)
        return success

    def read_and_check(request: httpx.Request) -> httpx.Response:
        assert not track.check(orjson.loads(request.content))
        return success

    reading, checking = respx.MockRouter(assert_all_called=False), respx.MockRouter(assert_all_called=False)
    reading.post(host="rest.iad-01.braze.com").mock(side_effect=read)
    checking.post(host="rest.iad-01.braze.com").mock(side_effect=read_and_check)

    def alone() -> None:
        reply = fake.call("/users/track", raw=payload, api_key="bench-key")
        assert reply.status == 201, reply.body

    assert len(translate(identifies, action="updateUserProfile").requests[0].body["attributes"]) == 75
    for _ in range(3):  # warm up (the fake creates its 75 users here)
        with routing:
            translated()
            prebuilt()
    print(f"{'in-process, per round (ms)':<58}{'fake':>10}{'constant':>10}{'ratio':>8}")
    for label, session, work, base_work in (
        ("translate 75+75 events -> httpx -> wire -> (2 requests)", routing, translated, translated),
        ("prebuilt 75 attributes + 75 events -> httpx -> wire", routing, prebuilt, prebuilt),
        ("the fake alone (FakeBraze.call, same bytes) vs respx", None, alone, prebuilt),
        ("floor: httpx -> wire -> constant WSGI app vs respx", floor, prebuilt, prebuilt),
        ("floor on the client's thread (the fake's way) vs respx", inline_floor, prebuilt, prebuilt),
        ("any fake's floor: respx + parsing the body vs respx", reading, prebuilt, prebuilt),
        ("any checking fake's: respx + parse + contract vs respx", checking, prebuilt, prebuilt),
    ):
        run, base = best(work, base_work, args.repeat, args.rounds, session, constant)
        print(f"{label:<58}{run * 1e3:>8.3f}ms{base * 1e3:>8.3f}ms{run / base:>7.2f}x")
    print("target (second line): <= 1.5x\n")

    body = json.loads(payload)
    broken = json.loads(payload)
    broken["events"][3]["time"] = "yesterday"
    print(f"{'contract check share of FakeBraze.call':<58}{'check':>10}{'request':>10}{'share':>8}")
    for label, sample in (("valid body", body), ("one invalid object (full violation list)", broken)):
        raw = json.dumps(sample).encode()
        check, handle = best(
            lambda sample=sample: track.check(sample),
            lambda raw=raw: fake.call("/users/track", raw=raw, api_key="bench-key"),
            args.repeat,
            args.rounds,
        )
        print(f"{label:<58}{check * 1e3:>8.3f}ms{handle * 1e3:>8.3f}ms{check / handle:>7.1%}")
    print("target: <= 10%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
