"""What Segment's HTTP Tracking API itself refuses, as opposed to what merely breaks the Spec.

segment-docs (`src/connections/sources/catalog/libraries/server/http-api/index.md`, the Spec's common
fields): a call must be a JSON object with a known `type`, a `userId` or an `anonymousId`, and (track) an
`event` name; Segment drops it otherwise. Every other contract violation (a missing `messageId` or
`integrations`, a wrongly typed trait) is accepted by Segment and only breaks the Spec downstream.
"""

from __future__ import annotations

import re

from harness.contracts import Violation

__all__ = ["refused_by_tracking_api"]

_REFUSED_MISSING = re.compile(r"^'(type|event)' is a required property$")


def refused_by_tracking_api(violation: Violation) -> bool:
    """Whether this violation of an event's contract makes Segment drop the call."""
    if violation.path in ("$.type", "$.event"):
        return True
    if violation.path != "$":
        return False
    if violation.keyword in ("anyOf", "type"):  # no userId / anonymousId; not an object
        return True
    return violation.keyword == "required" and bool(_REFUSED_MISSING.match(violation.reason))
