"""`/users/export/ids`, `/users/identify`, `/users/alias/new`, `/users/delete`: Braze's user endpoints.

Sources: post_users_identifier.md, post_user_identify.md (+ aliases_to_identify.md), post_user_alias.md,
post_user_delete.md. Where a page's example contradicts its rule text, the rule text wins:
- export: up to 50 external_ids and user_aliases, plus at most one of device_id, email_address, phone (the
  example sends all six selectors: refused); custom events and purchases of the last 90 days;
- delete: one kind of identifier per request, and a prioritization for emails and phones (the example
  sends four kinds, and a bare email string: both refused);
- identify: merges on every call ("Starting August 7, 2023 ... `merge_behavior` will be set to `merge` for
  all calls": a `none` is noted and ignored); `aliases_processed` counts aliases_to_identify, and
  `emails_processed` / `phone_numbers_processed` (the fields Segment's client reads) the others.
Choices where Braze is silent:
- identify copies the fields found only on the anonymous profile and sums event/purchase summaries
  (earliest first, latest last); an alias that names no profile, or an identified one, is skipped with a
  warning; an identified target that already has an alias with the same label is "not combined";
- alias/new: an unknown external_id adds nothing ("the alias will not be added to any users"); an alias
  already in use is left alone;
- delete: `deleted` is the number of identifiers queued ("number of user IDs queued for deletion"),
  whether or not they named a user; unknown ones are noted in the journal;
- every well-formed item counts as processed (Braze queues requests asynchronously).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from harness.braze.model.notes import Code, Note
from harness.braze.model.profiles import Profile
from harness.braze.model.store import Identifier, Store, Workspace
from harness.braze.service.call import Call, Endpoint, strict
from harness.braze.service.errors import BadRequest
from harness.braze.service.limits import EXPORT_EVENT_WINDOW_DAYS
from harness.braze.service.limits import USERS_MAX_IDS as MAX_IDS
from harness.braze.service.outcome import Outcome

__all__ = ["ENDPOINTS", "users_alias_new", "users_delete", "users_export_ids", "users_identify"]

TOO_MANY_ALIASES = "The max number of external_ids and aliases per request was exceeded"
TOO_MANY_IDS = "The max number of ids per request was exceeded"
MERGED_STANDARD_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "gender",
    "dob",
    "phone",
    "time_zone",
    "home_city",
    "country",
    "language",
)


def _alias(obj: dict[str, str]) -> Identifier:
    return Identifier("user_alias", obj["alias_name"], obj["alias_label"])


# -- export ------------------------------------------------------------------------------------------
def users_export_ids(store: Store, workspace: Workspace, body: dict[str, Any], now: datetime) -> Outcome:
    external_ids = body.get("external_ids") or []
    aliases = body.get("user_aliases") or []
    if len(external_ids) + len(aliases) > MAX_IDS:
        detail = f"{len(external_ids) + len(aliases)} identifiers; at most {MAX_IDS}"
        raise BadRequest(TOO_MANY_ALIASES, detail=detail, code=Code.LIMIT_IDS)
    singles = [k for k in ("device_id", "email_address", "phone") if body.get(k) is not None]
    if len(singles) > 1:
        raise BadRequest(
            f"Only one of device_id, email_address or phone can be included per request, not {', '.join(singles)}",
            code=Code.REQUEST_NO_SELECTOR,
        )
    selectors: list[tuple[str, Identifier]] = [(e, Identifier("external_id", e)) for e in external_ids]
    selectors += [(a["alias_name"], _alias(a)) for a in aliases]
    for key, kind in (
        ("device_id", "device_id"),
        ("braze_id", "braze_id"),
        ("email_address", "email"),
        ("phone", "phone"),
    ):
        if body.get(key) is not None:
            selectors.append((body[key], Identifier(kind, body[key])))
    if not selectors:
        raise BadRequest(
            "No user identifiers were provided: send external_ids, user_aliases, device_id, braze_id, "
            "email_address or phone",
            code=Code.REQUEST_NO_SELECTOR,
        )
    fields = frozenset(body["fields_to_export"]) if body.get("fields_to_export") else None
    since = now - timedelta(days=EXPORT_EVENT_WINDOW_DAYS)
    users: list[dict[str, Any]] = []
    seen: set[str] = set()
    invalid: list[str] = []
    with store.lock:
        for label, ident in selectors:
            matches = workspace.all_matching(ident)
            if not matches:
                invalid.append(label)
            for profile in matches:
                if profile.braze_id not in seen:
                    seen.add(profile.braze_id)
                    users.append(profile.export(fields, since))
    response: dict[str, Any] = {"users": users, "message": "success"}
    if invalid:
        response["invalid_user_ids"] = invalid
    return Outcome(201, response)


# -- identify ----------------------------------------------------------------------------------------
def users_identify(store: Store, workspace: Workspace, body: dict[str, Any], now: datetime) -> Outcome:
    by_alias = body.get("aliases_to_identify") or []
    by_email = body.get("emails_to_identify") or []
    by_phone = body.get("phone_numbers_to_identify") or []
    if len(by_alias) + len(by_email) + len(by_phone) > MAX_IDS:
        detail = f"at most {MAX_IDS} users can be identified per request"
        raise BadRequest(TOO_MANY_ALIASES, detail=detail, code=Code.LIMIT_IDS)
    warnings: list[Note] = []
    if body.get("merge_behavior") == "none":
        text = "merge_behavior 'none' ignored: since August 7, 2023 this endpoint merges on every call"
        warnings.append(Note(Code.VALUE_NOT_SET, None, text))
    merge = True
    with store.lock:
        for index, item in enumerate(by_alias):
            where = f"aliases_to_identify[{index}]"
            anonymous = workspace.find(_alias(item["user_alias"]))
            _identify(workspace, anonymous, item["external_id"], merge, now, where, warnings)
        for kind, items in (("email", by_email), ("phone", by_phone)):
            for index, item in enumerate(items):
                where = f"{'emails' if kind == 'email' else 'phone_numbers'}_to_identify[{index}]"
                candidates = workspace.all_matching(Identifier(kind, item[kind]))
                anonymous = _prioritize(candidates, item["prioritization"], where, warnings)
                _identify(workspace, anonymous, item["external_id"], merge, now, where, warnings)
    answer: dict[str, Any] = {"aliases_processed": len(by_alias)}
    if "emails_to_identify" in body:
        answer["emails_processed"] = len(by_email)
    if "phone_numbers_to_identify" in body:
        answer["phone_numbers_processed"] = len(by_phone)
    return Outcome(
        201,
        {**answer, "message": "success"},
        warnings,
    )


def _prioritize(candidates: list[Profile], order: list[str], where: str, warnings: list[Note]) -> Profile | None:
    """Braze: "if more than one user matches from a prioritization, then merging does not occur"."""
    pool = candidates
    for rule in order:
        if rule == "identified":
            pool = [p for p in pool if p.identified]
        elif rule == "unidentified":
            pool = [p for p in pool if not p.identified]
        elif rule in ("most_recently_updated", "least_recently_updated") and pool:
            pick = max if rule == "most_recently_updated" else min
            pool = [pick(pool, key=lambda p: p.updated_at)]
        if len(pool) == 1:
            return pool[0]
    if len(pool) > 1:
        warnings.append(
            Note(Code.USER_AMBIGUOUS, where, f"{len(pool)} users match the prioritization; Braze does not merge")
        )
    elif not pool:
        warnings.append(Note(Code.USER_NOT_FOUND, where, "no user matches"))
    return None


def _identify(
    workspace: Workspace,
    anonymous: Profile | None,
    external_id: str,
    merge: bool,
    now: datetime,
    where: str,
    warnings: list[Note],
) -> None:
    if anonymous is None:
        warnings.append(Note(Code.USER_NOT_FOUND, where, "no unidentified user to identify"))
        return
    if anonymous.identified:
        if anonymous.external_id != external_id:
            text = f"user is already identified as {anonymous.external_id!r}; skipped"
            warnings.append(Note(Code.USER_ALREADY_IDENTIFIED, where, text))
        return
    target = workspace.find(Identifier("external_id", external_id))
    if target is None:
        workspace.set_external_id(anonymous, external_id)
        anonymous.updated_at = now
        return
    clash = [label for label in anonymous.aliases if label in target.aliases]
    if clash:
        text = f"{external_id!r} already has an alias labelled {clash[0]!r}; profiles not combined"
        warnings.append(Note(Code.USER_ALIAS_CLASH, where, text))
        return
    _merge_into(workspace, anonymous, target, merge)
    target.updated_at = now


def _merge_into(workspace: Workspace, source: Profile, target: Profile, merge: bool) -> None:
    """Move the anonymous profile into the identified one, then remove it."""
    aliases = dict(source.aliases)
    tokens = list(source.push_tokens)
    devices = list(source.device_ids)
    if merge:
        for name in MERGED_STANDARD_FIELDS:
            if target.standard.get(name) is None and source.standard.get(name) is not None:
                workspace.set_standard(target, name, source.standard[name])
        for key, value in source.custom_attributes.items():
            target.custom_attributes.setdefault(key, value)
        for name, stats in source.custom_events.items():
            target.custom_events.setdefault(name, type(stats)()).absorb(stats)
        for name, stats in source.purchases.items():
            target.purchases.setdefault(name, type(stats)()).absorb(stats)
        target.total_revenue += source.total_revenue
    workspace.delete(source)
    for label, name in aliases.items():
        workspace.add_alias(target, label, name)
    for device_id in devices:
        workspace.add_device(target, device_id)
    for token in tokens:
        workspace.add_push_token(target, token)


# -- alias/new ---------------------------------------------------------------------------------------
def users_alias_new(store: Store, workspace: Workspace, body: dict[str, Any], now: datetime) -> Outcome:
    items = body["user_aliases"]
    if len(items) > MAX_IDS:
        raise BadRequest(TOO_MANY_ALIASES, detail=f"{len(items)} aliases; at most {MAX_IDS}", code=Code.LIMIT_IDS)
    warnings: list[Note] = []
    with store.lock:
        for index, item in enumerate(items):
            where = f"user_aliases[{index}]"
            ident = _alias(item)
            holder = workspace.find(ident)
            external_id = item.get("external_id")
            if external_id is None:
                if holder is None:
                    workspace.create(ident, now)
                else:
                    warnings.append(Note(Code.USER_ALIAS_EXISTS, where, f"{ident} already exists; nothing created"))
                continue
            target = workspace.find(Identifier("external_id", external_id))
            if target is None:
                text = f"no user with external_id {external_id!r}; the alias is not added"
                warnings.append(Note(Code.USER_NOT_FOUND, where, text))
            elif holder is not None:
                if holder is not target:
                    warnings.append(Note(Code.USER_ALIAS_TAKEN, where, f"{ident} belongs to another user; not added"))
            elif ident.label in target.aliases:
                text = f"user already has an alias labelled {ident.label!r} (one name per label)"
                warnings.append(Note(Code.USER_ALIAS_CLASH, where, text))
            else:
                workspace.add_alias(target, ident.label, ident.value)
                target.updated_at = now
    return Outcome(201, {"aliases_processed": len(items), "message": "success"}, warnings)


# -- delete ------------------------------------------------------------------------------------------
DELETE_KINDS = ("external_ids", "user_aliases", "braze_ids", "email_addresses", "phone_numbers")
ONE_KIND = (
    "Only one of external_ids, user_aliases, braze_ids, email_addresses, or phone_numbers can be included in a "
    "single request"
)


def users_delete(store: Store, workspace: Workspace, body: dict[str, Any]) -> Outcome:
    """post_user_delete.md's rule text, not its example (which sends four kinds at once): one kind per request,
    and an email or phone "requires" a prioritization (given as `{email|phone, prioritization}`)."""
    kinds = [k for k in DELETE_KINDS if body.get(k)]
    if len(kinds) > 1:
        raise BadRequest(ONE_KIND, detail=f"the request has {', '.join(kinds)}", code=Code.REQUEST_NO_SELECTOR)
    for kind, key in (("email", "email_addresses"), ("phone", "phone_numbers")):
        bare = [
            i for i, item in enumerate(body.get(key) or []) if isinstance(item, str) or not item.get("prioritization")
        ]
        if bare:
            message = f"A prioritization is required when deleting users by {kind}"
            detail = f"{key}[{bare[0]}] has no prioritization; send {{{kind!r}: ..., 'prioritization': [...]}}"
            raise BadRequest(message, detail=detail, code=Code.REQUEST_NO_SELECTOR)
    idents: list[tuple[Identifier, list[str] | None]] = []
    idents += [(Identifier("external_id", e), None) for e in body.get("external_ids") or []]
    idents += [(_alias(a), None) for a in body.get("user_aliases") or []]
    idents += [(Identifier("braze_id", b), None) for b in body.get("braze_ids") or []]
    for kind, key in (("email", "email_addresses"), ("phone", "phone_numbers")):
        for item in body.get(key) or []:
            value, order = (item, None) if isinstance(item, str) else (item[kind], item.get("prioritization"))
            idents.append((Identifier(kind, value), order))
    if len(idents) > MAX_IDS:
        raise BadRequest(TOO_MANY_IDS, detail=f"{len(idents)} identifiers; at most {MAX_IDS}", code=Code.LIMIT_IDS)
    warnings: list[Note] = []
    with store.lock:
        for index, (ident, order) in enumerate(idents):
            matches = workspace.all_matching(ident)
            if order is not None:
                chosen = _prioritize(matches, order, f"identifier {index}", warnings)
                matches = [chosen] if chosen else []
            elif len(matches) > 1:
                text = f"{ident} matches {len(matches)} users; give a prioritization to choose one"
                warnings.append(Note(Code.USER_AMBIGUOUS, f"identifier {index}", text))
                matches = []
            if not matches:
                warnings.append(Note(Code.USER_NOT_DELETED, f"identifier {index}", f"{ident}: no user deleted"))
            for profile in matches:
                workspace.delete(profile)
    return Outcome(201, {"deleted": len(idents), "message": "success"}, warnings)


# -- the endpoints -------------------------------------------------------------------------------------
def _serve_export(call: Call) -> Outcome:
    strict(call)
    return users_export_ids(call.store, call.keyed_workspace, call.body, call.now)


def _serve_identify(call: Call) -> Outcome:
    strict(call)
    return users_identify(call.store, call.keyed_workspace, call.body, call.now)


def _serve_alias_new(call: Call) -> Outcome:
    strict(call)
    return users_alias_new(call.store, call.keyed_workspace, call.body, call.now)


def _serve_delete(call: Call) -> Outcome:
    strict(call)
    return users_delete(call.store, call.keyed_workspace, call.body)


ENDPOINTS = (
    Endpoint(
        "/users/export/ids",
        "users.export.ids",
        "braze/users-export-ids.request",
        _serve_export,
        response_contract="braze/users-export-ids.response",
    ),
    Endpoint(
        "/users/identify",
        "users.identify",
        "braze/users-identify.request",
        _serve_identify,
        response_contract="braze/users-aliases.response",
    ),
    Endpoint(
        "/users/alias/new",
        "users.identify",
        "braze/users-alias-new.request",
        _serve_alias_new,
        response_contract="braze/users-aliases.response",
    ),
    Endpoint(
        "/users/delete",
        "users.identify",
        "braze/users-delete.request",
        _serve_delete,
        response_contract="braze/users-delete.response",
    ),
)
