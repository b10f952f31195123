"""Live-server throughput: /users/track (75 attributes + 75 events) vs a constant endpoint, same server.

Starts the fake exactly as `braze-harness serve --rate-limit off` does (waitress, 8 threads) in a
child process, with one extra route that reads the body and returns a constant. Then client
processes with keep-alive connections post the same body to each endpoint for a fixed time.
Prints both throughputs and their ratio (targets: >= 1,000 requests/s, ratio >= 0.6).

    python benchmarks/serve_throughput.py [--seconds 5] [--clients 4] [--repeat 3]

Each figure is the best of `--repeat` runs, the two endpoints measured alternately. The clients share
the machine's cores with the server: on 2 cores the constant endpoint is client-bound and /users/track
server-bound (one core: the GIL). The server answers /users/track on its I/O thread and the constant
route (not a Braze endpoint) on its workers, as `serve` does. Experiments: THREADS=N (waitress workers,
default 8), SWITCH=S (sys.setswitchinterval) and CONSTANT_INLINE=1 (the constant route on the I/O thread
too) in the environment change the server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import subprocess
import sys
import time


def body() -> bytes:
    attributes = [
        {
            "external_id": f"user-{i}",
            "first_name": "Jane",
            "plan": "pro",
            "logins": i,
            "vip": i % 2 == 0,
            "tags": ["a", "b"],
            "signup": "2024-01-01T00:00:00.000Z",
        }
        for i in range(75)
    ]
    events = [
        {
            "external_id": f"user-{i}",
            "app_id": "app",
            "name": "Video Played",
            "time": "2024-03-01T12:00:00.000Z",
            "properties": {"video_id": f"v{i}", "duration": 12.5, "autoplay": False},
            "_update_existing_only": False,
        }
        for i in range(75)
    ]
    return json.dumps({"attributes": attributes, "events": events}).encode()


def serve(port_pipe: int) -> None:
    from flask import Response, request

    from harness.braze import FakeBrazeConfig, LiveServer
    from harness.braze.fake import FakeBraze

    fake = FakeBraze(FakeBrazeConfig(rate_limited=False, journal_max_entries=1000))

    def constant() -> Response:
        request.get_data()
        return Response(b'{"message":"success"}', status=201, mimetype="application/json")

    fake.app.add_url_rule("/_bench/constant", "bench_constant", constant, methods=["POST"])
    import os

    if os.environ.get("SWITCH"):
        sys.setswitchinterval(float(os.environ["SWITCH"]))
    if os.environ.get("CONSTANT_INLINE"):  # the constant route on the I/O thread too, as plain Braze POSTs are
        from harness.braze.http import server as live

        live.PLAIN_POSTS = {**live.PLAIN_POSTS, "/_bench/constant": None}  # type: ignore[dict-item]
    server = LiveServer(fake, port=0, threads=int(os.environ.get("THREADS", "8")))
    print(server.port, flush=True)
    server.serve_forever()


def client(port: int, path: str, seconds: float, payload: bytes, out: mp.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Content-Type": "application/json", "Authorization": "Bearer bench-key"}
    done = errors = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        conn.request("POST", path, body=payload, headers=headers)
        response = conn.getresponse()
        response.read()
        done += 1
        errors += response.status != 201
    out.put((done, errors))


def measure(port: int, path: str, seconds: float, clients: int, payload: bytes) -> float:
    out: mp.Queue = mp.Queue()
    procs = [mp.Process(target=client, args=(port, path, seconds, payload, out)) for _ in range(clients)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    total, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    if errors:
        raise SystemExit(f"{errors} non-201 answers from {path}")
    return total / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.server:
        serve(1)
        return
    server = subprocess.Popen([sys.executable, __file__, "--server"], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        payload = body()
        measure(port, "/users/track", 0.5, args.clients, payload)  # warm up
        track = constant = 0.0
        for _ in range(args.repeat):
            track = max(track, measure(port, "/users/track", args.seconds, args.clients, payload))
            constant = max(constant, measure(port, "/_bench/constant", args.seconds, args.clients, payload))
    finally:
        server.terminate()
        server.wait()
    print(
        f"body: {len(payload):,} bytes (75 attributes + 75 events), {args.clients} keep-alive clients, "
        f"best of {args.repeat} x {args.seconds:g} s each"
    )
    print(f"/users/track       {track:8.0f} requests/s   (target >= 1,000)")
    print(f"constant endpoint  {constant:8.0f} requests/s")
    print(f"ratio              {track / constant:8.2f}        (target >= 0.6)")


if __name__ == "__main__":
    main()
