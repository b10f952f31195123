"""Where an event goes before any destination code runs: the `integrations` object and device mode.

Two things decide, before the Braze actions see an event, whether Segment sends it server-side at all:

- the `integrations` object (`harness.workspace.integrations`, shared with the fake Segment): a destination
  named in it with `false` is skipped, one named with `true`
  (or options) gets it, and every other destination follows `All` (default true). Engage events carry
  `{"All": false, "<destination>": true}`, one copy per connected destination (segment-docs
  `src/engage/using-engage-data.md`);
- device mode ("side-by-side"): a client library that runs Braze's SDK on the device tells Segment not
  to deliver that event server-side. analytics.js lists such destinations in `_metadata.bundled`
  (analytics.js-integration-segmentio 3.2.0: "Add bundled integrations metadata to every request";
  analytics-next `normalize`), and the mobile libraries set them to `false` in `integrations`
  (analytics-android's `bundledIntegrations.put(key, false)`, "so they aren't sent server side").
  Braze's Segment page: the debugger test "will not work for a side-by-side Braze integration".

The heuristic (documented in the report): an event is device mode for Braze when `_metadata.bundled`
names a Braze destination other than the cloud ones, or when it comes from a client library
(`context.library.name`: analytics.js, analytics-ios, analytics-android, analytics-swift, analytics-kotlin,
analytics-react-native, analytics-flutter) and its `integrations` set a Braze device-mode key (`Braze`,
`Appboy`, `Braze Web Mode (Actions)`, ...) to false. A client library alone is not enough: analytics.js
events reach Braze Cloud Mode (Actions) unless Braze is bundled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.workspace.integrations import BRAZE_CLOUD, BRAZE_COHORTS, DESTINATION_NAMES, destination_enabled

__all__ = [
    "BRAZE_CLOUD",
    "BRAZE_COHORTS",
    "CLIENT_LIBRARIES",
    "DESTINATION_NAMES",
    "DeviceMode",
    "destination_enabled",
    "device_mode",
]

CLIENT_LIBRARIES = frozenset(
    {
        "analytics.js",
        "analytics-next",
        "analytics-ios",
        "analytics-android",
        "analytics-swift",
        "analytics-kotlin",
        "analytics-react-native",
        "@segment/analytics-react-native",
        "analytics-flutter",
        "analytics_flutter",
    }
)
_CLOUD_KEYS = frozenset(name.lower() for name in DESTINATION_NAMES.values())


@dataclass(frozen=True, slots=True)
class DeviceMode:
    """Why an event looks like it was delivered to Braze by the SDK on the device."""

    library: str | None
    evidence: str


def _braze_device_key(name: Any) -> bool:
    if not isinstance(name, str):
        return False
    lowered = name.lower()
    return ("braze" in lowered or "appboy" in lowered) and lowered not in _CLOUD_KEYS


def device_mode(event: Mapping[str, Any]) -> DeviceMode | None:
    """The evidence that Braze runs side by side on the device for this event, or None."""
    context = event.get("context")
    library_info = context.get("library") if isinstance(context, Mapping) else None
    library = library_info.get("name") if isinstance(library_info, Mapping) else None
    library = library if isinstance(library, str) else None
    metadata = event.get("_metadata")
    bundled = metadata.get("bundled") if isinstance(metadata, Mapping) else None
    if isinstance(bundled, list):
        found = [b for b in bundled if _braze_device_key(b)]
        if found:
            return DeviceMode(library, f"_metadata.bundled lists {', '.join(map(repr, found))}")
    if library in CLIENT_LIBRARIES:
        integrations = event.get("integrations")
        if isinstance(integrations, Mapping):
            off = [k for k, v in integrations.items() if v is False and _braze_device_key(k)]
            if off:
                return DeviceMode(
                    library,
                    f"integrations.{off[0]} is false, which {library} sets for destinations it runs on the device",
                )
    return None
