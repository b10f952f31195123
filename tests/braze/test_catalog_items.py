"""Catalog items, one (synchronous) and many (asynchronous): create or replace, delete, read, and every documented
rule with its error id (put_update_catalog_item.md, delete_catalog_item.md, get_catalog_item_details.md,
put_update_catalog_items.md, delete_catalog_items_bulk.md). A refused request changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import CatalogConfig, FakeBraze
from harness.braze.service.catalog_rules import ITEM_MESSAGES
from harness.braze.service.limits import (
    CATALOG_ITEMS_PER_BULK_REQUEST,
    CATALOG_MAX_ITEM_CHARS,
    CATALOG_MAX_ITEM_ID,
    CATALOG_MAX_NESTING,
)
from harness.clock import FixedClock
from tests.braze.contract_check import CheckedClient

AUTH = {"Authorization": "Bearer k"}
FIELDS = {"Name": "string", "Rating": "number", "Open": "boolean", "Opened": "time", "Menu": "object", "Tags": "array"}
ONE = "/catalogs/restaurants/items/{}"
MANY = "/catalogs/restaurants/items"


@pytest.fixture
def fake(clock: FixedClock) -> FakeBraze:
    return FakeBraze(clock=clock, catalogs=(CatalogConfig("restaurants", FIELDS),))


@pytest.fixture
def http(fake: FakeBraze) -> CheckedClient:
    return CheckedClient(fake)


def send(http: CheckedClient, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    response = http.open(method, path, json=body, headers=AUTH)
    return response.status_code, response.get_json()


def errors(body: dict[str, Any]) -> dict[str, list[Any]]:
    """error id -> parameter_values; every message Braze's (or the documented choice)."""
    assert body["message"] == "Invalid Request"
    for error in body["errors"]:
        if error["id"] != "items-missing-ids":
            assert error["message"] in (ITEM_MESSAGES[error["id"]], "Only one item object is allowed per request")
    return {e["id"]: e["parameter_values"] for e in body["errors"]}


def items(fake: FakeBraze) -> dict[str, dict[str, Any]]:
    return fake.catalog_items("restaurants")


# -- one item ---------------------------------------------------------------------------------------------------
def test_put_creates_then_replaces_an_item(fake: FakeBraze, http: CheckedClient) -> None:
    assert send(http, "PUT", ONE.format("r1"), {"items": [{"Name": "Le Bistro", "Rating": 5}]}) == (
        200,
        {"message": "success"},
    )
    assert send(http, "PUT", ONE.format("r1"), {"items": [{"Name": "Bistro"}]})[0] == 200
    assert items(fake) == {"r1": {"id": "r1", "Name": "Bistro"}}  # replaced whole: Rating no longer set
    restaurants = fake.catalog("restaurants")
    assert restaurants is not None and restaurants.to_json()["num_items"] == 1


def test_get_answers_the_item_with_its_id(http: CheckedClient) -> None:
    send(http, "PUT", ONE.format("r1"), {"items": [{"Name": "Le Bistro", "Opened": "2022-11-01T09:03:19.967+00:00"}]})
    assert send(http, "GET", ONE.format("r1")) == (
        200,
        {"items": [{"id": "r1", "Name": "Le Bistro", "Opened": "2022-11-01T09:03:19.967Z"}], "message": "success"},
    )


def test_get_and_delete_of_an_unknown_item_answer_item_not_found(http: CheckedClient) -> None:
    expected = {
        "errors": [
            {
                "id": "item-not-found",
                "message": "Could not find item",
                "parameters": ["item_id"],
                "parameter_values": ["r34"],
            }
        ],
        "message": "Invalid Request",
    }
    assert send(http, "GET", ONE.format("r34")) == (404, expected)
    assert send(http, "DELETE", ONE.format("r34")) == (404, expected)
    assert send(http, "GET", ONE.format("bad%20id"))[1]["errors"][0]["id"] == "item-not-found"


def test_delete_answers_202_and_ignores_segments_body(fake: FakeBraze, http: CheckedClient) -> None:
    """delete_catalog_item.md: "There is no request body"; Segment sends `{"items": [{}]}` anyway."""
    send(http, "PUT", ONE.format("r1"), {"items": [{"Name": "A"}]})
    assert send(http, "DELETE", ONE.format("r1"), {"items": [{}]}) == (202, {"message": "success"})
    assert items(fake) == {}
    send(http, "PUT", ONE.format("r2"), {"items": [{"Name": "B"}]})
    response = http.open("DELETE", ONE.format("r2"), data=b"not json", headers={**AUTH, "Content-Type": "text/plain"})
    assert response.status_code == 202 and items(fake) == {}


def test_every_item_endpoint_answers_catalog_not_found_first(http: CheckedClient) -> None:
    for method, path, body in (
        ("PUT", "/catalogs/nope/items/bad id", {"items": "x"}),
        ("GET", "/catalogs/nope/items/r1", None),
        ("DELETE", "/catalogs/nope/items/r1", None),
        ("PUT", "/catalogs/nope/items", {"items": []}),
        ("DELETE", "/catalogs/nope/items", {"items": []}),
    ):
        status, body = send(http, method, path, body)
        assert (status, errors(body)) == (404, {"catalog-not-found": ["nope"]}), (method, path)


@pytest.mark.parametrize(
    ("item_id", "body", "expected"),
    [
        ("r 1", {"items": [{"Name": "A"}]}, {"invalid-ids": ["r 1"]}),
        ("ü", {"items": [{"Name": "A"}]}, {"invalid-ids": ["ü"]}),
        ("r" * (CATALOG_MAX_ITEM_ID + 1), {"items": [{"Name": "A"}]}, {"ids-too-large": ["r" * 251]}),
        ("r1", {"items": [{"id": "r1", "Name": "A"}]}, {"id-in-body": ["r1"]}),
        ("r1", {"items": [{"Name": "A"}, {"Name": "B"}]}, {"request-includes-too-many-items": []}),
        ("r1", {"items": []}, {"item-array-invalid": []}),
        ("r1", {"items": ["A"]}, {"item-array-invalid": []}),
        ("r1", {"item": [{"Name": "A"}]}, {"item-array-invalid": []}),
        ("r1", ["A"], {"item-array-invalid": []}),
        ("r1", {"items": [{"Name": "A", "Cuisine": "French"}]}, {"invalid-fields": ["r1"]}),
        ("r1", {"items": [{"Menu": {"a.b": 1}}]}, {"invalid-keys-in-value-object": ["r1"]}),
        ("r1", {"items": [{"Menu": {"x": [{"$y": 1}]}}]}, {"invalid-keys-in-value-object": ["r1"]}),
        ("r1", {"items": [{"Rating": "five"}]}, {"unable-to-coerce-value": ["r1"]}),
        ("r1", {"items": [{"Open": "yes"}]}, {"unable-to-coerce-value": ["r1"]}),
        ("r1", {"items": [{"Opened": "yesterday"}]}, {"unable-to-coerce-value": ["r1"]}),
        ("r1", {"items": [{"Menu": ["a"]}]}, {"unable-to-coerce-value": ["r1"]}),
        ("r1", {"items": [{"Tags": "a"}]}, {"unable-to-coerce-value": ["r1"]}),
        ("r1", {"items": [{"Name": ["a"]}]}, {"unable-to-coerce-value": ["r1"]}),
        ("r1", {"items": [{"Name": "x" * CATALOG_MAX_ITEM_CHARS}]}, {"items-too-large": ["r1"]}),
        (
            "r 1",
            {"items": [{"id": "x", "Cuisine": "French", "Rating": "five"}]},
            {"invalid-ids": ["r 1"], "id-in-body": ["x"], "invalid-fields": ["r 1"], "unable-to-coerce-value": ["r 1"]},
        ),
    ],
)
def test_put_one_refusals_use_the_documented_error_ids(
    fake: FakeBraze, http: CheckedClient, item_id: str, body: Any, expected: dict[str, list[Any]]
) -> None:
    status, answer = send(http, "PUT", ONE.format(item_id.replace(" ", "%20")), body)
    assert (status, errors(answer)) == (400, expected)
    assert items(fake) == {}


def test_the_documented_invalid_fields_example(http: CheckedClient) -> None:
    status, body = send(http, "PUT", ONE.format("restaurant1"), {"items": [{"Name": "R", "City": "New York"}]})
    assert (status, body) == (
        400,
        {
            "errors": [
                {
                    "id": "invalid-fields",
                    "message": "Some of the fields given do not exist in the catalog",
                    "parameters": ["id"],
                    "parameter_values": ["restaurant1"],
                }
            ],
            "message": "Invalid Request",
        },
    )


def nested(depth: int) -> Any:
    """`depth` levels of objects around a number."""
    value: Any = 1
    for _ in range(depth):
        value = {"k": value}
    return value


@pytest.mark.parametrize(("depth", "status"), [(CATALOG_MAX_NESTING, 200), (CATALOG_MAX_NESTING + 1, 400)])
def test_values_nest_at_most_50_levels(http: CheckedClient, depth: int, status: int) -> None:
    """ "Item objects can't have more than 50 levels of nesting": an object value is one level, each inner one more."""
    reply, body = send(http, "PUT", ONE.format("r1"), {"items": [{"Menu": nested(depth)}]})
    assert reply == status
    if status == 400:
        assert errors(body) == {"too-deep-nesting-in-value-object": ["r1"]}


def test_an_item_of_exactly_5000_characters_is_taken(http: CheckedClient) -> None:
    overhead = len('{"Name":""}')
    assert (
        send(http, "PUT", ONE.format("r1"), {"items": [{"Name": "x" * (CATALOG_MAX_ITEM_CHARS - overhead)}]})[0] == 200
    )
    assert (
        send(http, "PUT", ONE.format("r1"), {"items": [{"Name": "x" * (CATALOG_MAX_ITEM_CHARS - overhead + 1)}]})[0]
        == 400
    )


@pytest.mark.parametrize(
    ("field", "sent", "stored"),
    [
        ("Name", "Bistro", "Bistro"),
        ("Name", 5, "5"),
        ("Name", True, "true"),
        ("Rating", 4.5, 4.5),
        ("Rating", "4.5", 4.5),
        ("Rating", "7", 7),
        ("Open", True, True),
        ("Open", "false", False),
        ("Opened", "2024-03-01T13:00:00+01:00", "2024-03-01T12:00:00.000Z"),
        ("Opened", "2024-03-01", "2024-03-01T00:00:00.000Z"),
        ("Menu", {"starter": ["soup"]}, {"starter": ["soup"]}),
        ("Tags", ["a", 1], ["a", 1]),
        ("Rating", None, None),
    ],
)
def test_values_are_kept_when_they_convert_without_loss(
    fake: FakeBraze, http: CheckedClient, field: str, sent: Any, stored: Any
) -> None:
    reply = fake.call(ONE.format("r1"), {"items": [{field: sent}]}, method="PUT", api_key="k")
    assert reply.status == 200
    assert items(fake)["r1"][field] == stored and type(items(fake)["r1"][field]) is type(stored)
    converted = [n.code for n in reply.notes]
    assert converted == ([] if sent == stored and type(sent) is type(stored) else ["catalog.value_coerced"])


def test_the_trailing_slash_of_segments_batch_url_is_the_bulk_endpoint(fake: FakeBraze, http: CheckedClient) -> None:
    assert send(http, "PUT", MANY + "/", {"items": [{"id": "r1", "Name": "A"}]}) == (202, {"message": "success"})
    assert list(items(fake)) == ["r1"]


# -- many items -------------------------------------------------------------------------------------------------
def test_bulk_put_creates_and_replaces_at_once(fake: FakeBraze, http: CheckedClient) -> None:
    send(http, "PUT", ONE.format("r1"), {"items": [{"Name": "Old", "Rating": 1}]})
    body = {"items": [{"id": "r1", "Name": "New"}, {"id": "r2", "Name": "Two", "Tags": ["x"]}]}
    assert send(http, "PUT", MANY, body) == (202, {"message": "success"})
    assert items(fake) == {"r1": {"id": "r1", "Name": "New"}, "r2": {"id": "r2", "Name": "Two", "Tags": ["x"]}}


def test_bulk_delete_removes_and_notes_unknown_ids(fake: FakeBraze, http: CheckedClient) -> None:
    send(http, "PUT", MANY, {"items": [{"id": "r1"}, {"id": "r2"}]})
    reply = fake.call(MANY, {"items": [{"id": "r1"}, {"id": "r9"}]}, method="DELETE", api_key="k")
    assert (reply.status, reply.body) == (202, {"message": "success"})
    assert list(items(fake)) == ["r2"]
    assert [(n.code, n.where, n.subject) for n in reply.notes] == [("catalog.delete_unknown_item", "items[1]", "r9")]


@pytest.mark.parametrize(
    ("method", "body", "expected"),
    [
        ("PUT", {"items": [{"Name": "A"}, {"Name": "B"}, {"id": "r1"}]}, {"items-missing-ids": []}),
        ("PUT", {"items": [{"id": 5}]}, {"ids-not-string": [5]}),
        ("DELETE", {"items": [{"id": 5}]}, {"ids-not-strings": [5]}),
        ("PUT", {"items": [{"id": "r1"}, {"id": "r1"}]}, {"ids-not-unique": ["r1"]}),
        ("DELETE", {"items": [{"id": "r1"}, {"id": "r1"}]}, {"ids-not-unique": ["r1"]}),
        ("PUT", {"items": [{"id": "r 1"}]}, {"invalid-ids": ["r 1"]}),
        ("DELETE", {"items": [{"id": "r" * 251}]}, {"ids-too-large": ["r" * 251]}),
        (
            "PUT",
            {"items": [{"id": f"r{i}"} for i in range(CATALOG_ITEMS_PER_BULK_REQUEST + 1)]},
            {"request-includes-too-many-items": []},
        ),
        (
            "DELETE",
            {"items": [{"id": f"r{i}"} for i in range(CATALOG_ITEMS_PER_BULK_REQUEST + 1)]},
            {"request-includes-too-many-items": []},
        ),
        ("PUT", {"items": []}, {"item-array-invalid": []}),
        ("DELETE", {"items": [["r1"]]}, {"item-array-invalid": []}),
        (
            "PUT",
            {"items": [{"id": "r1", "Cuisine": "x"}, {"id": "r2", "Rating": "x"}, {"id": "r3"}]},
            {"invalid-fields": ["r1"], "unable-to-coerce-value": ["r2"]},
        ),
        ("PUT", {"items": [{"id": "r1", "Menu": {"$bad": 1}}]}, {"invalid-keys-in-value-object": ["r1"]}),
    ],
)
def test_bulk_refusals_use_the_documented_error_ids_and_apply_nothing(
    fake: FakeBraze, http: CheckedClient, method: str, body: Any, expected: dict[str, list[Any]]
) -> None:
    send(http, "PUT", ONE.format("keep"), {"items": [{"Name": "K"}]})
    status, answer = send(http, method, MANY, body)
    assert (status, errors(answer)) == (400, expected)
    assert items(fake) == {"keep": {"id": "keep", "Name": "K"}}


def test_items_missing_ids_counts_them_as_the_documented_example(http: CheckedClient) -> None:
    _, body = send(http, "DELETE", MANY, {"items": [{"Name": "A"}]})
    assert body["errors"] == [
        {
            "id": "items-missing-ids",
            "message": "There are 1 item(s) that do not have ids",
            "parameters": [],
            "parameter_values": [],
        }
    ]
    _, body = send(http, "PUT", MANY, {"items": [{}, {}]})
    assert body["errors"][0]["message"] == "There are 2 item(s) that do not have ids"


def test_50_items_are_taken_in_one_bulk_request(fake: FakeBraze, http: CheckedClient) -> None:
    body = {"items": [{"id": f"r{i}", "Rating": i} for i in range(CATALOG_ITEMS_PER_BULK_REQUEST)]}
    assert send(http, "PUT", MANY, body)[0] == 202
    assert len(items(fake)) == 50
    assert send(http, "DELETE", MANY, {"items": [{"id": f"r{i}"} for i in range(50)]})[0] == 202
    assert items(fake) == {}


def test_refusals_are_journaled_with_their_detail(fake: FakeBraze) -> None:
    reply = fake.call(ONE.format("r1"), {"items": [{"Cuisine": "x"}]}, method="PUT", api_key="k")
    [entry] = fake.requests
    assert entry.method == "PUT" and entry.status == 400
    assert [n.code for n in entry.notes] == ["catalog.invalid_items"]
    assert "'Cuisine' not field(s) of catalog 'restaurants'" in reply.headers["X-Harness-Detail"]


def test_other_methods_on_item_paths_answer_405_listing_the_allowed_ones(fake: FakeBraze) -> None:
    reply = fake.call(ONE.format("r1"), {"items": [{"Name": "A"}]}, method="POST", api_key="k")
    assert reply.status == 405
    assert "allowed: DELETE, GET, PUT" in reply.headers["X-Harness-Detail"]
    assert fake.call(MANY, None, method="GET", api_key="k").status == 405


def test_percent_encoded_ids_reach_the_rules_decoded_in_process_and_over_http(
    fake: FakeBraze, http: CheckedClient
) -> None:
    in_process = fake.call(ONE.format("r%201"), {"items": [{"Name": "A"}]}, method="PUT", api_key="k")
    over_http = send(http, "PUT", ONE.format("r%201"), {"items": [{"Name": "A"}]})
    assert (in_process.status, in_process.body) == over_http
    assert errors(over_http[1]) == {"invalid-ids": ["r 1"]}
