#!/usr/bin/env python3
"""Memory of a long-running `braze-harness serve`: resident set size across 100,000 requests.

    python benchmarks/serve_memory.py [--requests 100000] [--clients 4] [--journal-max-entries 10000]

Starts `braze-harness serve --port 0 --rate-limit off` (plus the journal caps given) as a child process,
then client processes post small /users/track bodies (one attribute update and one event for one of
1,000 users, so the state itself stays bounded) over keep-alive connections. After every tenth of the
requests it prints the server's current RSS and peak RSS (VmHWM) from /proc, the journal's size and
what it dropped. Flat means: once the journal is full, RSS stops growing (the last column).
Linux only (/proc).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import subprocess
import sys
import time
from typing import Any

USERS = 1000


def body(n: int) -> bytes:
    user = f"user-{n % USERS}"
    return json.dumps(
        {
            "attributes": [{"external_id": user, "plan": "pro", "logins": n, "tags": ["a", "b"]}],
            "events": [
                {
                    "external_id": user,
                    "name": "Video Played",
                    "time": f"2024-03-{1 + n % 28:02d}T12:00:00.000Z",
                    "properties": {"video_id": f"v{n}", "duration": 12.5},
                }
            ],
        }
    ).encode()


def client(port: int, first: int, count: int, step: int, out: Any) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Content-Type": "application/json", "Authorization": "Bearer bench-key"}
    errors = 0
    for n in range(first, first + count * step, step):
        conn.request("POST", "/users/track", body=body(n), headers=headers)
        response = conn.getresponse()
        response.read()
        errors += response.status != 201
    out.put(errors)


def memory(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) in KiB."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def journal(port: int) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/_harness/requests?limit=0")
    data = json.loads(conn.getresponse().read())
    conn.request("GET", "/_harness/health")
    total = json.loads(conn.getresponse().read())["requests"]
    return total, data["dropped"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--journal-max-entries", default="10000")
    parser.add_argument("--journal-max-bytes", default="64M")
    args = parser.parse_args()
    command = [sys.executable, "-m", "harness.cli", "serve", "--port", "0", "--rate-limit", "off"]
    command += ["--journal-max-entries", args.journal_max_entries, "--journal-max-bytes", args.journal_max_bytes]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        banner = server.stdout.readline()  # type: ignore[union-attr]
        port = int(banner.split("listening on http://127.0.0.1:")[1].split()[0])
        rss0, _ = memory(server.pid)
        print(f"serve --journal-max-entries {args.journal_max_entries} --journal-max-bytes {args.journal_max_bytes}")
        columns = ("requests", 9), ("RSS MiB", 10), ("peak MiB", 10), ("journal", 9), ("dropped", 9), ("req/s", 8)
        print("".join(f"{name:>{width}}" for name, width in columns) + f"{'RSS since last':>16}")
        print(f"{0:>9}{rss0 / 1024:>10.1f}{rss0 / 1024:>10.1f}{0:>9}{0:>9}{'':>8}{'':>16}")
        step = args.requests // 10
        previous = rss0
        sent = 0
        for _tenth in range(10):
            out: Any = mp.Queue()
            per = step // args.clients
            started = time.perf_counter()
            procs = [
                mp.Process(target=client, args=(port, sent + c, per, args.clients, out)) for c in range(args.clients)
            ]
            for p in procs:
                p.start()
            errors = sum(out.get() for _ in procs)
            for p in procs:
                p.join()
            elapsed = time.perf_counter() - started
            if errors:
                raise SystemExit(f"{errors} non-201 answers")
            sent += per * args.clients
            rss, peak = memory(server.pid)
            kept, dropped = journal(port)
            change = (rss - previous) / 1024
            print(
                f"{sent:>9}{rss / 1024:>10.1f}{peak / 1024:>10.1f}{kept:>9}{dropped:>9}"
                f"{per * args.clients / elapsed:>8.0f}{change:>+15.1f}M"
            )
            previous = rss
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
