"""A fake with its console mounted, and the requests the console tests send it."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from harness.braze import FakeBraze
from harness.console import mount

UI = "/_harness/ui"
SAME_ORIGIN = {"Origin": "http://localhost"}
"""What a browser adds to a form post from the console's own page (the test client's Host is localhost)."""


def console_fake(**config: Any) -> FakeBraze:
    fake = FakeBraze(**config)
    mount(fake.app, fake)
    return fake


def track(fake: FakeBraze, body: dict[str, Any]) -> None:
    fake.call("/users/track", body, api_key="any-key-123456")


def page(http: FlaskClient, path: str, status: int = 200) -> str:
    response = http.get(UI + path)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def post_form(http: FlaskClient, path: str, data: dict[str, str] | None = None) -> Any:
    return http.post(UI + path, data=data or {}, headers=SAME_ORIGIN)
