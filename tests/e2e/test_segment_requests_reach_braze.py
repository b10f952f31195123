"""Every request in the golden corpus (what Segment's real code sends) delivered to the fake Braze.

The corpus holds realistic and hostile events. Most reach Braze cleanly; the rest are refused the way
Braze refuses them, and that list is pinned here with the reason, so a change in the translator or in
the fake's rules shows up as a diff of this table rather than silently.
"""

from __future__ import annotations

import contextlib
import json
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from harness.braze import STANDARD_KEYS, FakeBraze
from harness.resources import fixtures_dir
from tests.braze.support import check_response

GOLDEN = fixtures_dir() / "golden"

REFUSED = {
    ("batch", 2): (400, "every attributes object of the batch lacks an identifier"),
    ("batch", 13): (201, "a batch keeps name '' (single events drop it); Braze rejects that one event"),
    ("catalog", 23): (404, "catalog name '..' resolves the URL to /items/sku-1, a path Braze does not serve"),
    ("cohorts", 6): (401, "no client_secret: Invalid client secret"),
    ("generated", 14): (400, "event property names '' / '$…' and values over 255 characters"),
    ("hostile", 13): (400, "a whitespace-only email is not a valid email"),
    ("hostile", 14): (400, "a trait named '' becomes a custom attribute with no name"),
    ("hostile", 16): (400, "event property values over 255 characters"),
    ("hostile", 18): (400, "price '1e999' coerces to null; Braze needs a number"),
    ("identify", 16): (400, "gender 'nonbinary' passes through Segment; Braze knows M/F/O/N/P only"),
    ("identify", 18): (400, "gender 1 becomes '1'"),
    ("identify", 27): (400, "current_location with only a latitude"),
    ("purchase", 11): (400, "a product currency null becomes '' (not USD)"),
    ("purchase", 15): (400, "80 products in one single event: one request of 80 purchases, over Braze's 75"),
    ("settings", 9): (401, "no api_key: 'Authorization: Bearer' with no key"),
    ("settings", 12): (401, "api_key '' trims to 'Bearer'"),
    ("catalog", 3): (
        404,
        "DELETE of an item the catalog never had: item-not-found (Segment's code takes it as success)",
    ),
    ("catalog", 4): (
        404,
        "DELETE of an item the catalog never had: item-not-found (Segment's code takes it as success)",
    ),
    ("catalog", 15): (
        404,
        "DELETE of an item the catalog never had: item-not-found (Segment's code takes it as success)",
    ),
    ("catalog", 16): (
        404,
        "catalog 'my products': a name with a space, which Braze refuses to create: catalog-not-found",
    ),
    ("catalog", 17): (
        404,
        "catalog 'produits-été': letters outside [A-Za-z0-9_-], which Braze refuses: catalog-not-found",
    ),
    ("catalog", 18): (404, "catalog 'a?b': the '?' starts a query string in the URL Segment builds: catalog-not-found"),
    ("catalog", 19): (405, "a catalog name with a '/' makes the URL /catalogs/a, which takes no PUT"),
    ("catalog", 21): (404, "catalog '[object Object]' (Segment's code stringified an object): catalog-not-found"),
    ("catalog", 24): (
        404,
        "DELETE of an item the catalog never had: item-not-found (Segment's code takes it as success)",
    ),
    ("catalog", 29): (
        404,
        "DELETE of an item the catalog never had: item-not-found (Segment's code takes it as success)",
    ),
    ("catalog", 30): (400, "an item mapping with an 'id' key: the single-item PUT refuses it (id-in-body)"),
    ("segment-tests-braze-actions", 83): (
        400,
        "Segment maps both external_user_id and email: the docs say 'Requests must specify only one'",
    ),
    ("segment-tests-braze-actions", 84): (
        400,
        "Segment maps both external_user_id and email: the docs say 'Requests must specify only one'",
    ),
    ("segment-tests-braze-actions", 105): (
        404,
        "Segment's test deletes an item nobody created: item-not-found (a success for Segment)",
    ),
    ("segment-tests-braze-actions", 106): (
        404,
        "Segment's test deletes an item nobody created: item-not-found (a success for Segment)",
    ),
    ("trigger-campaign", 5): (
        400,
        "a recipient with both external_user_id and email: 'Requests must specify only one'",
    ),
    ("trigger-campaign", 6): (
        400,
        "a recipient with both external_user_id and email: 'Requests must specify only one'",
    ),
    ("trigger-campaign", 14): (400, "a recipient by email without prioritization, which the docs require"),
    ("trigger-campaign", 17): (
        400,
        "broadcast with attachments: 'If broadcast is set to true, then the attachments list cannot be included'",
    ),
    ("trigger-campaign", 29): (
        400,
        "a recipient with both external_user_id and email: 'Requests must specify only one'",
    ),
    ("trigger-campaign", 40): (400, "a user_alias with an extra key, which is not a user alias object"),
    ("trigger-canvas", 8): (400, "a recipient with both external_user_id and email: 'Requests must specify only one'"),
    ("trigger-canvas", 14): (400, "a recipient by email without prioritization, which the docs require"),
    ("trigger-canvas", 24): (
        400,
        "send_to_existing_only false without attributes: 'an attributes object must be included'",
    ),
    ("trigger-edges", 5): (
        400,
        "broadcast with attachments: 'If broadcast is set to true, then the attachments list cannot be included'",
    ),
}


@cache
def golden_requests() -> list[tuple[str, int, dict[str, Any]]]:
    found = []
    for cases_file in sorted((GOLDEN / "cases").glob("*.json")):
        expected = (GOLDEN / "expected" / f"{cases_file.stem}.jsonl").read_text(encoding="utf-8").split("\n")
        for index, line in enumerate(filter(None, expected)):
            requests = json.loads(line)["requests"]
            found.extend((cases_file.stem, index, r) for r in requests)
    return found


_TYPES = {bool: "boolean", int: "number", float: "number", str: "string", dict: "object", list: "array"}


def _declare_catalog_of(fake: FakeBraze, request: dict[str, Any]) -> None:
    """A catalog with the fields its items carry, as Segment's mapping-save hook would have created it."""
    parts = request["path"].split("/")
    if len(parts) < 3 or parts[1] != "catalogs" or fake.catalog(parts[2]) is not None:
        return
    items = request["body"].get("items") if isinstance(request["body"], dict) else None
    fields: dict[str, str] = {}
    for item in items if isinstance(items, list) else ():
        for key, value in item.items() if isinstance(item, dict) else ():
            if key != "id" and value is not None:
                fields.setdefault(key, _TYPES.get(type(value), "string"))
    with contextlib.suppress(ValueError):  # a name Braze refuses: the request meets catalog-not-found, as it would
        fake.declare_catalog(parts[2], fields)


def deliver(fake: FakeBraze, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    auth = request["headers"].get("authorization")
    _declare_catalog_of(fake, request)
    reply = fake.call(
        request["path"],
        request["body"],
        method=request["method"],
        host=urlsplit(request["url"]).netloc,
        headers={"Authorization": auth} if auth else {},
    )
    check_response(request["path"], reply.status, reply.body, request["method"])
    return reply.status, reply.body


def test_the_corpus_is_large() -> None:
    assert len(golden_requests()) > 200
    assert len({topic for topic, _, _ in golden_requests()}) >= 12


def test_segments_requests_reach_braze_or_are_refused_for_a_known_reason() -> None:
    refused: dict[tuple[str, int], int] = {}
    fakes: dict[tuple[str, int], FakeBraze] = {}
    for topic, index, request in golden_requests():
        fake = fakes.setdefault((topic, index), FakeBraze())  # one workspace per case, as the oracle ran them
        status, body = deliver(fake, request)
        assert status < 500
        if status >= 300 or body.get("errors"):
            refused[(topic, index)] = status
    assert refused == {key: status for key, (status, _) in REFUSED.items()}


def test_identify_traits_land_as_custom_attributes() -> None:
    fake = FakeBraze()
    [request] = [r for topic, i, r in golden_requests() if (topic, i) == ("identify", 0)]
    deliver(fake, request)
    [attributes] = request["body"]["attributes"]
    user = fake.user(attributes["external_id"])
    assert user is not None
    sent_custom = {k: v for k, v in attributes.items() if k not in STANDARD_KEYS and v is not None}
    assert len(sent_custom) >= 3
    assert user.custom_attributes == sent_custom
    assert user.standard["first_name"] == attributes["first_name"]
