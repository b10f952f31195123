"""Subscription state shared by email: what one profile's change does to the others with the same address.

duplicate_emails.md: "For duplicate emails, if one email unsubscribes, other profiles (up to 100 profiles)
with that email address are updated to reflect the same subscription state. This applies for unsubscribes
and other changes to subscription state, such as global email subscription state and individual
subscription group statuses." and "If you set or update the email address for User A to another email
address that's shared by an existing User B, User A will inherit the subscription state that already
exists from User B"; managing_user_subscriptions.md: "When a user updates their email address, their
subscription state will be set to subscribed, unless the updated email address already exists elsewhere".
post_user_track.md ("Set subscription groups") says the same of /users/track.

CHOICES: subscription groups carry no channel here, so every group is shared by email (Braze shares SMS
groups by phone, documented only for the subscription-group endpoints, which the fake does not serve); the
"Resubscribe users when they update their email" workspace setting is off (Braze's default); the state
inherited is the most recently updated other profile's.
"""

from __future__ import annotations

from harness.braze.model.profiles import Profile
from harness.braze.model.store import Identifier, Workspace
from harness.braze.service.limits import SHARED_SUBSCRIPTION_PROFILES

__all__ = ["inherit_on_email_change", "share_subscription_state"]


def _others(workspace: Workspace, profile: Profile) -> list[Profile]:
    email = profile.email
    if not email:
        return []
    return [p for p in workspace.all_matching(Identifier("email", email)) if p is not profile]


def share_subscription_state(
    workspace: Workspace, profile: Profile, email_subscribe: str | None, groups: dict[str, str]
) -> int:
    """Give the other profiles with this profile's email the state just set on it; returns how many changed."""
    if email_subscribe is None and not groups:
        return 0
    others = _others(workspace, profile)[:SHARED_SUBSCRIPTION_PROFILES]
    for other in others:
        if email_subscribe is not None:
            workspace.set_standard(other, "email_subscribe", email_subscribe)
        other.subscription_groups.update(groups)
    return len(others)


def inherit_on_email_change(workspace: Workspace, profile: Profile, old_email: str | None) -> None:
    """After the profile's email was set or changed (and no subscription state came with it)."""
    new = profile.email
    if not new or (old_email is not None and old_email.lower() == new.lower()):
        return
    others = _others(workspace, profile)
    if others:
        source = max(others, key=lambda p: (p.updated_at, p.braze_id))
        state = source.standard.get("email_subscribe")
        if state is not None:
            workspace.set_standard(profile, "email_subscribe", state)
        profile.subscription_groups.update(source.subscription_groups)
    elif old_email is not None:
        workspace.set_standard(profile, "email_subscribe", "subscribed")
