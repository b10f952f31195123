"""Check a payload against the Segment contracts (`contracts/segment/`), Prism-style: path + reason.

The schemas say what JSON Schema can say. Two rules need a little code: the Spec's "a userId or an
anonymousId is required" gets the Spec's own words instead of a bare `anyOf` failure, and an Engage
audience event must carry its `computation_key` in `traits` (identify) or `properties` (track) as a
boolean (segment-docs `src/engage/using-engage-data.md`), because Segment's code reads membership
there (`engageAudienceMembership`, action-destinations `packages/core/src/audience-membership.ts`;
Braze Cohorts' `event_properties[personas_audience_key]`). Computed traits and Event-Triggered
Journey steps are not held to it: no Segment code reads their key there, and the documented payloads
do not follow it (a trait event's doc example names its key `aud_###`; journey steps carry
`journey_context`). Violations render values as JSON (`null`, `true`, `"x"`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.contracts import Violation, contract, json_path
from harness.segment.wording import as_json, segment_violations

__all__ = [
    "CALL_TYPES",
    "contract_name_for",
    "detect_type",
    "engage_violations",
    "is_engage_event",
    "validate_event",
]

CALL_TYPES: tuple[str, ...] = ("identify", "track", "page", "screen", "group", "alias")
_MISSING_ID = "every call must have a userId or an anonymousId (a non-empty string)"


def detect_type(payload: Mapping[str, Any]) -> str | None:
    """The call type: the declared `type` if it is a Spec type, else a guess from the fields present."""
    declared = payload.get("type")
    if isinstance(declared, str) and declared in CALL_TYPES:
        return declared
    if declared is not None:
        return None
    if "event" in payload:
        return "track"
    if "previousId" in payload:
        return "alias"
    if "groupId" in payload:
        return "group"
    if "traits" in payload:
        return "identify"
    if "name" in payload:
        return "page"
    return None


def is_engage_event(payload: Mapping[str, Any]) -> bool:
    """True for an event Engage generated: it carries `context.personas`."""
    context = payload.get("context")
    return isinstance(context, Mapping) and isinstance(context.get("personas"), Mapping)


def contract_name_for(payload: Mapping[str, Any], *, engage: bool | None = None) -> str:
    """The contract a payload is checked against: by type, Engage's own when it carries personas."""
    call = detect_type(payload)
    engage = is_engage_event(payload) if engage is None else engage
    if call in ("identify", "track"):
        return f"segment/engage-{call}" if engage else f"segment/{call}"
    return "segment/debugger-event"


def validate_event(payload: Any, contract_name: str | None = None, *, engage: bool | None = None) -> list[Violation]:
    """Every violation of `payload` against its contract (chosen by type unless named); [] if valid."""
    if not isinstance(payload, Mapping):
        return [Violation("$", f"a Segment event is a JSON object, not {as_json(payload)}", "type")]
    name = contract_name or contract_name_for(payload, engage=engage)
    found = [_reword(v) for v in segment_violations(contract(name), dict(payload))]
    if name.startswith("segment/engage-"):
        found.extend(engage_violations(payload))
    # One message per place: the debugger contract's branches (one per call type) each say a missing
    # `type` is required, which is one fact for the reader.
    return sorted(dict.fromkeys(found), key=lambda v: v.path)


def engage_violations(payload: Mapping[str, Any]) -> list[Violation]:
    """The cross-field rules of an Engage event that its JSON Schema cannot express."""
    context = payload.get("context")
    personas = context.get("personas") if isinstance(context, Mapping) else None
    if not isinstance(personas, Mapping) or not isinstance(personas.get("computation_key"), str):
        return []
    if personas.get("computation_class") != "audience":
        return []
    key: str = personas["computation_key"]
    call = payload.get("type")
    where = "traits" if call == "identify" else "properties"
    bag = payload.get(where)
    if not isinstance(bag, Mapping):
        return []
    found: list[Violation] = []
    if key not in bag:
        found.append(Violation(json_path([where]), f"must hold the computation_key {as_json(key)}", "engage"))
    elif not isinstance(bag[key], bool):
        shown = as_json(bag[key])
        found.append(
            Violation(json_path([where, key]), f"an audience value must be true or false, not {shown}", "engage")
        )
    if call == "track" and "audience_key" in bag and bag["audience_key"] != key:
        reason = f"must equal the computation_key {as_json(key)}, not {as_json(bag['audience_key'])}"
        found.append(Violation("$.properties.audience_key", reason, "engage"))
    return found


def _reword(violation: Violation) -> Violation:
    if violation.path == "$" and violation.keyword == "anyOf":
        return Violation("$", _MISSING_ID, "anyOf")
    return violation
