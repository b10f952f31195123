#!/usr/bin/env python3
"""Translation cost per preset: `translate(event)` against `json.loads` + `json.dumps` of the same events.

    python benchmarks/translate_bench.py [--events 2000] [--repeat 7] [--preset NAME]

For every preset Segment ships with Braze Cloud Mode (Actions) it builds events that preset takes
(Identify Calls: identifies, Track Calls: tracks, the ecommerce presets: their Spec events, the
event-specific presets: warehouse / Journeys events), checks that they translate without error, and
measures, interleaved in the same run, `translate(event)` (automatic presets routed as a default
install routes them; event-specific ones named with `preset=`) and the floor of parsing and
re-serializing the same events with the json module. It prints events/s for both and their ratio
per preset (the target is at most 5x the floor for every preset), then batches of 75.
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


def _products(rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "product_id": f"p-{k}",
            "name": "Sock",
            "variant": "red",
            "price": 9.99,
            "quantity": rng.randint(1, 3),
            "url": "https://shop.example.com/p",
            "image_url": "https://cdn.example.com/p.png",
        }
        for k in range(rng.randint(1, 3))
    ]


def ecommerce(name: str) -> Callable[[random.Random, int], Event]:
    """A Spec ecommerce event carrying what the matching Braze recommended event requires."""

    def make(rng: random.Random, i: int) -> Event:
        properties: dict[str, Any] = {
            "order_id": f"o-{i}",
            "checkout_id": f"c-{i}",
            "total": 29.97,
            "currency": "USD",
            "source": "web",
            "reason": "changed mind",
            "products": _products(rng),
            "order_status_url": "https://shop.example.com/o",
            "checkout_url": "https://shop.example.com/c",
        }
        return {
            "type": "track",
            "event": name,
            "messageId": f"m-{i}",
            "userId": f"user-{i}",
            "properties": properties,
            "context": {"traits": {"email": f"user{i}@example.com"}},
            "timestamp": _iso(rng),
            "receivedAt": _iso(rng),
        }

    return make


def product_viewed(rng: random.Random, i: int) -> Event:
    event = ecommerce("Product Viewed")(rng, i)
    event["properties"] = {**event["properties"]["products"][0], "currency": "USD", "source": "web"}
    return event


def warehouse(name: str) -> Callable[[random.Random, int], Event]:
    def make(rng: random.Random, i: int) -> Event:
        event = track(rng, i)
        event["event"] = name
        return event

    return make


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


PRESET_EVENTS: list[tuple[str, Callable[[random.Random, int], Event], bool]] = [
    ("Identify Calls", identify, True),
    ("Track Calls", track, True),
    ("Order Placed (beta)", purchase, True),
    ("Checkout Started (beta)", ecommerce("Checkout Started"), True),
    ("Order Refunded (beta)", ecommerce("Order Refunded"), True),
    ("Order Cancelled (beta)", ecommerce("Order Cancelled"), True),
    ("Product Viewed (beta)", product_viewed, True),
    ("Associated Entity Added", warehouse("Entity Added"), False),
    ("Associated Entity Removed", warehouse("Entity Removed"), False),
    ("Entities Audience Entered", warehouse("Audience Entered"), False),
    ("Entities Exited", warehouse("Audience Exited"), False),
    ("Entities Audience Membership Changed", identify, False),
    ("Journeys Step Transition Track", warehouse("Step Entered"), False),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--preset", action="append", help="only these presets (repeatable)")
    args = parser.parse_args(argv)
    rng = random.Random(4)
    print(f"{'preset':<40}{'translate ev/s':>16}{'json floor ev/s':>18}{'ratio':>8}")
    worst = (0.0, "")
    for name, make, automatic in PRESET_EVENTS:
        if args.preset and name not in args.preset:
            continue
        events = [make(rng, i) for i in range(args.events)]
        texts = [json.dumps(e) for e in events]
        options: dict[str, Any] = {} if automatic else {"preset": name}
        for event in events[:50]:
            result = translate(event, **options)
            assert result.ok and result.preset == name, (name, result.to_json())
        seconds, floor = measure(
            lambda events=events, options=options: [translate(e, **options) for e in events],
            lambda texts=texts: [json.dumps(json.loads(t)) for t in texts],
            args.repeat,
        )
        ratio = seconds / floor
        worst = max(worst, (ratio, name))
        print(f"{name:<40}{args.events / seconds:>16,.0f}{args.events / floor:>18,.0f}{ratio:>7.1f}x")
    if not args.preset:
        print()
        print(f"{'batches of 75':<40}{'translate ev/s':>16}{'json floor ev/s':>18}{'ratio':>8}")
        for label, make, action in (
            ("identify (updateUserProfile)", identify, "updateUserProfile"),
            ("track (trackEvent)", track, "trackEvent"),
            ("purchase (trackPurchase)", purchase, "trackPurchase"),
            ("Order Completed (ecommerce preset)", purchase, None),
        ):
            events = [make(rng, i) for i in range(args.events)]
            texts = [json.dumps(e) for e in events]
            options = {"action": action} if action else {"preset": "Order Placed (beta)"}
            seconds, floor = measure(
                lambda events=events, options=options: translate(events, **options),
                lambda texts=texts: [json.dumps(json.loads(t)) for t in texts],
                args.repeat,
            )
            print(f"{label:<40}{args.events / seconds:>16,.0f}{args.events / floor:>18,.0f}{seconds / floor:>7.1f}x")
    print(f"\nworst single-event ratio: {worst[0]:.1f}x ({worst[1]}; target <= 5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
