"""Every REST endpoint the fake serves, assembled from the services' own tuples."""

from __future__ import annotations

from harness.braze.service import cohorts, track, users
from harness.braze.service.call import Endpoint

__all__ = ["ENDPOINTS", "ENDPOINTS_BY_PATH"]

ENDPOINTS: tuple[Endpoint, ...] = (*track.ENDPOINTS, *users.ENDPOINTS, *cohorts.ENDPOINTS)
ENDPOINTS_BY_PATH: dict[str, Endpoint] = {endpoint.path: endpoint for endpoint in ENDPOINTS}
