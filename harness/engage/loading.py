"""Definitions as JSON: checked against `contracts/engage/definition.json`, then built as objects.

A file holds one definition, or a space `{"space_id", "destinations", "definitions": [...]}` whose
destinations are the default connection for every definition that names none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.contracts import Violation, contract
from harness.engage.computations import computation_from_json
from harness.engage.conditions import condition_from_json
from harness.engage.definitions import Audience, ComputedTrait, Definition, Destination

__all__ = ["DefinitionError", "EngageSpace", "load_definitions"]


class DefinitionError(ValueError):
    """A definition file that breaks its contract (or Engage's rules); lists every problem."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        super().__init__("invalid Engage definition: " + "; ".join(str(v) for v in self.violations))


@dataclass(frozen=True, slots=True)
class EngageSpace:
    """The definitions to simulate and, if the file names one, the Engage space id."""

    definitions: tuple[Definition, ...]
    space_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"definitions": [d.to_json() for d in self.definitions]}
        if self.space_id:
            out["space_id"] = self.space_id
        return out


def load_definitions(source: str | bytes | Mapping[str, Any]) -> EngageSpace:
    """Parse JSON text or a dict into an EngageSpace; raise DefinitionError with path + reason."""
    data: Any = source
    if isinstance(source, str | bytes):
        try:
            data = json.loads(source)
        except json.JSONDecodeError as exc:
            raise DefinitionError([Violation("$", f"not JSON: {exc}", "json")]) from exc
    found = contract("engage/definition").check(data)
    if found:
        raise DefinitionError([_explain(v) for v in found])
    is_space = "definitions" in data
    items = data.get("definitions", [data])
    defaults = _destinations(data.get("destinations")) if is_space else None
    built: list[Definition] = []
    problems: list[Violation] = []
    for index, item in enumerate(items):
        where = f"$.definitions[{index}]" if is_space else "$"
        try:
            built.append(_definition(item, defaults))
        except ValueError as exc:
            problems.append(Violation(where, str(exc), "engage"))
    keys = [d.key for d in built]
    problems.extend(
        Violation("$.definitions", f"key {key!r} is used twice", "engage")
        for key in sorted({k for k in keys if keys.count(k) > 1})
    )
    if problems:
        raise DefinitionError(problems)
    return EngageSpace(tuple(built), data.get("space_id"))


def _explain(violation: Violation) -> Violation:
    """Say what a bare `not` rule of the contract forbids."""
    if violation.keyword != "not":
        return violation
    if re.search(r"destinations\[\d+\]$", violation.path):
        reason = "a connection must send identify, track, or both"
    elif violation.path.endswith("computation"):
        reason = "event_counter takes no property or function; only aggregation takes a function"
    else:
        reason = "give at most one of at_least, at_most, exactly"
    return Violation(violation.path, reason, "not")


def _definition(item: Mapping[str, Any], defaults: tuple[Destination, ...] | None) -> Definition:
    destinations = _destinations(item.get("destinations")) or defaults or (Destination(),)
    common: dict[str, Any] = {
        "key": item["key"],
        "name": item.get("name"),
        "id": item.get("id"),
        "compute": item.get("compute"),
        "include_anonymous_users": bool(item.get("include_anonymous_users", False)),
        "destinations": destinations,
    }
    if item["type"] == "computed_trait":
        return ComputedTrait(computation=computation_from_json(item["computation"]), **common)
    return Audience(condition=condition_from_json(item["condition"]), **common)


def _destinations(items: Sequence[Mapping[str, Any]] | None) -> tuple[Destination, ...] | None:
    if not items:
        return None
    return tuple(Destination(**dict(item)) for item in items)
