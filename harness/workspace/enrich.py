"""What Segment's Tracking API adds to a call on the way in, as its Raw view then shows it.

segment-docs `src/connections/spec/common.md`:
- `messageId`: "Automatically collected by Segment" when the call has none (`harness.workspace.ids`);
- `receivedAt`: "added to incoming messages as soon as they hit the API" (the fake's clock);
- `originalTimestamp`: "Time on the client device when call was invoked OR The `timestamp` value manually
  passed in through server-side libraries"; `timestamp` is then "Calculated by Segment to correct
  client-device clock skew using the following formula: `receivedAt` - (`sentAt` - `originalTimestamp`)".
  A call without `sentAt` keeps its `timestamp`; one without any gets `receivedAt` ("leave out the
  `timestamp` and Segment servers will timestamp the requests for you", http-api/index.md);
- the batch's own `context` and `integrations` "will be merged with any context inside each of the items
  in the batch" (http-api/index.md, Batch): the item's keys win; the batch's `sentAt` applies to each item.
- `context.library`, set by the client library, is kept as sent ("Other libraries only collect
  `context.library`"); the `writeKey` is authentication, not part of the event, and is removed.
A single-call endpoint fixes the call's `type` (`/v1/track` is a track call whatever the body says).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from harness.segment import format_timestamp, parse_timestamp

__all__ = ["enrich", "merge_batch_fields"]


def merge_batch_fields(item: Mapping[str, Any], batch: Mapping[str, Any]) -> dict[str, Any]:
    """One batch item with the batch's `context`, `integrations` and `sentAt` folded in (the item's win)."""
    merged = dict(item)
    for key in ("context", "integrations"):
        shared = batch.get(key)
        if isinstance(shared, Mapping) and shared:
            own = item.get(key)
            merged[key] = {**shared, **own} if isinstance(own, Mapping) else dict(shared)
    if "sentAt" not in merged and batch.get("sentAt") is not None:
        merged["sentAt"] = batch["sentAt"]
    return merged


def _time(value: Any) -> datetime | None:
    return _parsed(value) if isinstance(value, str) else None


@lru_cache(maxsize=1024)
def _parsed(text: str) -> datetime | None:
    """A timestamp string read once: a batch's calls share its `sentAt`, and SDKs repeat instants."""
    try:
        return parse_timestamp(text)
    except ValueError:
        return None


@lru_cache(maxsize=64)
def _formatted(moment: datetime) -> str:
    return format_timestamp(moment)


def enrich(
    call: Mapping[str, Any],
    *,
    received_at: datetime,
    message_id: Callable[[datetime], str],
    call_type: str | None = None,
) -> dict[str, Any]:
    """The call as Segment stores it: type, messageId, receivedAt, originalTimestamp and timestamp set."""
    event = {k: v for k, v in call.items() if k != "writeKey"}
    if call_type is not None:
        event["type"] = call_type
    if not (isinstance(event.get("messageId"), str) and event["messageId"]):
        event["messageId"] = message_id(received_at)
    event["receivedAt"] = _formatted(received_at)
    original_text = event.get("originalTimestamp", event.get("timestamp"))
    original = _time(original_text)
    if original is None:
        if "timestamp" not in event:
            event["timestamp"] = event["receivedAt"]
        return event
    event["originalTimestamp"] = original_text
    sent = _time(event.get("sentAt"))
    if sent is not None:
        event["timestamp"] = format_timestamp(received_at - (sent - original))
    return event
