"""Identity resolution as Segment documents it: flat matching, merges, limits, priority demotion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from harness.engage import IdentityGraph
from harness.engage.profiles import PerformedEvent, Profile

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def test_new_add_and_merge() -> None:
    graph = IdentityGraph()
    anon = graph.resolve([("anonymous_id", "a1")])
    user = graph.resolve([("user_id", "u1")])
    assert anon and user and anon.profile is not user.profile
    same = graph.resolve([("anonymous_id", "a1")])
    assert same and same.profile is anon.profile
    merged = graph.resolve([("user_id", "u1"), ("anonymous_id", "a1"), ("email", "e@x")])
    assert merged is not None
    assert merged.profile is anon.profile  # the oldest profile survives
    assert merged.absorbed == (user.profile,)
    assert merged.profile.identifiers() == [("user_id", "u1"), ("email", "e@x"), ("anonymous_id", "a1")]
    assert len(graph.profiles) == 1
    assert graph.find("user_id", "u1") is merged.profile


def test_docs_example_a_second_user_id_demotes_the_email() -> None:
    """identity-resolution-settings.md, Priority: abc123 + jane@ exists; abc456 + jane@ arrives."""
    graph = IdentityGraph()
    jane = graph.resolve([("user_id", "abc123"), ("email", "jane@example1.com")])
    other = graph.resolve([("user_id", "abc456"), ("email", "jane@example1.com")])
    assert jane and other and other.profile is not jane.profile
    assert other.profile.identifiers() == [("user_id", "abc456")]
    assert graph.find("email", "jane@example1.com") is jane.profile


def test_two_identified_profiles_never_merge_through_a_shared_anonymous_id() -> None:
    graph = IdentityGraph()
    graph.resolve([("user_id", "u1"), ("anonymous_id", "shared")])
    second = graph.resolve([("user_id", "u2"), ("anonymous_id", "shared")])
    assert second and second.profile.identifiers() == [("user_id", "u2")]
    assert len(graph.profiles) == 2


def test_a_sixth_anonymous_id_is_dropped() -> None:
    graph = IdentityGraph()
    for n in range(6):
        graph.resolve([("user_id", "u1"), ("anonymous_id", f"a{n}")])
    (profile,) = graph.profiles
    assert profile.ids["anonymous_id"] == ["a0", "a1", "a2", "a3", "a4"]
    assert graph.find("anonymous_id", "a5") is None


def test_custom_limits() -> None:
    graph = IdentityGraph(limits={"user_id": 2, "email": 1, "anonymous_id": 5})
    graph.resolve([("user_id", "u1"), ("email", "e1")])
    graph.resolve([("user_id", "u2"), ("email", "e1")])
    assert len(graph.profiles) == 1
    graph.resolve([("user_id", "u1"), ("email", "e2")])
    assert graph.find("email", "e2") is None


def test_no_identifiers_resolve_to_nothing() -> None:
    assert IdentityGraph().resolve([]) is None


def test_merge_keeps_the_newest_trait_and_all_events_in_order() -> None:
    old, new = Profile(0), Profile(1)
    old.set_traits({"plan": "free", "age": 30}, T0 + timedelta(hours=2))
    new.set_traits({"plan": "pro"}, T0 + timedelta(hours=3))
    new.set_traits({"age": 20}, T0 + timedelta(hours=1))
    old.add_event(PerformedEvent(T0 + timedelta(hours=5), "B", {}))
    new.add_event(PerformedEvent(T0 + timedelta(hours=4), "A", {}))
    old.absorb(new)
    assert old.traits == {"plan": "pro", "age": 30}
    assert [e.name for e in old.events] == ["A", "B"]


def test_a_late_identify_does_not_overwrite_newer_traits() -> None:
    profile = Profile(0)
    profile.set_traits({"plan": "pro"}, T0 + timedelta(hours=2))
    profile.set_traits({"plan": "free"}, T0 + timedelta(hours=1))
    assert profile.traits == {"plan": "pro"}
