"""Profile views, the call list, marker options and assertion messages, without pytester."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import FakeBraze, FakeBrazeConfig, Profile, RateLimit, WorkspaceConfig
from harness.testing.calls import Match, Requests, mentions_user
from harness.testing.mock import DEFAULT_TEST_KEY, BrazeMock
from harness.testing.options import BrazeOptions, OptionError
from harness.testing.views import UnknownUser, in_cohort, segment_members

EVENT = {"external_id": "u1", "name": "Audience Entered", "time": "2024-05-01T10:00:00Z"}
PURCHASE = {"external_id": "u1", "product_id": "sku", "currency": "USD", "price": 2.5, "time": "2024-05-01"}


def send(mock: BrazeMock, body: Any, path: str = "/users/track", key: str = "k") -> int:
    response = mock.fake.test_client().post(path, json=body, headers={"Authorization": f"Bearer {key}"})
    return response.status_code


@pytest.fixture
def mock() -> BrazeMock:
    return BrazeMock(FakeBraze())


def test_user_view_reads_copies_of_the_profile(mock: BrazeMock) -> None:
    body = {
        "attributes": [{"external_id": "u1", "plan": "pro", "tags": ["a"], "first_name": "Ada", "email": "a@b.io"}],
        "events": [EVENT, EVENT],
        "purchases": [{**PURCHASE, "quantity": 2}],
    }
    assert send(mock, body) == 201
    user = mock.user("u1")
    assert user.custom_attributes == {"plan": "pro", "tags": ["a"]}
    assert user.standard["first_name"] == "Ada" and user.email == "a@b.io" and user.phone is None
    assert user.custom_events["Audience Entered"].count == 2
    assert user.purchases["sku"].count == 2 and user.total_revenue == 5.0
    assert user.export()["external_id"] == "u1" and user.state()["braze_id"] == user.braze_id
    user.custom_attributes["tags"].append("mutated")
    user.custom_events["Audience Entered"].daily.clear()
    assert mock.user("u1").custom_attributes["tags"] == ["a"]
    assert sum(mock.user("u1").custom_events["Audience Entered"].daily.values()) == 2
    assert "Audience Entered" in user.custom_events and len(user.custom_events) == 1
    assert repr(user) == "UserView(external_id='u1', workspace='default')"


def test_user_view_stays_live(mock: BrazeMock) -> None:
    send(mock, {"events": [EVENT]})
    user = mock.user("u1")
    send(mock, {"events": [EVENT]})
    assert user.custom_events["Audience Entered"].count == 2
    mock.reset()
    with pytest.raises(UnknownUser):
        user.custom_attributes  # noqa: B018


def test_unknown_user_names_the_users_there(mock: BrazeMock) -> None:
    send(mock, {"attributes": [{"external_id": "u2", "a": 1}, {"external_id": "u3", "a": 1}]})
    with pytest.raises(UnknownUser, match=r"no user with external_id 'u1' in workspace 'default'; users there: 'u2', "):
        mock.user("u1")
    with pytest.raises(LookupError):
        mock.user("nobody")
    assert mock.external_ids() == ["u2", "u3"]


def test_missing_event_name_lists_recorded_ones(mock: BrazeMock) -> None:
    send(mock, {"events": [EVENT, {**EVENT, "name": "Signed Up"}]})
    with pytest.raises(KeyError) as caught:
        mock.user("u1").custom_events["Audience Exited"]
    assert str(caught.value) == "user 'u1' has no 'Audience Exited'; recorded: 'Audience Entered' ×1, 'Signed Up' ×1"
    assert mock.user("u1").custom_events.get("Audience Exited") is None


def test_cohort_and_segment_views_delegate_to_the_fake(mock: BrazeMock, monkeypatch: pytest.MonkeyPatch) -> None:
    send(mock, {"events": [EVENT]})
    seen: list[Any] = []

    def in_cohort(user: Profile | str, cohort: str, workspace: str) -> bool:
        seen.append((user.external_id if isinstance(user, Profile) else user, cohort, workspace))
        return cohort == "dormant_shopper"

    monkeypatch.setattr(mock.fake, "in_cohort", in_cohort, raising=False)
    monkeypatch.setattr(mock.fake, "segment_members", lambda definition, workspace: [definition], raising=False)
    assert mock.user("u1").in_cohort("dormant_shopper")
    assert not mock.in_cohort("u1", "vip")
    assert seen == [("u1", "dormant_shopper", "default"), ("u1", "vip", "default")]
    braze_id = mock.user("u1").braze_id
    assert mock.user("u1").in_segment("u1")
    assert mock.user("u1").in_segment(braze_id)
    assert mock.user("u1").in_segment({"external_id": "u1"})
    assert not mock.user("u1").in_segment("u2")
    assert mock.segment_members("x") == ["x"]


def test_cohort_views_say_when_a_fake_has_no_cohorts() -> None:
    class Bare:  # any object without the cohort surface, e.g. an older fake
        pass

    with pytest.raises(NotImplementedError, match=r"FakeBraze\.in_cohort"):
        in_cohort(Bare(), "u1", "x")  # type: ignore[arg-type]
    with pytest.raises(NotImplementedError, match=r"FakeBraze\.segment_members"):
        segment_members(Bare(), {})  # type: ignore[arg-type]


def test_segment_views_use_the_fakes_segment_filters(mock: BrazeMock) -> None:
    send(mock, {"attributes": [{"external_id": "u1", "plan": "pro"}, {"external_id": "u2", "plan": "free"}]})
    anonymous = {"user_alias": {"alias_name": "anon", "alias_label": "l"}, "_update_existing_only": False}
    send(mock, {"attributes": [{**anonymous, "plan": "pro"}]})
    pro = {"custom_attribute": "plan", "op": "equals", "value": "pro"}
    members = mock.segment_members(pro)
    assert members.external_ids == ("u1",) and len(members) == 2
    assert mock.user("u1").in_segment(pro) and not mock.user("u2").in_segment(pro)
    mock.fake.save_segment("pros", pro)
    assert mock.user("u1").in_segment("pros")
    assert not mock.in_cohort("u1", "dormant_shopper") and not mock.user("u1").in_cohort("dormant_shopper")


def test_requests_filter_like_a_call_list(mock: BrazeMock) -> None:
    send(mock, {"attributes": [{"external_id": "u2", "a": 1}]})
    send(mock, {"events": [EVENT]})
    send(mock, {"external_ids": ["u1"]}, path="/users/export/ids")
    calls = mock.requests
    assert calls.call_count == 3 and calls.called and calls.last.path == "/users/export/ids"
    assert [e.id for e in calls.filter(user="u1")] == [2, 3]
    assert [e.id for e in calls.filter("/users/track", kind="events")] == [2]
    assert [e.id for e in calls.filter(kind="attributes", status=201, method="post")] == [1]
    assert [e.id for e in calls.filter(event="Audience Entered", instance="US-01")] == [2]
    assert calls.filter(kind="purchases") == [] and not calls.filter(kind="purchases").called
    assert calls.filter(user="u2").bodies == [{"attributes": [{"external_id": "u2", "a": 1}]}]
    with pytest.raises(IndexError, match="no requests"):
        _ = Requests().last
    with pytest.raises(ValueError, match="kind must be one of"):
        calls.filter(kind="event")  # type: ignore[arg-type]


def test_mentions_user_looks_deep_but_not_forever() -> None:
    assert mentions_user({"a": [{"b": {"external_id": "x"}}]}, "x")
    assert not mentions_user({"external_id": "y", "external_ids": ["z"]}, "x")
    deep: Any = {"external_id": "x"}
    for _ in range(20):
        deep = {"n": deep}
    assert not mentions_user(deep, "x")
    assert Match().describe() == "any request"
    assert Match(path="/p", status=201).describe() == "path='/p', status=201"


def test_assert_helpers_pass_and_return(mock: BrazeMock) -> None:
    send(mock, {"events": [EVENT], "attributes": [{"external_id": "u1", "plan": "pro", "country": "DE"}]})
    found = mock.assert_request("/users/track", status=201, user="u1", count=1)
    assert [e.id for e in found] == [1]
    mock.assert_request("/users/delete", count=0)
    mock.assert_tracked("u1", "Audience Entered", count=1, attributes={"plan": "pro", "country": "DE"})
    mock.assert_tracked("u1")
    mock.assert_no_contract_violations()
    mock.assert_all_accepted()


def test_assert_tracked_messages(mock: BrazeMock) -> None:
    send(mock, {"attributes": [{"external_id": "u1", "plan": "free"}], "events": [EVENT]})
    with pytest.raises(AssertionError) as caught:
        mock.assert_tracked("u1", purchase="sku", attributes={"plan": "pro", "seats": 3})
    message = str(caught.value)
    assert "user 'u1' has no purchase 'sku' (recorded: none)" in message
    assert "user 'u1' attribute 'plan' is 'free', expected 'pro'" in message
    assert "user 'u1' has no attribute 'seats' (expected 3)" in message
    assert "Closest requests received (1 of 1):" in message


def test_assert_request_with_an_empty_journal(mock: BrazeMock) -> None:
    with pytest.raises(AssertionError, match=r"got 0\nThe fake received no requests\."):
        mock.assert_request("/users/track")


def test_assert_all_accepted_lists_partial_refusals(mock: BrazeMock) -> None:
    send(mock, {"events": [EVENT, {**EVENT, "time": "soon"}]})
    with pytest.raises(AssertionError, match=r"1 request\(s\) were refused in whole or in part:\n#1 POST /users/track"):
        mock.assert_all_accepted()


def test_long_bodies_are_shortened_in_messages(mock: BrazeMock) -> None:
    send(mock, {"events": [{**EVENT, "properties": {f"p{i}": "x" * 50 for i in range(30)}}, {"name": 1}]})
    with pytest.raises(AssertionError) as caught:
        mock.assert_no_contract_violations()
    body_line = next(line for line in str(caught.value).splitlines() if line.strip().startswith("body:"))
    assert body_line.endswith("...") and len(body_line) < 420


def test_mock_basics() -> None:
    mock = BrazeMock(FakeBraze(instance="EU-01"))
    assert mock.base_url == "https://rest.fra-01.braze.eu"
    assert mock.api_key == DEFAULT_TEST_KEY
    assert mock.headers["Authorization"] == f"Bearer {DEFAULT_TEST_KEY}"
    assert mock.app is mock.fake.app and mock.journal is mock.fake.journal and mock.config.instance == "EU-01"
    assert repr(mock) == "<BrazeMock EU-01 requests=0>"
    workspaces = (WorkspaceConfig("other", instance="US-01", api_keys=("us",)), WorkspaceConfig("eu", "EU-01", ("eu",)))
    assert BrazeMock(FakeBraze(instance="EU-01", workspaces=workspaces)).api_key == "eu"
    assert mock.state()["instance"] == "EU-01"


def test_options_merge_closest_last_and_map_shorthands() -> None:
    options = BrazeOptions.from_kwargs(
        [
            {"instance": "EU-01", "api_keys": "k1", "allow_hosts": "localhost"},
            {"limits": "combined-50", "rate_limits": {"users.track": "10/1", "cohorts": None}, "strict": True},
        ]
    )
    config = options.apply(FakeBrazeConfig())
    assert (config.instance, config.api_keys, config.track_limits) == ("EU-01", ("k1",), "combined-50")
    assert config.rate_limits["users.track"] == RateLimit(10, 1) and config.rate_limits["cohorts"] is None
    assert config.rate_limits["default"] == RateLimit(250_000, 3600)
    assert options.allow_hosts == ("localhost",) and options.strict
    off = BrazeOptions.from_kwargs([{"rate_limits": "off"}]).apply(FakeBrazeConfig())
    assert set(off.rate_limits.values()) == {None}
    base = FakeBrazeConfig(instance="JP-01")
    assert BrazeOptions().apply(base) is base


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"instnce": "EU-01"}, "unknown option(s) instnce"),
        ({"instance": "XX-01"}, "unknown Braze instance 'XX-01'"),
        ({"rate_limits": 5}, "rate_limits must be 'off' or a dict"),
        ({"rate_limits": {"users.track": "fast"}}, "rate limit must look like 3000/3"),
        ({"workspaces": [WorkspaceConfig("w")], "seed": 1, "journal_bogus": 1}, "unknown option(s) journal_bogus"),
    ],
)
def test_options_explain_bad_values(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(OptionError) as caught:
        BrazeOptions.from_kwargs([kwargs]).apply(FakeBrazeConfig())
    assert message in str(caught.value)
