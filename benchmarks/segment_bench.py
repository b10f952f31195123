#!/usr/bin/env python3
"""Events/s through the whole fake Segment → Braze path against `translate` alone, on the same events.

    python benchmarks/segment_bench.py [--events 3000] [--batch 100] [--repeat 7]

Each `/v1/batch` request holds `--batch` calls (segment-analytics-python's default upload size, half
identifies, half tracks, realistic traits and properties), sent in-process with `FakeSegment.send`: read
and check the request, add messageId / receivedAt / timestamp, route per destination and mapping, translate
per mapping in Segment's batches, `FakeBraze.call` (contracts, rules, profiles, journal), fold the answers
back per event, keep every record. The baselines, interleaved in the same run, are `translate` of the same
(already enriched) events, batched the same way (per request, per preset), and `translate` plus
`FakeBraze.call` of its requests (what replay does). CPU time, best of `--repeat`; prints events/s for
each and the ratios.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.braze import FakeBraze
from harness.clock import FixedClock
from harness.translate import choose_routes, translate
from harness.workspace import FakeSegment

Event = dict[str, Any]
SETTINGS = {"api_key": "braze-harness-test-key", "endpoint": "https://rest.iad-01.braze.com"}


def call(rng: random.Random, i: int) -> Event:
    user = f"user-{rng.randint(0, 500)}"
    if i % 2 == 0:
        return {
            "type": "identify",
            "userId": user,
            "traits": {
                "email": f"{user}@example.com",
                "firstName": "Ada",
                "plan": rng.choice(["free", "pro"]),
                "logins": rng.randint(0, 500),
                "vip": rng.random() < 0.2,
                "address": {"city": "Paris", "country": "FR"},
            },
            "context": {"library": {"name": "analytics-python", "version": "2.4.0"}},
            "timestamp": "2024-05-01T11:59:59.000Z",
        }
    return {
        "type": "track",
        "userId": user,
        "event": rng.choice(["Video Played", "Signed Up", "Lesson Completed"]),
        "properties": {"video_id": f"v{i}", "duration": 12.5, "tags": ["x"], "meta": {"a": 1}},
        "context": {"library": {"name": "analytics-python", "version": "2.4.0"}},
        "timestamp": "2024-05-01T11:59:59.000Z",
    }


def requests_of(total: int, size: int) -> list[Event]:
    rng = random.Random(7)
    calls = [call(rng, i) for i in range(total)]
    return [{"batch": calls[i : i + size], "sentAt": "2024-05-01T12:00:00.000Z"} for i in range(0, total, size)]


def whole_path(bodies: list[Event]) -> Callable[[], None]:
    def run() -> None:
        segment = FakeSegment(FakeBraze(clock=FixedClock("2024-05-01T12:00:00Z"), rate_limited=False))
        for body in bodies:
            reply = segment.send("/v1/batch", body, write_key="wk")
            assert reply.status == 200

    return run


def enriched(bodies: list[Event]) -> list[list[Event]]:
    """The events as the fake Segment stores them, per request (so the baselines translate the same thing)."""
    segment = FakeSegment(FakeBraze(clock=FixedClock("2024-05-01T12:00:00Z"), rate_limited=False))
    return [[r.payload for r in segment.send("/v1/batch", body, write_key="wk").records] for body in bodies]


def translate_only(requests: list[list[Event]], braze: bool) -> Callable[[], None]:
    def run() -> None:
        fake = FakeBraze(clock=FixedClock("2024-05-01T12:00:00Z"), rate_limited=False) if braze else None
        for events in requests:
            routes: dict[tuple[str | None, str], list[Event]] = {}
            for event in events:
                for route in choose_routes(event):
                    routes.setdefault(route, []).append(event)
            for (preset, action), batch in routes.items():
                for start in range(0, len(batch), 75):
                    result = translate(
                        batch[start : start + 75], preset=preset, action=None if preset else action, settings=SETTINGS
                    )
                    if fake is not None:
                        for request in result.requests:
                            host = urlsplit(request.url).netloc
                            fake.call(
                                request.path, request.body, method=request.method, host=host, headers=request.headers
                            )

    return run


def best(runs: dict[str, Callable[[], None]], repeat: int) -> dict[str, float]:
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.process_time()
            run()
            timings[name].append(time.process_time() - start)
    return {name: min(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    bodies = requests_of(args.events, args.batch)
    stored = enriched(bodies)
    runs = {
        "fake Segment → Braze": whole_path(bodies),
        "translate alone": translate_only(stored, braze=False),
        "translate + FakeBraze.call": translate_only(stored, braze=True),
    }
    seconds = best(runs, args.repeat)
    rate = {name: args.events / s for name, s in seconds.items()}
    print(f"{args.events} events in /v1/batch requests of {args.batch}, CPU time, best of {args.repeat}")
    for name, value in rate.items():
        print(f"  {name:28s} {value:10,.0f} events/s")
    whole = seconds["fake Segment → Braze"]
    print(f"  ratio whole path / translate alone:            {whole / seconds['translate alone']:.2f}x")
    print(f"  ratio whole path / translate + FakeBraze.call: {whole / seconds['translate + FakeBraze.call']:.2f}x")


if __name__ == "__main__":
    main()
