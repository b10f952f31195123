"""`POST /users/track`: Braze's answer to a body whose shape the contract has already checked.

Responses (post_user_track.md, recommended events page, errors.md):
- all good: 201 `{"message": "success", "<kind>_processed": n}` with a count for each kind sent;
- some objects invalid: 201 `"success"` plus `errors: [{type, input_array, index}]`; the rest applied;
- every object invalid, or none sent: 400 `Valid data must be provided in the 'attributes', 'events',
  or 'purchases' fields.` with the same `errors`;
- too many objects: 400 `Max Input Length Exceeded` (75 per array; "75 combined" and "50 combined"
  for the newer contracts, selectable).
Objects are applied in Braze's order: attributes, then events, then purchases.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from harness.braze.model.config import FakeBrazeConfig
from harness.braze.model.notes import Code, Note
from harness.braze.model.profiles import Profile
from harness.braze.model.store import Identifier, Store, Workspace
from harness.braze.service import plain
from harness.braze.service.attributes import apply_op
from harness.braze.service.call import Call, Endpoint
from harness.braze.service.errors import BadRequest, ContractViolation, error_item
from harness.braze.service.limits import TRACK_LIMITS
from harness.braze.service.outcome import Outcome
from harness.braze.service.rules import (
    AttributeUpdate,
    EventRecord,
    PurchaseRecord,
    compile_attributes,
    compile_event,
    compile_purchase,
)
from harness.braze.service.subscriptions import inherit_on_email_change, share_subscription_state
from harness.contracts import Violation

__all__ = ["ENDPOINTS", "KINDS", "VALID_DATA_MESSAGE", "users_track"]

KINDS = ("attributes", "events", "purchases")
VALID_DATA_MESSAGE = "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields."
MAX_INPUT_MESSAGE = "Max Input Length Exceeded"
Record = AttributeUpdate | EventRecord | PurchaseRecord | plain.PlainRecord
"""An object compiled for applying: the general path's records, or the plain path's tuples."""
_OBJECT_PATH = re.compile(r"^\$\.(attributes|events|purchases)\[(\d+)\]")


def users_track(
    store: Store, workspace: Workspace, body: dict[str, Any], violations: list[Violation], now: datetime
) -> Outcome:
    """Validate, then apply whole (under the store lock), then answer as Braze does."""
    by_object, envelope = _split(violations)
    unknown = [] if store.config.strict else [v for v in envelope if _unknown_field(v)]
    if len(unknown) < len(envelope):
        raise ContractViolation(envelope)
    arrays = {kind: body.get(kind) or [] for kind in KINDS}
    _check_limits(arrays, store.config)
    if not any(arrays.values()):
        raise BadRequest(VALID_DATA_MESSAGE, code=Code.REQUEST_NO_VALID_DATA)
    errors: list[dict[str, Any]] = []
    notes: list[Note] = []
    compiled: dict[str, list[tuple[int, Record]]] = {kind: [] for kind in KINDS}
    fast = plain.ENABLED
    for kind in KINDS:
        kept = compiled[kind]
        for index, obj in enumerate(arrays[kind]):
            found = by_object.get((kind, index)) if by_object else None
            if found:
                result: Any = _object_error_types(found)
            elif kind == "attributes":
                result = (fast and plain.plain_attributes(obj)) or compile_attributes(obj)
            elif kind == "events":
                result = (fast and plain.plain_event(obj, now)) or compile_event(obj, now)
            else:
                result = compile_purchase(obj, now)
            if type(result) is list:
                where = f"{kind}[{index}]"
                for problem in result:
                    errors.append(error_item(problem.text, input_array=kind, index=index))
                    notes.append(problem.at(where))
            else:
                kept.append((index, result))
    if not any(compiled.values()):
        raise BadRequest(VALID_DATA_MESSAGE, errors, code=Code.REQUEST_NO_VALID_DATA, notes=notes)
    notes += _drop_invalid_nested(compiled["attributes"])
    with store.lock:
        notes += _apply(workspace, compiled, store.config, now)
    response: dict[str, Any] = {"message": "success"}
    for kind in KINDS:
        if kind in body and isinstance(body[kind], list):
            response[f"{kind}_processed"] = len(compiled[kind])
    if errors:
        response["errors"] = errors
    for violation in unknown:
        text = f"{violation.reason} ignored: not a /users/track field (a misspelt array loses its data)"
        notes.append(Note(Code.REQUEST_UNKNOWN_FIELDS, None, text))
    return Outcome(201, response, notes)


def _unknown_field(violation: Violation) -> bool:
    """A top-level field the contract does not know: Braze most plausibly ignores it (docs are silent)."""
    return violation.path == "$" and violation.keyword == "additionalProperties"


def _split(violations: list[Violation]) -> tuple[dict[tuple[str, int], list[Violation]], list[Violation]]:
    by_object: dict[tuple[str, int], list[Violation]] = {}
    envelope: list[Violation] = []
    for violation in violations:
        match = _OBJECT_PATH.match(violation.path)
        if match:
            by_object.setdefault((match.group(1), int(match.group(2))), []).append(violation)
        else:
            envelope.append(violation)
    return by_object, envelope


def _object_error_types(violations: list[Violation]) -> list[Note]:
    """One Braze-worded error for an object that breaks its contract."""
    for violation in violations:
        if violation.braze_message:
            code = Code.VALUE_CURRENCY if violation.path.endswith(".currency") else Code.CONTRACT
            return [Note(code, None, violation.braze_message, "error")]
    first = violations[0]
    if first.keyword == "required":
        missing = first.reason.split("'")[1] if "'" in first.reason else "?"
        return [Note(Code.CONTRACT, None, f"'{missing}' is required", "error")]
    if first.keyword == "additionalProperties":
        return [Note(Code.CONTRACT, None, f"{first.reason} (not a field of this object)", "error")]
    field_name = _OBJECT_PATH.sub("", first.path).lstrip(".").split(".")[0].split("[")[0]
    return [Note(Code.CONTRACT, None, f"'{field_name}' is not valid" if field_name else first.reason, "error")]


def _check_limits(arrays: dict[str, list[Any]], config: FakeBrazeConfig) -> None:
    per_array, combined = TRACK_LIMITS[config.track_limits]
    if per_array is not None:
        over = [f"'{kind}' has {len(items)} objects" for kind, items in arrays.items() if len(items) > per_array]
        if over:
            detail = f"{'; '.join(over)}; at most {per_array} are allowed per array"
            raise BadRequest(MAX_INPUT_MESSAGE, detail=detail, code=Code.LIMIT_OBJECTS)
    elif combined is not None:
        total = sum(len(v) for v in arrays.values())
        if total > combined:
            raise BadRequest(
                MAX_INPUT_MESSAGE,
                detail=f"{total} objects in 'attributes', 'events' and 'purchases'; at most {combined} are allowed",
                code=Code.LIMIT_OBJECTS,
            )


def _drop_invalid_nested(attributes: list[tuple[int, Record]]) -> list[Note]:
    """post_user_track.md FAQ: one invalid nested attribute drops every nested update in the request."""
    updates = [(index, u) for index, u in attributes if isinstance(u, AttributeUpdate)]  # plain ones have no ops
    if not any(op.nested and op.problem and op.problem_code != Code.VALUE_NOT_SET for _, u in updates for op in u.ops):
        return []
    warnings = []
    for index, update in updates:
        dropped = [op.key for op in update.ops if op.nested]
        if dropped:
            update.ops = [op for op in update.ops if not op.nested]
            text = (
                f"nested custom attribute(s) {', '.join(map(repr, dropped))} dropped: "
                "a nested custom attribute in this request is invalid, so Braze drops all of them"
            )
            warnings.append(Note(Code.VALUE_NESTED_DROPPED, f"attributes[{index}]", text))
    return warnings


def _create(
    workspace: Workspace, ident: Identifier | None, update_only: bool, now: datetime, where: str, warnings: list[Note]
) -> Profile | None:
    """A new user for an object that names nobody yet, when Braze would create one."""
    if ident is None:
        return None
    if update_only:
        text = f"no user with {ident}; update-only, so nothing was created"
        warnings.append(Note(Code.USER_UPDATE_ONLY_UNKNOWN, where, text, subject=str(ident)))
        return None
    if ident.kind == "braze_id":
        text = f"no user with {ident}; Braze cannot create a user from a braze_id"
        warnings.append(Note(Code.USER_BRAZE_ID_UNKNOWN, where, text, subject=str(ident)))
        return None
    return workspace.create(ident, now)


def _apply(
    workspace: Workspace, compiled: dict[str, list[tuple[int, Record]]], config: FakeBrazeConfig, now: datetime
) -> list[Note]:
    warnings: list[Note] = []
    find = workspace.find
    cap = config.array_attribute_max_length
    for kind in KINDS:
        run: list[tuple[int, plain.PlainRecord]] = []  # consecutive plain records, applied together (in order)
        for index, record in compiled[kind]:
            if isinstance(record, tuple):
                run.append((index, record))
                continue
            if run:
                plain.apply_plain(workspace, run, cap, now)
                run = []
            if record.notes:
                warnings.extend(note.at(f"{kind}[{index}]") for note in record.notes)
            profile = find(record.ident) if record.ident is not None else None
            if profile is not None and record.ident is not None and record.ident.kind == "push_token_import":
                text = "push token already exists in Braze; the import is ignored (user_attributes_object.md)"
                warnings.append(Note(Code.USER_PUSH_TOKEN_EXISTS, f"{kind}[{index}]", text, subject=str(record.ident)))
                continue
            if profile is None:
                profile = _create(workspace, record.ident, record.update_only, now, f"{kind}[{index}]", warnings)
                if profile is None:
                    continue
            if isinstance(record, EventRecord):
                profile.record_event(record.name, record.time)
            elif isinstance(record, AttributeUpdate):
                _apply_attributes(workspace, profile, record, config)
            else:
                profile.record_purchase(record.product_id, record.time, record.price, record.quantity)
            profile.updated_at = now
        if run:
            plain.apply_plain(workspace, run, cap, now)
    return warnings


def _apply_attributes(workspace: Workspace, profile: Profile, update: AttributeUpdate, config: FakeBrazeConfig) -> None:
    old_email = profile.email
    for name, value in update.standard.items():
        workspace.set_standard(profile, name, value)
    custom = profile.custom_attributes
    custom.update(update.sets)
    cap = config.array_attribute_max_length
    for key, items in update.arrays.items():
        custom[key] = items[:cap]  # a longer array is truncated to the cap
    for op in update.ops:
        if not op.problem:
            apply_op(custom, op, cap)
    profile.subscription_groups.update(update.subscription_groups)
    explicit = update.standard.get("email_subscribe")
    if "email" in update.standard and explicit is None and not update.subscription_groups:
        inherit_on_email_change(workspace, profile, old_email)
    share_subscription_state(workspace, profile, explicit, update.subscription_groups)
    for token in update.push_tokens:
        workspace.add_push_token(profile, token)


def _serve(call: Call) -> Outcome:
    return users_track(call.store, call.keyed_workspace, call.body, call.violations, call.now)


ENDPOINTS = (
    Endpoint(
        "/users/track",
        "users.track",
        "braze/users-track.request",
        _serve,
        response_contract="braze/users-track.response",
    ),
)
