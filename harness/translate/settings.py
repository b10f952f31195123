"""Destination settings: fields, choices, defaults and Segment's settings validation.

Braze Cloud Mode (Actions) takes `api_key` (required), `app_id` and `endpoint` (one of 15 REST
endpoints, default US-01; 3.387.0 had 14: US-09/10 at rest.iad-09/10, no JP-01); Braze Cohorts takes
`client_secret` and `endpoint` (11 endpoints: no US-09/10, ID-01, JP-01). Settings are checked with
the same ajv rules as payloads, so a bad endpoint fails with `REST Endpoint must be one of: ...`
(status 400) before anything is sent, and unknown keys are dropped. The harness starts from the
reference runner's test settings.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from harness.translate.actions.fields import field
from harness.translate.ajv import Validator, compile_schema
from harness.translate.errors import AggregateAjvError
from harness.translate.schema import fields_to_schema

__all__ = [
    "BRAZE_ENDPOINTS",
    "BRAZE_ENDPOINTS_3387",
    "COHORTS_ENDPOINTS",
    "DEFAULT_ENDPOINT",
    "DEFAULT_ENDPOINTS",
    "DEFAULT_SETTINGS",
    "SEGMENT_VERSION_KEY",
    "SETTINGS_FIELDS",
    "settings_fields",
    "validate_settings",
]

DEFAULT_ENDPOINT = "https://rest.iad-01.braze.com"
BRAZE_ENDPOINTS = (
    *(f"https://rest.iad-0{n}.braze.com" for n in range(1, 9)),
    "https://rest.us-09.braze.com",
    "https://rest.us-10.braze.com",
    "https://rest.fra-01.braze.eu",
    "https://rest.fra-02.braze.eu",
    "https://rest.au-01.braze.com",
    "https://rest.id-01.braze.com",
    "https://rest.jp-01.braze.com",
)
BRAZE_ENDPOINTS_3387 = (
    *(f"https://rest.iad-0{n}.braze.com" for n in range(1, 10)),
    "https://rest.iad-10.braze.com",
    "https://rest.fra-01.braze.eu",
    "https://rest.fra-02.braze.eu",
    "https://rest.au-01.braze.com",
    "https://rest.id-01.braze.com",
)
COHORTS_ENDPOINTS = (
    *(f"https://rest.iad-0{n}.braze.com" for n in range(1, 9)),
    "https://rest.fra-01.braze.eu",
    "https://rest.fra-02.braze.eu",
    "https://rest.au-01.braze.com",
)


def _endpoint(choices: tuple[str, ...]) -> dict[str, Any]:
    return field(
        "REST Endpoint",
        "string",
        format="uri",
        choices=list(choices),
        default=DEFAULT_ENDPOINT,
        required=True,
    )


def settings_fields(destination: str, endpoints: tuple[str, ...]) -> dict[str, Any]:
    """A destination's settings fields, with the REST endpoints its release offers."""
    if destination == "braze":
        return {
            "api_key": field("API Key", "password", required=True),
            "app_id": field("App ID", "string"),
            "endpoint": _endpoint(endpoints),
        }
    return {
        "client_secret": field("Client Secret key", "password", required=True),
        "endpoint": _endpoint(endpoints),
    }


DEFAULT_ENDPOINTS: dict[str, tuple[str, ...]] = {"braze": BRAZE_ENDPOINTS, "braze-cohorts": COHORTS_ENDPOINTS}
SETTINGS_FIELDS: dict[str, dict[str, Any]] = {slug: settings_fields(slug, e) for slug, e in DEFAULT_ENDPOINTS.items()}

# The reference runner's settings, which cases override key by key.
DEFAULT_SETTINGS: dict[str, dict[str, Any]] = {
    "braze": {"api_key": "test-api-key", "app_id": "test-app-id", "endpoint": DEFAULT_ENDPOINT},
    "braze-cohorts": {"client_secret": "test-client-secret", "endpoint": DEFAULT_ENDPOINT},
}

SEGMENT_VERSION_KEY = "segment_version"
_HARNESS_KEYS = ("partner_api_key", SEGMENT_VERSION_KEY)


@cache
def _validator(destination: str, endpoints: tuple[str, ...]) -> Validator:
    return compile_schema(fields_to_schema(settings_fields(destination, endpoints)))


def validate_settings(
    destination: str, overrides: dict[str, Any] | None, endpoints: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Defaults merged with `overrides`, validated (and coerced) like `Destination.validateSettings`.

    `partner_api_key` (braze-cohorts) and `segment_version` are harness settings: they skip Segment's
    validation. `endpoints` are the release's REST endpoints (default: the current release's).
    """
    settings = {**DEFAULT_SETTINGS[destination], **(overrides or {})}
    extras = {k: settings.pop(k) for k in _HARNESS_KEYS if k in settings}
    found = _validator(destination, endpoints or DEFAULT_ENDPOINTS[destination])(settings)
    if found.errors:
        raise AggregateAjvError(list(found.errors), status=400)
    settings.update(extras)
    return settings
