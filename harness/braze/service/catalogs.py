"""`GET /catalogs`, `POST /catalogs`, `DELETE /catalogs/{catalog_name}`: Braze's catalog management endpoints.

Sources: catalog_management/synchronous/get_list_catalogs.md, post_create_catalog.md, delete_catalog.md (braze-docs
`_docs/_api/endpoints/catalogs/`). Answers:
- `GET /catalogs`: 200 `{"catalogs": [{description, fields, name, num_items, updated_at}], "message": "success"}`,
  every catalog of the workspace (no pagination is documented);
- `POST /catalogs`: one catalog object per request; 201 with the created catalog (`num_items: 0`), or 400 with the
  documented error ids (see `catalog_rules`). Segment's catalog hook (`onMappingSave`, "Create a new catalog")
  sends `{"catalogs": [{name, description: "", fields: [{name: "id", type: "string"}, ...]}]}`;
- `DELETE /catalogs/{catalog_name}`: 200 `{"message": "success"}`, the catalog and its items gone, or 404
  `catalog-not-found`.
All three share one rate limit (50 requests per minute, `limits.RATE_LIMITS["catalogs"]`). Choice where Braze is
silent: a missing `description` is taken as "" with a journal warning (the API page calls it required, the
dashboard's create page optional).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from harness.braze.model.catalogs import Catalog, CatalogConfig
from harness.braze.model.notes import Code, Note
from harness.braze.model.store import Store, Workspace
from harness.braze.service.call import Call, Endpoint
from harness.braze.service.catalog_rules import DEFINITION_MESSAGES, Problems, catalog_not_found, check_definition
from harness.braze.service.errors import CatalogRequestError
from harness.braze.service.outcome import Outcome

__all__ = [
    "CATALOG_ERROR_CONTRACT",
    "ENDPOINTS",
    "SUCCESS",
    "create_catalog",
    "declare_catalog",
    "delete_catalog",
    "list_catalogs",
]

CATALOG_ERROR_CONTRACT = "braze/catalog-error.response"
SUCCESS: dict[str, Any] = {"message": "success"}


def list_catalogs(call: Call) -> Outcome:
    workspace = call.keyed_workspace
    with call.store.lock:
        catalogs = [c.to_json() for c in workspace.catalogs.values()]
    return Outcome(200, {"catalogs": catalogs, "message": "success"})


def create_catalog(call: Call) -> Outcome:
    workspace = call.keyed_workspace
    with call.store.lock:
        catalog, notes = _create(workspace, call.body, call.now)
    return Outcome(201, {"catalogs": [catalog.to_json()], "message": "success"}, notes)


def _create(workspace: Workspace, body: Any, now: datetime) -> tuple[Catalog, list[Note]]:
    problems = Problems(DEFINITION_MESSAGES)
    catalogs = body.get("catalogs") if isinstance(body, dict) else None
    config: CatalogConfig | None = None
    notes: list[Note] = []
    if not isinstance(catalogs, list) or not catalogs:
        problems.add("catalog-array-invalid", "catalogs", detail="the body must be {'catalogs': [one catalog object]}")
    elif len(catalogs) > 1:
        problems.add("too-many-catalog-atoms", "catalogs", detail=f"{len(catalogs)} catalog objects; one per request")
    else:
        config, notes = check_definition(catalogs[0], workspace.catalogs, problems)
    extra = sorted(set(body) - {"catalogs"}) if isinstance(body, dict) else []
    if isinstance(catalogs, list) and catalogs and isinstance(catalogs[0], dict):
        extra += [f"catalogs[0].{k}" for k in sorted(set(catalogs[0]) - {"name", "description", "fields"})]
    if extra:
        notes.append(Note(Code.REQUEST_UNKNOWN_FIELDS, None, f"unknown key(s) ignored: {', '.join(extra)}"))
    taken = [e["id"] for e in problems.errors()] == ["catalog-name-already-exists"]
    problems.raise_if_any(Code.CATALOG_NAME_TAKEN if taken else Code.CATALOG_INVALID_DEFINITION)
    if config is None:  # pragma: no cover - check_definition reports a problem whenever it returns None
        raise CatalogRequestError([], code=Code.CATALOG_INVALID_DEFINITION)
    catalog = Catalog.declared(config, now)
    workspace.catalogs[catalog.name] = catalog
    return catalog, notes


def declare_catalog(store: Store, workspace: Workspace, config: CatalogConfig, now: datetime) -> Catalog:
    """Create a catalog from Python or the control plane, by the rules of `POST /catalogs` (CatalogRequestError
    with Braze's error objects when they refuse it)."""
    fields = [f.to_json() for f in config.fields]
    body = {"catalogs": [{"name": config.name, "description": config.description, "fields": fields}]}
    with store.lock:
        catalog, _ = _create(workspace, body, now)
    return catalog


def delete_catalog(call: Call) -> Outcome:
    workspace = call.keyed_workspace
    name = call.params["catalog_name"]
    with call.store.lock:
        if workspace.catalogs.pop(name, None) is None:
            raise catalog_not_found(name)
    return Outcome(200, dict(SUCCESS))


ENDPOINTS = (
    Endpoint(
        "/catalogs",
        "catalogs",
        None,
        list_catalogs,
        method="GET",
        success=200,
        body="none",
        response_contract="braze/catalogs.response",
        error_contract=CATALOG_ERROR_CONTRACT,
    ),
    Endpoint(
        "/catalogs",
        "catalogs",
        "braze/catalogs.request",
        create_catalog,
        response_contract="braze/catalogs.response",
        error_contract=CATALOG_ERROR_CONTRACT,
    ),
    Endpoint(
        "/catalogs/{catalog_name}",
        "catalogs",
        None,
        delete_catalog,
        method="DELETE",
        success=200,
        body="none",
        response_contract="braze/catalog-success.response",
        error_contract=CATALOG_ERROR_CONTRACT,
    ),
)
