"""Reading a request body as Braze would: JSON only, strict, bounded.

orjson is strict RFC 8259: NaN/Infinity, invalid UTF-8, trailing garbage and nesting beyond 1,024
levels are refused with a message that says where. Each refusal becomes a Braze-shaped 4xx.
"""

from __future__ import annotations

from typing import Any

import orjson

from harness.braze.model.notes import Code
from harness.braze.service.errors import BadRequest, PayloadTooLarge

__all__ = ["parse_json_body"]

_JSON_TYPES = ("application/json", "text/json")


def parse_json_body(raw: bytes, content_type: str | None, *, max_bytes: int) -> Any:
    """The decoded JSON body, or a BrazeError saying exactly what is wrong with it."""
    if len(raw) > max_bytes:
        raise PayloadTooLarge(
            f"request body is {len(raw):,} bytes; the limit is {max_bytes:,} bytes".capitalize(),
            code=Code.LIMIT_BODY_BYTES,
        )
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime and mime not in _JSON_TYPES and not mime.endswith("+json"):
        raise BadRequest(f"Content-Type must be application/json, not {mime!r}", code=Code.REQUEST_BAD_BODY)
    if not raw.strip():
        raise BadRequest("Request body is empty; send a JSON object", code=Code.REQUEST_BAD_BODY)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"Request body is not valid JSON: {exc}", code=Code.REQUEST_BAD_BODY) from None
