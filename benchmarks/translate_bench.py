#!/usr/bin/env python3
"""Translation throughput: events per second, against `json.loads` + `json.dumps` of the same events.

    python benchmarks/translate_bench.py [--events 2000] [--repeat 5]

For identify, track and purchase events it measures `translate(event)` (the default route: preset
Identify Calls, Track Calls, and both trackPurchase and the Order Placed preset for purchases) and,
in the same run, the floor of parsing and re-serializing the same events with the json module. It
prints events/s for both and their ratio (the target is at most 5x the floor), then the same for
batches of 75.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.translate import translate

Event = dict[str, Any]


def _iso(rng: random.Random) -> str:
    return f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T1{rng.randint(0, 9)}:0{rng.randint(0, 9)}:00.000Z"


def identify(rng: random.Random, i: int) -> Event:
    return {
        "type": "identify",
        "messageId": f"m-{i}",
        "userId": f"user-{i}",
        "anonymousId": f"anon-{i}",
        "traits": {
            "email": f"user{i}@example.com",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "phone": "+15555550100",
            "gender": rng.choice(["female", "male", "other"]),
            "address": {"city": "Paris", "country": "FR"},
            "plan": rng.choice(["free", "pro"]),
            "logins": rng.randint(0, 500),
            "ltv": round(rng.random() * 1000, 2),
            "vip": rng.random() < 0.2,
            "tags": ["a", "b"],
            "createdAt": _iso(rng),
        },
        "context": {"ip": "8.8.8.8", "location": {"country": "France", "latitude": 48.85, "longitude": 2.35}},
        "timestamp": _iso(rng),
        "receivedAt": _iso(rng),
    }


def track(rng: random.Random, i: int) -> Event:
    return {
        "type": "track",
        "event": rng.choice(["Video Played", "Signed Up", "Button Clicked"]),
        "messageId": f"m-{i}",
        "userId": f"user-{i}",
        "anonymousId": f"anon-{i}",
        "properties": {
            "video_id": f"v{i}",
            "duration": 12.5,
            "autoplay": False,
            "tags": ["x"],
            "meta": {"a": 1},
        },
        "context": {"traits": {"email": f"user{i}@example.com"}, "library": {"name": "analytics.js"}},
        "timestamp": _iso(rng),
        "receivedAt": _iso(rng),
    }


def purchase(rng: random.Random, i: int) -> Event:
    products = [
        {
            "product_id": f"p-{k}",
            "name": "Sock",
            "variant": "red",
            "price": 9.99,
            "quantity": rng.randint(1, 3),
        }
        for k in range(rng.randint(1, 3))
    ]
    return {
        "type": "track",
        "event": "Order Completed",
        "messageId": f"m-{i}",
        "userId": f"user-{i}",
        "properties": {
            "order_id": f"o-{i}",
            "total": 29.97,
            "currency": "USD",
            "source": "web",
            "coupon": "SPRING",
            "products": products,
        },
        "context": {"traits": {"email": f"user{i}@example.com"}},
        "timestamp": _iso(rng),
        "receivedAt": _iso(rng),
    }


def measure(run: Callable[[], Any], floor: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best CPU time of each, interleaved so that both see the same machine load."""
    runs, floors = [], []
    for _ in range(repeat):
        start = time.process_time()
        floor()
        floors.append(time.process_time() - start)
        start = time.process_time()
        run()
        runs.append(time.process_time() - start)
    return min(runs), min(floors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(4)
    kinds: list[tuple[str, Callable[[random.Random, int], Event], dict[str, Any]]] = [
        ("identify (Identify Calls)", identify, {}),
        ("track (Track Calls)", track, {}),
        ("purchase (trackPurchase)", purchase, {"action": "trackPurchase"}),
        ("purchase (Order Placed preset)", purchase, {}),
    ]
    print(f"{'events':<32}{'translate ev/s':>16}{'json floor ev/s':>18}{'ratio':>8}")
    worst = 0.0
    for label, make, options in kinds:
        events = [make(rng, i) for i in range(args.events)]
        texts = [json.dumps(e) for e in events]
        for event in events[:50]:
            assert translate(event, **options).ok
        seconds, floor = measure(
            lambda events=events, options=options: [translate(e, **options) for e in events],
            lambda texts=texts: [json.dumps(json.loads(t)) for t in texts],
            args.repeat,
        )
        ratio = seconds / floor
        worst = max(worst, ratio)
        print(f"{label:<32}{args.events / seconds:>16,.0f}{args.events / floor:>18,.0f}{ratio:>7.1f}x")
    print()
    print(f"{'batches of 75':<32}{'translate ev/s':>16}{'json floor ev/s':>18}{'ratio':>8}")
    for label, make, options in kinds[:3]:
        events = [make(rng, i) for i in range(args.events)]
        texts = [json.dumps(e) for e in events]
        action = options.get("action") or ("updateUserProfile" if events[0]["type"] == "identify" else "trackEvent")
        seconds, floor = measure(
            lambda events=events, action=action: translate(events, action=action),
            lambda texts=texts: [json.dumps(json.loads(t)) for t in texts],
            args.repeat,
        )
        print(f"{label:<32}{args.events / seconds:>16,.0f}{args.events / floor:>18,.0f}{seconds / floor:>7.1f}x")
    print(f"\nworst single-event ratio: {worst:.1f}x (target <= 5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
