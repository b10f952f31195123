"""Catalog items: `PUT|DELETE|GET /catalogs/{catalog_name}/items/{item_id}` (synchronous, one item) and bulk
`PUT|DELETE /catalogs/{catalog_name}/items` (asynchronous, up to 50), the endpoints Segment's `upsertCatalogItem`
calls (upsert and delete, single and batched).

Sources (braze-docs `_docs/_api/endpoints/catalogs/catalog_items/`):
- PUT one (synchronous/put_update_catalog_item.md): "If the `item_id` isn't found, this endpoint will create the
  item"; the body is `{"items": [one object]}` with fields of the catalog and no `id` (`id-in-body`); 200
  `{"message": "success"}`;
- DELETE one (synchronous/delete_catalog_item.md): "There is no request body for this endpoint" (Segment sends
  `{"items": [{}]}`; any body is ignored); 202 `{"message": "success"}`, or `item-not-found`;
- GET one (synchronous/get_catalog_item_details.md): 200 `{"items": [{"id", ...fields}], "message": "success"}`;
- bulk PUT (asynchronous/put_update_catalog_items.md): items replaced, or created when missing; 202;
- bulk DELETE (asynchronous/delete_catalog_items_bulk.md): 202.
A request that breaks a rule changes nothing: 400 with every error found (`catalog_rules`), or 404
`catalog-not-found` / `item-not-found`. Segment's batch code then marks the items named in `parameter_values` as
400 and the rest of the batch as 500, or all 404 for `catalog-not-found` (upsertCatalogItem/utils.js).

Choices where Braze is silent: asynchronous changes are visible at once (nothing documents a delay); PUT replaces
the whole item (fields not sent are no longer set, and GET shows only the fields set); a bulk DELETE of ids the
catalog does not have answers 202 (only the single DELETE documents `item-not-found`) and notes them; a single
DELETE or GET of a malformed id answers `item-not-found` (their pages list no id errors); `catalog-not-found` is
checked first, then every other rule at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.braze.model.catalogs import Catalog
from harness.braze.model.notes import Code, Note
from harness.braze.model.store import Workspace
from harness.braze.service.call import Call, Endpoint
from harness.braze.service.catalog_rules import (
    SINGLE_ITEM_TOO_MANY,
    Problems,
    catalog_not_found,
    check_item_id,
    check_values,
    item_not_found,
)
from harness.braze.service.catalogs import CATALOG_ERROR_CONTRACT, SUCCESS
from harness.braze.service.limits import CATALOG_ITEMS_PER_BULK_REQUEST, CATALOG_ITEMS_PER_SINGLE_REQUEST
from harness.braze.service.outcome import Outcome

__all__ = ["ENDPOINTS", "delete_item", "delete_items", "get_item", "put_item", "put_items"]

ITEM_PATH = "/catalogs/{catalog_name}/items/{item_id}"
ITEMS_PATH = "/catalogs/{catalog_name}/items"


def _catalog(workspace: Workspace, name: str) -> Catalog:
    catalog = workspace.catalogs.get(name)
    if catalog is None:
        raise catalog_not_found(name)
    return catalog


def _items(body: Any, problems: Problems, limit: int) -> list[dict[str, Any]]:
    """The body's `items` when it is an array of 1 to `limit` objects; else its problems added and []."""
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        problems.add("item-array-invalid", "items", detail="the body must be {'items': [item objects]}")
        return []
    if len(items) > limit:
        message = SINGLE_ITEM_TOO_MANY if limit == CATALOG_ITEMS_PER_SINGLE_REQUEST else ""
        detail = f"{len(items)} items; at most {limit} per request"
        problems.add("request-includes-too-many-items", "items", detail=detail, message=message)
        return []
    return items


# -- one item (synchronous) -----------------------------------------------------------------------------------
def put_item(call: Call) -> Outcome:
    """Create or replace one item."""
    workspace, item_id = call.keyed_workspace, call.params["item_id"]
    with call.store.lock:
        catalog = _catalog(workspace, call.params["catalog_name"])
        problems = Problems()
        check_item_id(item_id, problems, parameter="item_id", where="item_id", not_string="ids-not-string")
        stored: dict[str, Any] = {}
        notes: list[Note] = []
        for item in _items(call.body, problems, CATALOG_ITEMS_PER_SINGLE_REQUEST):
            if "id" in item:
                detail = f"items[0] has an id ({item['id']!r}); the id is the path's ({item_id!r})"
                problems.add("id-in-body", "id", item["id"], detail=detail)
            values = {k: v for k, v in item.items() if k != "id"}
            stored, notes = check_values(catalog, values, item_id, problems, "items[0]")
        problems.raise_if_any()
        catalog.items[item_id] = stored
        catalog.updated_at = call.now
    return Outcome(200, dict(SUCCESS), notes)


def delete_item(call: Call) -> Outcome:
    workspace, item_id = call.keyed_workspace, call.params["item_id"]
    with call.store.lock:
        catalog = _catalog(workspace, call.params["catalog_name"])
        if catalog.items.pop(item_id, None) is None:
            raise item_not_found(catalog.name, item_id)
        catalog.updated_at = call.now
    return Outcome(202, dict(SUCCESS))


def get_item(call: Call) -> Outcome:
    workspace, item_id = call.keyed_workspace, call.params["item_id"]
    with call.store.lock:
        catalog = _catalog(workspace, call.params["catalog_name"])
        item = catalog.item(item_id)
        if item is None:
            raise item_not_found(catalog.name, item_id)
    return Outcome(200, {"items": [item], "message": "success"})


# -- many items (asynchronous) -----------------------------------------------------------------------------------
def _ids(items: list[dict[str, Any]], problems: Problems, not_string: str) -> list[Any]:
    """Each item's id (None when it has none), every id problem added."""
    seen: set[str] = set()
    ids: list[Any] = []
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if "id" not in item:
            problems.add("items-missing-ids", None, detail=f"{where} has no id")
            ids.append(None)
            continue
        item_id = item["id"]
        check_item_id(item_id, problems, parameter="id", where=where, not_string=not_string)
        if isinstance(item_id, str):
            if item_id in seen:
                problems.add("ids-not-unique", "id", item_id, detail=f"{where}: the id {item_id!r} is sent twice")
            seen.add(item_id)
        ids.append(item_id)
    return ids


def put_items(call: Call) -> Outcome:
    """Create or replace up to 50 items, all or none."""
    workspace = call.keyed_workspace
    with call.store.lock:
        catalog = _catalog(workspace, call.params["catalog_name"])
        problems = Problems()
        items = _items(call.body, problems, CATALOG_ITEMS_PER_BULK_REQUEST)
        ids = _ids(items, problems, "ids-not-string")
        replaced: list[tuple[str, dict[str, Any]]] = []
        notes: list[Note] = []
        for index, (item, item_id) in enumerate(zip(items, ids, strict=True)):
            if item_id is None:
                continue
            values = {k: v for k, v in item.items() if k != "id"}
            stored, found = check_values(catalog, values, item_id, problems, f"items[{index}]")
            replaced.append((item_id, stored))
            notes += found
        problems.raise_if_any()
        for item_id, stored in replaced:
            catalog.items[item_id] = stored
        catalog.updated_at = call.now
    return Outcome(202, dict(SUCCESS), notes)


def delete_items(call: Call) -> Outcome:
    """Delete up to 50 items, all or none (ids the catalog does not have are noted)."""
    workspace = call.keyed_workspace
    with call.store.lock:
        catalog = _catalog(workspace, call.params["catalog_name"])
        problems = Problems()
        ids = _ids(_items(call.body, problems, CATALOG_ITEMS_PER_BULK_REQUEST), problems, "ids-not-strings")
        problems.raise_if_any()
        notes: list[Note] = []
        for index, item_id in enumerate(ids):
            if catalog.items.pop(item_id, None) is None:
                text = f"catalog {catalog.name!r} has no item {item_id!r}; nothing deleted (Braze answers 202 anyway)"
                notes.append(Note(Code.CATALOG_DELETE_UNKNOWN_ITEM, f"items[{index}]", text, subject=item_id))
        catalog.updated_at = call.now
    return Outcome(202, dict(SUCCESS), notes)


def _endpoint(
    path: str, group: str, method: str, service: Callable[[Call], Outcome], success: int, **kw: Any
) -> Endpoint:
    return Endpoint(
        path, group, method=method, service=service, success=success, error_contract=CATALOG_ERROR_CONTRACT, **kw
    )


ENDPOINTS = (
    _endpoint(
        ITEM_PATH, "catalogs.items", "PUT", put_item, 200,
        contract="braze/catalog-item.request", response_contract="braze/catalog-success.response",
    ),
    _endpoint(
        ITEM_PATH, "catalogs.items", "DELETE", delete_item, 202,
        contract=None, body="none", response_contract="braze/catalog-success.response",
    ),
    _endpoint(
        ITEM_PATH, "catalogs.items", "GET", get_item, 200,
        contract=None, body="none", response_contract="braze/catalog-item.response",
    ),
    _endpoint(
        ITEMS_PATH, "catalogs.items.bulk", "PUT", put_items, 202,
        contract="braze/catalog-items.request", response_contract="braze/catalog-success.response",
    ),
    _endpoint(
        ITEMS_PATH, "catalogs.items.bulk", "DELETE", delete_items, 202,
        contract="braze/catalog-items-delete.request", response_contract="braze/catalog-success.response",
    ),
)  # fmt: skip
