"""Partner cohort import (cohort_import.md): auth, the documented messages, matching, limits, keys."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import FakeBraze, WorkspaceConfig
from harness.braze.model.store import Identifier
from harness.braze.service.cohorts import MESSAGES
from harness.braze.service.partner_auth import parse_partner_keys
from harness.clock import FixedClock
from tests.braze.contract_check import CheckedClient, assert_conforms

NAME = "/partners/segment/cohorts"
USERS = "/partners/segment/cohorts/users"
AUTH = {"partner_api_key": "PARTNER_API_KEY_US", "client_secret": "test-client-secret"}
SUCCESS = {"message": "success"}


def name_body(**changes: Any) -> dict[str, Any]:
    body = {**AUTH, "cohort_id": "aud_1", "name": "dormant_shopper", "created_at": "2024-03-01T12:00:00.000Z"}
    return {k: v for k, v in {**body, **changes}.items() if v is not ...}


def users_body(*changes: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body = {**AUTH, "cohort_id": "aud_1", "cohort_changes": list(changes)}
    return {k: v for k, v in {**body, **fields}.items() if v is not ...}


def add(*user_ids: str, device_ids: tuple[str, ...] = (), aliases: tuple[dict[str, str], ...] = ()) -> dict[str, Any]:
    return {"user_ids": list(user_ids), "device_ids": list(device_ids), "aliases": list(aliases)}


def remove(*user_ids: str, **kwargs: Any) -> dict[str, Any]:
    return {**add(*user_ids, **kwargs), "should_remove": True}


@pytest.fixture
def fake() -> FakeBraze:
    return FakeBraze(clock=FixedClock("2024-03-01T12:00:00Z"))


@pytest.fixture
def client(fake: FakeBraze) -> CheckedClient:
    return CheckedClient(fake)


def track(client: CheckedClient, *attributes: dict[str, Any]) -> None:
    response = client.post("/users/track", json={"attributes": list(attributes)}, headers={"Authorization": "Bearer k"})
    assert response.status_code == 201, response.get_json()


def alias_user(client: CheckedClient, alias: dict[str, str]) -> None:
    """An alias-only user, as `/users/alias/new` creates it."""
    response = client.post("/users/alias/new", json={"user_aliases": [alias]}, headers={"Authorization": "Bearer k"})
    assert response.status_code == 201


def members(fake: FakeBraze, cohort_id: str = "aud_1") -> dict[str, Any]:
    [cohort] = [c for c in fake.cohorts() if c.cohort_id == cohort_id]
    return cohort.members.to_json()


# -- success ---------------------------------------------------------------------------------------------
def test_name_call_creates_the_cohort_and_answers_201_success(fake: FakeBraze, client: CheckedClient) -> None:
    response = client.post(NAME, json=name_body())
    assert (response.status_code, response.get_json()) == (201, SUCCESS)
    [cohort] = fake.cohorts()
    assert (cohort.cohort_id, cohort.name, cohort.created_at) == (
        "aud_1",
        "dormant_shopper",
        "2024-03-01T12:00:00.000Z",
    )
    assert len(cohort.members) == 0


def test_a_second_name_call_renames_and_keeps_created_at(fake: FakeBraze, client: CheckedClient) -> None:
    client.post(NAME, json=name_body())
    response = client.post(NAME, json=name_body(name="lapsed_shopper", created_at="2024-04-01T00:00:00Z"))
    assert response.status_code == 201
    [cohort] = fake.cohorts()
    assert (cohort.name, cohort.created_at) == ("lapsed_shopper", "2024-03-01T12:00:00.000Z")
    assert "renamed from 'dormant_shopper' to 'lapsed_shopper'" in fake.requests[-1].warnings[0]


def test_segments_connection_test_succeeds_and_creates_nothing(fake: FakeBraze, client: CheckedClient) -> None:
    response = client.post(USERS, json=users_body(cohort_id="will_add_in_constant"))
    assert (response.status_code, response.get_json()) == (201, SUCCESS)
    assert fake.cohorts() == []


def test_users_are_added_by_external_id_and_alias_and_removed(fake: FakeBraze, client: CheckedClient) -> None:
    alias = {"alias_name": "anon-1", "alias_label": "segment_anonymous_id"}
    track(client, {"external_id": "user-1"}, {"external_id": "user-2"})
    alias_user(client, alias)
    client.post(NAME, json=name_body())
    response = client.post(USERS, json=users_body(add("user-1", "user-2", aliases=(alias,))))
    assert (response.status_code, response.get_json()) == (201, SUCCESS)
    assert members(fake)["external_ids"] == ["user-1", "user-2"]
    assert members(fake)["user_aliases"] == [alias]
    client.post(USERS, json=users_body(remove("user-1", aliases=(alias,))))
    assert members(fake)["external_ids"] == ["user-2"]
    assert members(fake)["user_aliases"] == []


def test_changes_apply_in_order_adds_then_removes(fake: FakeBraze, client: CheckedClient) -> None:
    track(client, {"external_id": "user-1"})
    client.post(NAME, json=name_body())
    client.post(USERS, json=users_body(add("user-1"), remove("user-1")))
    assert members(fake)["count"] == 0
    client.post(USERS, json=users_body(remove("user-1"), add("user-1")))
    assert members(fake)["external_ids"] == ["user-1"]


def test_only_users_that_exist_in_braze_are_added(fake: FakeBraze, client: CheckedClient) -> None:
    client.post(NAME, json=name_body())
    response = client.post(USERS, json=users_body(add("ghost")))
    assert response.status_code == 201
    assert members(fake)["count"] == 0
    assert fake.find(Identifier("external_id", "ghost")) is None
    assert any("no user with external_id 'ghost'" in w for w in fake.requests[-1].warnings)


def test_anonymous_users_match_by_device_id_identified_ones_do_not(fake: FakeBraze, client: CheckedClient) -> None:
    workspace = fake.workspace()
    anonymous = workspace.create(Identifier("device_id", "dev-anon"), fake.clock.now())
    identified = workspace.create(Identifier("external_id", "user-1"), fake.clock.now())
    workspace.add_device(identified, "dev-known")
    client.post(NAME, json=name_body())
    client.post(USERS, json=users_body(add(device_ids=("dev-anon", "dev-known"))))
    assert members(fake)["braze_ids"] == [anonymous.braze_id]
    assert members(fake)["device_ids"] == ["dev-anon"]
    assert members(fake)["external_ids"] == []
    assert any("belongs to an identified user" in w for w in fake.requests[-1].warnings)
    # ... and a device_id does not remove an identified member either
    client.post(USERS, json=users_body(add("user-1")))
    client.post(USERS, json=users_body(remove(device_ids=("dev-known",))))
    assert members(fake)["external_ids"] == ["user-1"]


def test_members_sent_before_the_name_make_an_unnamed_cohort(fake: FakeBraze, client: CheckedClient) -> None:
    track(client, {"external_id": "user-1"})
    client.post(USERS, json=users_body(add("user-1")))
    [cohort] = fake.cohorts()
    assert (cohort.name, cohort.created_at, cohort.members.external_ids) == (None, None, ("user-1",))
    client.post(NAME, json=name_body())
    assert fake.in_cohort("user-1", "dormant_shopper")


def test_a_deleted_profile_leaves_every_cohort(fake: FakeBraze, client: CheckedClient) -> None:
    track(client, {"external_id": "user-1"}, {"external_id": "user-2"})
    for cohort_id in ("aud_1", "aud_2"):
        client.post(NAME, json=name_body(cohort_id=cohort_id, name=cohort_id))
        client.post(USERS, json=users_body(add("user-1", "user-2"), cohort_id=cohort_id))
    response = client.post("/users/delete", json={"external_ids": ["user-1"]}, headers={"Authorization": "Bearer k"})
    assert response.status_code == 201
    assert [c.members.external_ids for c in fake.cohorts()] == [("user-2",), ("user-2",)]
    assert not fake.in_cohort("user-1", "aud_1")
    # the same external_id created again is a new user, not a member
    track(client, {"external_id": "user-1"})
    assert not fake.in_cohort("user-1", "aud_1")


def test_cohorts_are_per_workspace_and_reset_with_the_store(fake: FakeBraze, client: CheckedClient) -> None:
    client.post(NAME, json=name_body())
    assert len(fake.cohorts()) == 1
    fake.reset()
    assert fake.cohorts() == []


# -- 400: the documented messages ------------------------------------------------------------------------
BAD_NAME_BODIES = [
    ("cohort_id", name_body(cohort_id=...)),
    ("cohort_id", name_body(cohort_id=12)),
    ("cohort_id", name_body(cohort_id="")),
    ("name", name_body(name=...)),
    ("name", name_body(name="")),
    ("name", name_body(name=None)),
    ("created_at", name_body(created_at=...)),
    ("created_at", name_body(created_at="yesterday")),
    ("created_at", name_body(created_at=1709294400)),
    ("created_at", name_body(created_at="2024-02-30T00:00:00Z")),
    ("cohort_id", name_body(cohort_id=None, name="", created_at="x")),
    ("name", name_body(name=7, created_at="x")),
]


@pytest.mark.parametrize(("field", "body"), BAD_NAME_BODIES)
def test_name_endpoint_400_messages_word_for_word(client: CheckedClient, field: str, body: dict[str, Any]) -> None:
    response = client.post(NAME, json=body)
    assert response.status_code == 400
    assert response.get_json()["message"] == MESSAGES[field]


BAD_CHANGES: list[Any] = [
    None,
    "[]",
    {"user_ids": ["a"]},
    [{}],
    [{"should_remove": True}],
    [{"user_ids": "user-1"}],
    [{"user_ids": [1]}],
    [{"device_ids": [None]}],
    [{"aliases": {"alias_name": "a", "alias_label": "b"}}],
    [{"aliases": [{"alias_name": "a"}]}],
    [{"user_ids": [], "should_remove": "yes"}],
    [{"user_ids": [], "external_ids": []}],
    ["user-1"],
]


@pytest.mark.parametrize("changes", BAD_CHANGES)
def test_users_endpoint_rejects_malformed_cohort_changes(client: CheckedClient, changes: Any) -> None:
    response = client.post(USERS, json=users_body(cohort_changes=changes))
    assert response.status_code == 400
    assert response.get_json()["message"] == MESSAGES["cohort_changes"]


def test_users_endpoint_needs_a_cohort_id_and_changes(client: CheckedClient) -> None:
    missing_id = client.post(USERS, json=users_body(add("u"), cohort_id=...))
    assert (missing_id.status_code, missing_id.get_json()["message"]) == (400, MESSAGES["cohort_id"])
    missing_changes = client.post(USERS, json=users_body(cohort_changes=...))
    assert (missing_changes.status_code, missing_changes.get_json()["message"]) == (400, MESSAGES["cohort_changes"])


def test_the_exact_documented_texts() -> None:
    assert MESSAGES == {
        "cohort_id": "cohort_id must be a valid string",
        "cohort_changes": "cohort_changes must be an array of objects each with key user_ids and/or device_ids "
        "mapping to an array of strings, or an aliases object",
        "too_many": "Only 1,000 user_ids, device_ids, and aliases are allowed per request",
        "name": "name must be a non-empty string",
        "created_at": "created_at must be a valid time as an ISO-8601 string",
    }


def test_errors_list_every_violation_with_its_path(client: CheckedClient) -> None:
    body = client.post(USERS, json=users_body({"user_ids": [1]}, cohort_id=5)).get_json()
    assert body["message"] == MESSAGES["cohort_id"]
    assert {e["path"] for e in body["errors"]} == {"$.cohort_id", "$.cohort_changes[0].user_ids[0]"}


def test_at_most_1000_ids_per_request_combined(fake: FakeBraze, client: CheckedClient) -> None:
    alias = {"alias_name": "a", "alias_label": "b"}
    at_limit = users_body(
        add(*[f"u{i}" for i in range(500)]), remove(device_ids=tuple(f"d{i}" for i in range(499)), aliases=(alias,))
    )
    assert client.post(USERS, json=at_limit).status_code == 201
    over = users_body(
        add(*[f"u{i}" for i in range(500)]), remove(device_ids=tuple(f"d{i}" for i in range(500)), aliases=(alias,))
    )
    response = client.post(USERS, json=over)
    assert (response.status_code, response.get_json()["message"]) == (400, MESSAGES["too_many"])
    assert response.get_json()["errors"] == []
    assert response.headers["X-Harness-Detail"] == "1,001 ids in cohort_changes; at most 1,000"


def test_unknown_top_level_keys_are_ignored_with_a_warning(fake: FakeBraze, client: CheckedClient) -> None:
    response = client.post(NAME, json=name_body(extra=1))
    assert response.status_code == 201
    assert fake.requests[-1].warnings == ["unknown top-level key(s) ignored: extra"]


# -- 401: partner API key and data import key --------------------------------------------------------------
@pytest.mark.parametrize("key", [..., "", None, 42])
def test_zero_config_accepts_any_non_empty_partner_key(client: CheckedClient, key: Any) -> None:
    assert client.post(NAME, json=name_body(partner_api_key="anything")).status_code == 201
    response = client.post(NAME, json=name_body(partner_api_key=key))
    assert (response.status_code, response.get_json()["message"]) == (401, "Invalid Partner API key")


@pytest.mark.parametrize("secret", [..., "", None, ["x"]])
def test_zero_config_accepts_any_non_empty_client_secret(client: CheckedClient, secret: Any) -> None:
    assert client.post(USERS, json=users_body(client_secret="whatever")).status_code == 201
    response = client.post(USERS, json=users_body(client_secret=secret))
    assert (response.status_code, response.get_json()["message"]) == (401, "Invalid client secret")


def test_zero_config_cohorts_see_the_users_of_the_rest_api(fake: FakeBraze, client: CheckedClient) -> None:
    track(client, {"external_id": "user-1"})
    client.post(NAME, json=name_body(client_secret="one"))
    client.post(USERS, json=users_body(add("user-1"), client_secret="another"))
    assert fake.in_cohort("user-1", "dormant_shopper")


def test_auth_comes_before_validation(client: CheckedClient) -> None:
    response = client.post(NAME, json={"partner_api_key": "", "cohort_id": 1})
    assert response.get_json()["message"] == "Invalid Partner API key"
    response = client.post(NAME, json={"partner_api_key": "p", "cohort_id": 1})
    assert response.get_json()["message"] == "Invalid client secret"
    response = client.post(USERS, json=[1, 2])
    assert (response.status_code, response.get_json()["message"]) == (401, "Invalid Partner API key")


def test_configured_partner_keys_are_regional() -> None:
    fake = FakeBraze(partner_keys={"US": ("key-us",), "EU": ("key-eu",)})
    client = CheckedClient(fake)
    us, eu = "rest.iad-01.braze.com", "rest.fra-01.braze.eu"
    assert client.post(NAME, json=name_body(partner_api_key="key-us"), host=us).status_code == 201
    assert client.post(NAME, json=name_body(partner_api_key="key-eu"), host=eu).status_code == 201
    assert client.post(NAME, json=name_body(partner_api_key="key-us"), host="rest.au-01.braze.com").status_code == 201
    for key, host in (("key-eu", us), ("key-us", eu), ("other", us)):
        response = client.post(NAME, json=name_body(partner_api_key=key), host=host)
        assert response.status_code == 401
        assert response.get_json()["message"] == "Invalid Partner API key"
    wrong_region = client.post(NAME, json=name_body(partner_api_key="key-eu"), host=us)
    assert wrong_region.get_json()["errors"] == []
    assert wrong_region.headers["X-Harness-Detail"] == "this is the EU partner key; US-01 takes the US key"


def test_a_region_without_a_key_refuses_every_key_once_one_is_configured() -> None:
    client = CheckedClient(FakeBraze(partner_keys={"US": ("key-us",)}))
    assert client.post(NAME, json=name_body(partner_api_key="key-us"), host="rest.fra-02.braze.eu").status_code == 401


def test_configured_data_import_keys_pick_the_workspace() -> None:
    fake = FakeBraze(
        data_import_keys=("dik-default",),
        workspaces=(WorkspaceConfig("eu-shop", instance="EU-01", data_import_key="dik-eu"),),
    )
    client = CheckedClient(fake)
    assert client.post(NAME, json=name_body(client_secret="dik-default")).status_code == 201
    assert (
        client.post(
            NAME, json=name_body(client_secret="dik-eu", cohort_id="eu_1"), host="rest.fra-01.braze.eu"
        ).status_code
        == 201
    )
    assert [c.cohort_id for c in fake.cohorts()] == ["aud_1"]
    assert [c.cohort_id for c in fake.cohorts(workspace="eu-shop")] == ["eu_1"]
    for secret, host in (("nope", None), ("dik-eu", "rest.iad-01.braze.com")):
        response = client.post(NAME, json=name_body(client_secret=secret), host=host)
        assert (response.status_code, response.get_json()["message"]) == (401, "Invalid client secret")


def test_regenerate_replaces_the_key_and_invalidate_removes_it() -> None:
    fake = FakeBraze(data_import_keys=("dik-1",))
    client = CheckedClient(fake)
    assert fake.data_import_key() == "dik-1"
    new = fake.regenerate_data_import_key()
    assert new != "dik-1" and fake.data_import_key() == new
    old = client.post(NAME, json=name_body(client_secret="dik-1"))
    assert old.get_json() == {"message": "Invalid client secret", "errors": []}
    assert old.headers["X-Harness-Detail"] == "this data import key was invalidated"
    assert client.post(NAME, json=name_body(client_secret=new)).status_code == 201
    assert fake.invalidate_data_import_key() == new
    assert fake.data_import_key() is None
    assert client.post(NAME, json=name_body(client_secret=new)).status_code == 401
    fake.reset()
    assert fake.data_import_key() == "dik-1"


def test_zero_config_ends_once_a_key_is_regenerated_or_invalidated() -> None:
    fake = FakeBraze()
    client = CheckedClient(fake)
    assert fake.data_import_key() is None
    key = fake.regenerate_data_import_key()
    assert client.post(NAME, json=name_body(client_secret="anything")).status_code == 401
    assert client.post(NAME, json=name_body(client_secret=key)).status_code == 201
    fake.reset()
    fake.invalidate_data_import_key()
    assert client.post(NAME, json=name_body(client_secret="anything")).status_code == 401


def test_regenerated_keys_are_reproducible_from_the_seed() -> None:
    assert FakeBraze(seed=3).regenerate_data_import_key() == FakeBraze(seed=3).regenerate_data_import_key()
    assert FakeBraze(seed=3).regenerate_data_import_key() != FakeBraze(seed=4).regenerate_data_import_key()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["k"], {"US": ("k",), "EU": ("k",)}),
        (["US=a", "EU=b", "eu=c"], {"US": ("a",), "EU": ("b", "c")}),
        (["AU=x"], {"US": ("AU=x",), "EU": ("AU=x",)}),
    ],
)
def test_parse_partner_keys(values: list[str], expected: dict[str, tuple[str, ...]]) -> None:
    assert parse_partner_keys(values) == expected


def test_parse_partner_keys_refuses_an_empty_key() -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_partner_keys(["US="])


# -- pipeline ---------------------------------------------------------------------------------------------
def test_cohort_endpoints_use_the_cohorts_rate_limit_group() -> None:
    from harness.braze.model.config import RateLimit

    fake = FakeBraze(clock=FixedClock(), rate_limits={"cohorts": RateLimit(2, 3600)})
    client = CheckedClient(fake)
    assert [client.post(NAME, json=name_body()).status_code for _ in range(3)] == [201, 201, 429]
    assert (
        client.post(
            "/users/track", json={"attributes": [{"external_id": "u"}]}, headers={"Authorization": "Bearer k"}
        ).status_code
        == 201
    )


def test_every_request_is_journaled_with_its_warnings(fake: FakeBraze, client: CheckedClient) -> None:
    client.post(USERS, json=users_body(add("ghost")))
    entry = fake.requests[-1]
    assert (entry.path, entry.status) == (USERS, 201)
    assert entry.warnings[0].startswith("cohort 'aud_1' has no name yet")


def test_the_contract_check_catches_a_wrong_body() -> None:
    with pytest.raises(AssertionError, match=r"breaks braze/cohorts\.response"):
        assert_conforms(None, "POST", NAME, 201, {})
    with pytest.raises(AssertionError, match=r"breaks braze/error\.response"):
        assert_conforms(None, "POST", NAME, 401, {"message": "Invalid Partner API key"})
