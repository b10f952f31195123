#!/usr/bin/env python3
"""What installing the harness costs a pytest run that never uses its fixtures.

    python benchmarks/pytest_startup.py [--repeat 7] [--no-bytecode-cache]

Runs `pytest` on one trivial test in a scratch directory, best of `--repeat` (interleaved), with:
- every installed plugin (the current environment, e.g. `.[test]`);
- every installed plugin except those a plain `pip install segment-braze-harness` brings: the harness's
  own (`braze_harness`) and those of its hard dependencies (read from the installed metadata), so the
  difference is what the harness costs by being installed;
- each of those plugins alone disabled, to show which one costs what.
Bytecode caching is on (as for a user: `PYTHONDONTWRITEBYTECODE` is cleared) after one warm-up run.
Figures are CPU time of the pytest process (user + system), which a busy machine disturbs less than
wall time.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

DIST = "segment-braze-harness"


def plugins_of(dist_name: str) -> list[str]:
    try:
        dist = importlib.metadata.distribution(dist_name)
    except importlib.metadata.PackageNotFoundError:
        return []
    return [ep.name for ep in dist.entry_points if ep.group == "pytest11"]


def hard_dependency_plugins() -> dict[str, list[str]]:
    """pytest plugins a plain install of the harness loads: its own, and its hard dependencies' (recursively)."""
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    todo = [DIST]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        seen.add(key)
        plugins = plugins_of(name)
        if plugins:
            found[name] = plugins
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            if "extra ==" in requirement:
                continue
            todo.append(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])
    found.pop("pytest", None)
    return found


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(directory: Path, disabled: list[str], env: dict[str, str]) -> float:
    """CPU seconds of one pytest process (steadier than wall time on a shared machine)."""
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_trivial.py"]
    for name in disabled:
        args += ["-p", f"no:{name}"]
    start = _children_cpu()
    subprocess.run(args, cwd=directory, env=env, check=True, capture_output=True)
    return _children_cpu() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="measure with PYTHONDONTWRITEBYTECODE=1 (every import compiles)",
    )
    options = parser.parse_args()
    owned = hard_dependency_plugins()
    names = [p for plugins in owned.values() for p in plugins]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if options.no_bytecode_cache:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        (directory / "test_trivial.py").write_text("def test_nothing():\n    pass\n")
        variants = {"all installed plugins": [], "without the harness's": names}
        variants.update({f"without {name}": [name] for name in names})
        run(directory, [], env)  # warm-up: bytecode caches
        best = {label: float("inf") for label in variants}
        for _ in range(options.repeat):
            for label, disabled in variants.items():
                best[label] = min(best[label], run(directory, disabled, env))
    print(f"plugins a plain install of {DIST} loads: {owned or 'none'}")
    base = best["without the harness's"]
    for label, seconds in best.items():
        print(f"{label:40s} {seconds * 1000:7.0f} ms")
    print(
        f"cost of the harness being installed: {(best['all installed plugins'] - base) * 1000:.0f} ms per pytest start"
    )
    for name in names:
        print(f"  {name:20s} {(best['all installed plugins'] - best[f'without {name}']) * 1000:5.0f} ms")


if __name__ == "__main__":
    main()
