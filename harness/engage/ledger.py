"""What Engage has already sent, per definition and identifier, so that it sends only changes.

"Engage only sends events to the destination if the computed trait value has changed for the user"
and audiences send "updates for those users who were added or removed" (segment-docs
`src/engage/using-engage-data.md`). The same page adds a second trigger: Engage "re-syncs an
audience or computed trait when a new `external_id` is added to a profile", so a value is also sent,
unchanged, to identities that have not had it yet.

Who gets events (the identity fan-out):
- Eligible profiles only. Without "Include Anonymous Users", "`user_id`, `email`, `android.idfa`, or
  `ios.idfa` would need to exist on a profile" (segment-docs `src/engage/audiences/index.md`); this
  simulator models user_id and email. The same rule is applied to computed traits (a choice: the docs
  state it for audiences).
- One event per combination of the profile's userIds × emails ("Engage sends one event per email",
  using-engage-data.md; "Segment sends all ID combinations", `src/engage/trait-activation/id-sync.md`)
  and, with Include Anonymous Users, × anonymousIds ("Segment sends an event for every
  `anonymousId`", `src/engage/faqs.md`). Otherwise the profile's latest anonymousId rides along as
  information, and a new anonymousId does not trigger a re-sync (a choice: re-syncing every
  cookie reset of a known user is implausible).
"""

from __future__ import annotations

from itertools import product
from typing import Any

from harness.engage.definitions import Audience, Definition
from harness.engage.emit import Identity
from harness.engage.profiles import Profile
from harness.engage.values import json_equal

__all__ = ["Ledger", "default_value", "eligible", "fan_out"]


def default_value(definition: Definition) -> Any:
    """What a profile "has" before anything is sent: not in the audience, no trait value."""
    return False if isinstance(definition, Audience) else None


def eligible(profile: Profile, definition: Definition) -> bool:
    if profile.ids["user_id"] or profile.ids["email"]:
        return True
    return definition.include_anonymous_users and bool(profile.ids["anonymous_id"])


def fan_out(profile: Profile, definition: Definition) -> list[Identity]:
    """Every identity one value is sent to (see the module docstring)."""
    anonymous = profile.ids["anonymous_id"]
    if definition.include_anonymous_users:
        anons: list[str | None] = list(anonymous) or [None]
    else:
        anons = [anonymous[-1] if anonymous else None]
    users: list[str | None] = list(profile.ids["user_id"]) or [None]
    emails: list[str | None] = list(profile.ids["email"]) or [None]
    return [Identity(u, a, e) for u, e, a in product(users, emails, anons)]


def _sync_ids(profile: Profile, definition: Definition) -> set[tuple[str, str]]:
    kinds = ("user_id", "email", "anonymous_id") if definition.include_anonymous_users else ("user_id", "email")
    return {(kind, value) for kind in kinds for value in profile.ids[kind]}


def _identity_ids(identity: Identity) -> set[tuple[str, str]]:
    pairs = (
        ("user_id", identity.user_id),
        ("email", identity.email),
        ("anonymous_id", identity.anonymous_id),
    )
    return {(kind, value) for kind, value in pairs if value}


class Ledger:
    """The last value sent per (definition key, identifier).

    Keeping it per identifier, not per profile, makes merges need no special case: after a merge,
    every identity whose identifiers last received something other than the merged profile's value
    gets the new value, and the others get nothing.
    """

    def __init__(self) -> None:
        self._sent: dict[tuple[str, str, str], Any] = {}

    def targets(self, definition: Definition, profile: Profile, value: Any) -> list[Identity]:
        """The identities to send `value` to now (possibly none), recording them as sent."""
        if not eligible(profile, definition):
            return []
        default = default_value(definition)
        tracked = _sync_ids(profile, definition)
        out = []
        for identity in fan_out(profile, definition):
            ids = _identity_ids(identity) & tracked
            if any(not json_equal(self._sent.get((definition.key, *i), default), value) for i in ids):
                out.append(identity)
                for i in ids:
                    self._sent[(definition.key, *i)] = value
        return out

    def last_sent(self, definition: Definition, kind: str, value: str) -> Any:
        """The last value sent to an identifier (the definition's default if none)."""
        return self._sent.get((definition.key, kind, value), default_value(definition))
