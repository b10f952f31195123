"""Who a /users/track object names, and when it creates a user (post_user_track.md, user_attributes_object.md)."""

from __future__ import annotations

from harness.braze import Code, FakeBraze, Identifier

from .support import Client, event


def test_external_id_creates_the_user(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"external_id": "u1", "first_name": "Jane"}])
    user = fake.user("u1")
    assert user is not None and user.standard["first_name"] == "Jane"
    assert len(user.braze_id) == 24


def test_update_only_for_an_unknown_user_creates_nothing_but_counts(client: Client, fake: FakeBraze) -> None:
    reply = client.track(attributes=[{"external_id": "ghost", "_update_existing_only": True, "plan": "x"}])
    assert reply.body == {"message": "success", "attributes_processed": 1}
    assert fake.user("ghost") is None
    assert any("update-only" in w for w in fake.requests[-1].warnings)


def test_alias_only_objects_are_update_only_unless_told_otherwise(client: Client, fake: FakeBraze) -> None:
    alias = {"alias_name": "anon-1", "alias_label": "segment_anonymous_id"}
    client.track(attributes=[{"user_alias": alias, "plan": "free"}])
    assert fake.find(Identifier("user_alias", "anon-1", "segment_anonymous_id")) is None
    client.track(attributes=[{"user_alias": alias, "plan": "free", "_update_existing_only": False}])
    created = fake.find(Identifier("user_alias", "anon-1", "segment_anonymous_id"))
    assert created is not None and created.custom_attributes == {"plan": "free"} and not created.identified
    client.track(events=[{"user_alias": alias, "name": "Opened", "time": "2024-03-01T00:00:00Z"}])
    assert created.custom_events["Opened"].count == 1


def test_email_only_object_creates_an_email_only_user(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"email": "anon@example.com", "plan": "free"}])
    user = fake.find(Identifier("email", "anon@example.com"))
    assert user is not None and user.external_id is None and user.email == "anon@example.com"


def test_email_prefers_the_identified_profile(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"email": "jane@example.com", "n": 1}])
    client.track(attributes=[{"external_id": "jane", "email": "jane@example.com"}])
    client.track(events=[{"email": "JANE@example.com", "name": "Clicked", "time": "2024-03-01T00:00:00Z"}])
    assert fake.user("jane").custom_events["Clicked"].count == 1


def test_email_wins_over_phone(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"email": "a@example.com", "phone": "+15555550100"}])
    user = fake.find(Identifier("email", "a@example.com"))
    assert user is not None and user.phone == "+15555550100"


def test_unknown_braze_id_changes_nothing(client: Client, fake: FakeBraze) -> None:
    reply = client.track(events=[{"braze_id": "5fbd99bac125ca40511f2cb1", "name": "X", "time": "2024-03-01T00:00:00Z"}])
    assert reply.status == 201
    assert fake.workspace().profiles == {}


def test_braze_id_names_an_existing_user(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"external_id": "u1"}])
    braze_id = fake.user("u1").braze_id
    client.track(events=[{"braze_id": braze_id, "name": "X", "time": "2024-03-01T00:00:00Z"}])
    assert fake.user("u1").custom_events["X"].count == 1


def test_external_id_takes_precedence_over_an_alias_in_the_same_object(client: Client, fake: FakeBraze) -> None:
    alias = {"alias_name": "a", "alias_label": "l"}
    client.track(events=[event("u1", user_alias=alias)])
    assert fake.user("u1").aliases == {}
    assert any("user_alias ignored" in w for w in fake.requests[-1].warnings)


def test_segment_style_event_with_external_id_and_email_names_the_external_id(client: Client, fake: FakeBraze) -> None:
    client.track(events=[event("u3", email="u3@example.com", app_id="app", _update_existing_only=False)])
    assert fake.user("u3").custom_events["Played"].count == 1
    assert fake.requests[-1].warnings == []


def test_push_token_import_of_a_known_token_is_ignored() -> None:
    """user_attributes_object.md, push token import: "If the token already exists in Braze, the request is ignored"."""
    fake = FakeBraze()
    token = {"app_id": "app", "token": "tok-1", "device_id": "dev-1"}
    first = fake.call(
        "/users/track", {"attributes": [{"push_token_import": True, "push_tokens": [token]}]}, api_key="k"
    )
    assert first.status == 201 and len(fake.workspace().profiles) == 1
    again = {"attributes": [{"push_token_import": True, "push_tokens": [token], "first_name": "Eve"}]}
    reply = fake.call("/users/track", again, api_key="k")
    assert reply.status == 201 and reply.body["attributes_processed"] == 1
    assert len(fake.workspace().profiles) == 1
    (profile,) = fake.workspace().profiles.values()
    assert "first_name" not in profile.standard  # ignored: the existing profile is not updated either
    assert [(n.code, n.where) for n in reply.notes] == [(Code.USER_PUSH_TOKEN_EXISTS, "attributes[0]")]


def test_a_token_identified_users_hold_also_counts_as_existing() -> None:
    fake = FakeBraze()
    token = {"app_id": "app", "token": "tok-2"}
    fake.call("/users/track", {"attributes": [{"external_id": "u1", "push_tokens": [token]}]}, api_key="k")
    fake.call("/users/track", {"attributes": [{"push_token_import": True, "push_tokens": [token]}]}, api_key="k")
    assert [p.external_id for p in fake.workspace().profiles.values()] == ["u1"]
    fake.call("/users/delete", {"external_ids": ["u1"]}, api_key="k")
    fake.call("/users/track", {"attributes": [{"push_token_import": True, "push_tokens": [token]}]}, api_key="k")
    assert len(fake.workspace().profiles) == 1  # the token left with its user: imported anew
