"""Segment's real upsertCatalogItem, triggerCampaign and triggerCanvas code against the fake, replayed without Node.

`fixtures/braze/segment/` holds what Segment's published code (@segment/action-destinations 3.497.0, run by
../shared/oracle and `hooks.js`) sent to a zero-config `braze-harness serve`, each request with the fake's answer
and what Segment's code made of it (`python fixtures/braze/segment/regenerate.py` records it again). Here every
recorded request goes through `FakeBraze.call` in the recorded order: the fake must still answer each one as
recorded, so Segment's reading of those answers (checked below) still holds.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from harness.braze import FakeBraze
from harness.clock import FixedClock

HERE = Path(__file__).resolve().parent.parent.parent / "fixtures" / "braze" / "segment"
HOST = "rest.iad-01.braze.com"
KEY = "test-api-key"


@cache
def _recorded(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (HERE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line]


def _exchanges() -> list[tuple[str, dict[str, Any]]]:
    """(step or case name, request with its recorded response), in the order they were sent."""
    out: list[tuple[str, dict[str, Any]]] = []
    for name in ("hooks-setup", "cases", "hooks-readback"):
        for line in _recorded(name):
            out += [(line.get("name") or line["step"], request) for request in line["requests"]]
    return out


def _steady(body: Any) -> Any:
    """The body without wall-clock times (`updated_at` of catalogs)."""
    if isinstance(body, dict):
        return {k: "<time>" if k == "updated_at" else _steady(v) for k, v in body.items()}
    if isinstance(body, list):
        return [_steady(v) for v in body]
    return body


@pytest.fixture(scope="module")
def replayed() -> tuple[FakeBraze, list[tuple[str, dict[str, Any], int, Any]]]:
    fake = FakeBraze(clock=FixedClock("2024-03-01T12:00:05Z"))
    answers = []
    for name, request in _exchanges():
        host = urlsplit(request["url"]).netloc if "url" in request else HOST
        reply = fake.call(request["path"], request["body"], method=request["method"], api_key=KEY, host=host)
        answers.append((name, request, reply.status, reply.body))
    return fake, answers


def test_the_fake_answers_every_recorded_segment_request_as_recorded(
    replayed: tuple[FakeBraze, list[tuple[str, dict[str, Any], int, Any]]],
) -> None:
    _, answers = replayed
    assert len(answers) == 24
    for name, request, status, body in answers:
        recorded = request["response"]
        assert (status, _steady(body)) == (recorded["status"], _steady(recorded["body"])), (
            f"{name}: {request['method']} {request['path']} is answered differently now; "
            "re-record with fixtures/braze/segment/regenerate.py if the change is meant"
        )


SEGMENT_OUTCOMES: dict[str, tuple[Any, list[tuple[int, str | None]]]] = {
    "catalog: upsert one item": (None, []),
    "catalog: upsert one item with a time and a numeric string": (None, []),
    "catalog: upsert one item with a field the catalog lacks (invalid-fields)": (
        ("Some of the fields given do not exist in the catalog", 400),
        [],
    ),
    "catalog: upsert one item into a catalog nobody created (catalog-not-found)": (("Could not find catalog", 404), []),
    "catalog: delete one item": (None, []),
    "catalog: delete one item that is not there (item-not-found, success for Segment)": (None, []),
    "catalog: upsert a batch": (None, [(200, None)] * 3),
    "catalog: a batch with one item the catalog cannot take (400 for it, 500 for the rest)": (
        None,
        [
            (400, "Item types can't be converted"),
            (500, "Item with ID sku-7 could not be processed due to invalid catalog items in the batch request."),
        ],
    ),
    "catalog: a batch with an id Segment itself refuses": (None, [(400, "Invalid ID Format"), (200, None)]),
    "catalog: a batch for a catalog nobody created (404 for every item)": (
        None,
        [(404, "Catalog not found. Please create a catalog first.")] * 2,
    ),
    "catalog: delete a batch (one id unknown)": (None, [(200, None)] * 3),
    "campaign: one recipient created by its attributes": (None, []),
    "campaign: a recipient Braze does not know (send_to_existing_only)": (None, []),
    "campaign: by email with a prioritization": (None, []),
    "campaign: a recipient named twice (external_user_id and email)": (
        ("Each recipient must include exactly one of external_user_id, user_alias, braze_id or email", 400),
        [],
    ),
    "campaign: broadcast": (None, []),
    "campaign: broadcast with attachments": (
        ("If broadcast is set to true, then the attachments list cannot be included", 400),
        [],
    ),
    "canvas: one recipient with the mapping's alias defaults (user_alias {})": (None, []),
    "canvas: broadcast": (None, []),
}


def test_segment_read_every_answer_as_recorded() -> None:
    """What Segment's code made of the fake's answers: no failure of its own (a TypeError, an unread body), only
    the errors and per-event statuses Braze's answers call for."""
    outcomes = {}
    for case in _recorded("cases"):
        error = case["error"]
        outcomes[case["name"]] = (
            (error["message"], error["status"]) if error else None,
            [(m["status"], m.get("errormessage")) for m in case.get("multistatus") or []],
        )
    assert outcomes == SEGMENT_OUTCOMES


def test_segments_catalog_hook_and_dynamic_fields_read_the_answers() -> None:
    results = {line["step"]: line["result"] for line in _recorded("hooks-setup") + _recorded("hooks-readback")}
    assert results == {
        "create the catalog (onMappingSave, Create a new catalog)": {
            "successMessage": "Catalog created successfully",
            "savedData": {"catalog_name": "products"},
        },
        "create it again (catalog-name-already-exists)": {
            "error": {"message": "A catalog with that name already exists", "code": "ERROR"}
        },
        "create one with a name Braze refuses (invalid-catalog-name)": {
            "error": {
                "message": "Catalog name can only include letters, numbers, hyphens, and underscores",
                "code": "ERROR",
            }
        },
        "catalog names (Select an existing catalog)": {
            "choices": [{"label": "products", "value": "products", "type": "string", "description": ""}]
        },
        "item keys of the catalog": {
            "choices": [
                {"label": "Name", "value": "Name"},
                {"label": "Price", "value": "Price"},
                {"label": "Updated", "value": "Updated"},
            ]
        },
    }


def test_the_replay_leaves_the_catalog_and_the_sends_segment_asked_for(
    replayed: tuple[FakeBraze, list[tuple[str, dict[str, Any], int, Any]]],
) -> None:
    fake, _ = replayed
    assert fake.catalog_items("products") == {
        "sku-2": {"id": "sku-2", "Name": "Hat", "Price": 7, "Updated": "2024-03-01T12:00:00.000Z"},
        "sku-1": {"id": "sku-1", "Name": "Shoe", "Price": 12.5},
        "sku-8": {"id": "sku-8", "Name": "Tie", "Price": 3},
    }
    sends = fake.sends()
    assert [(s.kind, s.trigger_id, s.broadcast, s.external_ids) for s in sends] == [
        ("campaign", "campaign-1", False, ("u1",)),
        ("campaign", "campaign-1", False, ()),
        ("campaign", "campaign-1", False, ("u1",)),
        ("campaign", "campaign-2", True, ()),
        ("canvas", "canvas-1", False, ("u1",)),
        ("canvas", "canvas-1", True, ()),
    ]
    assert sends[0].recipients[0].properties == {"order_id": "o-1", "tier": "gold"}
    assert sends[1].skipped[0].reason == "send.recipient_unknown"
    assert sends[4].recipients[0].properties == {"cart": "c-1", "step": 1}
    user = fake.user("u1")
    assert user is not None and user.custom_attributes == {"plan": "pro"}
    assert user.standard["email"] == "ada@example.com"
