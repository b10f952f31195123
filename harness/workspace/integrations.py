"""The `integrations` object of an event: which destinations Segment lets it reach.

segment-docs `src/connections/spec/common.md` (Integrations): "A dictionary of destination names that the
message should be sent to. `'All'` is a special key that applies when no key for a specific destination is
found", defaulting to `{All: true}`; `src/guides/filtering-data.md`: a destination named with `false` is
skipped, flags are "case sensitive and must match the destination's name in the docs", and with several
instances of a destination "any settings in the Integrations object apply to all instances". A value that
is an object (destination options) enables it. Engage events carry `{"All": false, "<destination>": true}`
(`src/engage/using-engage-data.md`). Replay and the fake Segment both decide with this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["BRAZE_CLOUD", "BRAZE_COHORTS", "DESTINATION_NAMES", "destination_enabled"]

BRAZE_CLOUD = "Braze Cloud Mode (Actions)"
BRAZE_COHORTS = "Braze Cohorts"
DESTINATION_NAMES = {"braze": BRAZE_CLOUD, "braze-cohorts": BRAZE_COHORTS}
"""The catalog name of each destination: the key the `integrations` object uses for it."""


def destination_enabled(event: Mapping[str, Any], name: str) -> bool:
    """Whether Segment's `integrations` rules let the event reach the destination called `name`."""
    integrations = event.get("integrations")
    if not isinstance(integrations, Mapping) or not integrations:
        return True
    value = integrations.get(name)
    if value is None:
        value = integrations.get("All", True)
    return value is not False
