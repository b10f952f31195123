"""The recipients of a triggered send: who each one names, their attributes applied first, and the profile reached.

Sources: _docs/_api/objects_filters/recipient_object.md ("You must include one of `external_user_id`, `user_alias`,
`braze_id`, or `email` in this object. Requests must specify only one."), post_send_triggered_campaigns.md and
post_send_triggered_canvases.md:
- "prioritization ... required when using email";
- "send_to_existing_only ... defaults to true, can't be used with user aliases; if set to `false`, an attributes
  object must also be included"; "When `send_to_existing_only` is `false` and a user with the given `id` does not
  exist, Braze creates a user with that ID and attributes before sending the message";
- "this API call processes the user attributes object before it processes and sends the campaign": each
  recipient's `attributes` go through `/users/track`'s own rules (`track.users_track`), named by the recipient's
  identifier and update-only unless `send_to_existing_only` is false; Canvas: "by default, subscription groups
  cannot be updated this way", so `subscription_groups` is left out of a Canvas's attributes;
- "if you use the same `external_user_id`, then the user receives only one message" (recipient_object.md).
Choices where Braze is silent: an empty `user_alias` (`{}`, what Segment's mapping sends when the alias traits are
missing) counts as no alias; identifier keys inside `attributes` are dropped (the recipient names the user);
attributes Braze would reject are not applied and noted, the send goes on; several profiles left by an email's
prioritization: the most recently updated one receives the message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from harness.braze.model.messaging import Delivery, TriggerKind
from harness.braze.model.notes import Code, Note
from harness.braze.model.profiles import Profile
from harness.braze.model.store import Identifier, Store, Workspace
from harness.braze.service.errors import BadRequest, BrazeError, error_item
from harness.braze.service.track import users_track
from harness.contracts import contract

__all__ = ["IDENTIFIERS", "MESSAGES", "Recipient", "apply_attributes", "parse_recipients", "resolve"]

IDENTIFIERS = ("external_user_id", "user_alias", "braze_id", "email")
_KINDS = {"external_user_id": "external_id", "user_alias": "user_alias", "braze_id": "braze_id", "email": "email"}
MESSAGES = {
    "identifiers": "Each recipient must include exactly one of external_user_id, user_alias, braze_id or email",
    "prioritization": "prioritization is required when using email",
    "attributes": "If send_to_existing_only is false, an attributes object must be included",
    "alias": "send_to_existing_only can't be set to false for user aliases",
}
"""CHOICE: Braze documents these rules, not its wording for them; each message restates its rule."""
_DROPPED = ("external_id", "braze_id", "user_alias", "_update_existing_only", "push_token_import")
_ATTRIBUTES_AT = re.compile(r"^attributes\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class Recipient:
    index: int
    key: str
    """The identifier field the recipient used (`external_user_id`, `user_alias`, `braze_id`, `email`)."""
    ident: Identifier
    existing_only: bool
    attributes: Mapping[str, Any] | None
    prioritization: tuple[str, ...]
    properties: Mapping[str, Any]


def parse_recipients(raw: list[dict[str, Any]], merged: list[dict[str, Any]], notes: list[Note]) -> list[Recipient]:
    """Each recipient checked by the rules above (400 for the whole request), with its merged properties."""
    recipients: list[Recipient] = []
    for index, (item, properties) in enumerate(zip(raw, merged, strict=True)):
        where = f"recipients[{index}]"
        if item.get("user_alias") == {}:
            text = "user_alias is {} (no alias_name or alias_label): taken as no alias"
            notes.append(Note(Code.SEND_EMPTY_ALIAS, where, text))
        keys = [k for k in IDENTIFIERS if item.get(k) is not None and item.get(k) != {}]
        if len(keys) != 1:
            named = ", ".join(keys) or "none of them"
            _refuse(MESSAGES["identifiers"], where, f"{where} names {named}")
        key = keys[0]
        value = item[key]
        ident = (
            Identifier("user_alias", value["alias_name"], value["alias_label"])
            if key == "user_alias"
            else Identifier(_KINDS[key], value)
        )
        if key == "email" and not item.get("prioritization"):
            _refuse(MESSAGES["prioritization"], f"{where}.prioritization", f"{where} is named by email")
        existing_only = item.get("send_to_existing_only", True)
        attributes = item.get("attributes")
        if existing_only is False and key == "user_alias":
            _refuse(MESSAGES["alias"], f"{where}.send_to_existing_only", f"{where} is named by a user alias")
        if existing_only is False and not attributes:
            _refuse(MESSAGES["attributes"], f"{where}.attributes", f"{where} has send_to_existing_only false")
        prioritization = tuple(item.get("prioritization") or ())
        recipients.append(Recipient(index, key, ident, existing_only, attributes, prioritization, properties))
    return recipients


def _refuse(message: str, where: str, detail: str) -> None:
    raise BadRequest(message, [error_item(message, path=f"$.{where}")], detail=detail, code=Code.SEND_INVALID_REQUEST)


def apply_attributes(
    store: Store, workspace: Workspace, recipients: list[Recipient], kind: TriggerKind, now: datetime
) -> list[Note]:
    """Every recipient's `attributes` applied as a `/users/track` attributes object, before the send."""
    notes: list[Note] = []
    objects: list[dict[str, Any]] = []
    owners: list[Recipient] = []
    for recipient in recipients:
        if not recipient.attributes:
            continue
        where = f"recipients[{recipient.index}].attributes"
        dropped = [k for k in recipient.attributes if k in _DROPPED or k == _KINDS[recipient.key]]
        if kind == "canvas" and "subscription_groups" in recipient.attributes:
            dropped.append("subscription_groups")
        if dropped:
            text = f"{', '.join(dropped)} not applied: " + (
                "a Canvas does not update subscription groups, and the recipient names the user"
                if "subscription_groups" in dropped
                else "the recipient names the user"
            )
            notes.append(Note(Code.SEND_ATTRIBUTES_IGNORED, where, text))
        obj = {k: v for k, v in recipient.attributes.items() if k not in dropped}
        ident = recipient.ident
        obj[_KINDS[recipient.key]] = (
            {"alias_name": ident.value, "alias_label": ident.label} if ident.kind == "user_alias" else ident.value
        )
        obj["_update_existing_only"] = recipient.existing_only
        objects.append(obj)
        owners.append(recipient)
    if not objects:
        return notes
    body = {"attributes": objects}
    try:
        found = users_track(store, workspace, body, contract("braze/users-track.request").check(body), now).notes
    except BrazeError as exc:  # every object refused: the send goes on without them
        found = exc.notes
    for note in found:
        match = _ATTRIBUTES_AT.match(note.where or "")
        where = f"recipients[{owners[int(match.group(1))].index}].attributes" if match else (note.where or "")
        text = f"not applied: {note.text}" if note.kind == "error" else note.text
        notes.append(Note(note.code, where, text, "warning", note.subject))
    return notes


def resolve(workspace: Workspace, recipient: Recipient, reached: set[str], active: bool, notes: list[Note]) -> Delivery:
    """The delivery to one recipient: the profile it names (once per profile), or why nobody received it."""
    where = f"recipients[{recipient.index}]"
    label = str(recipient.ident)
    delivery = Delivery(recipient.index, label, False, properties=recipient.properties)
    profile = _find(workspace, recipient, where, notes)
    if profile is None:
        text = f"no user with {label}; nobody received this message" + (
            " (send_to_existing_only is true)" if recipient.existing_only else ""
        )
        notes.append(Note(Code.SEND_RECIPIENT_UNKNOWN, where, text, subject=label))
        return replace(delivery, reason=str(Code.SEND_RECIPIENT_UNKNOWN))
    delivery = replace(delivery, braze_id=profile.braze_id, external_id=profile.external_id)
    if not active:
        return replace(delivery, reason=str(Code.SEND_INACTIVE))
    if profile.braze_id in reached:
        text = f"{label} already received this send; Braze sends each user one message"
        notes.append(Note(Code.SEND_DUPLICATE_RECIPIENT, where, text, subject=label))
        return replace(delivery, reason=str(Code.SEND_DUPLICATE_RECIPIENT))
    reached.add(profile.braze_id)
    return replace(delivery, sent=True)


def _find(workspace: Workspace, recipient: Recipient, where: str, notes: list[Note]) -> Profile | None:
    if recipient.ident.kind != "email":
        return workspace.find(recipient.ident)
    pool = workspace.all_matching(recipient.ident)
    for rule in recipient.prioritization:
        if len(pool) <= 1:
            break
        if rule == "identified":
            pool = [p for p in pool if p.identified] or pool
        elif rule == "unidentified":
            pool = [p for p in pool if not p.identified] or pool
        elif rule in ("most_recently_updated", "least_recently_updated"):
            pick = max if rule == "most_recently_updated" else min
            pool = [pick(pool, key=lambda p: p.updated_at)]
    if len(pool) > 1:
        text = f"{len(pool)} users have {recipient.ident} after the prioritization; the latest updated receives it"
        notes.append(Note(Code.USER_AMBIGUOUS, where, text))
        return max(pool, key=lambda p: (p.updated_at, p.braze_id))
    return pool[0] if pool else None
