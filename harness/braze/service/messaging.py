"""`POST /campaigns/trigger/send` and `POST /canvas/trigger/send`: API-triggered delivery, the endpoints Segment's
`triggerCampaign` and `triggerCanvas` actions call.

Sources: _docs/_api/endpoints/messaging/send_messages/post_send_triggered_campaigns.md,
post_send_triggered_canvases.md, _docs/_api/parameters.md (broadcast), _docs/_api/errors.md, recipient_object.md
(see `recipients` for the recipients' own rules). Rules, each a 400 for the whole request:
- "If `broadcast` is set to true, a `recipients` list cannot be included", nor "the `attachments` list";
- "including `broadcast: false` and not providing a recipient list will return an error"; `broadcast` "defaults
  to false ... must be set to true if recipients is omitted", so with neither recipients nor an `audience` the
  answer is errors.md's `No Recipients`;
- at most 50 recipients (errors.md: "The max number of external_ids and aliases per request was exceeded");
- a Canvas's context object "has a maximum size limit of 50 KB";
- once the workspace declares its campaigns (Canvases), another id is errors.md's `Invalid Campaign ID` ("No
  messaging API campaign was found for your provided campaign ID").
Success: 201 `{"dispatch_id": ..., "message": "success"}` ("you receive a single `dispatch_id` for an entire
batched set of users"); a paused, stopped or archived Canvas adds its documented `notice` and sends nothing.
Every accepted send is kept (`Workspace.sends`) with each recipient's delivery.

Choices where Braze is silent: zero-config takes any campaign_id / canvas_id; an unknown canvas_id answers
`Invalid Canvas ID` (by analogy with campaigns; undocumented); a paused, stopped or archived campaign answers 201
and sends nothing, without a notice (only Canvases document one); recipients' attributes are applied even then (the
attributes object is processed before the send); `context` and `canvas_entry_properties` are both taken (the older
name is "still backwards compatible"), `context` winning a key both name; a top-level `trigger_properties` of ""
(as the docs' own example has it) counts as none; a broadcast or an `audience` is recorded but not evaluated (the
fake does not know the campaign's segment); unknown fields are ignored and noted (Segment leaves `prioritization`
at the top level of a broadcast). The 2 MB attachment limit concerns the files, which the fake does not fetch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson

from harness.braze.model.messaging import TriggerConfig, TriggeredSend, TriggerKind
from harness.braze.model.notes import Code, Note
from harness.braze.model.store import Workspace
from harness.braze.service.call import Call, Endpoint, strict
from harness.braze.service.errors import BadRequest, error_item
from harness.braze.service.limits import CANVAS_CONTEXT_MAX_BYTES
from harness.braze.service.outcome import Outcome
from harness.braze.service.recipients import apply_attributes, parse_recipients, resolve

__all__ = ["CANVAS_NOTICES", "ENDPOINTS", "MESSAGES", "rate_group", "trigger_send"]

MESSAGES = {
    "broadcast_recipients": "If broadcast is set to true, a recipients list cannot be included",
    "broadcast_attachments": "If broadcast is set to true, then the attachments list cannot be included",
    "no_recipients": "No Recipients",
    "campaign": "Invalid Campaign ID",
    "canvas": "Invalid Canvas ID",
    "context": f"The context object has a maximum size limit of {CANVAS_CONTEXT_MAX_BYTES // 1024} KB",
}
"""Braze's words where errors.md has them (`No Recipients`, `Invalid Campaign ID`); CHOICE elsewhere: the rule as the
pages state it (`Invalid Canvas ID` by analogy)."""
CANVAS_NOTICES = {
    "archived": "The Canvas is archived. Unarchive the Canvas to ensure trigger requests will take effect.",
    "paused": "The Canvas is paused. Resume the Canvas to ensure trigger requests will take effect.",
}
"""post_send_triggered_canvases.md: the archived notice, and the paused one for any Canvas that "is not active"."""


@dataclass(frozen=True, slots=True)
class _Kind:
    kind: TriggerKind
    id_key: str
    properties: tuple[str, ...]
    """The keys of its properties object, weakest first (Canvas: `canvas_entry_properties`, then `context`)."""
    known: frozenset[str]
    recipient_known: frozenset[str]


_RECIPIENT = frozenset({"user_alias", "external_user_id", "email", "braze_id", "prioritization"})
_COMMON = frozenset({"send_id", "broadcast", "audience", "recipients"})
CAMPAIGN = _Kind(
    "campaign",
    "campaign_id",
    ("trigger_properties",),
    _COMMON | {"campaign_id", "trigger_properties", "attachments"},
    _RECIPIENT | {"trigger_properties", "send_to_existing_only", "attributes"},
)
CANVAS = _Kind(
    "canvas",
    "canvas_id",
    ("canvas_entry_properties", "context"),
    _COMMON | {"canvas_id", "canvas_entry_properties", "context"},
    _RECIPIENT | {"canvas_entry_properties", "context", "send_to_existing_only", "attributes"},
)


def rate_group(body: Any) -> str:
    """The rate-limit group of a send: "When specifying a segment or Connected Audience in your request, we apply a
    rate limit of 250 requests per minute" (a broadcast, or an `audience`); otherwise the shared 250,000 an hour."""
    if isinstance(body, dict) and (not body.get("recipients") or body.get("audience") is not None):
        return "messages.broadcast"
    return "messages.send"


def trigger_send(call: Call, kind: _Kind) -> Outcome:
    strict(call)
    body: dict[str, Any] = call.body
    workspace = call.keyed_workspace
    notes = _unknown(body, kind.known, None)
    target = _target(workspace, kind, body[kind.id_key])
    raw = body.get("recipients") or []
    broadcast = body.get("broadcast", False)
    if broadcast is True and raw:
        _refuse("broadcast_recipients", "$.recipients", "broadcast is true and recipients are listed")
    if broadcast is True and body.get("attachments"):
        _refuse("broadcast_attachments", "$.attachments", "broadcast is true and attachments are listed")
    if not raw and broadcast is not True and ("broadcast" in body or body.get("audience") is None):
        detail = "no recipients, and broadcast is not true" + ("" if "broadcast" in body else " (it defaults to false)")
        _refuse("no_recipients", "$.recipients", detail)
    top = _properties(body, kind, "$")
    merged = []
    for index, item in enumerate(raw):
        notes += _unknown(item, kind.recipient_known, f"recipients[{index}]")
        merged.append({**top, **_properties(item, kind, f"$.recipients[{index}]")})
    recipients = parse_recipients(raw, merged, notes)
    active = target is None or target.status == "active"
    with call.store.lock:
        notes += apply_attributes(call.store, workspace, recipients, kind.kind, call.now)
        reached: set[str] = set()
        deliveries = tuple(resolve(workspace, r, reached, active, notes) for r in recipients)
        notice = _notice(kind, target)
        if target is not None and not active:
            text = f"the {kind.kind} {target.id!r} is {target.status}: nothing is sent"
            notes.append(Note(Code.SEND_INACTIVE, None, text))
        if not raw:
            text = "broadcast to the segment the campaign targets: the fake does not know it; no recipient recorded"
            notes.append(Note(Code.SEND_BROADCAST, None, text))
        if body.get("audience") is not None:
            notes.append(Note(Code.SEND_AUDIENCE, "audience", "the connected audience is kept, not evaluated"))
        send = TriggeredSend(
            dispatch_id=call.store.dispatch_id(),
            kind=kind.kind,
            trigger_id=body[kind.id_key],
            at=call.now,
            broadcast=not raw,
            properties=top,
            deliveries=deliveries,
            send_id=body.get("send_id"),
            audience=body.get("audience"),
            attachments=tuple(body.get("attachments") or ()),
            status=target.status if target else None,
            notice=notice,
        )
        workspace.sends.append(send)
    answer: dict[str, Any] = {"dispatch_id": send.dispatch_id, "message": "success"}
    if notice is not None:
        answer = {"notice": notice, **answer}
    return Outcome(201, answer, notes)


def _target(workspace: Workspace, kind: _Kind, target_id: str) -> TriggerConfig | None:
    """The declared campaign / Canvas; None when the workspace declares none (zero-config: any id is taken)."""
    declared = workspace.config.campaigns if kind.kind == "campaign" else workspace.config.canvases
    if not declared:
        return None
    for target in declared:
        if target.id == target_id:
            return target
    known = ", ".join(t.id for t in declared)
    detail = f"workspace {workspace.name!r} has no API-triggered {kind.kind} {target_id!r} (it has {known})"
    raise BadRequest(MESSAGES[kind.kind], detail=detail, code=Code.SEND_UNKNOWN_ID)


def _notice(kind: _Kind, target: TriggerConfig | None) -> str | None:
    if kind.kind != "canvas" or target is None or target.status == "active":
        return None
    return CANVAS_NOTICES["archived" if target.status == "archived" else "paused"]


def _properties(obj: dict[str, Any], kind: _Kind, where: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for key in kind.properties:
        value = obj.get(key)
        if isinstance(value, dict):
            size = _json_bytes(value) if kind.kind == "canvas" else 0
            if size > CANVAS_CONTEXT_MAX_BYTES:
                _refuse("context", f"{where}.{key}", f"{where}.{key} is {size:,} bytes as JSON")
            merged.update(value)
    return merged


def _json_bytes(value: Any) -> int:
    """Bytes of `value` as compact JSON (orjson stops at 254 levels; the json module goes further)."""
    try:
        return len(orjson.dumps(value))
    except orjson.JSONEncodeError:
        try:
            return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
        except RecursionError:
            return CANVAS_CONTEXT_MAX_BYTES + 1  # CHOICE: too deep to measure counts as too large


def _unknown(obj: dict[str, Any], known: frozenset[str], where: str | None) -> list[Note]:
    extra = sorted(set(obj) - known)
    if not extra:
        return []
    return [Note(Code.REQUEST_UNKNOWN_FIELDS, where, f"unknown field(s) ignored: {', '.join(extra)}")]


def _refuse(message: str, path: str, detail: str) -> None:
    text = MESSAGES[message]
    raise BadRequest(text, [error_item(text, path=path)], detail=detail, code=Code.SEND_INVALID_REQUEST)


def _campaign(call: Call) -> Outcome:
    return trigger_send(call, CAMPAIGN)


def _canvas(call: Call) -> Outcome:
    return trigger_send(call, CANVAS)


ENDPOINTS = (
    Endpoint(
        "/campaigns/trigger/send",
        "messages.send",
        "braze/campaigns-trigger-send.request",
        _campaign,
        response_contract="braze/trigger-send.response",
        group_for=rate_group,
    ),
    Endpoint(
        "/canvas/trigger/send",
        "messages.send",
        "braze/canvas-trigger-send.request",
        _canvas,
        response_contract="braze/trigger-send.response",
        group_for=rate_group,
    ),
)
