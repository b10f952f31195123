"""An oracle for Engage, independent of the simulator: membership and trait values straight from a stream.

It groups identifiers with a union-find over the calls that carry them (the generated people never share
an identifier or exceed a limit), replays traits and events per group, and evaluates a definition's JSON
at a given time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from harness.segment import parse_timestamp, validate_event
from harness.testing.strategies.engage import Population

Id = tuple[str, str]


def identifiers(event: dict[str, Any]) -> list[Id]:
    email = (event.get("traits") or {}).get("email") or ((event.get("context") or {}).get("traits") or {}).get("email")
    pairs = [("user_id", event.get("userId")), ("anonymous_id", event.get("anonymousId")), ("email", email)]
    return [(k, v) for k, v in pairs if v]


class Groups:
    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.parent: dict[Id, Id] = {}
        for event in events:
            ids = identifiers(event)
            for i in ids:
                self.parent.setdefault(i, i)
            for i in ids[1:]:
                self.parent[self.find(i)] = self.find(ids[0])

    def find(self, i: Id) -> Id:
        while self.parent[i] != i:
            i = self.parent[i]
        return i


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def holds(
    cond: dict[str, Any],
    traits: dict[str, Any],
    events: list[tuple[datetime, str, dict[str, Any]]],
    now: datetime,
) -> bool:
    if "and" in cond:
        return all(holds(c, traits, events, now) for c in cond["and"])
    if "or" in cond:
        return any(holds(c, traits, events, now) for c in cond["or"])
    if "not" in cond:
        return not holds(cond["not"], traits, events, now)
    if "performed" in cond:
        start = now - timedelta(days=cond["within_days"]) if "within_days" in cond else None
        n = sum(1 for t, name, _ in events if name == cond["performed"] and t <= now and (start is None or t > start))
        if "exactly" in cond:
            return n == cond["exactly"]
        if "at_most" in cond:
            return n <= cond["at_most"]
        return n >= cond.get("at_least", 1)
    value = traits.get(cond["trait"])
    if "equals" in cond:
        return cond["trait"] in traits and same(value, cond["equals"])
    if "contains" in cond:
        if isinstance(value, str):
            return isinstance(cond["contains"], str) and cond["contains"] in value
        return isinstance(value, list) and any(same(v, cond["contains"]) for v in value)
    return (value is not None) == cond["exists"]


def trait_value(comp: dict[str, Any], events: list[tuple[datetime, str, dict[str, Any]]], now: datetime) -> Any:
    matching = [(t, p) for t, name, p in events if name == comp["event"] and t <= now]
    if not matching:
        return None
    if "within_days" in comp:
        matching = [(t, p) for t, p in matching if t > now - timedelta(days=comp["within_days"])]
    kind = comp["kind"]
    if kind == "event_counter":
        return len(matching)
    values = [p[comp["property"]] for _, p in matching if p.get(comp["property"]) is not None]
    if kind == "aggregation":
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if not numbers:
            return 0 if comp["function"] == "sum" else None
        return {"sum": sum, "min": min, "max": max, "average": lambda x: sum(x) / len(x)}[comp["function"]](numbers)
    if kind in ("first", "last"):
        return (values[0] if kind == "first" else values[-1]) if values else None
    unique = list(dict.fromkeys(values))
    if kind == "unique_list":
        return unique
    if kind == "unique_list_count":
        return len(unique)
    best = max(unique, key=lambda v: (values.count(v), max(i for i, x in enumerate(values) if x == v)), default=None)
    return best


def direct(definition: dict[str, Any], population: Population, now: datetime) -> dict[Id, Any]:
    """The definition's value for each identifier of an eligible group, straight from the stream."""
    events = list(population.events)
    groups = Groups(events)
    traits: dict[Id, dict[str, Any]] = {}
    performed: dict[Id, list[tuple[datetime, str, dict[str, Any]]]] = {}
    members: dict[Id, set[Id]] = {}
    for event in events:
        root = groups.find(identifiers(event)[0])
        members.setdefault(root, set()).update(identifiers(event))
        if event["type"] == "identify":
            traits.setdefault(root, {}).update(event["traits"])
        else:
            performed.setdefault(root, []).append(
                (parse_timestamp(event["timestamp"]), event["event"], event["properties"])
            )
    out = {}
    for root, ids in members.items():
        kinds = {k for k, _ in ids}
        if not ({"user_id", "email"} & kinds or definition["include_anonymous_users"]):
            continue
        if definition["type"] == "audience":
            value = holds(definition["condition"], traits.get(root, {}), performed.get(root, []), now)
        else:
            value = trait_value(definition["computation"], performed.get(root, []), now)
        out.update({i: value for i in ids if i[0] in keyed_kinds(definition)})
    return out


def keyed_kinds(definition: dict[str, Any]) -> set[str]:
    return {"user_id", "email", "anonymous_id"} if definition["include_anonymous_users"] else {"user_id", "email"}


def reconstruct(definition: dict[str, Any], emitted: list[dict[str, Any]]) -> dict[Id, Any]:
    """The last value each identifier received."""
    key, last = definition["key"], {}
    for event in emitted:
        assert validate_event(event) == [], event
        value = event["traits"][key] if event["type"] == "identify" else event["properties"][key]
        last.update({i: value for i in identifiers(event) if i[0] in keyed_kinds(definition)})
    return last
