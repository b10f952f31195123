"""Builders for identify / track calls at hour offsets from a fixed start (imported by the engage tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from harness.segment import format_timestamp, validate_event

T0 = datetime(2024, 3, 1, tzinfo=UTC)


def at(hours: float = 0, days: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, days=days)


def identify(hours: float, traits: dict[str, Any] | None = None, **ids: str) -> dict[str, Any]:
    return {
        "type": "identify",
        **_ids(ids),
        "traits": traits or {},
        "messageId": f"id-{hours}",
        "timestamp": format_timestamp(at(hours)),
    }


def track(
    hours: float, event: str = "Order Completed", properties: dict[str, Any] | None = None, **ids: str
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "track",
        **_ids(ids),
        "event": event,
        "properties": properties or {},
        "messageId": f"tr-{hours}",
        "timestamp": format_timestamp(at(hours)),
    }
    if "email" in ids:
        out["context"] = {"traits": {"email": ids["email"]}}
    return out


def _ids(ids: dict[str, str]) -> dict[str, str]:
    names = {"user": "userId", "anon": "anonymousId"}
    return {names[k]: v for k, v in ids.items() if k in names}


def identify_with_email(hours: float, email: str, traits: dict[str, Any] | None = None, **ids: str) -> dict[str, Any]:
    return identify(hours, (traits or {}) | {"email": email}, **ids)


def assert_engage_valid(events: list[dict[str, Any]]) -> None:
    for event in events:
        assert validate_event(event) == [], event
