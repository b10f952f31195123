"""`FakeBraze`: the facade — a `Backend` (state, rules, read-back) and the Flask app that serves it.

Use one per test (or per xdist worker): in-process through `call(...)` (no HTTP), the Flask test client
or `httpx.WSGITransport`, or over HTTP with `LiveServer` / `braze-harness serve`. The app is built on
first use, so a caller that never needs HTTP never pays for Flask.
"""

from __future__ import annotations

from functools import cached_property

from flask import Flask
from flask.testing import FlaskClient

from harness.braze.backend import Backend
from harness.braze.http.app import build_app
from harness.braze.model.config import FakeBrazeConfig

__all__ = ["FakeBraze", "create_app"]


class FakeBraze(Backend):
    """A fake Braze. `FakeBraze(api_keys=("k",), instance="EU-01")` overrides config fields.

    State, `call(...)`, cohorts, segment filters and data import keys: see `Backend`.
    """

    @cached_property
    def app(self) -> Flask:
        """The Flask app serving this fake (Braze's paths and the `/_harness/` control plane)."""
        return build_app(self)

    def test_client(self) -> FlaskClient:
        return self.app.test_client()


def create_app(config: FakeBrazeConfig | None = None) -> Flask:
    """Flask application factory: a fresh fake Braze (its state at `app.extensions["fake_braze"]`)."""
    return FakeBraze(config).app
