"""JSON Schema contracts: a compiled fast check for the hot path, a full violation list on failure.

Every payload shape lives in `contracts/` as JSON Schema 2020-12. `jsonschema_rs` decides (it is
hundreds of times faster than python-jsonschema); only when a payload fails does python-jsonschema
walk it to list every violation, Prism-style, as field paths and reasons. A schema node may carry
`x-braze-error`, the vendor's own wording for a failure inside it (e.g. `'currency' must be an
ISO 4217 currency`); the deepest one on a violation's schema path is reported with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs
import referencing
import referencing.jsonschema

from harness.resources import contracts_dir

if TYPE_CHECKING:
    import jsonschema

__all__ = ["BASE_URI", "Contract", "Violation", "contract", "contract_definition", "contract_names"]

BASE_URI = "https://segment-braze-harness.local/contracts/"
BRAZE_ERROR_KEY = "x-braze-error"
_PRUNE_OVER = 8
_COUNTING = frozenset({"minItems", "maxItems", "contains", "minContains", "maxContains", "uniqueItems"})


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a payload breaks its contract: where (JSON path) and why."""

    path: str
    reason: str
    keyword: str = ""
    braze_message: str | None = None

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def json_path(parts: Iterable[str | int]) -> str:
    """Render a location as `$.events[3].time` (bracketed quotes for keys that are not identifiers)."""
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}")
        else:
            out.append(f"[{json.dumps(part, ensure_ascii=False)}]")
    return "".join(out)


class Contract:
    """A compiled contract: `is_valid` for the hot path, `violations` to explain a failure."""

    def __init__(self, name: str, schema: dict[str, Any], registry: referencing.Registry) -> None:
        self.name = name
        self.schema = schema
        self._uri = schema.get("$id", BASE_URI + name + ".json")
        self._registry = registry
        rs_registry = jsonschema_rs.Registry(
            [(resource_uri, registry[resource_uri].contents) for resource_uri in registry]
        )
        self._fast = jsonschema_rs.validator_for(schema, registry=rs_registry)
        self._full: jsonschema.Draft202012Validator | None = None  # python-jsonschema: built on the first failure

    def is_valid(self, instance: Any) -> bool:
        return self._fast.is_valid(instance)

    def violations(self, instance: Any, limit: int = 200) -> list[Violation]:
        """Every violation (up to `limit`), sorted by path; empty when the payload is valid."""
        pruned, kept = self._prune(instance)
        found = self._violations(pruned, kept, limit)
        if kept and not found:  # the validators disagree about the pruned body: take the long way
            found = self._violations(instance, {}, limit)
        found.sort(key=lambda v: v.path)
        return found

    def _prune(self, instance: Any) -> tuple[Any, dict[str, list[int]]]:
        """The body with its long top-level arrays cut down to the items that fail (found by the fast
        validator), and which original indexes were kept. python-jsonschema then walks a few objects,
        not all of them (150 valid objects cost it ~20 ms)."""
        if not isinstance(instance, dict):
            return instance, {}
        long = {k for k, v in instance.items() if isinstance(v, list) and len(v) > _PRUNE_OVER}
        if not long:
            return instance, {}
        failing: dict[str, set[int]] = {key: set() for key in long}
        try:
            errors = list(self._fast.iter_errors(instance))
        except (ValueError, RecursionError):  # jsonschema_rs cannot report on a value nested this deep
            return instance, {}
        for error in errors:
            location = list(error.instance_path)
            if not location:
                return instance, {}  # a rule about the whole body may depend on every array: walk it all
            key = str(location[0])
            if key in failing and len(location) >= 2 and isinstance(location[1], int):
                failing[key].add(location[1])
            else:
                failing.pop(key, None)  # an error about the array itself (type, maxItems, ...): keep it whole
        kept = {key: sorted(indexes) for key, indexes in failing.items()}
        if not kept:
            return instance, {}
        pruned = dict(instance)
        for key, indexes in kept.items():
            pruned[key] = [instance[key][i] for i in indexes]
        return pruned, kept

    def _violations(self, instance: Any, kept: dict[str, list[int]], limit: int) -> list[Violation]:
        found: list[Violation] = []
        for error in self._iter_errors(instance):
            location = list(error.absolute_path)
            if kept and len(location) >= 2 and location[0] in kept and isinstance(location[1], int):
                location[1] = kept[str(location[0])][location[1]]
            elif kept and (not location or (location[0] in kept and error.validator in _COUNTING)):
                continue  # about the body or an array we shortened, which the fast validator found fine
            found.append(
                Violation(
                    path=json_path(location),
                    reason=_reason(error),
                    keyword=str(error.validator),
                    braze_message=self._braze_message(error.absolute_schema_path),
                )
            )
            if len(found) >= limit:
                break
        return found

    def check(self, instance: Any) -> list[Violation]:
        """Fast when valid; the full list only when not."""
        return [] if self.is_valid(instance) else self.violations(instance)

    def iter_errors(self, instance: Any) -> Iterator[jsonschema.ValidationError]:
        """python-jsonschema's raw errors, for callers that render violations in a vendor's words."""
        return self._iter_errors(instance)

    def _iter_errors(self, instance: Any) -> Iterator[jsonschema.ValidationError]:
        import jsonschema  # imported on the first failing payload: most processes never need it (~50 ms)

        if self._full is None:
            self._full = jsonschema.Draft202012Validator(self.schema, registry=self._registry)
        try:
            yield from self._full.iter_errors(instance)
        except RecursionError:
            yield jsonschema.ValidationError("payload is nested too deeply to check", validator="maxDepth")

    def _braze_message(self, schema_path: Iterable[str | int]) -> str | None:
        """The deepest `x-braze-error` on the way from the root schema to the failing keyword."""
        resolver = self._registry.resolver(base_uri=self._uri)
        node: Any = self.schema
        message = node.get(BRAZE_ERROR_KEY) if isinstance(node, dict) else None
        for step in schema_path:
            # python-jsonschema's paths step through `$ref` transparently: follow refs until the step fits.
            while isinstance(node, dict) and "$ref" in node and step not in node:
                resolved = resolver.lookup(node["$ref"])
                resolver, node = resolved.resolver, resolved.contents
                if isinstance(node, dict) and BRAZE_ERROR_KEY in node:
                    message = node[BRAZE_ERROR_KEY]
            if not _has_step(node, step):
                break
            node = node[step]
            if isinstance(node, dict) and BRAZE_ERROR_KEY in node:
                message = node[BRAZE_ERROR_KEY]
        return message


def _has_step(node: Any, step: str | int) -> bool:
    if isinstance(node, dict):
        return step in node
    return isinstance(node, list) and isinstance(step, int) and step < len(node)


def _reason(error: jsonschema.ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    values = error.validator_value
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(schema.get("properties", {}))
        unknown = sorted(k for k in error.instance if k not in allowed)
        if unknown:
            return "unknown field(s): " + ", ".join(repr(k) for k in unknown)
    if error.validator == "enum" and isinstance(values, list) and len(values) > 8:
        return f"{_short(error.instance)} is not one of the {len(values)} allowed values"
    if error.validator in ("anyOf", "oneOf"):
        return f"{_short(error.instance)} does not match any of the allowed forms"
    if error.validator == "not":
        return f"{_short(error.instance)} is not allowed here"
    if error.validator == "maxLength" and isinstance(error.instance, str):  # not the whole long value
        return f"{_short(error.instance)} is {len(error.instance):,} characters; at most {values} are allowed"
    message = str(error.message)
    return message if len(message) <= 300 else message[:297] + "..."


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def _registry() -> referencing.Registry:
    resources = []
    root = contracts_dir()
    for path in sorted(root.rglob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        uri = schema.get("$id") or BASE_URI + path.relative_to(root).as_posix()
        resource = referencing.Resource.from_contents(schema, referencing.jsonschema.DRAFT202012)
        resources.append((uri, resource))
    return referencing.Registry().with_resources(resources)


def contract_names() -> list[str]:
    """All contract names, e.g. `braze/users-track.request`."""
    root = contracts_dir()
    return sorted(p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.json"))


@cache
def contract(name: str) -> Contract:
    """The compiled contract `name` (e.g. `braze/users-track.request`), cached for the process."""
    path = contracts_dir() / f"{name}.json"
    if not path.is_file():
        raise KeyError(f"no contract named {name!r}; known: {', '.join(contract_names())}")
    registry = _registry()
    uri = BASE_URI + f"{name}.json"
    schema = registry[uri].contents if uri in registry else json.loads(path.read_text(encoding="utf-8"))
    return Contract(name, schema, registry)


@cache
def contract_definition(name: str, definition: str) -> Contract:
    """A contract for one entry of `name`'s `$defs` (e.g. one recommended event's properties)."""
    parent = contract(name)
    if definition not in parent.schema.get("$defs", {}):
        raise KeyError(f"contract {name!r} has no definition {definition!r}")
    uri = parent.schema["$id"]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URI}_definitions/{name}/{definition}.json",
        "$ref": f"{uri}#/$defs/{definition}",
    }
    return Contract(f"{name}#{definition}", schema, _registry())
