#!/usr/bin/env python3
"""Replay throughput and memory: events per second and peak RSS for 100k and 1M events.

    python benchmarks/replay_bench.py [--sizes 100000 1000000] [--users 20000] [--dir DIR] [--profile]
                                      [--workers 1 2] [--partitions 16]

`--workers 1 2` runs each size serially (one partition, today's batching) and with two worker processes
(`--partitions` partitions, default 16: `braze-harness replay --workers 2`); peak RSS then adds up the
parent and its workers (`RUSAGE_CHILDREN` of the child run: the largest worker).

Generates a JSON Lines file per size (identify / track / Order Completed, about 45/45/10, over a bounded
population of users), then replays each in a child process exactly as `braze-harness replay FILE --json
> /dev/null` does: translate in Segment's batches of 75, send each batch to the fake with
`FakeBraze.call` (contract check + apply, no HTTP, capped journal), diagnose, and write one JSON report
per event. Prints events/s and the child's peak RSS (`resource.getrusage`). Targets: at least 20,000
events/s, and peak RSS for 1M within 1.2x of the 100k run (memory stays flat as the input grows).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATE = 20_000
TARGET_RSS_RATIO = 1.2


def _stamp(n: int) -> str:
    seconds = n // 20  # 20 events per second of traffic: 1M events span about 14 hours
    return f"2024-03-0{1 + seconds // 86400}T{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _event(rng: random.Random, n: int, users: int) -> dict[str, Any]:
    user = f"user-{rng.randrange(users)}"
    stamp = _stamp(n)
    common = {
        "messageId": f"api-{n:09d}",
        "userId": user,
        "timestamp": f"{stamp}.000Z",
        "receivedAt": f"{stamp}.250Z",
        "context": {"library": {"name": "analytics-node-next", "version": "1.53.0"}},
    }
    roll = rng.random()
    if roll < 0.45:
        return {
            **common,
            "type": "identify",
            "traits": {
                "email": f"{user}@example.com",
                "firstName": "Ada",
                "plan": rng.choice(("free", "pro", "team")),
                "logins": rng.randrange(500),
                "vip": rng.random() < 0.1,
            },
        }
    if roll < 0.9:
        return {
            **common,
            "type": "track",
            "event": rng.choice(("Article Viewed", "Video Played", "Search Performed")),
            "properties": {"item": f"i-{rng.randrange(1000)}", "duration": round(rng.random() * 60, 1)},
        }
    count = rng.randint(1, 3)
    return {
        **common,
        "type": "track",
        "event": "Order Completed",
        "properties": {
            "order_id": f"o-{n}",
            "total": 19.99 * count,
            "currency": "USD",
            "source": "web",
            "products": [
                {"product_id": f"sku-{k}", "name": "Mug", "variant": "blue", "price": 19.99, "quantity": 1}
                for k in range(count)
            ],
        },
    }


def generate(path: Path, size: int, users: int) -> None:
    rng = random.Random(7)
    with path.open("wb") as out:
        for n in range(size):
            out.write(orjson.dumps(_event(rng, n, users), option=orjson.OPT_APPEND_NEWLINE))


def child(path: Path, profile: bool, workers: int = 1, partitions: int = 1) -> None:
    """Replay `path` with --json to /dev/null; print a JSON line with the timing and peak RSS."""
    from harness.replay.config import ReplayConfig
    from harness.replay.session import OutputOptions, replay_stream

    config = ReplayConfig.build(None)
    sink = open(os.devnull, "w")  # noqa: SIM115 - stands in for stdout for the whole run
    sys.stdout = sink
    start = time.perf_counter()
    with path.open("rb") as stream:
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            summary, _ = profiler.runcall(replay_stream, config, stream, OutputOptions(as_json=True))
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        else:
            summary, _ = replay_stream(
                config, stream, OutputOptions(as_json=True), partitions=partitions, workers=workers
            )
    elapsed = time.perf_counter() - start
    sys.stdout = sys.__stdout__
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if workers > 1 else 0
    print(
        json.dumps(
            {
                "events": summary.events,
                "seconds": elapsed,
                "peak_rss_mib": (peak_kib + workers * workers_kib) / 1024,
                **summary.to_json(),
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--users", type=int, default=20_000, help="population of distinct users")
    parser.add_argument("--dir", type=Path, help="where to write the event files (default: a temp dir)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each child run to stderr")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare")
    parser.add_argument("--partitions", type=int, default=16, help="partitions of the runs with workers > 1")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        partitions = args.partitions if args.child_workers > 1 else 1
        child(args.child, args.profile, args.child_workers, partitions)
        return 0
    directory = args.dir or Path(tempfile.mkdtemp(prefix="replay-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        path = directory / f"events-{size}.jsonl"
        if not path.exists():
            started = time.perf_counter()
            generate(path, size, args.users)
            mib = path.stat().st_size / 2**20
            print(f"generated {size:,} events ({mib:,.0f} MiB) in {time.perf_counter() - started:.0f} s")
        for workers in args.workers:
            command = [sys.executable, __file__, "--child", str(path), "--child-workers", str(workers)]
            command += ["--partitions", str(args.partitions)] + (["--profile"] if args.profile else [])
            done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
            if args.profile:
                print(done.stderr)
            result = json.loads(done.stdout.splitlines()[-1])
            result["workers"] = workers
            results.append(result)
            rate = result["events"] / result["seconds"]
            how = "serial" if workers == 1 else f"{workers} workers, {args.partitions} partitions"
            print(
                f"{size:>10,} events  {how:<26} {result['seconds']:7.1f} s  {rate:>9,.0f} events/s  "
                f"peak RSS {result['peak_rss_mib']:7.0f} MiB"
                f"  ({result['delivered']:,} delivered, {result['failed']:,} failed, {result['requests']:,} requests)"
            )
    for workers in args.workers:
        mine = [r for r in results if r["workers"] == workers]
        rates = [r["events"] / r["seconds"] for r in mine]
        print(f"\n{workers} worker(s): slowest rate {min(rates):,.0f} events/s (target >= {TARGET_RATE:,})")
        if len(mine) > 1:
            ratio = mine[-1]["peak_rss_mib"] / mine[0]["peak_rss_mib"]
            sizes = f"{mine[-1]['events']:,} / {mine[0]['events']:,} events"
            print(f"peak RSS {sizes}: {ratio:.2f}x (target <= {TARGET_RSS_RATIO}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
