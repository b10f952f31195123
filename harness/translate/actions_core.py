"""What differs between the two `@segment/actions-core` versions the reproduced releases run on.

action-destinations 3.497.0 runs on actions-core 3.170.0; 3.387.0 on 3.153.0 (its range is ^3.153.0
and 3.153.0 is the version published with it). Between them, for the Braze destinations: 3.153.0
removes `__segment_internal_sync_mode` / `__segment_internal_matching_key` from the mapping before
resolving it (3.170.0 resolves them like any field), has no `@liquid` directive, and lets `@json`
decode throw V8's SyntaxError on text that is not JSON (3.170.0 returns the text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from harness.translate.mapping import MappingKit

__all__ = ["CORE_3_153", "CORE_3_170", "INTERNAL_FIELDS", "ActionsCore"]

INTERNAL_FIELDS: Final = ("__segment_internal_sync_mode", "__segment_internal_matching_key")


@dataclass(frozen=True, slots=True, eq=False)
class ActionsCore:
    """One actions-core version: its mapping-kit and how it hands the mapping to it."""

    version: str
    kit: MappingKit
    strips_internal_fields: bool

    def mapping_to_resolve(self, mapping: dict[str, Any]) -> dict[str, Any]:
        """The mapping mapping-kit validates and resolves (the full one still gives the sync mode)."""
        if not self.strips_internal_fields:
            return mapping
        return {key: value for key, value in mapping.items() if key not in INTERNAL_FIELDS}


CORE_3_170: Final = ActionsCore("3.170.0", MappingKit(), strips_internal_fields=False)
CORE_3_153: Final = ActionsCore(
    "3.153.0", MappingKit(liquid=False, json_decode_throws=True), strips_internal_fields=True
)
