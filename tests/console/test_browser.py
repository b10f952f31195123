"""The console in a real browser: the live update, a filter, the profile page, a fault toggle, copy as
curl, and a narrow window. Every wait is for a condition (Playwright's expect), never a sleep."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx
import pytest

from .conftest import Served

expect: Any = None
with contextlib.suppress(ImportError):  # without it the fixtures skip (or fail, in CI) with the reason
    from playwright.sync_api import expect

KEY = {"Authorization": "Bearer any-key-1234"}


def track(served: Served, external_id: str, event: str = "Article Viewed", **attributes: Any) -> httpx.Response:
    body = {
        "attributes": [{"external_id": external_id, **attributes}],
        "events": [{"external_id": external_id, "name": event, "time": "2024-03-01T12:00:00Z"}],
    }
    return httpx.post(f"{served.url}/users/track", json=body, headers=KEY)


def test_a_request_appears_in_the_open_stream_without_a_reload(page: Any, served: Served) -> None:
    page.goto(f"{served.console}/")
    expect(page.locator("#live")).to_have_attribute("data-state", "live")
    expect(page.locator("#empty")).to_be_visible()
    track(served, "ada", plan="pro")
    row = page.locator("#req-1")
    expect(row).to_contain_text("/users/track")
    expect(row).to_contain_text("ada")
    expect(page.locator("#empty")).to_be_hidden()
    track(served, "bob", plan=3)
    expect(page.locator("tbody tr").first).to_have_attribute("id", "req-2")  # newest first


def test_a_filter_keeps_out_what_it_does_not_match_also_live(page: Any, served: Served) -> None:
    track(served, "ada")
    track(served, "bob")
    page.goto(f"{served.console}/")
    page.get_by_placeholder("external_id, alias, email").fill("ada")
    page.get_by_placeholder("external_id, alias, email").press("Enter")
    expect(page).to_have_url(f"{served.console}/?user=ada&path=&status=")
    expect(page.locator("#req-1")).to_be_visible()
    expect(page.locator("#req-2")).to_have_count(0)
    expect(page.locator("#live")).to_have_attribute("data-state", "live")
    track(served, "bob")  # #3: filtered out on the server, so it never arrives
    track(served, "ada")  # #4 arrives, after #3 would have
    expect(page.locator("#req-4")).to_be_visible()
    expect(page.locator("#req-3")).to_have_count(0)
    page.get_by_label("Status").select_option("4xx")  # a select submits the form by itself
    expect(page.locator("#empty")).to_be_visible()


def test_the_profile_page_from_the_user_list(page: Any, served: Served) -> None:
    track(served, "ada", first_name="Ada", email="ada@example.com", plan="pro")
    track(served, "ada", event="Order Completed")
    served.fake.save_segment("pro users", {"custom_attribute": "plan", "op": "equals", "value": "pro"})
    page.goto(f"{served.console}/users")
    page.get_by_role("link", name="ada", exact=True).click()
    expect(page.locator("h1")).to_have_text("ada")
    expect(page.locator("#standard")).to_contain_text("ada@example.com")
    expect(page.locator("#custom-attributes")).to_contain_text("pro")
    events = page.locator("#custom-events")
    expect(events.locator("tr", has_text="Article Viewed")).to_contain_text("2024-03-01T12:00:00.000Z")
    expect(events.locator("tr", has_text="Order Completed").locator("td").nth(1)).to_have_text("1")
    expect(page.locator("#segments")).to_contain_text("pro users")
    expect(page.locator("#cohorts")).to_contain_text("In no cohort.")


def test_a_fault_is_armed_and_cleared_from_the_controls(page: Any, served: Served) -> None:
    page.goto(f"{served.console}/controls")
    page.locator("#fault-kind").select_option("status")
    page.locator("#fault-status").select_option("503")
    page.get_by_label("Path").select_option("/users/track")
    page.get_by_role("button", name="Arm").click()
    expect(page.locator(".done")).to_have_text("Done: armed.")
    expect(page.locator("tr.fault-rule")).to_contain_text("status 503")
    assert track(served, "ada").status_code == 503
    page.reload()
    expect(page.locator("tr.fault-rule td").nth(4)).to_have_text("1")  # fired once
    page.get_by_role("button", name="Clear all faults").click()
    expect(page.locator("#no-faults")).to_be_visible()
    assert track(served, "ada").status_code == 201


def test_a_request_page_shows_its_problems_and_copies_as_curl(page: Any, served: Served) -> None:
    bad = {
        "purchases": [
            {"external_id": "bob", "product_id": "p", "currency": "usd", "price": 1, "time": "2024-03-01T12:00:00Z"}
        ]
    }
    httpx.post(f"{served.url}/users/track", json=bad, headers=KEY)
    page.goto(f"{served.console}/")
    page.locator("#req-1 td.path a").click()
    expect(page.locator("h1")).to_contain_text("/users/track")
    expect(page.get_by_text("$.purchases[0].currency")).to_be_visible()
    expect(page.get_by_text("invalid_currency")).to_be_visible()
    page.get_by_role("button", name="Copy as curl").click()
    expect(page.locator("#curl-copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("curl -sS -X POST ") and "${BRAZE_API_KEY}" in copied


@pytest.mark.parametrize("path", ["/", "/users/ada", "/controls", "/segments"])
def test_a_narrow_window_needs_no_sideways_scrolling(browser: Any, served: Served, path: str) -> None:
    track(served, "ada", plan="pro", long_name="x" * 300)
    context = browser.new_context(viewport={"width": 390, "height": 800})
    errors: list[str] = []
    narrow = context.new_page()
    narrow.on("pageerror", lambda error: errors.append(str(error)))
    narrow.goto(f"{served.console}{path}")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 390
    narrow.close()
    context.close()
    assert errors == []
