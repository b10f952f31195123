"""What an action is (fields, subscription, sync modes, perform / performBatch) and what it gets.

`ActionDef` is the harness's form of an actions-core action definition; `Context` is the bundle a
perform function receives (validated settings, sync mode, the recording client, cohort state).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.js import MISSING
from harness.translate.http import Client

__all__ = ["ActionDef", "Context", "Perform", "PerformBatch", "SyncMode", "clean", "default_mapping"]


@dataclass(frozen=True, slots=True)
class SyncMode:
    """An action's sync-mode setting: its default and allowed values."""

    default: str
    choices: tuple[str, ...]


@dataclass(slots=True)
class Context:
    """What perform / performBatch receive besides the payload, and what the run learnt on the way.

    `nonfinite` says that validation coerced a value to Infinity, which the request bodies must then
    show as JSON.stringify does (null). `hook_outputs` is actions-core's `hookOutputs`: the mapping's
    raw (unresolved) value under each hook the action declares, when truthy.
    """

    settings: dict[str, Any]
    client: Client
    sync_mode: str | None = None
    state: dict[str, Any] = field(default_factory=dict)
    state_set: dict[str, Any] = field(default_factory=dict)
    nonfinite: bool = False
    hook_outputs: dict[str, Any] = field(default_factory=dict)


Perform = Callable[[Context, dict[str, Any]], Any]
PerformBatch = Callable[[Context, list[dict[str, Any]]], Any]


@dataclass(frozen=True, slots=True, eq=False)
class ActionDef:
    """One action of a destination, as published in @segment/action-destinations 3.497.0."""

    slug: str
    title: str
    fields: dict[str, dict[str, Any]]
    perform: Perform
    perform_batch: PerformBatch | None = None
    default_subscription: str | None = None
    sync_mode: SyncMode | None = None
    hooks: tuple[str, ...] = ()


def default_mapping(action: ActionDef) -> dict[str, Any]:
    """actions-core `defaultValues(fields)`: every field default, in field order."""
    return {key: spec["default"] for key, spec in action.fields.items() if "default" in spec}


def clean(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop undefined keys, as `JSON.stringify` does when the request body is written."""
    return {k: v for k, v in obj.items() if v is not MISSING}
