"""Catalogs of a workspace: their fields and items, as state (Braze's rules live in `service/catalog_rules.py`).

A Braze catalog is a table: a name, a description, typed fields (`id` first, a string) and items keyed by
their id (get_list_catalogs.md, post_create_catalog.md). `CatalogConfig` declares one in the configuration,
so it exists from the start and again, empty, after every reset; `Catalog` is one as the fake holds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["FIELD_TYPES", "Catalog", "CatalogConfig", "CatalogField", "catalog_time"]

FIELD_TYPES = ("string", "number", "boolean", "time", "object", "array")
"""The field types of post_create_catalog.md's example (and of Segment's catalog hook)."""


@dataclass(frozen=True, slots=True)
class CatalogField:
    name: str
    type: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type}


def _fields(value: Any) -> tuple[CatalogField, ...]:
    """Fields given as `{"Name": "string"}`, `[{"name": "Name", "type": "string"}]` or CatalogFields; `id`
    (a string) comes first whether or not it was given."""
    if isinstance(value, Mapping):
        items: Iterable[Any] = [CatalogField(str(k), str(v)) for k, v in value.items()]
    else:
        items = value or ()
    fields: list[CatalogField] = []
    for item in items:
        if isinstance(item, CatalogField):
            fields.append(item)
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str) and isinstance(item.get("type"), str):
            fields.append(CatalogField(item["name"], item["type"]))
        else:
            raise ValueError(f"a catalog field is {{'name': ..., 'type': ...}}, not {item!r}")
    if not fields or fields[0].name != "id":
        fields.insert(0, CatalogField("id", "string"))
    return tuple(fields)


@dataclass(frozen=True, slots=True)
class CatalogConfig:
    """A catalog declared up front: `CatalogConfig("restaurants", {"Name": "string", "Rating": "number"})`.

    `fields` takes a mapping of name to type, a list of Braze's `{"name", "type"}` objects, or CatalogFields;
    the `id` field is added first when missing. The service checks names and types as `POST /catalogs` does.
    """

    name: str
    fields: tuple[CatalogField, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _fields(self.fields))

    @classmethod
    def coerce(cls, value: Any) -> CatalogConfig:
        """A CatalogConfig, a Braze catalog object (`{"name", "description", "fields"}`) or a bare name."""
        if isinstance(value, CatalogConfig):
            return value
        if isinstance(value, str):
            return cls(value)
        if isinstance(value, Mapping) and isinstance(value.get("name"), str):
            unknown = set(value) - {"name", "fields", "description"}
            if unknown:
                raise ValueError(f"unknown catalog key(s) {', '.join(sorted(unknown))}: use name, fields, description")
            return cls(value["name"], value.get("fields") or (), str(value.get("description") or ""))
        raise ValueError(f"a catalog is a CatalogConfig, a name, or {{'name': ..., 'fields': [...]}}, not {value!r}")


@dataclass(slots=True)
class Catalog:
    """One catalog as the fake holds it: definition and items (each item's fields without its id)."""

    name: str
    description: str
    fields: tuple[CatalogField, ...]
    created_at: datetime
    updated_at: datetime
    items: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def declared(cls, config: CatalogConfig, now: datetime) -> Catalog:
        return cls(config.name, config.description, config.fields, now, now)

    @property
    def field_types(self) -> dict[str, str]:
        return {f.name: f.type for f in self.fields}

    def item(self, item_id: str) -> dict[str, Any] | None:
        """The item as Braze's GET answers it (`{"id": ..., **fields}`), or None."""
        values = self.items.get(item_id)
        return None if values is None else {"id": item_id, **values}

    def to_json(self) -> dict[str, Any]:
        """Braze's catalog object (get_list_catalogs.md)."""
        return {
            "description": self.description,
            "fields": [f.to_json() for f in self.fields],
            "name": self.name,
            "num_items": len(self.items),
            "updated_at": catalog_time(self.updated_at),
        }


def catalog_time(moment: datetime) -> str:
    """`2022-11-02T20:04:06.879+00:00`, the format of get_list_catalogs.md's `updated_at`."""
    m = moment
    date_part = f"{m.year:04d}-{m.month:02d}-{m.day:02d}"
    return f"{date_part}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond // 1000:03d}+00:00"
