"""Regenerate the README's console screenshots: a fake with sample traffic, photographed in Chromium.

    python docs/screenshots/regenerate.py            # writes docs/screenshots/*.png

Needs the test extra (`playwright`) and Debian's Chromium at /usr/bin/chromium (`apt-get install -y
chromium`; Playwright's own browser download is not used). The fake runs on a fixed clock, so the pictures
change only when the console does. Viewport-sized shots at 1280×800 and one narrow window (390 px).
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from harness.braze import FakeBraze, LiveServer
from harness.clock import FixedClock
from harness.console import mount

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KEY = {"Authorization": "Bearer demo-rest-key-0001"}
COHORT = {"partner_api_key": "demo-partner-key-0001", "client_secret": "demo-secret-0001"}


def traffic(url: str, clock: FixedClock) -> None:
    """What a small integration sends: identifies, events, a bad purchase, a cohort."""

    def send(path: str, body: dict[str, object]) -> None:
        clock.advance(timedelta(seconds=1.3))
        httpx.post(url + path, json=body, headers=KEY)

    send(
        "/users/track",
        {
            "attributes": [
                {
                    "external_id": "user-ada",
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "email": "ada@example.com",
                    "country": "GB",
                    "plan": "pro",
                    "logins": 12,
                }
            ]
        },
    )
    for name in ("Article Viewed", "Article Viewed", "Order Completed"):
        send(
            "/users/track",
            {
                "events": [
                    {
                        "external_id": "user-ada",
                        "name": name,
                        "time": "2024-03-01T11:58:00Z",
                        "properties": {"source": "web"},
                    }
                ]
            },
        )
    send(
        "/users/track",
        {
            "purchases": [
                {
                    "external_id": "user-ada",
                    "product_id": "sku-42",
                    "currency": "EUR",
                    "price": 19.5,
                    "time": "2024-03-01T11:59:00Z",
                }
            ]
        },
    )
    send(
        "/users/track",
        {
            "purchases": [
                {
                    "external_id": "user-bob",
                    "product_id": "sku-7",
                    "currency": "usd",
                    "price": 5,
                    "time": "2024-03-01T11:59:30Z",
                }
            ],
            "evnts": [],
        },
    )
    send(
        "/users/track",
        {
            "attributes": [
                {
                    "user_alias": {"alias_name": "anon-3f4b", "alias_label": "segment_anonymous_id"},
                    "_update_existing_only": False,
                    "visits": 2,
                }
            ]
        },
    )
    send(
        "/partners/segment/cohorts",
        {**COHORT, "cohort_id": "c-first", "name": "first_time_shopper", "created_at": "2024-03-01T12:00:00Z"},
    )
    send(
        "/partners/segment/cohorts/users",
        {**COHORT, "cohort_id": "c-first", "cohort_changes": [{"user_ids": ["user-ada", "user-cyd"]}]},
    )


def main() -> int:
    clock = FixedClock("2024-03-01T12:00:00Z")
    fake = FakeBraze(clock=clock, data_import_keys=("demo-secret-0001",))
    mount(fake.app, fake)
    fake.save_segment(
        "Pro readers",
        {
            "and": [
                {"custom_attribute": "plan", "op": "equals", "value": "pro"},
                {"custom_event": "Article Viewed", "op": "more_than", "count": 1},
            ]
        },
    )
    with LiveServer(fake) as server, sync_playwright() as playwright:
        console = f"{server.url}/_harness/ui"
        traffic(server.url, clock)
        fake.faults.add({"kind": "status", "status": 503, "path": "/users/track", "times": 2})
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        wide = browser.new_page(viewport={"width": 1280, "height": 800})
        wide.goto(f"{console}/")
        wide.wait_for_selector("#live[data-state=live]")
        clock.advance(2)
        httpx.post(
            f"{server.url}/users/track",
            headers=KEY,
            json={"events": [{"external_id": "user-cyd", "name": "Wishlist Added", "time": "2024-03-01T12:00:10Z"}]},
        )
        wide.wait_for_selector("#req-10")
        shots = {
            "stream.png": None,
            "request.png": "/requests/6",
            "profile.png": "/users/user-ada",
            "controls.png": "/controls",
        }
        for name, path in shots.items():
            if path is not None:
                wide.goto(console + path)
            wide.screenshot(path=HERE / name)
        narrow = browser.new_page(viewport={"width": 390, "height": 800})
        narrow.goto(f"{console}/users/user-ada")
        narrow.screenshot(path=HERE / "profile-narrow.png")
        browser.close()
    for png in sorted(HERE.glob("*.png")):
        print(f"{png.relative_to(HERE.parent.parent)}  {png.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
