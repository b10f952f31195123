"""`serve --state FILE` against in-memory `serve`: /users/track throughput, the two servers side by side.

Starts `braze-harness serve --rate-limit off` twice as child processes, one in memory and one keeping its
state in a fresh SQLite file (`--state`), and measures both with the same keep-alive client processes,
alternately, for a large body (75 attributes + 75 events, the users a request touches are written) and a
small one (1 attribute + 1 event, where the per-request transaction dominates). Prints requests/s of each
and the ratio state / memory (a ratio survives a busy machine better than an absolute figure).

    python benchmarks/serve_state.py [--seconds 4] [--clients 4] [--repeat 3]

Each figure is the best of `--repeat` runs. The servers share the machine's cores with the clients.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from serve_throughput import body, measure


def small_body() -> bytes:
    return json.dumps(
        {
            "attributes": [{"external_id": "user-1", "plan": "pro", "logins": 3}],
            "events": [{"external_id": "user-1", "name": "Video Played", "time": "2024-03-01T12:00:00.000Z"}],
        }
    ).encode()


def start(*args: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "serve", "--port", "0", "--rate-limit", "off", "--no-console", *args],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()  # type: ignore[union-attr]
    if "listening on http://" not in line:
        process.kill()
        raise SystemExit(f"serve did not start: {line!r}")
    return process, int(line.split("listening on ")[1].split()[0].rsplit(":", 1)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        state_file = Path(folder) / "state.sqlite"
        memory, memory_port = start()
        kept, kept_port = start("--state", str(state_file))
        try:
            rows = []
            for label, payload in (("75 attributes + 75 events", body()), ("1 attribute + 1 event", small_body())):
                for port in (memory_port, kept_port):
                    measure(port, "/users/track", 0.5, args.clients, payload)  # warm up
                best_memory = best_kept = 0.0
                for _ in range(args.repeat):
                    best_memory = max(
                        best_memory, measure(memory_port, "/users/track", args.seconds, args.clients, payload)
                    )
                    best_kept = max(best_kept, measure(kept_port, "/users/track", args.seconds, args.clients, payload))
                rows.append((label, len(payload), best_memory, best_kept))
        finally:
            for process in (memory, kept):
                process.terminate()
                process.wait()
        size = state_file.stat().st_size if state_file.exists() else 0
    print(
        f"{args.clients} keep-alive clients, best of {args.repeat} x {args.seconds:g} s each; state file {size:,} bytes"
    )
    print(f"{'body':28} {'bytes':>7} {'in memory':>12} {'--state':>12} {'ratio':>7}")
    for label, length, best_memory, best_kept in rows:
        print(f"{label:28} {length:7,} {best_memory:10.0f}/s {best_kept:10.0f}/s {best_kept / best_memory:7.2f}")


if __name__ == "__main__":
    main()
