"""The fake's state as JSON and back, exactly: what `GET /_harness/state` shows and `POST /_harness/state` loads.

A snapshot holds every workspace (its configuration: instance, REST API keys, data import key, onboarding
date), every profile with all it keeps (identifiers, standard and custom attributes, event and purchase
summaries with their per-day counts, push tokens, devices, subscription groups), cohorts with their
members, saved segments, the data import key's state, and where the braze_id sequence stands. Loading it
into a fake gives the same state again (a property test checks the round trip), so a fake beside a dev
environment can be saved, reloaded and shared. Contract: `contracts/braze/harness-state.json`.
The journal and the rate-limit counters are not state in this sense and are not kept.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from harness.braze.model.catalogs import Catalog, CatalogConfig, CatalogField
from harness.braze.model.cohorts import Cohort
from harness.braze.model.config import WorkspaceConfig
from harness.braze.model.keys import DataImportKey
from harness.braze.model.messaging import Delivery as MessageDelivery
from harness.braze.model.messaging import TriggerConfig, TriggeredSend
from harness.braze.model.profiles import EventStats, Profile
from harness.braze.model.store import Counter, Store, Workspace

__all__ = ["FORMAT", "VERSION", "dump_profile", "dump_store", "dump_workspace", "load_workspaces"]

FORMAT = "segment-braze-harness/state"
VERSION = 1


def dump_store(store: Store, instance: str) -> dict[str, Any]:
    """The store as JSON (call under the store's lock)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "instance": instance,
        "next_id": store.ids.value,
        "workspaces": {name: dump_workspace(ws) for name, ws in store.workspaces.items()},
    }


def load_workspaces(data: dict[str, Any]) -> tuple[list[Workspace], int]:
    """Workspaces (and the next braze_id number) from a snapshot already checked against its contract."""
    ids = Counter(int(data["next_id"]))
    loaded = []
    for name, raw in data["workspaces"].items():
        workspace = Workspace(_load_config(name, raw["config"]), ids)
        for profile in raw["users"]:
            workspace.add_profile(_load_profile(profile))
        workspace.cohorts = {c["cohort_id"]: _load_cohort(c) for c in raw["cohorts"]}
        workspace.saved_segments = dict(raw["saved_segments"])
        workspace.catalogs = {c["name"]: _load_catalog(c) for c in raw.get("catalogs", ())}
        workspace.sends = [_load_send(s) for s in raw.get("sends", ())]
        key = raw["data_import_key"]
        workspace.data_import = DataImportKey(key["current"], key["managed"], key["generation"], list(key["retired"]))
        loaded.append(workspace)
    return loaded, ids.value


# -- out ---------------------------------------------------------------------------------------------------
def _time(moment: datetime) -> str:
    return moment.isoformat()


def dump_workspace(workspace: Workspace) -> dict[str, Any]:
    config = workspace.config
    key = workspace.data_import
    return {
        "config": {
            "instance": config.instance,
            "api_keys": list(config.api_keys),
            "data_import_key": config.data_import_key,
            "onboarded": config.onboarded.isoformat() if config.onboarded else None,
            "catalogs": [
                {"name": c.name, "description": c.description, "fields": [f.to_json() for f in c.fields]}
                for c in config.catalogs
            ],
            "campaigns": [{"id": t.id, "status": t.status, "name": t.name} for t in config.campaigns],
            "canvases": [{"id": t.id, "status": t.status, "name": t.name} for t in config.canvases],
        },
        "users": [dump_profile(p) for p in workspace.profiles.values()],
        "cohorts": [
            {
                "cohort_id": c.cohort_id,
                "name": c.name,
                "created_at": c.created_at,
                "member_ids": sorted(c.member_ids),
            }
            for c in workspace.cohorts.values()
        ],
        "saved_segments": dict(workspace.saved_segments),
        "catalogs": [_dump_catalog(c) for c in workspace.catalogs.values()],
        "sends": [_dump_send(s) for s in workspace.sends],
        "data_import_key": {
            "current": key.current,
            "managed": key.managed,
            "generation": key.generation,
            "retired": list(key.retired),
        },
    }


def _dump_stats(stats: dict[str, EventStats]) -> dict[str, Any]:
    return {
        name: {
            "count": s.count,
            "first": _time(s.first) if s.first else None,
            "last": _time(s.last) if s.last else None,
            "daily": {day.isoformat(): n for day, n in sorted(s.daily.items())},
        }
        for name, s in stats.items()
    }


def dump_profile(profile: Profile) -> dict[str, Any]:
    return {
        "braze_id": profile.braze_id,
        "created_at": _time(profile.created_at),
        "updated_at": _time(profile.updated_at),
        "external_id": profile.external_id,
        "aliases": dict(profile.aliases),
        "standard": dict(profile.standard),
        "custom_attributes": dict(profile.custom_attributes),
        "custom_events": _dump_stats(profile.custom_events),
        "purchases": _dump_stats(profile.purchases),
        "total_revenue": profile.total_revenue,
        "push_tokens": [dict(t) for t in profile.push_tokens],
        "device_ids": list(profile.device_ids),
        "subscription_groups": dict(profile.subscription_groups),
    }


# -- in ----------------------------------------------------------------------------------------------------
def _load_config(name: str, raw: dict[str, Any]) -> WorkspaceConfig:
    onboarded = raw.get("onboarded")
    return WorkspaceConfig(
        name,
        instance=raw["instance"],
        api_keys=tuple(raw.get("api_keys", ())),
        data_import_key=raw.get("data_import_key"),
        onboarded=date.fromisoformat(onboarded) if onboarded else None,
        catalogs=tuple(CatalogConfig.coerce(c) for c in raw.get("catalogs", ())),
        campaigns=tuple(TriggerConfig.coerce(t) for t in raw.get("campaigns", ())),
        canvases=tuple(TriggerConfig.coerce(t) for t in raw.get("canvases", ())),
    )


def _load_stats(raw: dict[str, Any]) -> dict[str, EventStats]:
    return {
        name: EventStats(
            count=s["count"],
            first=datetime.fromisoformat(s["first"]) if s["first"] else None,
            last=datetime.fromisoformat(s["last"]) if s["last"] else None,
            days={date.fromisoformat(day): n for day, n in s["daily"].items()},
        )
        for name, s in raw.items()
    }


def _load_profile(raw: dict[str, Any]) -> Profile:
    return Profile(
        braze_id=raw["braze_id"],
        created_at=datetime.fromisoformat(raw["created_at"]),
        updated_at=datetime.fromisoformat(raw["updated_at"]),
        external_id=raw["external_id"],
        aliases=dict(raw["aliases"]),
        standard=dict(raw["standard"]),
        custom_attributes=dict(raw["custom_attributes"]),
        custom_events=_load_stats(raw["custom_events"]),
        purchases=_load_stats(raw["purchases"]),
        total_revenue=float(raw["total_revenue"]),
        push_tokens=[dict(t) for t in raw["push_tokens"]],
        device_ids=list(raw["device_ids"]),
        subscription_groups=dict(raw["subscription_groups"]),
    )


def _dump_catalog(catalog: Catalog) -> dict[str, Any]:
    return {
        "name": catalog.name,
        "description": catalog.description,
        "fields": [f.to_json() for f in catalog.fields],
        "created_at": _time(catalog.created_at),
        "updated_at": _time(catalog.updated_at),
        "items": {item_id: dict(values) for item_id, values in catalog.items.items()},
    }


def _load_catalog(raw: dict[str, Any]) -> Catalog:
    return Catalog(
        raw["name"],
        raw["description"],
        tuple(CatalogField(f["name"], f["type"]) for f in raw["fields"]),
        datetime.fromisoformat(raw["created_at"]),
        datetime.fromisoformat(raw["updated_at"]),
        {item_id: dict(values) for item_id, values in raw["items"].items()},
    )


def _dump_send(send: TriggeredSend) -> dict[str, Any]:
    return {
        "dispatch_id": send.dispatch_id,
        "kind": send.kind,
        "trigger_id": send.trigger_id,
        "at": _time(send.at),
        "broadcast": send.broadcast,
        "properties": dict(send.properties),
        "deliveries": [
            {**asdict(d), "properties": dict(d.properties) if d.properties is not None else None}
            for d in send.deliveries
        ],
        "send_id": send.send_id,
        "audience": send.audience,
        "attachments": [dict(a) for a in send.attachments],
        "status": send.status,
        "notice": send.notice,
    }


def _dump_delivery(delivery: MessageDelivery) -> dict[str, Any]:
    properties = dict(delivery.properties) if delivery.properties is not None else None
    return {**asdict(delivery), "properties": properties}


def _load_send(raw: dict[str, Any]) -> TriggeredSend:
    return TriggeredSend(
        dispatch_id=raw["dispatch_id"],
        kind=raw["kind"],
        trigger_id=raw["trigger_id"],
        at=datetime.fromisoformat(raw["at"]),
        broadcast=raw["broadcast"],
        properties=dict(raw["properties"]),
        deliveries=tuple(MessageDelivery(**d) for d in raw["deliveries"]),
        send_id=raw["send_id"],
        audience=raw["audience"],
        attachments=tuple(dict(a) for a in raw["attachments"]),
        status=raw["status"],
        notice=raw["notice"],
    )


def _load_cohort(raw: dict[str, Any]) -> Cohort:
    return Cohort(raw["cohort_id"], raw["name"], raw["created_at"], set(raw["member_ids"]))
