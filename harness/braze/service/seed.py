"""Seed a workspace with the profiles of a saved `/users/export/ids` response.

Replaying traffic against an empty fake answers "what happens to a new user"; update-only objects and
cohort additions only mean something against the users the real workspace already has. A saved export
(the response body, or just its `users` array) is checked against `braze/users-export-ids.response`
and each user becomes (or updates) a profile: external_id, user_aliases, braze_id, devices, standard
fields, custom attributes, and the custom event / purchase summaries (count, first, last).

Choices where an export says less than the fake keeps:
- an export carries no per-day history, so a seeded summary counts its first and last occurrence on
  their UTC days (one each) for "X times in the last Y days" filters; lifetime count, first and last
  are exact;
- a user already in the workspace (same external_id, braze_id or alias) is updated, not duplicated;
  a user with no identifier at all is refused;
- `created_at` in Braze's export format (`2020-07-10 15:00:00.000 UTC`) or ISO-8601; otherwise now.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from harness.braze.model.profiles import STANDARD_EXPORT_FIELDS, EventStats, Profile
from harness.braze.model.store import Identifier, Store, Workspace
from harness.braze.service.values import parse_time
from harness.contracts import Violation, contract

__all__ = ["SEED_CONTRACT", "SeedError", "seed_profiles"]

SEED_CONTRACT = "braze/users-export-ids.response"


class SeedError(ValueError):
    """A seed that is not a `/users/export/ids` response: every problem as path + reason."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("invalid seed: " + "; ".join(map(str, violations[:10])))


def _as_response(export: Any) -> Any:
    if isinstance(export, list):
        return {"message": "success", "users": export}
    return export


def seed_profiles(store: Store, workspace: Workspace, export: Any, now: datetime) -> list[Profile]:
    """Create or update one profile per exported user; SeedError (nothing changed) if the export is invalid."""
    response = _as_response(export)
    problems = contract(SEED_CONTRACT).check(response)
    if problems:
        raise SeedError(problems)
    users = response["users"]
    problems = [
        Violation(f"$.users[{i}]", "a user needs an external_id, braze_id, user_aliases, email or phone")
        for i, user in enumerate(users)
        if not any(user.get(k) for k in ("external_id", "braze_id", "user_aliases", "email", "phone"))
    ]
    if problems:
        raise SeedError(problems)
    with store.lock:
        return [_seed_user(workspace, user, now) for user in users]


def _existing(workspace: Workspace, user: Mapping[str, Any]) -> Profile | None:
    if user.get("external_id"):
        found = workspace.find(Identifier("external_id", user["external_id"]))
        if found is not None:
            return found
    if user.get("braze_id") and user["braze_id"] in workspace.profiles:
        return workspace.profiles[user["braze_id"]]
    for alias in user.get("user_aliases") or ():
        found = workspace.find(Identifier("user_alias", alias["alias_name"], alias["alias_label"]))
        if found is not None:
            return found
    return None


def _new_profile(workspace: Workspace, user: Mapping[str, Any], now: datetime) -> Profile:
    created = _created_at(user.get("created_at"), now)
    if user.get("braze_id"):
        profile = Profile(braze_id=user["braze_id"], created_at=created, updated_at=now)
        workspace.profiles[profile.braze_id] = profile
        return profile
    if user.get("external_id"):
        ident = Identifier("external_id", user["external_id"])
    elif user.get("user_aliases"):
        first = user["user_aliases"][0]
        ident = Identifier("user_alias", first["alias_name"], first["alias_label"])
    else:
        kind = "email" if user.get("email") else "phone"
        ident = Identifier(kind, user[kind])
    profile = workspace.create(ident, now)
    profile.created_at = created
    return profile


def _seed_user(workspace: Workspace, user: Mapping[str, Any], now: datetime) -> Profile:
    profile = _existing(workspace, user) or _new_profile(workspace, user, now)
    if user.get("external_id"):
        workspace.set_external_id(profile, user["external_id"])
    for alias in user.get("user_aliases") or ():
        workspace.add_alias(profile, alias["alias_label"], alias["alias_name"])
    for device in user.get("devices") or ():
        if isinstance(device, Mapping) and device.get("device_id"):
            workspace.add_device(profile, device["device_id"])
    for name in STANDARD_EXPORT_FIELDS:
        if user.get(name) is not None:
            workspace.set_standard(profile, name, user[name])
    coordinates = user.get("last_coordinates")
    if coordinates:
        profile.standard["current_location"] = {"longitude": coordinates[0], "latitude": coordinates[1]}
    profile.custom_attributes.update(user.get("custom_attributes") or {})
    for summary in user.get("custom_events") or ():
        profile.custom_events[summary["name"]] = _stats(summary, now)
    for summary in user.get("purchases") or ():
        profile.purchases[summary["name"]] = _stats(summary, now)
    if user.get("total_revenue") is not None:
        profile.total_revenue = float(user["total_revenue"])
    for token in user.get("push_tokens") or ():
        if token.get("token"):
            entry = {"app_id": token.get("app", ""), "platform": token.get("platform", ""), "token": token["token"]}
            if token.get("device_id"):
                entry["device_id"] = token["device_id"]
            workspace.add_push_token(profile, entry)
    profile.updated_at = now
    return profile


def _stats(summary: Mapping[str, Any], now: datetime) -> EventStats:
    first = parse_time(summary["first"]) or now
    last = parse_time(summary["last"]) or now
    first, last = min(first, last), max(first, last)
    daily = {last.date(): 1}
    if summary["count"] > 1 and first.date() != last.date():
        daily[first.date()] = 1
    return EventStats(count=summary["count"], first=first, last=last, days=daily)


def _created_at(value: Any, now: datetime) -> datetime:
    if not isinstance(value, str):
        return now
    text = value.removesuffix(" UTC").replace(" ", "T", 1)
    return parse_time(text) or now
