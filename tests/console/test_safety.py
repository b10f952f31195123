"""The console under the control plane's guard and token, over plain HTTP (no browser needed)."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest

from harness.braze import session_value

from .support import SAME_ORIGIN, UI, console_fake, track

TOKEN = "console-t0ken-0123456789"
PAGES = ["/", "/users", "/users/u1", "/segments", "/cohorts", "/controls", "/requests/1"]


def set_cookie_of(response: object) -> SimpleCookie:
    cookie: SimpleCookie = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):  # type: ignore[attr-defined]
        cookie.load(header)
    return cookie


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_frame_denied_and_not_shareable(path: str) -> None:
    fake = console_fake()
    track(fake, {"attributes": [{"external_id": "u1", "plan": "pro"}]})
    response = fake.test_client().get(UI + path)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert not [n for n, _ in response.headers.items() if n.lower().startswith("access-control-")]


def test_a_rebinding_host_gets_no_console_page() -> None:
    http = console_fake().test_client()
    assert http.get(f"{UI}/", headers={"Host": "evil.example:4567"}).status_code == 403
    assert http.get(f"{UI}/stream", headers={"Host": "evil.example:4567"}).status_code == 403
    assert http.get(f"{UI}/", headers={"Host": "127.0.0.1:4567"}).status_code == 200


def test_a_form_post_from_another_page_or_without_origin_changes_nothing() -> None:
    fake = console_fake()
    track(fake, {"attributes": [{"external_id": "u1", "plan": "pro"}]})
    http = fake.test_client()
    form = {"kind": "drop"}
    assert http.post(f"{UI}/controls/faults", data=form).status_code == 403  # form body, no Origin
    assert http.post(f"{UI}/controls/faults", data=form, headers={"Origin": "http://evil.example"}).status_code == 403
    assert http.post(f"{UI}/controls/reset", headers={"Origin": "http://localhost:3000"}).status_code == 403
    assert http.post(f"{UI}/controls/reset", headers={"Sec-Fetch-Site": "same-site"}).status_code == 403
    assert fake.faults.rules() == [] and fake.user("u1") is not None
    assert http.post(f"{UI}/controls/faults", data=form, headers=SAME_ORIGIN).status_code == 303
    assert [r["kind"] for r in fake.faults.rules()] == ["drop"]


def test_with_a_token_pages_ask_for_it_and_the_login_keeps_it_in_a_strict_httponly_cookie() -> None:
    fake = console_fake(control_token=TOKEN)
    http = fake.test_client()
    asked = http.get(f"{UI}/users?q=a")
    assert asked.status_code == 303 and asked.headers["Location"].startswith(f"{UI}/login?next=")
    assert http.get(f"{UI}/stream").status_code == 401
    assert http.post(f"{UI}/controls/reset", headers=SAME_ORIGIN).status_code == 401
    assert http.get(f"{UI}/static/console.css").status_code == 200  # the login page is styled
    wrong = http.post(f"{UI}/login", data={"token": "nope", "next": f"{UI}/users"}, headers=SAME_ORIGIN)
    assert wrong.status_code == 401 and "nope" not in wrong.get_data(as_text=True)
    logged = http.post(f"{UI}/login", data={"token": TOKEN, "next": f"{UI}/users?q=a"}, headers=SAME_ORIGIN)
    assert logged.status_code == 303 and logged.headers["Location"] == f"{UI}/users?q=a"
    [(_name, morsel)] = set_cookie_of(logged).items()
    assert morsel.value == session_value(TOKEN) and TOKEN not in logged.headers["Set-Cookie"]
    assert morsel["httponly"] and morsel["samesite"] == "Strict" and morsel["path"] == f"{UI}/"
    assert http.get(f"{UI}/users").status_code == 200  # the test client keeps the cookie
    assert http.get("/_harness/health").status_code == 401  # the cookie is the console's only
    http.post(f"{UI}/logout", headers=SAME_ORIGIN)
    assert http.get(f"{UI}/users").status_code == 303


def test_a_token_in_the_url_is_taken_once_and_out_of_the_url_at_once() -> None:
    http = console_fake(control_token=TOKEN).test_client()
    response = http.get(f"{UI}/users?q=ada&token={TOKEN}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{UI}/users?q=ada" and TOKEN not in response.headers["Location"]
    assert set_cookie_of(response)
    assert http.get(f"{UI}/users").status_code == 200
    other = console_fake(control_token=TOKEN).test_client()
    assert other.get(f"{UI}/users?token=wrong").status_code == 401


def test_the_token_header_works_for_programs_and_a_forged_cookie_does_not() -> None:
    http = console_fake(control_token=TOKEN).test_client()
    assert http.get(f"{UI}/users", headers={"X-Harness-Control-Token": TOKEN}).status_code == 200
    http.set_cookie("braze_harness_console_80", "forged", path=f"{UI}/")
    assert http.get(f"{UI}/users").status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/elsewhere", "/_harness/ui\\@evil"])
def test_the_login_never_sends_a_browser_elsewhere(target: str) -> None:
    http = console_fake(control_token=TOKEN).test_client()
    response = http.post(f"{UI}/login", data={"token": TOKEN, "next": target}, headers=SAME_ORIGIN)
    assert response.headers["Location"] == f"{UI}/"


def test_without_a_token_the_login_page_just_goes_to_the_console() -> None:
    response = console_fake().test_client().get(f"{UI}/login")
    assert response.status_code == 303 and response.headers["Location"] == f"{UI}/"
