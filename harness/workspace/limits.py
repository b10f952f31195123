"""Every number of Segment's Tracking API the fake Segment enforces, once, with where Segment says it.

segment-docs `src/connections/sources/catalog/libraries/server/http-api/index.md`:
- "There is a maximum of `32KB` per normal API request. The `batch` API endpoint accepts a maximum of
  `500KB` per request, with a limit of `32KB` per event in the batch. [...] Segment's API responds with
  `400 Bad Request` if these limits are exceeded." (Max request size, Errors);
- "Each batch request can only have up to 2500 events [...] Segment returns a `200` response but rejects
  the event when the number of batched events exceeds the limit." (Errors);
- "ensure all events have unique messageId values with fewer than 100 characters" (Errors, Deduplication).

KB is read as 1,024 bytes, as Segment's own libraries count it (analytics-python `MAX_MSG_SIZE = 32 << 10`;
@segment/analytics-node `MAX_EVENT_SIZE_IN_KB = 32` times 1024).
"""

from __future__ import annotations

__all__ = ["MAX_BATCH_BYTES", "MAX_BATCH_EVENTS", "MAX_CALL_BYTES", "MAX_MESSAGE_ID_LENGTH"]

MAX_CALL_BYTES = 32 * 1024
"""One call (a `/v1/track` body, or one event of a batch), as JSON."""
MAX_BATCH_BYTES = 500 * 1024
"""One `/v1/batch` (or `/v1/import`) request body, decompressed."""
MAX_BATCH_EVENTS = 2500
"""Events of one batch request that Segment keeps; the rest are rejected (200 all the same)."""
MAX_MESSAGE_ID_LENGTH = 100
