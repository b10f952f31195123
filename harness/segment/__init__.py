"""Segment Spec events: parse and validate identify / track calls (contracts/segment).

`segment` knows nothing of Braze or the translator; it reads payloads and explains, field by field,
why one is not a valid Segment (or Engage-generated) event.
"""

from __future__ import annotations

from harness.segment.errors import SegmentEventError
from harness.segment.events import SegmentEvent, iter_events, parse_event, parse_events
from harness.segment.timestamps import format_timestamp, parse_timestamp
from harness.segment.validation import (
    CALL_TYPES,
    contract_name_for,
    detect_type,
    engage_violations,
    is_engage_event,
    validate_event,
)

__all__ = [
    "CALL_TYPES",
    "SegmentEvent",
    "SegmentEventError",
    "contract_name_for",
    "detect_type",
    "engage_violations",
    "format_timestamp",
    "is_engage_event",
    "iter_events",
    "parse_event",
    "parse_events",
    "parse_timestamp",
    "validate_event",
]
