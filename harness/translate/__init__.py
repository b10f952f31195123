"""What Segment's Braze destinations send for a Segment event, as data (no I/O).

Reproduces `@segment/action-destinations@3.497.0`, the registry's `latest` (Braze Cloud Mode
(Actions) and Braze Cohorts), on top of actions-core: mapping-kit, empty-value removal, ajv coercion
and validation, each action's perform / performBatch, multistatus, presets and subscriptions.
`segment_version="3.387.0"` reproduces that earlier release instead (`harness.translate.releases`).

    >>> from harness.translate import translate
    >>> result = translate({"type": "identify", "userId": "u1", "traits": {"plan": "pro"}})
    >>> result.requests[0].path, result.requests[0].body
    ('/users/track', {'attributes': [{'plan': 'pro', 'external_id': 'u1', '_update_existing_only': False}]})

`run_case(case)` takes the shared case format (DESIGN.md section 5) and returns exactly what the
reference runner prints for it.
"""

from __future__ import annotations

from harness.translate.api import TranslationResult, choose_routes, translate
from harness.translate.case import run_case
from harness.translate.errors import (
    AggregateAjvError,
    APIError,
    CaseError,
    HTTPError,
    IntegrationError,
    JSError,
    MappingValidationError,
    PayloadValidationError,
    SegmentError,
    UnsupportedDirectiveError,
)
from harness.translate.http import BrazeRequest
from harness.translate.presets import PRESETS, Preset
from harness.translate.releases import DEFAULT_VERSION, SUPPORTED_VERSIONS
from harness.translate.settings import DEFAULT_SETTINGS

__all__ = [
    "DEFAULT_SETTINGS",
    "DEFAULT_VERSION",
    "PRESETS",
    "SUPPORTED_VERSIONS",
    "APIError",
    "AggregateAjvError",
    "BrazeRequest",
    "CaseError",
    "HTTPError",
    "IntegrationError",
    "JSError",
    "MappingValidationError",
    "PayloadValidationError",
    "Preset",
    "SegmentError",
    "TranslationResult",
    "UnsupportedDirectiveError",
    "choose_routes",
    "run_case",
    "translate",
]
