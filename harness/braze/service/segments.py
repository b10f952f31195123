"""Braze segment filters as data, evaluated over the fake's profiles (contract `braze/segment-definition`).

Sources (braze-docs): custom_attributes.md (commit f56b459), custom_events.md and
segments/segmentation_filters.md ("Segment Cohorts"), cohort_import.md ("a dropdown list of the names of
all cohorts"); ../shared/reference/braze-api.md section 6. Documented rules:
- strings: `equals` / `does_not_equal` are case-sensitive; `matches_regex` / `does_not_match_regex` are
  not, and "does not match regex" requires the attribute to have a value;
- numbers: "'Exactly 0' and 'Less Than' filters include users with NULL fields";
- booleans: is true / false / true or not set / false or not set;
- times: "1 day as 24 hours" for "more / less than X days ago";
- "X custom event in Y days": Y in {1, 3, 7, 14, 21, 30}, at most 50; "calendar days in UTC", "1 calendar
  day looks at 24-48 hours of user history". Window: the Y whole UTC days before today plus today so far,
  i.e. `EventStats.count_since(today - Y)` minus anything dated after today;
- "Segment Cohorts": in / not in a partner cohort chosen by name.
Choices where the docs are silent: `does_not_equal` includes users without the attribute (only
"does not match regex" is documented as needing a value); regexes are Python `re` searches (Braze uses
PCRE, unanchored); a date-only value means midnight UTC and before/after compare strictly; "less than X
days ago" is the span [now - X days, now]; a time attribute is a string Braze can read as a time (sent
plain or as `{"$time": ...}`); users who never performed an event match none of the first/last filters;
an unknown cohort name has no members; `exists` means set to any non-null value, `blank` means not set,
null or "".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from harness.braze.model.profiles import EventStats, Profile
from harness.braze.model.store import Workspace
from harness.braze.service.values import parse_time
from harness.contracts import Violation, contract, contract_definition

__all__ = ["CONTRACT", "Context", "Predicate", "SegmentDefinitionError", "compile_definition", "matching"]

CONTRACT = "braze/segment-definition"
_KINDS = ("and", "or", "not", "custom_attribute", "custom_event", "purchase", "cohort")
_NUMBER = (int, float)


class SegmentDefinitionError(ValueError):
    """A definition that breaks its contract: every problem as a `Violation` (path + reason)."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("invalid segment definition: " + "; ".join(map(str, violations)))


@dataclass(frozen=True, slots=True)
class Context:
    """What a filter may look at besides the profile: the time, and the workspace's cohorts by name."""

    now: datetime
    cohort_members: Callable[[str], set[str]]


Predicate = Callable[[Profile, Context], bool]


def matching(workspace: Workspace, predicate: Predicate, now: datetime) -> list[Profile]:
    """Every profile of the workspace the predicate accepts (call under the store lock)."""
    cache: dict[str, set[str]] = {}

    def members(name: str) -> set[str]:
        if name not in cache:
            cache[name] = {
                b for c in workspace.cohorts.values() if c.name == name for b in c.member_ids
            } & workspace.profiles.keys()
        return cache[name]

    context = Context(now, members)
    return [p for p in workspace.profiles.values() if predicate(p, context)]


# -- validation --------------------------------------------------------------------------------------
def compile_definition(definition: Any) -> Predicate:
    """Check a definition against its contract and turn it into a predicate; SegmentDefinitionError if bad."""
    if not contract(CONTRACT).is_valid(definition):
        raise SegmentDefinitionError(_explain(definition, "$") or contract(CONTRACT).violations(definition))
    return _compile(definition, "$")


def _explain(node: Any, path: str) -> list[Violation]:
    """Violations in the words of the one filter kind a node names (a oneOf says nothing useful)."""
    kinds = [k for k in _KINDS if isinstance(node, dict) and k in node]
    if len(kinds) != 1:
        seen = f"found {', '.join(kinds)}" if kinds else "found none"
        return [Violation(path, f"a filter is an object with exactly one of {', '.join(_KINDS)}; {seen}")]
    kind = kinds[0]
    if kind in ("and", "or") and isinstance(node.get(kind), list) and set(node) == {kind} and node[kind]:
        return [v for i, child in enumerate(node[kind]) for v in _explain(child, f"{path}.{kind}[{i}]")]
    if kind == "not" and set(node) == {"not"}:
        return _explain(node["not"], f"{path}.not")
    found = contract_definition(CONTRACT, kind).violations(node)
    return [Violation(path + v.path[1:], _op_reason(node, v), v.keyword) for v in found]


def _op_reason(node: dict[str, Any], violation: Violation) -> str:
    if violation.keyword == "not":
        field = violation.path.rsplit(".", 1)[-1]
        return f"{field!r} does not go with op {node.get('op')!r}"
    return violation.reason


# -- compilation -------------------------------------------------------------------------------------
def _compile(node: dict[str, Any], path: str) -> Predicate:
    if "and" in node:
        parts = [_compile(child, f"{path}.and[{i}]") for i, child in enumerate(node["and"])]
        return lambda p, c: all(part(p, c) for part in parts)
    if "or" in node:
        parts = [_compile(child, f"{path}.or[{i}]") for i, child in enumerate(node["or"])]
        return lambda p, c: any(part(p, c) for part in parts)
    if "not" in node:
        inner = _compile(node["not"], f"{path}.not")
        return lambda p, c: not inner(p, c)
    if "custom_attribute" in node:
        return _attribute(node, path)
    if "custom_event" in node:
        name = node["custom_event"]
        return _occurrence(node, lambda p: p.custom_events.get(name))
    if "purchase" in node:
        product = node["purchase"]
        return _occurrence(node, lambda p: p.purchases.get(product))
    cohort, inside = node["cohort"], node["op"] == "in"
    return lambda p, c: (p.braze_id in c.cohort_members(cohort)) == inside


def _attribute(node: dict[str, Any], path: str) -> Predicate:
    key, op = node["custom_attribute"], node["op"]
    test = _ATTRIBUTE_TESTS[op](node, path)
    return lambda p, c: test(p.custom_attributes.get(key), c.now)


AttributeTest = Callable[[Any, datetime], bool]


def _equals(node: dict[str, Any], path: str) -> AttributeTest:
    wanted = node["value"]
    return lambda v, now: _same(v, wanted)


def _does_not_equal(node: dict[str, Any], path: str) -> AttributeTest:
    wanted = node["value"]
    return lambda v, now: not _same(v, wanted)


def _same(value: Any, wanted: Any) -> bool:
    """Equal and of the same JSON type (True is not 1; 1 is 1.0)."""
    if isinstance(value, bool) or isinstance(wanted, bool):
        return type(value) is type(wanted) and value == wanted
    if isinstance(value, _NUMBER) and isinstance(wanted, _NUMBER):
        return value == wanted
    return type(value) is type(wanted) and value == wanted


def _regex(node: dict[str, Any], path: str) -> re.Pattern[str]:
    try:
        return re.compile(node["value"], re.IGNORECASE)
    except re.error as exc:
        raise SegmentDefinitionError([Violation(f"{path}.value", f"not a valid regular expression: {exc}")]) from None


def _searched(pattern: re.Pattern[str], value: Any) -> bool:
    """Strings match by search; an array attribute matches if any string element does."""
    items = value if isinstance(value, list) else [value]
    return any(isinstance(item, str) and pattern.search(item) is not None for item in items)


def _matches_regex(node: dict[str, Any], path: str) -> AttributeTest:
    pattern = _regex(node, path)
    return lambda v, now: _searched(pattern, v)


def _does_not_match_regex(node: dict[str, Any], path: str) -> AttributeTest:
    pattern = _regex(node, path)
    return lambda v, now: v is not None and not _searched(pattern, v)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, _NUMBER) and not isinstance(value, bool) else None


def _more_than(node: dict[str, Any], path: str) -> AttributeTest:
    limit = node["value"]
    return lambda v, now: (n := _number(v)) is not None and n > limit


def _less_than(node: dict[str, Any], path: str) -> AttributeTest:
    limit = node["value"]
    return lambda v, now: v is None or ((n := _number(v)) is not None and n < limit)


def _exactly(node: dict[str, Any], path: str) -> AttributeTest:
    wanted = node["value"]
    return lambda v, now: (v is None and wanted == 0) or _number(v) == wanted


def _moment(value: Any) -> datetime | None:
    return parse_time(value) if isinstance(value, str) else None


def _boundary(text: str) -> datetime:
    moment = parse_time(text)
    assert moment is not None  # the contract's pattern admits only readable times
    return moment


def _before(node: dict[str, Any], path: str) -> AttributeTest:
    limit = _boundary(node["date"])
    return lambda v, now: (m := _moment(v)) is not None and m < limit


def _after(node: dict[str, Any], path: str) -> AttributeTest:
    limit = _boundary(node["date"])
    return lambda v, now: (m := _moment(v)) is not None and m > limit


def _more_than_days_ago(node: dict[str, Any], path: str) -> AttributeTest:
    span = timedelta(days=node["days"])
    return lambda v, now: (m := _moment(v)) is not None and m < now - span


def _less_than_days_ago(node: dict[str, Any], path: str) -> AttributeTest:
    span = timedelta(days=node["days"])
    return lambda v, now: (m := _moment(v)) is not None and now - span <= m <= now


def _fixed(test: Callable[[Any], bool]) -> Callable[[dict[str, Any], str], AttributeTest]:
    return lambda node, path: lambda v, now: test(v)


_ATTRIBUTE_TESTS: dict[str, Callable[[dict[str, Any], str], AttributeTest]] = {
    "equals": _equals,
    "does_not_equal": _does_not_equal,
    "matches_regex": _matches_regex,
    "does_not_match_regex": _does_not_match_regex,
    "exists": _fixed(lambda v: v is not None),
    "does_not_exist": _fixed(lambda v: v is None),
    "blank": _fixed(lambda v: v is None or v == ""),
    "not_blank": _fixed(lambda v: v is not None and v != ""),
    "more_than": _more_than,
    "less_than": _less_than,
    "exactly": _exactly,
    "is_true": _fixed(lambda v: v is True),
    "is_false": _fixed(lambda v: v is False),
    "is_true_or_not_set": _fixed(lambda v: v is True or v is None),
    "is_false_or_not_set": _fixed(lambda v: v is False or v is None),
    "before": _before,
    "after": _after,
    "more_than_days_ago": _more_than_days_ago,
    "less_than_days_ago": _less_than_days_ago,
}


# -- events and purchases ------------------------------------------------------------------------------
def window_count(stats: EventStats | None, days: int, now: datetime) -> int:
    """Occurrences in "the last `days` days": the `days` whole UTC days before today, plus today so far."""
    if stats is None:
        return 0
    today: date = now.date()
    return stats.count_since(today - timedelta(days=days)) - stats.count_since(today + timedelta(days=1))


def _occurrence(node: dict[str, Any], stats_of: Callable[[Profile], EventStats | None]) -> Predicate:
    op = node["op"]
    if op in ("more_than", "less_than", "exactly"):
        wanted, window = node["count"], node.get("in_last_days")
        compare = {"more_than": int.__gt__, "less_than": int.__lt__, "exactly": int.__eq__}[op]

        def count(p: Profile, c: Context) -> bool:
            stats = stats_of(p)
            n = window_count(stats, window, c.now) if window else (stats.count if stats else 0)
            return compare(n, wanted)

        return count
    if op.endswith(("_performed_before", "_performed_after")):
        limit, first = _boundary(node["date"]), op.startswith("first")
        before = op.endswith("_before")

        def dated(p: Profile, c: Context) -> bool:
            stats = stats_of(p)
            moment = (stats.first if first else stats.last) if stats else None
            return moment is not None and (moment < limit if before else moment > limit)

        return dated
    span, more = timedelta(days=node["days"]), op == "last_performed_more_than_days_ago"

    def ago(p: Profile, c: Context) -> bool:
        stats = stats_of(p)
        if stats is None or stats.last is None:
            return False
        return stats.last < c.now - span if more else stats.last >= c.now - span

    return ago
