"""Subscription state is shared by email (duplicate_emails.md, post_user_track.md "Set subscription groups")."""

from __future__ import annotations

from harness.braze import FakeBraze

GROUP = "sg-123"


def _track(fake: FakeBraze, *attributes: dict) -> None:
    assert fake.call("/users/track", {"attributes": list(attributes)}, api_key="k").status == 201


def test_unsubscribing_one_profile_unsubscribes_the_others_with_that_email() -> None:
    fake = FakeBraze()
    _track(fake, {"external_id": "a", "email": "Pat@example.com"}, {"external_id": "b", "email": "pat@example.com"})
    _track(fake, {"external_id": "c", "email": "other@example.com"})
    change = {"subscription_group_id": GROUP, "subscription_state": "unsubscribed"}
    _track(fake, {"external_id": "a", "email_subscribe": "unsubscribed", "subscription_groups": [change]})
    for user in ("a", "b"):
        profile = fake.user(user)
        assert profile.standard["email_subscribe"] == "unsubscribed"
        assert profile.subscription_groups == {GROUP: "unsubscribed"}
    assert "email_subscribe" not in fake.user("c").standard and fake.user("c").subscription_groups == {}


def test_at_most_100_other_profiles_follow() -> None:
    fake = FakeBraze()
    _track(fake, *({"external_id": f"u{i}", "email": "shared@example.com"} for i in range(75)))
    _track(fake, *({"external_id": f"v{i}", "email": "shared@example.com"} for i in range(40)))
    _track(fake, {"external_id": "u0", "email_subscribe": "opted_in"})
    followed = [p for p in fake.workspace().profiles.values() if p.standard.get("email_subscribe") == "opted_in"]
    assert len(followed) == 101  # u0 and 100 others


def test_a_new_email_held_by_others_inherits_their_state_and_a_fresh_one_is_subscribed() -> None:
    fake = FakeBraze()
    _track(fake, {"external_id": "b", "email": "b@example.com", "email_subscribe": "unsubscribed"})
    _track(fake, {"external_id": "a", "email": "a@example.com", "email_subscribe": "opted_in"})
    _track(fake, {"external_id": "a", "email": "b@example.com"})  # A takes B's address
    assert fake.user("a").standard["email_subscribe"] == "unsubscribed"
    _track(fake, {"external_id": "a", "email": "fresh@example.com"})  # an address nobody else has
    assert fake.user("a").standard["email_subscribe"] == "subscribed"
    assert fake.user("b").standard["email_subscribe"] == "unsubscribed"  # B is untouched by A's moves
