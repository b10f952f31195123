"""`POST /partners/segment/cohorts` and `/partners/segment/cohorts/users`: Braze's partner cohort import.

Source: braze-docs `_docs/_partners/isv_partners/cohort_import.md` (commits 0c4f6d7 and 252c390), as
Segment's Braze Cohorts destination calls it (`partner_name = segment`). Rules:
- auth from the body, before anything else (see `partner_auth`): 401 `Invalid Partner API key`, then
  401 `Invalid client secret`;
- the documented 400 messages, one per malformed field, checked in the doc's order (cohort_id,
  cohort_changes, the 1,000-id cap, name, created_at). Choice: the doc's troubleshooting table writes
  field names as markdown code spans; the backticks (like the `[ISO-8601](...)` link) are formatting, so
  the messages are plain text: `cohort_id must be a valid string`. `errors` lists every violation;
- "Identified users can be matched by either their `external_id` or `alias`. Anonymous users can be
  matched by their `device_id`. If you pass in a device ID for an identified user, Braze will not add or
  remove that user." Segment's docs: "A user can only be added to a cohort if the user already exists in
  Braze". Unmatched ids change nothing and are noted in the journal's warnings;
- "The maximum combined length of the user IDs in a single request is 1,000" (user_ids + device_ids +
  aliases over every change object);
- success is not documented. Choice: 201 `{"message": "success"}`, Braze's success body elsewhere (Segment
  only checks for a 2xx; its tests mock `201 {}`). Segment's connection test (`cohort_id:
  "will_add_in_constant"`, `cohort_changes: []`) gets it and creates nothing.
Choices where Braze is silent: a rename keeps the first `created_at`; members sent for an unknown cohort_id
create it unnamed; changes apply in order (Segment sends additions before removals).
"""

from __future__ import annotations

from typing import Any

from harness.braze.model.cohorts import Cohort
from harness.braze.model.notes import Code, Note
from harness.braze.model.profiles import Profile
from harness.braze.model.store import Identifier, Workspace
from harness.braze.service.call import Call, Endpoint
from harness.braze.service.errors import BadRequest, error_item
from harness.braze.service.limits import COHORT_MAX_IDS as MAX_IDS
from harness.braze.service.outcome import Outcome
from harness.braze.service.partner_auth import check_partner_key, workspace_for_secret
from harness.braze.service.values import parse_time
from harness.contracts import Violation

__all__ = ["ENDPOINTS", "MAX_IDS", "MESSAGES", "SUCCESS", "cohort_name", "cohort_users"]

SUCCESS: dict[str, Any] = {"message": "success"}
MESSAGES = {
    "cohort_id": "cohort_id must be a valid string",
    "cohort_changes": (
        "cohort_changes must be an array of objects each with key user_ids and/or device_ids mapping to an array "
        "of strings, or an aliases object"
    ),
    "too_many": "Only 1,000 user_ids, device_ids, and aliases are allowed per request",
    "name": "name must be a non-empty string",
    "created_at": "created_at must be a valid time as an ISO-8601 string",
}
_NAME_FIELDS = ("partner_api_key", "client_secret", "cohort_id", "name", "created_at")
_USERS_FIELDS = ("partner_api_key", "client_secret", "cohort_id", "cohort_changes")


def _authenticate(call: Call) -> Workspace:
    body = call.body if isinstance(call.body, dict) else {}
    check_partner_key(call.store.config.partner_keys, body.get("partner_api_key"), call.instance)
    return workspace_for_secret(call.store, body.get("client_secret"), call.instance)


def _field_of(violation: Violation) -> str:
    """The top-level field a violation is about (a missing one included)."""
    if violation.keyword == "required" and violation.path == "$":
        return violation.reason.split("'")[1] if "'" in violation.reason else ""
    return violation.path.removeprefix("$.").split(".")[0].split("[")[0]


def _reject(violations: list[Violation], order: tuple[str, ...]) -> None:
    """400 with the documented message of the first malformed field, every violation in `errors`."""
    if not violations:
        return
    fields = {_field_of(v) for v in violations}
    first = next((f for f in order if f in fields), sorted(fields)[0])
    raise BadRequest(
        MESSAGES.get(first, "Bad syntax."),
        [error_item(v.reason, path=v.path) for v in violations],
        code=Code.COHORT_INVALID_FIELD,
    )


def _unknown_keys(body: dict[str, Any], known: tuple[str, ...]) -> list[Note]:
    extra = sorted(set(body) - set(known))
    text = f"unknown top-level key(s) ignored: {', '.join(extra)}"
    return [Note(Code.REQUEST_UNKNOWN_FIELDS, None, text)] if extra else []


def cohort_name(call: Call) -> Outcome:
    """Create the cohort, or rename it ("called whenever a cohort is initially exported ... or when the name
    of a cohort already known to Braze is changed")."""
    workspace = _authenticate(call)
    _reject(call.violations, ("cohort_id", "name", "created_at"))
    body: dict[str, Any] = call.body
    if parse_time(body["created_at"]) is None:
        items = [error_item("not a real date and time", path="$.created_at")]
        raise BadRequest(MESSAGES["created_at"], items, code=Code.COHORT_INVALID_FIELD)
    warnings = _unknown_keys(body, _NAME_FIELDS)
    with call.store.lock:
        book = workspace.cohorts
        cohort = book.get(body["cohort_id"])
        if cohort is None:
            book[body["cohort_id"]] = Cohort(body["cohort_id"], body["name"], body["created_at"])
        else:
            if cohort.name is not None and cohort.name != body["name"]:
                text = f"cohort {cohort.cohort_id!r} renamed from {cohort.name!r} to {body['name']!r}"
                warnings.append(Note(Code.COHORT_RENAMED, None, text))
            cohort.name = body["name"]
            cohort.created_at = cohort.created_at or body["created_at"]
    return Outcome(201, dict(SUCCESS), warnings, workspace=workspace.name)


def cohort_users(call: Call) -> Outcome:
    """Add or remove the users each change object names."""
    workspace = _authenticate(call)
    _reject(call.violations, ("cohort_id", "cohort_changes"))
    body: dict[str, Any] = call.body
    changes: list[dict[str, Any]] = body["cohort_changes"]
    total = sum(len(c.get(k) or ()) for c in changes for k in ("user_ids", "device_ids", "aliases"))
    if total > MAX_IDS:
        detail = f"{total:,} ids in cohort_changes; at most {MAX_IDS:,}"
        raise BadRequest(MESSAGES["too_many"], detail=detail, code=Code.LIMIT_IDS)
    warnings = _unknown_keys(body, _USERS_FIELDS)
    with call.store.lock:
        book = workspace.cohorts
        cohort = book.get(body["cohort_id"])
        if cohort is None and total:
            cohort = book[body["cohort_id"]] = Cohort(body["cohort_id"])
            text = f"cohort {cohort.cohort_id!r} has no name yet: no filter can select it until named"
            warnings.append(Note(Code.COHORT_UNNAMED, None, text))
        for index, change in enumerate(changes):
            if cohort is None:
                break
            remove = bool(change.get("should_remove", False))
            for profile in _matched(workspace, change, f"cohort_changes[{index}]", warnings):
                if remove:
                    cohort.member_ids.discard(profile.braze_id)
                else:
                    cohort.member_ids.add(profile.braze_id)
    return Outcome(201, dict(SUCCESS), warnings, workspace=workspace.name)


def _matched(workspace: Workspace, change: dict[str, Any], where: str, warnings: list[Note]) -> list[Profile]:
    """The existing users a change object names, by Braze's matching rules."""
    found: list[Profile] = []
    idents = [Identifier("external_id", e) for e in change.get("user_ids") or ()]
    idents += [Identifier("user_alias", a["alias_name"], a["alias_label"]) for a in change.get("aliases") or ()]
    idents += [Identifier("device_id", d) for d in change.get("device_ids") or ()]
    for ident in idents:
        profile = workspace.find(ident)
        if profile is None:
            text = f"no user with {ident}; only users that exist in Braze are added or removed"
            warnings.append(Note(Code.COHORT_UNKNOWN_USER, where, text, subject=str(ident)))
        elif ident.kind == "device_id" and profile.identified:
            text = f"{ident} belongs to an identified user; Braze does not add or remove it"
            warnings.append(Note(Code.COHORT_DEVICE_OF_IDENTIFIED, where, text, subject=str(ident)))
        else:
            found.append(profile)
    return found


ENDPOINTS = (
    Endpoint(
        "/partners/segment/cohorts",
        "cohorts",
        "braze/cohorts.request",
        cohort_name,
        auth="body",
        response_contract="braze/cohorts.response",
    ),
    Endpoint(
        "/partners/segment/cohorts/users",
        "cohorts",
        "braze/cohorts-users.request",
        cohort_users,
        auth="body",
        response_contract="braze/cohorts-users.response",
    ),
)
