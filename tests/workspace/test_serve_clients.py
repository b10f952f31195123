"""Clients in other processes against `braze-harness serve`: curl with HTTP Basic, and @segment/analytics-node.

The Node test needs Node and `@segment/analytics-node` installed in a cache directory outside the repo
(`$BRAZE_HARNESS_NODE_CACHE`, default `~/.cache/segment-braze-harness/node`). The suite never downloads it:
when it is not there, `npm install --offline` tries the npm cache, and the test skips if that fails too
(so it skips on a CI runner without the package cached; `npm install --prefix DIR @segment/analytics-node`
once enables it).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli.test_serve_and_validate import start_serve

WORKSPACE = Path(__file__).resolve().parents[2] / "fixtures" / "segment" / "workspace.json"
NODE_CACHE = Path(os.environ.get("BRAZE_HARNESS_NODE_CACHE", Path.home() / ".cache" / "segment-braze-harness" / "node"))
NODE_SCRIPT = """
const { Analytics } = require(process.argv[1]);
const analytics = new Analytics({
  writeKey: 'wk_node_checkout', host: process.argv[2], flushAt: 20, flushInterval: 60000,
});
analytics.identify({ userId: 'node-1', traits: { plan: 'pro', firstName: 'Nia' } });
for (const n of [1, 2, 3]) analytics.track({ userId: 'node-1', event: 'Checkout Viewed', properties: { n } });
analytics.closeAndFlush({ timeout: 20000 }).then(() => console.log('flushed'));
"""


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    process, url = start_serve("--workspace", str(WORKSPACE))
    try:
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)


def test_curl_with_basic_auth_reaches_the_braze_profile(served: str) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    body = json.dumps({"userId": "curl-1", "traits": {"plan": "gold"}})
    out = subprocess.run(
        [
            curl,
            "-s",
            "-u",
            "wk_python_backend:",
            f"{served}/v1/identify",
            "-H",
            "Content-Type: application/json",
            "-d",
            body,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert json.loads(out) == {"success": True}
    bad = subprocess.run(
        [curl, "-s", "-w", " %{http_code}", "-u", "wk_python_backend:", f"{served}/v1/track", "-d", '{"userId": '],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    answer, status = bad.rsplit(" ", 1)
    assert status == "400" and json.loads(answer)["code"] == "bad_request"
    assert httpx.get(f"{served}/_harness/users/curl-1").json()["custom_attributes"] == {"plan": "gold"}
    [event] = httpx.get(f"{served}/_harness/segment/events?user_id=curl-1").json()["events"]
    assert event["source"] == "Python backend" and event["stage"] == "delivered"


def _analytics_node() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js and npm are not installed")
    module = NODE_CACHE / "node_modules" / "@segment" / "analytics-node"
    if not module.is_dir():
        NODE_CACHE.mkdir(parents=True, exist_ok=True)
        command = [npm, "install", "--offline", "--no-audit", "--no-fund", "--prefix", str(NODE_CACHE)]
        installed = subprocess.run([*command, "@segment/analytics-node@3"], capture_output=True, text=True, timeout=180)
        if installed.returncode != 0 or not module.is_dir():
            pytest.skip(
                f"@segment/analytics-node is not installed in {NODE_CACHE} nor in the npm cache (the suite never "
                f"downloads it); `npm install --prefix {NODE_CACHE} @segment/analytics-node` once enables this test"
            )
    return module


def test_analytics_node_unchanged_but_the_host_reaches_the_braze_profile(served: str) -> None:
    module = _analytics_node()
    run = subprocess.run(
        ["node", "-e", NODE_SCRIPT, str(module), served], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0 and "flushed" in run.stdout, run.stderr
    profile = httpx.get(f"{served}/_harness/users/node-1").json()
    assert profile["custom_attributes"] == {"plan": "pro"} and profile["standard"]["first_name"] == "Nia"
    assert profile["custom_events"]["Checkout Viewed"]["count"] == 3
    events = httpx.get(f"{served}/_harness/segment/events?user_id=node-1").json()["events"]
    assert {e["source"] for e in events} == {"Node checkout"}
    assert all(e["event"]["context"]["library"]["name"] == "@segment/analytics-node" for e in events)
