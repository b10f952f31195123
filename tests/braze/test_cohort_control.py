"""Control plane for cohorts, segments and data import keys (`/_harness/...`), contract-checked."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import FakeBraze, Identifier, WorkspaceConfig
from harness.clock import FixedClock
from tests.braze.contract_check import CheckedClient

AUTH = {"partner_api_key": "p", "client_secret": "s"}
BEARER = {"Authorization": "Bearer k"}
DORMANT = {"custom_attribute": "dormant_shopper", "op": "equals", "value": True}


@pytest.fixture
def fake() -> FakeBraze:
    return FakeBraze(clock=FixedClock("2024-03-01T12:00:00Z"), workspaces=(WorkspaceConfig("other"),))


@pytest.fixture
def client(fake: FakeBraze) -> CheckedClient:
    return CheckedClient(fake)


def seed(client: CheckedClient) -> None:
    attributes = [{"external_id": "user-1", "dormant_shopper": True}, {"external_id": "user-2"}]
    assert client.post("/users/track", json={"attributes": attributes}, headers=BEARER).status_code == 201
    alias = {"alias_name": "anon-1", "alias_label": "segment_anonymous_id"}
    assert client.post("/users/alias/new", json={"user_aliases": [alias]}, headers=BEARER).status_code == 201
    body = {**AUTH, "cohort_id": "aud_1", "name": "dormant_shopper", "created_at": "2024-03-01T12:00:00.000Z"}
    assert client.post("/partners/segment/cohorts", json=body).status_code == 201
    changes = [{"user_ids": ["user-1"], "device_ids": [], "aliases": [alias]}]
    users = {**AUTH, "cohort_id": "aud_1", "cohort_changes": changes}
    assert client.post("/partners/segment/cohorts/users", json=users).status_code == 201


def test_get_cohorts_lists_cohorts_with_members(fake: FakeBraze, client: CheckedClient) -> None:
    seed(client)
    [cohort] = client.get("/_harness/cohorts").get_json()["cohorts"]
    anonymous = fake.workspace().find(Identifier("user_alias", "anon-1", "segment_anonymous_id"))
    assert anonymous is not None
    assert cohort == {
        "cohort_id": "aud_1",
        "name": "dormant_shopper",
        "created_at": "2024-03-01T12:00:00.000Z",
        "members": {
            "external_ids": ["user-1"],
            "user_aliases": [{"alias_name": "anon-1", "alias_label": "segment_anonymous_id"}],
            "device_ids": [],
            "braze_ids": [anonymous.braze_id],
            "count": 2,
        },
    }
    assert client.get("/_harness/cohorts?workspace=other").get_json() == {"cohorts": []}


def test_evaluate_a_definition(client: CheckedClient) -> None:
    seed(client)
    body = client.post(
        "/_harness/segments/evaluate", json={"and": [DORMANT, {"cohort": "dormant_shopper", "op": "in"}]}
    )
    assert body.status_code == 200
    assert body.get_json()["members"]["external_ids"] == ["user-1"]
    assert body.get_json()["workspace"] == "default"


def test_save_get_list_delete_a_named_segment(client: CheckedClient) -> None:
    seed(client)
    saved = client.put("/_harness/segments/dormant", json=DORMANT)
    assert saved.get_json() == {"name": "dormant", "workspace": "default", "definition": DORMANT}
    got = client.get("/_harness/segments/dormant").get_json()
    assert (got["name"], got["members"]["external_ids"]) == ("dormant", ["user-1"])
    assert client.get("/_harness/segments").get_json() == {"workspace": "default", "segments": {"dormant": DORMANT}}
    assert client.get("/_harness/segments?workspace=other").get_json()["segments"] == {}
    assert client.delete("/_harness/segments/dormant").get_json()["status"] == "deleted"
    assert client.get("/_harness/segments/dormant").status_code == 404
    assert client.delete("/_harness/segments/dormant").status_code == 404


def test_saved_segments_are_evaluated_at_read_time(fake: FakeBraze, client: CheckedClient) -> None:
    client.put("/_harness/segments/dormant", json=DORMANT)
    assert client.get("/_harness/segments/dormant").get_json()["members"]["count"] == 0
    seed(client)
    assert client.get("/_harness/segments/dormant").get_json()["members"]["count"] == 1


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        ("POST", "/_harness/segments/evaluate", {"custom_attribute": "a"}, 400, "Invalid segment definition"),
        ("PUT", "/_harness/segments/x", {"cohort": "c", "op": "near"}, 400, "Invalid segment definition"),
        ("POST", "/_harness/segments/evaluate?workspace=nope", DORMANT, 404, "no workspace 'nope'"),
        ("GET", "/_harness/cohorts?workspace=nope", None, 404, "no workspace 'nope'"),
        ("GET", "/_harness/segments/missing", None, 404, "no saved segment 'missing'"),
        ("POST", "/_harness/data-import-keys/regenerate?workspace=nope", None, 404, "no workspace 'nope'"),
    ],
)
def test_control_errors(client: CheckedClient, method: str, path: str, body: Any, status: int, message: str) -> None:
    response = client.open(method, path, json=body)
    assert (response.status_code, response.get_json()["message"]) == (status, message)


def test_invalid_definition_lists_paths(client: CheckedClient) -> None:
    body = client.post("/_harness/segments/evaluate", json={"or": [{"cohort": "c", "op": "in"}, {"x": 1}]}).get_json()
    assert [e["path"] for e in body["errors"]] == ["$.or[1]"]


def test_not_json_is_a_400(client: CheckedClient) -> None:
    response = client.post("/_harness/segments/evaluate", data=b"{nope", content_type="application/json")
    assert (response.status_code, response.get_json()["message"]) == (400, "request body is not valid JSON")


def test_data_import_keys_regenerate_and_invalidate_over_http(fake: FakeBraze, client: CheckedClient) -> None:
    assert client.get("/_harness/data-import-keys").get_json() == {"data_import_keys": {"default": None, "other": None}}
    key = client.post("/_harness/data-import-keys/regenerate?workspace=other").get_json()["data_import_key"]
    assert fake.data_import_key("other") == key
    body = {**AUTH, "client_secret": key, "cohort_id": "c", "name": "n", "created_at": "2024-03-01"}
    assert client.post("/partners/segment/cohorts", json=body).status_code == 201
    assert [c.cohort_id for c in fake.cohorts("other")] == ["c"]
    assert client.post("/partners/segment/cohorts", json={**body, "client_secret": "s"}).status_code == 401
    invalidated = client.post("/_harness/data-import-keys/invalidate?workspace=other").get_json()
    assert invalidated == {"workspace": "other", "data_import_key": None, "invalidated": True}
    response = client.post("/partners/segment/cohorts", json=body)
    assert (response.status_code, response.get_json()["message"]) == (401, "Invalid client secret")


def test_reset_forgets_cohorts_and_segments(fake: FakeBraze, client: CheckedClient) -> None:
    seed(client)
    client.put("/_harness/segments/dormant", json=DORMANT)
    fake.reset()
    assert client.get("/_harness/cohorts").get_json() == {"cohorts": []}
    assert client.get("/_harness/segments").get_json()["segments"] == {}
