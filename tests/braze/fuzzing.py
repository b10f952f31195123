"""Fuzzing the fake: every endpoint by method and path, its path parameters (valid, odd characters, too long)
and bodies (valid, near-valid, arbitrary JSON, bytes, wrong content types), and the oracle every answer must
satisfy.

The oracle, for one request sent to a fake seeded with a few users, a cohort, a catalog with items and a send:
- no 5xx, and the answer is JSON valid by its contract (`Endpoint.contract_for(status)`);
- state changed only by valid objects: a refused request changes nothing; an accepted /users/track body
  leaves the same state as the same body without the objects its `errors` name, sent to a twin fake;
  any other accepted body is valid by its request contract (endpoints that read no body: any body).
"""

from __future__ import annotations

import copy
import json
import os
import string
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any
from urllib.parse import quote

import orjson
from hypothesis import strategies as st

from harness.braze import FakeBraze, FakeBrazeConfig
from harness.braze.service.endpoints import ENDPOINTS, Endpoint
from harness.clock import FixedClock
from harness.contracts import contract
from harness.testing.strategies.braze import external_ids, track_bodies, user_aliases

__all__ = [
    "ENDPOINTS_BY_KEY",
    "FUZZ_EXAMPLES",
    "KEY",
    "KEYS",
    "Twin",
    "bodies_for",
    "check_answer",
    "content_types",
    "describe",
    "json_text",
    "json_values",
    "mutated",
    "new_fake",
    "raw_bodies",
    "read_body",
    "seed",
    "snapshot",
    "urls_for",
]

FUZZ_EXAMPLES = None if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 15
"""Examples per fuzz test: the profile's under `fuzz` (2,000), else 15 (x 15 tests: the suite stays fast)."""
ENDPOINTS_BY_KEY = {f"{e.method} {e.path}": e for e in ENDPOINTS}
"""Every endpoint by `METHOD path template` (`PUT /catalogs/{catalog_name}/items/{item_id}`)."""
KEYS = tuple(sorted(ENDPOINTS_BY_KEY))
KEY = "fuzz-key"
AUTH = {"partner_api_key": "partner-fuzz", "client_secret": "secret-fuzz"}
NOW = "2024-03-10T12:00:00Z"
FIELD_NAMES = (
    "external_id", "user_alias", "braze_id", "email", "phone", "name", "time", "properties", "product_id",
    "price", "currency", "quantity", "attributes", "events", "purchases", "app_id", "_update_existing_only",
    "_merge_objects", "push_token_import", "push_tokens", "subscription_groups", "dob", "country", "language",
    "time_zone", "gender", "first_name", "cohort_id", "cohort_changes", "user_ids", "device_ids", "aliases",
    "should_remove", "alias_name", "alias_label", "external_ids", "user_aliases", "braze_ids",
    "email_addresses", "phone_numbers", "prioritization", "merge_behavior", "aliases_to_identify",
    "emails_to_identify", "phone_numbers_to_identify", "fields_to_export", "device_id", "email_address",
    "partner_api_key", "client_secret", "created_at", "inc", "add", "remove", "$add", "$remove", "$update",
    "$time", "$identifier_key", "$identifier_value", "$new_object", "current_location", "latitude",
    "items", "id", "catalogs", "description", "fields", "type", "Name", "Price", "Tags", "campaign_id",
    "canvas_id", "send_id", "trigger_properties", "context", "canvas_entry_properties", "broadcast", "audience",
    "recipients", "attachments", "external_user_id", "send_to_existing_only", "file_name", "url",
)  # fmt: skip

# -- values --------------------------------------------------------------------------------------------
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
_KEYS = st.one_of(st.sampled_from(FIELD_NAMES), _TEXT)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
    st.sampled_from(("", "x" * 256, "2024-03-01T00:00:00Z", "u1", "USD", "2024-02-30", "+15555550100", "a@b.co")),
    st.sampled_from(
        ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01", "2024-03-01T12:00:00:1234567Z")
    ),
)


def _nest(depth: int, leaf: Any, as_dict: bool) -> Any:
    for _ in range(depth):
        leaf = {"k": leaf} if as_dict else [leaf]
    return leaf


_DEEP = st.builds(_nest, st.sampled_from((33, 64, 254, 256, 600)), st.just(1), st.booleans())


@cache
def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Arbitrary JSON, with Braze's own field names among the keys so near-misses come up often."""
    return st.recursive(
        st.one_of(_SCALARS, _DEEP),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
        max_leaves=max_leaves,
    )


# -- valid bodies for every endpoint --------------------------------------------------------------------
_IDS = st.lists(external_ids(), min_size=1, max_size=4)
_ALIASES = st.lists(user_aliases(), min_size=1, max_size=3)


def _cohort_changes() -> st.SearchStrategy[list[dict[str, Any]]]:
    change = st.fixed_dictionaries(
        {},
        optional={
            "user_ids": _IDS,
            "device_ids": st.lists(_TEXT.filter(bool), max_size=3),
            "aliases": _ALIASES,
            "should_remove": st.booleans(),
        },
    )
    return st.lists(change, max_size=3)


# -- catalogs and triggered sends ------------------------------------------------------------------------------
CATALOG = "products"
CATALOG_FIELDS = {
    "Name": "string",
    "Price": "number",
    "Tags": "array",
    "Meta": "object",
    "At": "time",
    "Open": "boolean",
}
_NAMES = st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=12)
_ITEM_IDS = st.one_of(st.sampled_from(("sku-1", "sku-2", "new-1")), _NAMES)
_ODD = st.sampled_from(
    ("a b", "ü", "%41", "..", ".", "a/b", "x" * 300, "?", "#", "a.b", "$x", "-", "\\", "'", "é" * 3, "\t", "+")
)
_FIELD_VALUES = {
    "Name": st.one_of(_TEXT, st.integers(-5, 5)),
    "Price": st.one_of(st.floats(-1e6, 1e6), st.integers(-5, 5), st.sampled_from(("12.5", "7"))),
    "Tags": st.lists(_TEXT, max_size=3),
    "Meta": st.dictionaries(_NAMES, _TEXT, max_size=3),
    "At": st.sampled_from(("2024-03-01T00:00:00Z", "2022-11-01T09:03:19.967+00:00", "2024-03-01")),
    "Open": st.one_of(st.booleans(), st.sampled_from(("true", "false"))),
}
_ITEM_FIELDS = st.fixed_dictionaries({}, optional=_FIELD_VALUES)


def _path_params() -> dict[str, st.SearchStrategy[str]]:
    """Mostly the seeded catalog and items (so the rules beyond `catalog-not-found` are reached), else odd ones."""
    others = st.one_of(st.sampled_from(("nope", "other")), _NAMES, _TEXT.filter(bool), _ODD)
    return {
        "catalog_name": st.one_of(st.just(CATALOG), st.just(CATALOG), st.just(CATALOG), others),
        "item_id": st.one_of(_ITEM_IDS, _ITEM_IDS, _TEXT.filter(bool), _ODD),
    }


def _catalog_objects() -> st.SearchStrategy[dict[str, Any]]:
    fields = st.lists(
        st.fixed_dictionaries(
            {"name": _NAMES, "type": st.sampled_from(("string", "number", "boolean", "time", "object", "array"))}
        ),
        max_size=4,
        unique_by=lambda f: f["name"],
    ).map(lambda more: [{"name": "id", "type": "string"}, *[f for f in more if f["name"] != "id"]])
    return st.fixed_dictionaries(
        {"name": st.one_of(st.sampled_from((CATALOG, "new_catalog")), _NAMES), "fields": fields},
        optional={"description": st.text(max_size=40)},
    )


def _items(with_ids: bool, max_size: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    if not with_ids:
        return st.lists(_ITEM_FIELDS, min_size=1, max_size=max_size)
    item = st.builds(lambda item_id, fields: {"id": item_id, **fields}, _ITEM_IDS, _ITEM_FIELDS)
    return st.lists(item, min_size=1, max_size=max_size, unique_by=lambda i: i["id"])


def _recipients(properties_key: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    named = st.one_of(
        st.fixed_dictionaries({"external_user_id": external_ids()}),
        st.fixed_dictionaries({"user_alias": user_aliases()}),
        st.fixed_dictionaries(
            {"email": st.just("a@example.com"), "prioritization": st.just(["identified", "most_recently_updated"])}
        ),
        st.fixed_dictionaries(
            {
                "external_user_id": external_ids(),
                "send_to_existing_only": st.just(False),
                "attributes": st.fixed_dictionaries({"plan": _TEXT}),
            }
        ),
    )
    extra = st.fixed_dictionaries({}, optional={properties_key: st.dictionaries(_NAMES, _TEXT, max_size=2)})
    return st.lists(st.builds(lambda a, b: {**a, **b}, named, extra), min_size=1, max_size=3)


def _trigger_bodies(id_key: str, properties_key: str) -> st.SearchStrategy[dict[str, Any]]:
    common = {id_key: st.sampled_from(("trigger-1", "trigger-2"))}
    optional = {properties_key: st.dictionaries(_NAMES, _TEXT, max_size=2), "send_id": _NAMES}
    return st.one_of(
        st.fixed_dictionaries({**common, "recipients": _recipients(properties_key)}, optional=optional),
        st.fixed_dictionaries({**common, "broadcast": st.just(True)}, optional=optional),
    )


VALID: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "GET /catalogs": lambda: st.just({}),
    "POST /catalogs": lambda: st.fixed_dictionaries({"catalogs": st.lists(_catalog_objects(), min_size=1, max_size=1)}),
    "DELETE /catalogs/{catalog_name}": lambda: st.just({}),
    "PUT /catalogs/{catalog_name}/items/{item_id}": lambda: st.fixed_dictionaries({"items": _items(False, 1)}),
    "DELETE /catalogs/{catalog_name}/items/{item_id}": lambda: st.just({"items": [{}]}),
    "GET /catalogs/{catalog_name}/items/{item_id}": lambda: st.just({}),
    "PUT /catalogs/{catalog_name}/items": lambda: st.fixed_dictionaries({"items": _items(True, 5)}),
    "DELETE /catalogs/{catalog_name}/items": lambda: st.fixed_dictionaries(
        {"items": st.lists(st.fixed_dictionaries({"id": _ITEM_IDS}), min_size=1, max_size=5)}
    ),
    "POST /campaigns/trigger/send": lambda: _trigger_bodies("campaign_id", "trigger_properties"),
    "POST /canvas/trigger/send": lambda: _trigger_bodies("canvas_id", "canvas_entry_properties"),
    "POST /users/track": lambda: track_bodies(max_objects=3),
    "POST /users/export/ids": lambda: st.one_of(
        st.fixed_dictionaries(
            {"external_ids": _IDS}, optional={"fields_to_export": st.just(["email", "custom_events"])}
        ),
        st.fixed_dictionaries({"user_aliases": _ALIASES}),
        st.fixed_dictionaries({"email_address": st.just("a@example.com")}),
    ),
    "POST /users/identify": lambda: st.fixed_dictionaries(
        {
            "aliases_to_identify": st.lists(
                st.fixed_dictionaries({"external_id": external_ids(), "user_alias": user_aliases()}),
                min_size=1,
                max_size=3,
            )
        },
        optional={"merge_behavior": st.sampled_from(("none", "merge"))},
    ),
    "POST /users/alias/new": lambda: st.fixed_dictionaries(
        {
            "user_aliases": st.lists(
                st.fixed_dictionaries(
                    {"alias_name": _TEXT.filter(bool), "alias_label": _TEXT.filter(bool)},
                    optional={"external_id": external_ids()},
                ),
                min_size=1,
                max_size=3,
            )
        }
    ),
    "POST /users/delete": lambda: st.one_of(
        st.fixed_dictionaries({"external_ids": _IDS}),
        st.fixed_dictionaries({"user_aliases": _ALIASES}),
    ),
    "POST /partners/segment/cohorts": lambda: st.fixed_dictionaries(
        {
            **{k: st.just(v) for k, v in AUTH.items()},
            "cohort_id": st.sampled_from(("c1", "c2")),
            "name": _TEXT.filter(bool),
            "created_at": st.just("2024-03-01T00:00:00Z"),
        }
    ),
    "POST /partners/segment/cohorts/users": lambda: st.fixed_dictionaries(
        {
            **{k: st.just(v) for k, v in AUTH.items()},
            "cohort_id": st.sampled_from(("c1", "c2")),
            "cohort_changes": _cohort_changes(),
        }
    ),
}


# -- near-valid: a valid body with a few generic mutations ----------------------------------------------
def _slots(value: Any, parent: Any = None, key: Any = None) -> Iterator[tuple[Any, Any]]:
    """(container, key) of every value in `value`, the root as (None, None)."""
    yield parent, key
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _slots(v, value, k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _slots(v, value, i)


def _confuse(value: Any) -> list[Any]:
    """Values of the wrong shape for where `value` sits."""
    return [None, "", 0, -1, 1.5, True, "x" * 300, [value], {"value": value}, str(value)[:50], 2**64, [], {}]


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[dict[str, Any]]) -> Any:
    body: Any = copy.deepcopy(draw(valid))
    for _ in range(draw(st.integers(1, 3))):
        parent, key = draw(st.sampled_from(list(_slots(body))))
        current = body if parent is None else parent[key]
        op = draw(st.sampled_from(("replace", "confuse", "delete", "insert", "repeat")))
        if op == "replace" or (op == "delete" and parent is None):
            new: Any = draw(json_values(6))
        elif op == "confuse":
            new = draw(st.sampled_from(_confuse(current)))
        elif op == "delete":
            del parent[key]
            continue
        elif op == "insert" and isinstance(current, dict):
            current[draw(_KEYS)] = draw(json_values(4))
            continue
        elif op == "repeat" and isinstance(current, list) and current:
            current.extend(copy.deepcopy(current) * draw(st.sampled_from((2, 80, 1001))))
            continue
        else:
            new = draw(json_values(4))
        if parent is None:
            body = new
        else:
            parent[key] = new
    return body


def json_text(body: Any) -> bytes:
    """JSON text of a body (the json module: integers beyond 64 bits are JSON too)."""
    return json.dumps(body).encode()


def bodies_for(key: str) -> st.SearchStrategy[Any]:
    """Valid, mutated-valid and arbitrary JSON bodies for one endpoint (`METHOD path`)."""
    valid = VALID[key]()
    return st.one_of(valid, mutated(valid), json_values())


@st.composite
def urls_for(draw: st.DrawFn, key: str) -> str:
    """The endpoint's path, its parameters drawn (valid ones, odd characters, too long), percent-encoded."""
    path = ENDPOINTS_BY_KEY[key].path
    for name, values in _path_params().items():
        if f"{{{name}}}" in path:
            path = path.replace(f"{{{name}}}", quote(draw(values, label=name), safe=""))
    if path.endswith("/items") and draw(st.booleans(), label="trailing slash"):
        path += "/"  # Segment's batch URL ends with a slash
    return path


def raw_bodies(key: str) -> st.SearchStrategy[bytes]:
    """Bytes that are not quite a JSON body: random bytes, truncated or padded JSON, odd encodings."""
    text = VALID[key]().map(orjson.dumps)
    return st.one_of(
        st.binary(max_size=200),
        st.builds(lambda b, n: b[:n], text, st.integers(0, 200)),
        st.builds(lambda b, tail: b + tail, text, st.sampled_from((b" x", b",", b"\x00", b"}", b"\xff"))),
        text.map(lambda b: b.decode().encode("utf-16")),
        st.sampled_from((b"NaN", b"[1, Infinity]", b'{"a": 1e400}', b"[" * 2000, b'{"a": "\\ud800"}', b" ")),
    )


def content_types() -> st.SearchStrategy[str | None]:
    return st.sampled_from(
        (
            None,
            "application/json",
            "application/json; charset=latin-1",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/vnd.api+json",
            "text/json",
            "",
            "application/xml",
            "*/*",
        )
    )


# -- the oracle -----------------------------------------------------------------------------------------
def check_answer(endpoint: Endpoint, status: int, payload: Any, sent: str) -> None:
    """No 5xx; a JSON body valid by the contract for its status."""
    where = f"{endpoint.method} {endpoint.path}"
    assert status < 500, f"{where} answered {status} to {sent}: {payload}"
    name = endpoint.contract_for(status)
    assert name is not None
    violations = contract(name).violations(payload)
    assert not violations, f"{where} {status} breaks {name}: {violations}\n{payload}\nfor {sent}"


def read_body(endpoint: Endpoint, data: bytes) -> Any:
    """The body as the fake read it from an accepted request (None for endpoints that read none)."""
    if endpoint.body == "none" or (endpoint.body == "optional" and not data.strip()):
        return None
    return orjson.loads(data)


SEED_REQUESTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "POST",
        "/users/track",
        {
            "attributes": [
                {"external_id": "u1", "email": "a@example.com", "plan": "pro", "tags": ["a"]},
                {"user_alias": {"alias_name": "anon", "alias_label": "segment"}, "_update_existing_only": False},
                {"email": "a@example.com", "first_name": "Anon"},
            ],
            "events": [{"external_id": "u2", "name": "Played", "time": "2024-03-01T00:00:00Z"}],
        },
    ),
    ("POST", "/partners/segment/cohorts", {**AUTH, "cohort_id": "c1", "name": "fans", "created_at": NOW}),
    ("POST", "/partners/segment/cohorts/users", {**AUTH, "cohort_id": "c1", "cohort_changes": [{"user_ids": ["u1"]}]}),
    (
        "POST",
        "/catalogs",
        {
            "catalogs": [
                {
                    "name": CATALOG,
                    "description": "fuzzed",
                    "fields": [
                        {"name": "id", "type": "string"},
                        *({"name": k, "type": v} for k, v in CATALOG_FIELDS.items()),
                    ],
                }
            ]
        },
    ),
    ("PUT", f"/catalogs/{CATALOG}/items", {"items": [{"id": "sku-1", "Name": "Shoe", "Price": 5}, {"id": "sku-2"}]}),
    ("POST", "/campaigns/trigger/send", {"campaign_id": "trigger-1", "recipients": [{"external_user_id": "u1"}]}),
)


def new_fake() -> FakeBraze:
    return FakeBraze(FakeBrazeConfig(clock=FixedClock(NOW), rate_limits={}, journal_max_entries=100))


def seed(fake: FakeBraze) -> None:
    """Reset, then a few users (identified, alias-only, email-only), a cohort, a catalog with two items and a
    triggered send, the same every time."""
    fake.reset()
    for method, path, body in SEED_REQUESTS:
        assert fake.call(path, body, api_key=KEY, method=method).status in (201, 202)


def snapshot(fake: FakeBraze) -> Any:
    """Everything a request may change: profiles, catalogs, sends (in `state()`) and cohorts of every workspace."""
    state = fake.state()
    state["cohorts"] = {ws: [c.to_json() for c in fake.cohorts(ws)] for ws in fake.store.workspaces}
    return state


class Twin:
    """A second seeded fake for the differential check of partly accepted /users/track bodies."""

    def __init__(self) -> None:
        self.fake = new_fake()

    def state_after_valid_part(self, body: dict[str, Any], errors: list[dict[str, Any]]) -> Any:
        seed(self.fake)
        dropped = {(e["input_array"], e["index"]) for e in errors if "index" in e}
        kept = {
            kind: [obj for i, obj in enumerate(items) if (kind, i) not in dropped]
            for kind, items in body.items()
            if isinstance(items, list)
        }
        if any(kept.values()):
            assert self.fake.call("/users/track", raw=json_text(kept), api_key=KEY).status == 201
        return snapshot(self.fake)


def describe(body: Any) -> str:
    text = repr(body)
    return text if len(text) < 600 else text[:600] + "..."
