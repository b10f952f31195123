"""Catalog management (get_list_catalogs.md, post_create_catalog.md, delete_catalog.md): create, list, delete,
Braze's catalog errors, declared catalogs, read-back from Python and the control plane."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import CatalogConfig, FakeBraze, FakeBrazeConfig, WorkspaceConfig
from harness.braze.service.catalog_rules import DEFINITION_MESSAGES
from harness.braze.service.limits import CATALOG_MAX_DESCRIPTION, CATALOG_MAX_FIELDS, CATALOG_MAX_NAME
from harness.clock import FixedClock
from tests.braze.contract_check import CheckedClient

AUTH = {"Authorization": "Bearer k"}
ID = {"name": "id", "type": "string"}


def catalog(name: str = "restaurants", *fields: dict[str, str], **extra: Any) -> dict[str, Any]:
    """A POST /catalogs body (post_create_catalog.md's example shape)."""
    body = {"name": name, "description": "My Restaurants", "fields": [ID, *fields], **extra}
    return {"catalogs": [{k: v for k, v in body.items() if v is not ...}]}


@pytest.fixture
def fake(clock: FixedClock) -> FakeBraze:
    return FakeBraze(clock=clock)


@pytest.fixture
def http(fake: FakeBraze) -> CheckedClient:
    return CheckedClient(fake)


def create(http: CheckedClient, body: Any) -> tuple[int, Any]:
    response = http.post("/catalogs", json=body, headers=AUTH)
    return response.status_code, response.get_json()


def error_ids(body: dict[str, Any]) -> list[str]:
    return [e["id"] for e in body["errors"]]


# -- create, list, delete -------------------------------------------------------------------------------------
def test_create_answers_201_with_the_catalog_and_lists_it(http: CheckedClient) -> None:
    status, body = create(
        http, catalog("restaurants", {"name": "Name", "type": "string"}, {"name": "Rating", "type": "number"})
    )
    assert status == 201
    assert body == {
        "catalogs": [
            {
                "description": "My Restaurants",
                "fields": [ID, {"name": "Name", "type": "string"}, {"name": "Rating", "type": "number"}],
                "name": "restaurants",
                "num_items": 0,
                "updated_at": "2024-03-10T12:00:00.000+00:00",
            }
        ],
        "message": "success",
    }
    listed = http.get("/catalogs", headers=AUTH)
    assert listed.status_code == 200 and listed.get_json() == body


def test_every_documented_field_type_is_taken(http: CheckedClient) -> None:
    types = ["string", "number", "boolean", "time", "object", "array"]
    status, _ = create(http, catalog("typed", *({"name": f"f_{t}", "type": t} for t in types)))
    assert status == 201


def test_delete_removes_the_catalog_and_its_items(fake: FakeBraze, http: CheckedClient) -> None:
    create(http, catalog("restaurants", {"name": "Name", "type": "string"}))
    http.put("/catalogs/restaurants/items/r1", json={"items": [{"Name": "A"}]}, headers=AUTH)
    response = http.delete("/catalogs/restaurants", headers=AUTH)
    assert (response.status_code, response.get_json()) == (200, {"message": "success"})
    assert fake.catalogs() == []
    again = http.delete("/catalogs/restaurants", headers=AUTH)
    assert again.status_code == 404
    assert again.get_json() == {
        "message": "Invalid Request",
        "errors": [
            {
                "id": "catalog-not-found",
                "message": "Could not find catalog",
                "parameters": ["catalog_name"],
                "parameter_values": ["restaurants"],
            }
        ],
    }


def test_segments_catalog_hook_body_creates_the_catalog(fake: FakeBraze, http: CheckedClient) -> None:
    """upsertCatalogItem's onMappingSave ("Create a new catalog") sends `description: ''` and `id` first."""
    body = {"catalogs": [{"name": "products", "description": "", "fields": [ID, {"name": "Name", "type": "string"}]}]}
    assert create(http, body)[0] == 201
    products = fake.catalog("products")
    assert products is not None and [f.name for f in products.fields] == ["id", "Name"]


# -- POST /catalogs errors ------------------------------------------------------------------------------------
def test_a_second_catalog_with_the_same_name_is_documented_example(http: CheckedClient) -> None:
    create(http, catalog("restaurants"))
    status, body = create(http, catalog("restaurants"))
    assert status == 400
    assert body == {
        "errors": [
            {
                "id": "catalog-name-already-exists",
                "message": "A catalog with that name already exists",
                "parameters": ["name"],
                "parameter_values": ["restaurants"],
            }
        ],
        "message": "Invalid Request",
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"catalogs": []}, ["catalog-array-invalid"]),
        ({"catalogs": "restaurants"}, ["catalog-array-invalid"]),
        ({}, ["catalog-array-invalid"]),
        ({"catalogs": ["restaurants"]}, ["catalog-array-invalid"]),
        ({"catalogs": [catalog("a")["catalogs"][0], catalog("b")["catalogs"][0]]}, ["too-many-catalog-atoms"]),
        (catalog("my restaurants"), ["invalid-catalog-name"]),
        (catalog(""), ["invalid-catalog-name"]),
        (catalog("x" * (CATALOG_MAX_NAME + 1)), ["catalog-name-too-large"]),
        (catalog("r", description="d" * (CATALOG_MAX_DESCRIPTION + 1)), ["description-too-long"]),
        (catalog("r", description=5), ["catalog-array-invalid"]),
        ({"catalogs": [{"name": "r", "description": "", "fields": "id"}]}, ["invalid-fields"]),
        ({"catalogs": [{"name": "r", "description": ""}]}, ["invalid-fields"]),
        ({"catalogs": [{"name": "r", "description": "", "fields": [{"name": "Name"}]}]}, ["invalid-fields"]),
        (
            {"catalogs": [{"name": "r", "description": "", "fields": [{"name": "Name", "type": "string"}]}]},
            ["id-not-first-column"],
        ),
        (
            {"catalogs": [{"name": "r", "description": "", "fields": [{"name": "id", "type": "number"}]}]},
            ["id-not-first-column"],
        ),
        (
            catalog("r", {"name": "Name", "type": "string"}, {"name": "Name", "type": "number"}),
            ["field-names-not-unique"],
        ),
        (catalog("r", {"name": "N" * 251, "type": "string"}), ["field-names-too-large"]),
        (catalog("r", {"name": "first name", "type": "string"}), ["invalid-field-names"]),
        (catalog("r", {"name": "Name", "type": "integer"}), ["invalid-field-types"]),
        (catalog("r", *({"name": f"f{i}", "type": "string"} for i in range(CATALOG_MAX_FIELDS))), ["too-many-fields"]),
        (
            catalog("bad name", {"name": "bad name", "type": "text"}),
            ["invalid-catalog-name", "invalid-field-names", "invalid-field-types"],
        ),
    ],
)
def test_create_refusals_use_the_documented_error_ids(http: CheckedClient, body: Any, expected: list[str]) -> None:
    status, answer = create(http, body)
    assert status == 400 and answer["message"] == "Invalid Request"
    assert error_ids(answer) == expected
    assert all(e["message"] == DEFINITION_MESSAGES[e["id"]] for e in answer["errors"])
    assert http.get("/catalogs", headers=AUTH).get_json()["catalogs"] == []


def test_a_missing_description_is_taken_as_empty_with_a_warning(fake: FakeBraze) -> None:
    reply = fake.call("/catalogs", {"catalogs": [{"name": "r", "fields": [ID]}]}, api_key="k")
    assert reply.status == 201 and reply.body["catalogs"][0]["description"] == ""
    assert [n.code for n in reply.notes] == ["catalog.description_missing"]


def test_unknown_keys_are_ignored_and_noted(fake: FakeBraze) -> None:
    reply = fake.call("/catalogs", {**catalog("r", colour="red"), "extra": 1}, api_key="k")
    assert reply.status == 201
    assert [(n.code, n.text) for n in reply.notes] == [
        ("request.unknown_fields", "unknown key(s) ignored: extra, catalogs[0].colour")
    ]


def test_catalogs_are_kept_per_workspace(clock: FixedClock) -> None:
    fake = FakeBraze(
        clock=clock, workspaces=(WorkspaceConfig("a", api_keys=("ka",)), WorkspaceConfig("b", api_keys=("kb",)))
    )
    assert fake.call("/catalogs", catalog("shared"), api_key="ka").status == 201
    assert fake.call("/catalogs", catalog("shared"), api_key="kb").status == 201  # another workspace's name
    assert [c.name for c in fake.catalogs("a")] == ["shared"] == [c.name for c in fake.catalogs("b")]


# -- declared catalogs (the zero-config choice) ---------------------------------------------------------------
def test_zero_config_has_no_catalog_so_items_answer_catalog_not_found(fake: FakeBraze) -> None:
    reply = fake.call("/catalogs/products/items/sku-1", {"items": [{"Name": "Shoe"}]}, method="PUT", api_key="k")
    assert reply.status == 404 and error_ids(reply.body) == ["catalog-not-found"]
    assert "POST /catalogs" in reply.headers["X-Harness-Detail"]
    assert [n.code for n in reply.notes] == ["catalog.not_found"]


@pytest.mark.parametrize(
    "declared",
    [
        CatalogConfig("products", {"Name": "string", "Price": "number"}),
        {"name": "products", "fields": [ID, {"name": "Name", "type": "string"}, {"name": "Price", "type": "number"}]},
        {"name": "products", "fields": {"Name": "string", "Price": "number"}},
    ],
)
def test_declared_catalogs_exist_from_the_start_and_again_after_reset(declared: Any, clock: FixedClock) -> None:
    fake = FakeBraze(clock=clock, catalogs=(declared,))
    [products] = fake.catalogs()
    assert [(f.name, f.type) for f in products.fields] == [("id", "string"), ("Name", "string"), ("Price", "number")]
    put = fake.call(
        "/catalogs/products/items/sku-1", {"items": [{"Name": "Shoe", "Price": 5}]}, method="PUT", api_key="k"
    )
    assert put.status == 200
    fake.reset()
    assert [c.name for c in fake.catalogs()] == ["products"] and fake.catalog_items("products") == {}


def test_a_bare_name_declares_a_catalog_with_only_id(clock: FixedClock) -> None:
    fake = FakeBraze(FakeBrazeConfig(clock=clock, catalogs="tags"))  # one name, not its letters
    [tags] = fake.catalogs()
    assert tags.name == "tags" and [f.name for f in tags.fields] == ["id"]


def test_workspace_config_declares_catalogs_of_its_own(clock: FixedClock) -> None:
    fake = FakeBraze(clock=clock, workspaces=(WorkspaceConfig("eu", api_keys=("k",), catalogs=("menus",)),))
    assert [c.name for c in fake.catalogs("eu")] == ["menus"] and fake.catalogs() == []


@pytest.mark.parametrize(
    ("declared", "match"),
    [
        ("my products", "invalid-catalog-name"),
        (CatalogConfig("p", {"Name": "text"}), "invalid-field-types"),
        (
            {"name": "p", "fields": [{"name": "Name", "type": "string"}, {"name": "Name", "type": "string"}]},
            "field-names-not-unique",
        ),
    ],
)
def test_a_declaration_braze_would_refuse_fails_at_once(declared: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        FakeBraze(catalogs=(declared,))


def test_declaring_one_catalog_twice_fails_at_once() -> None:
    with pytest.raises(ValueError, match="more than once"):
        FakeBraze(catalogs=("p", "p"))


def test_declare_catalog_from_python_follows_post_catalogs(fake: FakeBraze) -> None:
    created = fake.declare_catalog("products", {"Name": "string"}, description="From a test")
    assert (created.name, created.description) == ("products", "From a test")
    with pytest.raises(ValueError, match="catalog-name-already-exists"):
        fake.declare_catalog("products")
    fake.reset()
    assert fake.catalogs() == []  # unlike configured catalogs, gone on reset


# -- control plane ----------------------------------------------------------------------------------------------
def test_control_plane_declares_and_reads_catalogs_with_their_items(fake: FakeBraze, http: CheckedClient) -> None:
    declared = http.post("/_harness/catalogs", json={"name": "products", "fields": {"Name": "string"}})
    assert declared.status_code == 201
    assert declared.get_json()["catalogs"][0]["name"] == "products"
    http.put("/catalogs/products/items/sku-1", json={"items": [{"Name": "Shoe"}]}, headers=AUTH)
    listed = http.get("/_harness/catalogs").get_json()
    assert listed["workspace"] == "default"
    assert listed["catalogs"][0]["items"] == [{"id": "sku-1", "Name": "Shoe"}]
    assert listed["catalogs"][0]["num_items"] == 1
    one = http.get("/_harness/catalogs/products").get_json()
    assert one["catalogs"] == listed["catalogs"]
    assert http.get("/_harness/catalogs/nope").status_code == 404
    assert http.post("/_harness/catalogs", json={"name": "products"}).status_code == 400  # already exists
    assert http.post("/_harness/catalogs", json={"fields": []}).status_code == 400
    assert http.get("/_harness/catalogs?workspace=nope").status_code == 404
    assert fake.journal.entries()[-1].path == "/catalogs/products/items/sku-1"  # control requests are not journaled


def test_state_holds_catalogs_and_their_items(fake: FakeBraze) -> None:
    fake.declare_catalog("products", {"Name": "string"})
    fake.call("/catalogs/products/items/a", {"items": [{"Name": "A"}]}, method="PUT", api_key="k")
    [state] = fake.state()["workspaces"]["default"]["catalogs"]
    assert (state["name"], state["items"]) == ("products", {"a": {"Name": "A"}})
    copy = FakeBraze()
    copy.load_state(fake.state())  # the snapshot keeps catalogs (and sends) exactly
    assert copy.catalog_items("products") == fake.catalog_items("products")
    assert copy.state() == fake.state()


def test_read_back_returns_copies(fake: FakeBraze) -> None:
    fake.declare_catalog("products", {"Name": "string"})
    fake.call("/catalogs/products/items/a", {"items": [{"Name": "A"}]}, method="PUT", api_key="k")
    fake.catalog_items("products")["a"]["Name"] = "changed"
    products = fake.catalog("products")
    assert products is not None
    products.items.clear()
    assert fake.catalog_items("products") == {"a": {"id": "a", "Name": "A"}}
    with pytest.raises(KeyError, match="no catalog 'nope'"):
        fake.catalog_items("nope")
