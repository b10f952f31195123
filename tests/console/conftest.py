"""Real-browser fixtures: Playwright for Python driving Debian's Chromium (`/usr/bin/chromium`).

Playwright's own browser download is not reachable here, so the system browser is launched with the
flags that keep it off the network. Without it (or without the `playwright` package) the browser tests
are skipped with the reason, unless `BRAZE_HARNESS_REQUIRE_BROWSER=1` (CI), which fails them instead.
One browser per test session (per xdist worker); a fresh context per test; any console error or page
error fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.braze import FakeBraze, LiveServer
from harness.console import mount

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 5_000


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _unavailable()
    if reason is not None:
        if os.environ.get("BRAZE_HARNESS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"BRAZE_HARNESS_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(f"no real browser: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives every run a fresh, temporary user data dir of its own
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Served:
    """A fake with its console, served on a free loopback port for one test."""

    def __init__(self, **config: Any) -> None:
        self.fake = FakeBraze(**config)
        mount(self.fake.app, self.fake)
        self.server = LiveServer(self.fake).start()
        self.url = self.server.url
        self.console = f"{self.url}/_harness/ui"


@pytest.fixture
def served() -> Iterator[Served]:
    running = Served()
    yield running
    running.server.stop()


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    problems: list[str] = []
    opened.on(
        "console",
        lambda message: problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None,
    )
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield opened
    opened.close()  # the live stream's EventSource closes with the page, before the server stops
    context.close()
    assert problems == [], "JavaScript errors in the console:\n" + "\n".join(problems)
