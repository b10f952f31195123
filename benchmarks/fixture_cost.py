#!/usr/bin/env python3
"""Per-test cost of the `fake_braze` fixture against a bare `respx_mock` fixture, in the same run.

    python benchmarks/fixture_cost.py [--tests 200] [--repeat 5] [--harness DIR]

Each variant is a file of `--tests` identical tests run by its own pytest process; a conftest takes the
CPU time of the process around each test's whole protocol (setup, call, teardown, reports). The steady
cost of a test is the median over all tests but the first; the first test's excess over it is what the
first use costs once per process (the fake's first use imports Flask, jsonschema and the contracts).
Variants, interleaved, best of `--repeat`:
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
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CONFTEST = """
import json, os, time
import pytest

TIMES = []

@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start = time.process_time()
    try:
        return (yield)
    finally:
        TIMES.append(time.process_time() - start)

def pytest_sessionfinish(session):
    with open(os.environ["FIXTURE_COST_OUT"], "w") as out:
        json.dump(TIMES, out)
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


def write_variants(directory: Path, tests: int) -> dict[str, Path]:
    (directory / "conftest.py").write_text(CONFTEST)
    files = {}
    for index, (label, body) in enumerate(BODIES.items()):
        path = directory / f"test_variant_{index}.py"
        path.write_text(HEADER + "\n\n" + "\n\n".join(body.format(n=n) for n in range(tests)))
        files[label] = path
    return files


def run(path: Path, env: dict[str, str]) -> list[float]:
    """CPU seconds of each test, in order."""
    out = path.with_suffix(".json")
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", path.name]
    subprocess.run(args, cwd=path.parent, env={**env, "FIXTURE_COST_OUT": str(out)}, check=True, capture_output=True)
    times: list[float] = json.loads(out.read_text())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--harness", type=Path, help="a checkout whose harness package to measure instead")
    options = parser.parse_args()
    env = dict(os.environ)
    if options.harness:
        env["PYTHONPATH"] = os.pathsep.join([str(options.harness.resolve()), env.get("PYTHONPATH", "")])
    with tempfile.TemporaryDirectory() as scratch:
        files = write_variants(Path(scratch), options.tests)
        per_test = {label: float("inf") for label in files}
        once = {label: float("inf") for label in files}
        for _ in range(options.repeat):
            for label, path in files.items():
                times = run(path, env)
                assert len(times) == options.tests, (label, len(times))
                steady = statistics.median(times[1:])
                per_test[label] = min(per_test[label], steady)
                once[label] = min(once[label], times[0] - steady)
    floor = per_test["empty"]
    runs = f"median of {options.tests} tests, best of {options.repeat} runs"
    print(f"CPU per test ({runs}), and the first test's excess:")
    for label in BODIES:
        over = (per_test[label] - floor) * 1000
        print(f"  {label:22s} {per_test[label] * 1000:6.3f} ms per test   over the floor {over:6.3f} ms", end="")
        print(f"   first use {once[label] * 1000:6.0f} ms")
    for kind in ("", " + request"):
        fake, respx = per_test[f"fake_braze{kind}"], per_test[f"respx{kind}"]
        print(
            f"fake_braze{kind} / respx{kind}: {fake / respx:.2f}x per test, "
            f"{(fake - floor) / max(respx - floor, 1e-9):.2f}x over the floor (target <= 2x)"
        )


if __name__ == "__main__":
    main()
