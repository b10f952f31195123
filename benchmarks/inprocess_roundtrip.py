#!/usr/bin/env python3
"""In-process round trip through the fake vs a static respx route, and the contract check's share.

    python benchmarks/inprocess_roundtrip.py [--repeat 7] [--rounds 40]

Three measurements, each against its own baseline in the same run (best of `--repeat`, CPU time,
interleaved so both see the same machine load):

1. round trip as a test runs it: `translate()` of 75 identify + 75 track events (two /users/track
   requests: 75 attributes, 75 events), sent with httpx through the plugin's respx routing into the fake
   (WSGI app, contract check, rules, state, journal) vs the same through a static respx route that answers
   a constant. Target: at most 1.5x.
2. transport + fake only: one prebuilt body of 75 attributes + 75 events (serve_throughput's), httpx ->
   respx -> fake vs httpx -> respx -> constant: the fake's own cost, translation left out.
3. the contract check (`Contract.check`) as a share of the fake's handling of that body (`FakeBraze.call`),
   for a valid body and for one with an invalid object (the full violation walk). Target: at most 10%.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import respx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from serve_throughput import body as big_body

from harness.braze import FakeBraze, FakeBrazeConfig
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


def best(run: Callable[[], Any], baseline: Callable[[], Any], repeat: int, rounds: int) -> tuple[float, float]:
    """Best CPU seconds per round of each, interleaved."""
    runs, bases = [], []
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(rounds):
            baseline()
        bases.append((time.process_time() - start) / rounds)
        start = time.process_time()
        for _ in range(rounds):
            run()
        runs.append((time.process_time() - start) / rounds)
    return min(runs), min(bases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args(argv)
    identifies, tracks = events(75)
    fake = FakeBraze(FakeBrazeConfig(rate_limits={}, journal_max_entries=1000))
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

    def through(router: Any, work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            with router:
                work()

        return run

    assert len(translate(identifies, action="updateUserProfile").requests[0].body["attributes"]) == 75
    for _ in range(3):  # warm up (the fake creates its 75 users here)
        through(routing, translated)()
        through(routing, prebuilt)()
    print(f"{'in-process round trip':<58}{'fake':>10}{'constant':>10}{'ratio':>8}")
    for label, work in (
        ("translate 75+75 events -> httpx -> respx -> (2 requests)", translated),
        ("prebuilt 75 attributes + 75 events -> httpx -> respx", prebuilt),
    ):
        run, base = best(through(routing, work), through(constant, work), args.repeat, args.rounds)
        print(f"{label:<58}{run * 1e3:>8.2f}ms{base * 1e3:>8.2f}ms{run / base:>7.2f}x")
    print("target: <= 1.5x\n")

    track = contract("braze/users-track.request")
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
