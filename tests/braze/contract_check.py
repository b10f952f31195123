"""A Flask test client that checks every response of the fake against its response contract.

REST endpoints (found by method and path, templated ones included): a 2xx against the endpoint's
`response_contract`, anything else against its `error_contract` (`braze/error.response`, or the catalog
endpoints' `braze/catalog-error.response`); another method on a Braze path against `braze/error.response`.
Control plane routes: against the contract in `CONTROL_CONTRACTS`, errors against `braze/error.response`.
A response with no contract fails the test: add one.
"""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.test import TestResponse

from harness.braze.fake import FakeBraze
from harness.braze.service.endpoints import resolve
from harness.contracts import contract

__all__ = ["CONTROL_CONTRACTS", "CheckedClient", "assert_conforms", "response_contract_for"]

ERROR_CONTRACT = "braze/error.response"
CONTROL_CONTRACTS: dict[str, str] = {
    "harness_control.seed": "braze/harness-seed.response",
    "harness_segments.cohorts": "braze/harness-cohorts.response",
    "harness_segments.evaluate": "braze/harness-segment-evaluation.response",
    "harness_segments.get": "braze/harness-segment-evaluation.response",
    "harness_segments.save": "braze/harness-segment-saved.response",
    "harness_segments.delete": "braze/harness-segment-saved.response",
    "harness_segments.saved": "braze/harness-segments.response",
    "harness_segments.keys": "braze/harness-data-import-keys.response",
    "harness_segments.regenerate": "braze/harness-data-import-keys.response",
    "harness_segments.invalidate": "braze/harness-data-import-keys.response",
    "harness_control.faults": "braze/harness-faults.response",
    "harness_control.add_faults": "braze/harness-faults.response",
    "harness_control.clear_faults": "braze/harness-faults.response",
    "harness_control.remove_fault": "braze/harness-faults.response",
    "harness_messaging.catalogs": "braze/harness-catalogs.response",
    "harness_messaging.catalog": "braze/harness-catalogs.response",
    "harness_messaging.declare": "braze/harness-catalogs.response",
    "harness_messaging.sends": "braze/harness-sends.response",
}


def response_contract_for(fake: FakeBraze | None, method: str, path: str, status: int) -> str:
    """The contract a response of the fake must meet (`fake` is needed for control plane routes only)."""
    found = resolve(method, path)
    if not isinstance(found, list):
        endpoint, _ = found
        name = endpoint.contract_for(status)
        assert name, f"{method} {path} has no response contract"
        return name
    if not 200 <= status < 300:
        return ERROR_CONTRACT
    assert fake is not None, f"{method} {path}: pass the fake to look up its control plane route"
    try:
        rule, _ = fake.app.url_map.bind("localhost").match(path, method)
    except HTTPException as exc:
        raise AssertionError(f"{method} {path} answered {status} but matches no route") from exc
    assert rule in CONTROL_CONTRACTS, f"control route {rule} ({method} {path}) has no response contract"
    return CONTROL_CONTRACTS[rule]


def assert_conforms(fake: FakeBraze | None, method: str, path: str, status: int, body: Any) -> None:
    name = response_contract_for(fake, method, path, status)
    violations = contract(name).check(body)
    assert not violations, f"{method} {path} -> {status} breaks {name}: {[str(v) for v in violations]}\n{body}"


class CheckedClient:
    """`client.post("/partners/segment/cohorts", json=...)`, with every response contract-checked."""

    def __init__(self, fake: FakeBraze) -> None:
        self.fake = fake
        self._client = fake.test_client()
        self.checked = 0

    def open(self, method: str, path: str, *, json: Any = None, host: str | None = None, **kwargs: Any) -> TestResponse:
        base_url = f"https://{host}" if host else None
        response = self._client.open(path, method=method, json=json, base_url=base_url, **kwargs)
        assert_conforms(self.fake, method, path.split("?", 1)[0], response.status_code, response.get_json())
        self.checked += 1
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("DELETE", path, **kwargs)
