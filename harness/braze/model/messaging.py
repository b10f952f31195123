"""API-triggered campaigns and Canvases: the ones a workspace declares, and every triggered send it received.

post_send_triggered_campaigns.md / post_send_triggered_canvases.md: a send names one campaign (or Canvas)
by its API identifier and reaches up to 50 recipients (or, as a broadcast, the segment the campaign
targets); Braze answers with one `dispatch_id` for the whole request. The fake keeps each send with
whom it reached: every recipient resolved to a profile, or skipped (and why, as a note code).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from harness.braze.model.profiles import export_time

__all__ = ["TRIGGER_STATUSES", "Delivery", "TriggerConfig", "TriggerKind", "TriggerStatus", "TriggeredSend"]

TriggerKind = Literal["campaign", "canvas"]
TriggerStatus = Literal["active", "paused", "stopped", "archived"]
TRIGGER_STATUSES: tuple[TriggerStatus, ...] = ("active", "paused", "stopped", "archived")
"""post_send_triggered_canvases.md: "If the Canvas is archived, stopped, or paused, the Canvas is not sent"."""


@dataclass(frozen=True, slots=True)
class TriggerConfig:
    """An API-triggered campaign or Canvas the workspace has: `TriggerConfig("camp-1")`,
    `TriggerConfig("canvas-1", status="paused")`. Once a workspace declares any, unknown ids are refused."""

    id: str
    status: TriggerStatus = "active"
    name: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"a campaign or Canvas id is a non-empty string, not {self.id!r}")
        if self.status not in TRIGGER_STATUSES:
            raise ValueError(f"status must be one of {', '.join(TRIGGER_STATUSES)}, not {self.status!r}")

    @classmethod
    def coerce(cls, value: Any) -> TriggerConfig:
        """A TriggerConfig, an id, or `{"id": ..., "status": ..., "name": ...}`."""
        if isinstance(value, TriggerConfig):
            return value
        if isinstance(value, str):
            return cls(value)
        if isinstance(value, Mapping):
            unknown = set(value) - {"id", "status", "name"}
            if unknown:
                raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))}: use id, status, name")
            return cls(value.get("id"), value.get("status", "active"), value.get("name"))  # type: ignore[arg-type]
        raise ValueError(f"a campaign or Canvas is an id or {{'id': ..., 'status': ...}}, not {value!r}")


@dataclass(frozen=True, slots=True)
class Delivery:
    """One recipient of a send: who the request named, the profile it reached, or why it reached none."""

    index: int
    """Its place in the request's `recipients`."""
    identifier: str
    """How the request named the user (`external_id 'u1'`, `user_alias segment:anon`, `email 'a@b.co'`)."""
    sent: bool
    braze_id: str | None = None
    external_id: str | None = None
    reason: str | None = None
    """The note code of a skipped recipient (`send.recipient_unknown`, ...)."""
    properties: Mapping[str, Any] | None = None
    """The trigger properties (campaigns) or context (Canvases) this recipient gets: the request's, with the
    recipient's own keys winning."""

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "identifier": self.identifier,
            "sent": self.sent,
            "braze_id": self.braze_id,
            "external_id": self.external_id,
            "reason": self.reason,
            "properties": dict(self.properties or {}),
        }


@dataclass(frozen=True, slots=True)
class TriggeredSend:
    """One accepted `/campaigns/trigger/send` or `/canvas/trigger/send` request."""

    dispatch_id: str
    kind: TriggerKind
    trigger_id: str
    """The campaign_id or canvas_id."""
    at: datetime
    broadcast: bool
    properties: Mapping[str, Any]
    """The request's trigger_properties / context (canvas_entry_properties)."""
    deliveries: tuple[Delivery, ...] = ()
    send_id: str | None = None
    audience: Any = None
    attachments: tuple[Mapping[str, Any], ...] = ()
    status: TriggerStatus | None = None
    """The campaign's or Canvas's configured status; None when the workspace declares none (zero-config)."""
    notice: str | None = None

    @property
    def recipients(self) -> tuple[Delivery, ...]:
        """The deliveries that reached a profile."""
        return tuple(d for d in self.deliveries if d.sent)

    @property
    def skipped(self) -> tuple[Delivery, ...]:
        return tuple(d for d in self.deliveries if not d.sent)

    @property
    def external_ids(self) -> tuple[str, ...]:
        """External ids of the profiles reached (identified ones only)."""
        return tuple(d.external_id for d in self.recipients if d.external_id is not None)

    def to_json(self) -> dict[str, Any]:
        return {
            "dispatch_id": self.dispatch_id,
            "kind": self.kind,
            "id": self.trigger_id,
            "send_id": self.send_id,
            "at": export_time(self.at),
            "broadcast": self.broadcast,
            "audience": self.audience,
            "properties": dict(self.properties),
            "attachments": [dict(a) for a in self.attachments],
            "status": self.status,
            "notice": self.notice,
            "recipients": [d.to_json() for d in self.deliveries],
        }
