"""JSON answers of the HTTP layer: one way to turn a body into bytes, for Braze's paths and the control plane."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response

from harness.braze.service.pipeline import Reply

__all__ = ["SHOWN_DEPTH", "dumps", "json_response", "reply_response"]

SHOWN_DEPTH = 200


def json_response(status: int, payload: Any) -> Response:
    return Response(dumps(payload), status=status, mimetype="application/json")


def reply_response(reply: Reply) -> Response:
    response = json_response(reply.status, reply.body)
    response.headers.update(reply.headers)
    return response


def dumps(payload: Any) -> bytes:
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:  # a journaled body deeper than orjson's limit: show it clipped
        return orjson.dumps(_clip(payload, SHOWN_DEPTH))


def _clip(value: Any, depth: int) -> Any:
    if isinstance(value, dict | list) and depth <= 0:
        return f"[nested more than {SHOWN_DEPTH} levels: not shown]"
    if isinstance(value, dict):
        return {k: _clip(v, depth - 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_clip(v, depth - 1) for v in value]
    return value
