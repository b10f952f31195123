#!/usr/bin/env python3
"""Per-test cost of the `fake_braze` fixture against a bare `respx_mock` fixture, in the same run.

    python benchmarks/fixture_cost.py [--tests 300] [--repeat 5] [--harness DIR]

Each variant is a file of identical tests run by its own pytest process; a conftest times the test loop
(setup, call and teardown of every test, CPU time of the process). Every variant runs with `--tests` and
with twice as many tests: the difference is the steady cost of one more test, the rest is paid once per
process (the fake's first use imports Flask, jsonschema and the contracts). Variants, interleaved, best
of `--repeat`:
- `empty`: no fixture (pytest's own cost per test, the floor);
- `respx`, `fake_braze`: the fixture only;
- `respx + request`, `fake_braze + request`: one POST /users/track through a module-level httpx client,
  to a static respx route vs into the fake (parse, contract, rules, state, journal).
Ratios are fake_braze / respx, raw and over the floor. Target: at most 2x. `--harness DIR` puts another
checkout's `harness` package first on the path (e.g. an older commit, for a before/after figure).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CONFTEST = """
import json, os, time
import pytest

@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session):
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        return (yield)
    finally:
        with open(os.environ["FIXTURE_COST_OUT"], "w") as out:
            json.dump({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                       "tests": session.testscollected}, out)
"""

HEADER = """
import httpx

URL = "https://rest.iad-01.braze.com/users/track"
BODY = {"events": [{"external_id": "u1", "name": "Signed Up", "time": "2024-05-01T10:00:00Z"}]}
HEADERS = {"Authorization": "Bearer k"}
CLIENT = httpx.Client()
"""

BODIES = {
    "empty": "def test_{n}():\n    pass\n",
    "respx": "def test_{n}(respx_mock):\n    pass\n",
    "fake_braze": "def test_{n}(fake_braze):\n    pass\n",
    "respx + request": (
        "def test_{n}(respx_mock):\n"
        '    respx_mock.post(URL).respond(201, json={{"message": "success", "events_processed": 1}})\n'
        "    assert CLIENT.post(URL, json=BODY, headers=HEADERS).status_code == 201\n"
    ),
    "fake_braze + request": (
        "def test_{n}(fake_braze):\n    assert CLIENT.post(URL, json=BODY, headers=HEADERS).status_code == 201\n"
    ),
}


def write_variants(directory: Path, tests: int) -> dict[tuple[str, int], Path]:
    (directory / "conftest.py").write_text(CONFTEST)
    files = {}
    for index, (label, body) in enumerate(BODIES.items()):
        for count in (tests, 2 * tests):
            path = directory / f"test_variant_{index}_{count}.py"
            path.write_text(HEADER + "\n\n" + "\n\n".join(body.format(n=n) for n in range(count)))
            files[label, count] = path
    return files


def run(path: Path, env: dict[str, str]) -> dict[str, float]:
    out = path.with_suffix(".json")
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", path.name]
    subprocess.run(args, cwd=path.parent, env={**env, "FIXTURE_COST_OUT": str(out)}, check=True, capture_output=True)
    result: dict[str, float] = json.loads(out.read_text())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--harness", type=Path, help="a checkout whose harness package to measure instead")
    options = parser.parse_args()
    env = dict(os.environ)
    if options.harness:
        env["PYTHONPATH"] = os.pathsep.join([str(options.harness.resolve()), env.get("PYTHONPATH", "")])
    n = options.tests
    with tempfile.TemporaryDirectory() as scratch:
        files = write_variants(Path(scratch), n)
        best = {key: float("inf") for key in files}
        for _ in range(options.repeat):
            for (label, count), path in files.items():
                measured = run(path, env)
                assert measured["tests"] == count, measured
                best[label, count] = min(best[label, count], measured["cpu"])
    per_test = {label: (best[label, 2 * n] - best[label, n]) / n for label in BODIES}
    once = {label: best[label, n] - n * per_test[label] for label in BODIES}
    floor = per_test["empty"]
    print(f"CPU per test (runs of {n} and {2 * n} tests, best of {options.repeat}), and paid once per process:")
    for label in BODIES:
        over = (per_test[label] - floor) * 1000
        print(f"  {label:22s} {per_test[label] * 1000:6.3f} ms per test   over the floor {over:6.3f} ms", end="")
        print(f"   once {once[label] * 1000:6.0f} ms")
    for kind in ("", " + request"):
        fake, respx = per_test[f"fake_braze{kind}"], per_test[f"respx{kind}"]
        whole = best[f"fake_braze{kind}", 2 * n] / best[f"respx{kind}", 2 * n]
        print(
            f"fake_braze{kind} / respx{kind}: {fake / respx:.2f}x per test, "
            f"{(fake - floor) / max(respx - floor, 1e-9):.2f}x over the floor (target <= 2x); "
            f"{whole:.2f}x for the whole run of {2 * n} tests, first use included"
        )


if __name__ == "__main__":
    main()
