"""The fake Segment: Tracking API ingestion, sources, destinations and their mappings, the Engage space,
deliveries into a fake Braze of the same process.

```python
from harness.braze import FakeBraze
from harness.workspace import FakeSegment, load_workspace

braze = FakeBraze()
segment = FakeSegment(braze)  # any write key; Braze Cloud Mode (presets) and Braze Cohorts
segment.send("/v1/identify", {"userId": "u1", "traits": {"plan": "pro"}}, write_key="wk")
braze.user("u1").custom_attributes  # {'plan': 'pro'}
segment.events()[0].deliveries[0].stage  # 'delivered'
```

`segment_app(fake)` serves it over WSGI (`/v1/*` and the debugger at `/_harness/segment/`); `by_prefix`
puts it on the same port as the fake Braze. `workspace` composes `segment`, `engage`, `translate` and
`braze`; replay shares its delivery (`harness.workspace.delivery`) and `integrations` rules.
"""

from __future__ import annotations

from harness.workspace.debugger import Debugger, EventFilter
from harness.workspace.defaults import SYNC_AUDIENCE, default_mappings, default_workspace
from harness.workspace.discards import Discard, Stage
from harness.workspace.dispatch import by_prefix, is_segment_path
from harness.workspace.fake import DEFAULT_WRITE_KEY, ENGAGE_SOURCE, Diagnose, FakeSegment, TrackingReply
from harness.workspace.http import DEBUGGER_PREFIX, segment_app
from harness.workspace.integrations import BRAZE_CLOUD, BRAZE_COHORTS, DESTINATION_NAMES, destination_enabled
from harness.workspace.loading import WorkspaceError, load_workspace, workspace_from_json
from harness.workspace.model import ANY_SOURCE, Source, SubscriptionMapping, Workspace, WorkspaceDestination
from harness.workspace.records import Attempt, DeliveryRecord, EventRecord
from harness.workspace.tracking import TrackingRequest

__all__ = [
    "ANY_SOURCE",
    "BRAZE_CLOUD",
    "BRAZE_COHORTS",
    "DEBUGGER_PREFIX",
    "DEFAULT_WRITE_KEY",
    "DESTINATION_NAMES",
    "ENGAGE_SOURCE",
    "SYNC_AUDIENCE",
    "Attempt",
    "Debugger",
    "DeliveryRecord",
    "Diagnose",
    "Discard",
    "EventFilter",
    "EventRecord",
    "FakeSegment",
    "Source",
    "Stage",
    "SubscriptionMapping",
    "TrackingReply",
    "TrackingRequest",
    "Workspace",
    "WorkspaceDestination",
    "WorkspaceError",
    "by_prefix",
    "default_mappings",
    "default_workspace",
    "destination_enabled",
    "is_segment_path",
    "load_workspace",
    "segment_app",
    "workspace_from_json",
]
