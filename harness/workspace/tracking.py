"""Reading one request to Segment's HTTP Tracking API: which call(s) it holds, whose write key, or why 400.

segment-docs `src/connections/sources/catalog/libraries/server/http-api/index.md`:
- paths `POST /v1/identify|track|page|screen|group|alias` (one call) and `/v1/batch` (`{"batch": [...]}`);
  `/v1/import` is the older name of batch ("api.segment.io/v1/import (which is an alias for v1/batch)",
  Segment's f2prateek in segmentio/analytics-php#96; Segment's own segmentio/segment-import posts there);
  analytics.js posts to `/v1/t`, `/v1/i`, `/v1/p`, `/v1/s`, `/v1/g`, `/v1/a` and `/v1/b` (analytics-next
  `plugins/segmentio/index.js`: `path = ctx.event.type.charAt(0)`; `batched-dispatcher.js`: `/b`);
- authentication: "HTTP Basic Auth [...] a Segment source Write Key [...] as the username [...] the password
  field is left empty" (a key encoded without the colon "might work due to backward compatibility"), or
  "the writeKey [...] as part of the body". With neither, the request is refused with a 400 (an empty key
  "return[s] 400 Bad Request", segmentio/analytics-go#205); any other key is accepted here and judged by
  the workspace ("The tracking API behind api.segment.io is stateless and doesn't do any validation",
  Segment's f2prateek in segmentio/analytics-ruby#136);
- "Segment returns a `200` response for all API requests except errors caused by large payloads and JSON
  errors (which return `400` responses.)": 32 KB per call, 500 KB per batch, 32 KB per batched call;
- "a content-type header must be set to 'application/json'", yet analytics.js sends `text/plain`
  (analytics-next `shared-dispatcher.js`) and Segment accepts it: the body is read as JSON whatever the
  content type; `Content-Encoding: gzip` bodies (analytics-python's `gzip=True`) are decompressed first.
Error bodies are `{"code", "message"}`, the fields Segment's own Python library reads from a failed answer
(analytics-python `request.py`: `APIError(res.status_code, payload["code"], payload["message"])`); Segment
documents the status only. The messages are the Delivery Overview's words ("Could not parse request body",
"Could not decode payload", "Source missing write key") or Segment's ("the message is too large and over
the maximum 32KB limit", segment-docs PR #5103).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from harness.workspace.enrich import merge_batch_fields
from harness.workspace.limits import MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_CALL_BYTES

__all__ = [
    "BATCH_PATHS",
    "CALL_PATHS",
    "SUCCESS",
    "Reading",
    "TrackingRequest",
    "call_size",
    "read_request",
    "too_large",
]

CALL_PATHS: dict[str, str] = {
    **{f"/v1/{kind}": kind for kind in ("identify", "track", "page", "screen", "group", "alias")},
    **{f"/v1/{kind[0]}": kind for kind in ("identify", "track", "page", "screen", "group", "alias")},
}
BATCH_PATHS = frozenset({"/v1/batch", "/v1/import", "/v1/b"})
SUCCESS: dict[str, Any] = {"success": True}


@dataclass(frozen=True, slots=True)
class TrackingRequest:
    """A request as it arrived: headers by lower-case name, the body's bytes as sent."""

    method: str
    path: str
    host: str = "api.segment.io"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(slots=True)
class Reading:
    """What one request holds, or why it is refused."""

    status: int = 200
    answer: dict[str, Any] = field(default_factory=lambda: dict(SUCCESS))
    write_key: str | None = None
    payload: Any = None
    """The parsed JSON body (for the journal)."""
    calls: list[Any] = field(default_factory=list)
    """The calls, batch fields merged in, not yet enriched."""
    call_type: str | None = None
    """The type a single-call endpoint fixes; None for a batch."""
    excess: list[Any] = field(default_factory=list)
    """Batched calls past the 2,500 Segment keeps."""
    batch: bool = False
    decoded: bytes = b""

    @property
    def ok(self) -> bool:
        return self.status == 200


def _refused(status: int, code: str, message: str, reading: Reading | None = None) -> Reading:
    out = reading or Reading()
    out.status, out.answer = status, {"code": code, "message": message}
    return out


def _decoded(request: TrackingRequest, limit: int) -> bytes | str:
    """The body, decompressed when gzip-encoded (at most `limit` + 1 bytes); an error text otherwise."""
    encoding = (request.header("content-encoding") or "").strip().lower()
    if encoding in ("", "identity"):
        return request.body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return f"Could not decode payload: unsupported Content-Encoding {encoding!r}"
    try:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32 if encoding != "deflate" else zlib.MAX_WBITS)
        return inflater.decompress(request.body, limit + 1)
    except zlib.error as exc:
        return f"Could not decode payload: {encoding} body does not decompress ({exc})"


def _basic_user(header: str | None) -> str | None:
    if not header or header[:6].lower() != "basic ":
        return None
    try:
        text = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return text.partition(":")[0] or None


def call_size(item: Any) -> int:
    """A call's size as compact JSON (UTF-8), as a library serializes it."""
    try:
        return len(orjson.dumps(item))
    except TypeError:  # an integer beyond 64 bits, which orjson does not write
        return len(json.dumps(item, separators=(",", ":"), ensure_ascii=False).encode())


def too_large(what: str, limit: int, size: int) -> str:
    """Segment's 400 message for a payload over a limit."""
    return f"the {what} is too large and over the maximum {limit // 1024}KB limit ({size:,} bytes)"


def read_request(request: TrackingRequest) -> Reading:
    """Read one Tracking API request (the path is known to be a Tracking API path)."""
    batch = request.path in BATCH_PATHS
    limit = MAX_BATCH_BYTES if batch else MAX_CALL_BYTES
    reading = Reading(call_type=CALL_PATHS.get(request.path), batch=batch)
    body = _decoded(request, limit)
    if isinstance(body, str):
        return _refused(400, "bad_request", body, reading)
    reading.decoded = body
    if len(body) > limit:
        return _refused(400, "bad_request", too_large("batch" if batch else "message", limit, len(body)), reading)
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _refused(400, "bad_request", f"Could not parse request body: {exc}", reading)
    reading.payload = payload
    if not isinstance(payload, dict):
        return _refused(400, "bad_request", "Could not parse request body: expected a JSON object", reading)
    key = payload.get("writeKey")
    reading.write_key = _basic_user(request.header("authorization")) or (key if isinstance(key, str) and key else None)
    if reading.write_key is None:
        return _refused(400, "bad_request", "Source missing write key", reading)
    if not batch:
        reading.calls = [payload]
        return reading
    items = payload.get("batch", [])
    if not isinstance(items, list):
        return _refused(400, "bad_request", "Could not parse request body: batch must be an array", reading)
    for index, item in enumerate(items):
        size = call_size(item)
        if size > MAX_CALL_BYTES:
            return _refused(400, "bad_request", too_large(f"message at batch[{index}]", MAX_CALL_BYTES, size), reading)
    merged = [merge_batch_fields(item, payload) if isinstance(item, dict) else item for item in items]
    reading.calls, reading.excess = merged[:MAX_BATCH_EVENTS], merged[MAX_BATCH_EVENTS:]
    return reading
