"""`FakeBraze`: one fake Braze — its state (store, journal, rate limiter) and the Flask app serving it.

Use one per test (or per xdist worker): in-process through the Flask test client or
`httpx.WSGITransport`, or over HTTP with `braze-harness serve`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from flask import Flask
from flask.testing import FlaskClient

from harness.braze.app import build_app
from harness.braze.cohort_methods import CohortMethods
from harness.braze.config import DEFAULT_WORKSPACE, FakeBrazeConfig
from harness.braze.endpoints import ENDPOINTS
from harness.braze.errors import MethodNotAllowed
from harness.braze.faults import ConnectionDropped, Faults, RequestTimedOut
from harness.braze.journal import Journal, JournalEntry
from harness.braze.pipeline import RawRequest, Reply, process, refuse
from harness.braze.profiles import Profile, export_time
from harness.braze.ratelimit import RateLimiter
from harness.braze.seed import seed_profiles
from harness.braze.store import Identifier, Store, Workspace
from harness.clock import Clock

__all__ = ["FakeBraze"]

ENDPOINTS_BY_PATH = {endpoint.path: endpoint for endpoint in ENDPOINTS}


class FakeBraze(CohortMethods):
    """A fake Braze. `FakeBraze(api_keys=("k",), instance="EU-01")` overrides config fields.

    Cohorts, segment filters and data import keys: see `CohortMethods`.
    """

    def __init__(self, config: FakeBrazeConfig | None = None, **overrides: Any) -> None:
        if config is None:
            config = FakeBrazeConfig(**overrides)
        elif overrides:
            config = config.with_changes(**overrides)
        self.config = config
        self.store = Store(config)
        self.journal = Journal(config.journal_max_entries, config.journal_max_bytes)
        self.limiter = RateLimiter(config.rate_limits, config.clock)
        self.faults = Faults(config.faults)
        self.app: Flask = build_app(self)

    @property
    def clock(self) -> Clock:
        return self.config.clock

    def reset(self) -> None:
        """Forget all state and the journal; faults go back to the configured ones (configuration stays)."""
        self.store.reset()
        self.journal.clear()
        self.limiter.reset()
        self.faults.reset()

    def seed(self, export_response: Any, workspace: str = DEFAULT_WORKSPACE) -> list[Profile]:
        """Create (or update) profiles from a saved `/users/export/ids` response; see `harness.braze.seed`."""
        return seed_profiles(self.store, self.store.workspace(workspace), export_response, self.clock.now())

    def test_client(self) -> FlaskClient:
        return self.app.test_client()

    def call(
        self,
        path: str,
        body: Any = None,
        *,
        api_key: str | None = None,
        method: str = "POST",
        host: str = "localhost",
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
        content_type: str | None = "application/json",
    ) -> Reply:
        """One request straight into the pipeline, no HTTP: same rules, answers and journal as over HTTP.

        `body` is sent as JSON (or `raw` as is); `api_key` becomes `Authorization: Bearer <key>`.
        A drop or timeout fault raises `ConnectionDropped` / `RequestTimedOut` (there is no answer).
        """
        sent = dict(headers or {})
        if api_key is not None:
            sent["Authorization"] = f"Bearer {api_key}"
        payload = raw if raw is not None else orjson.dumps(body)
        request = RawRequest(method.upper(), path, host, sent, payload, content_type)
        endpoint = ENDPOINTS_BY_PATH.get(path)
        if endpoint is None:
            return refuse(self, request)
        if request.method != "POST":
            return refuse(self, request, MethodNotAllowed(detail=f"{request.method} is not allowed on {path}"))
        reply = process(self, endpoint, request)
        if reply.fault == "drop":
            raise ConnectionDropped(f"fake Braze dropped the connection (fault) on POST {path}")
        if reply.fault == "timeout":
            raise RequestTimedOut(f"fake Braze never answered (fault) POST {path}")
        return reply

    # -- reading state back ------------------------------------------------------------------------
    def workspace(self, name: str = DEFAULT_WORKSPACE) -> Workspace:
        return self.store.workspace(name)

    def user(self, external_id: str, workspace: str = DEFAULT_WORKSPACE) -> Profile | None:
        """The profile with this external_id, or None."""
        with self.store.lock:
            return self.store.workspace(workspace).find(Identifier("external_id", external_id))

    def find(self, ident: Identifier, workspace: str = DEFAULT_WORKSPACE) -> Profile | None:
        with self.store.lock:
            return self.store.workspace(workspace).find(ident)

    @property
    def requests(self) -> list[JournalEntry]:
        """The journal, oldest first."""
        return self.journal.entries()

    def profile_state(self, profile: Profile) -> dict[str, Any]:
        """A profile as stored (every field), for the control plane and reports."""
        with self.store.lock:
            return {
                **profile.export(),
                "standard": dict(profile.standard),
                "custom_events": {
                    name: {"count": s.count, "first": export_time(s.first), "last": export_time(s.last)}
                    for name, s in profile.custom_events.items()
                    if s.first and s.last
                },
                "purchases": {
                    name: {"count": s.count, "first": export_time(s.first), "last": export_time(s.last)}
                    for name, s in profile.purchases.items()
                    if s.first and s.last
                },
                "device_ids": list(profile.device_ids),
                "subscription_groups": dict(profile.subscription_groups),
                "updated_at": export_time(profile.updated_at),
            }

    def state(self) -> dict[str, Any]:
        """Every workspace and its profiles."""
        with self.store.lock:
            return {
                "instance": self.config.instance,
                "workspaces": {
                    name: {
                        "instance": ws.config.instance,
                        "users": [self.profile_state(p) for p in ws.profiles.values()],
                    }
                    for name, ws in self.store.workspaces.items()
                },
            }
