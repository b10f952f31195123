"""Who is calling: the REST API key → its workspace, on the instance the request reached.

Braze: `Authorization: Bearer YOUR-REST-API-KEY`; 401 "Invalid API key", which "can also occur if
you're sending the request to the incorrect instance" or "the API key syntax is using single or double
quotes" (errors.md). Without the header, the older `api_key` URL parameter and then body field are read:
"As of May 2020 ... Braze will continue to support the `api_key` being passed through the request body and
URL parameters, but will eventually be sunset" (api_key.md, the May 2020 release notes); no page says it
has been.
With no keys configured, any non-empty key is accepted for the default workspace (zero-config).
"""

from __future__ import annotations

from harness.braze.model.config import DEFAULT_WORKSPACE
from harness.braze.model.instances import Instance, instance_named
from harness.braze.model.store import Store, Workspace
from harness.braze.service.errors import Unauthorized

__all__ = ["bearer_key", "workspace_for_key"]

BEARER_SYNTAX = "The correct syntax is `Authorization: Bearer {YOUR-API-KEY}`"


def bearer_key(authorization: str | None, query_key: str | None = None, body_key: object = None) -> str:
    """The REST API key of a request (the header, else the URL's or the body's `api_key`), or a 401 that says
    what is wrong with the header."""
    if not authorization:
        if query_key:
            return query_key
        if isinstance(body_key, str) and body_key:
            return body_key
        raise Unauthorized(detail=f"no Authorization header. {BEARER_SYNTAX}")
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise Unauthorized(detail=f"Authorization header is not a Bearer key. {BEARER_SYNTAX}")
    if key[0] in "'\"" or key[-1] in "'\"":
        raise Unauthorized(detail=f"the API key is wrapped in quotes. {BEARER_SYNTAX}")
    return key


def workspace_for_key(store: Store, key: str, instance: Instance) -> Workspace:
    """The workspace a key belongs to; 401 for an unknown key or a key of another instance."""
    owners = {k: ws.config for ws in store.workspaces.values() for k in ws.config.api_keys}
    if not owners:
        own = store.config.instance
        if store.config.any_key_instances == "own" and instance.name != own:
            raise Unauthorized(
                detail=f"this fake accepts keys of {own} ({instance_named(own).rest_url}) only; "
                f"the request reached {instance.name} ({instance.rest_url})"
            )
        return store.workspace(DEFAULT_WORKSPACE)
    owner = owners.get(key)
    if owner is None:
        raise Unauthorized(detail="unknown REST API key")
    if owner.instance != instance.name:
        raise Unauthorized(
            detail=f"this REST API key belongs to {owner.instance} ({instance_named(owner.instance).rest_url}); "
            f"the request reached {instance.name} ({instance.rest_url})"
        )
    return store.workspace(owner.name)
