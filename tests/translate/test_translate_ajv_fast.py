"""The valid-path validator (compiled closures) decides and mutates exactly as the full `check` does.

The golden corpus pins the whole pipeline; this property test pins the one restructured piece on
random payloads shaped after every action's schema (both releases) and the settings schemas: right
and wrong types, coercible strings ("12", "1e999", "true", ""), one-item arrays, unknown keys,
enum values and near misses, formats. For each, both paths must agree on validity and, when valid,
leave the same payload (values and key order) and the same Infinity flag.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from harness.translate.ajv import _FAILED, Coercions, _Failed, _fast, _Node
from harness.translate.pipeline import _schema
from harness.translate.releases import RELEASES
from harness.translate.schema import fields_to_schema
from harness.translate.settings import settings_fields

SCHEMAS = {
    f"{version}:{dest.slug}:{slug}": _schema(action)[0]
    for version, release in RELEASES.items()
    for dest in release.destinations.values()
    for slug, action in dest.actions.items()
}
SCHEMAS |= {
    f"settings:{slug}": fields_to_schema(settings_fields(slug, dest.endpoints))
    for slug, dest in RELEASES["3.497.0"].destinations.items()
}
NAMES = sorted(SCHEMAS)

TRICKY = st.sampled_from(
    ["", "12", "-3.5", "1e999", "true", "false", "null", "0", "abc", "USD", "usd", "2024-03-01T12:00:00Z",
     "2024-03-01 12:00:00", "March 7, 2024", "a@example.com", "not an email", "https://x.example.com/a",
     "subscribed", "add", "ecommerce.order_placed", "x" * 251, "sku-1", "bad id"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 100), st.floats(allow_nan=False, allow_infinity=False), TRICKY
)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY, inner, max_size=3), max_leaves=8
)


def shaped(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values near what `schema` accepts: its enum values, its properties, its items, or anything."""
    options: list[st.SearchStrategy[Any]] = [JSON]
    if schema.get("enum"):
        options.append(st.sampled_from(schema["enum"]))
    items = schema.get("items")
    if isinstance(items, dict) and depth < 3:
        options.append(st.lists(shaped(items, depth + 1), max_size=3))
        options.append(shaped(items, depth + 1))  # a scalar where an array is expected
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "string" in kinds:
        options.append(TRICKY)
    if "number" in kinds or "integer" in kinds:
        options.append(st.integers(-5, 100) | st.floats(-1e3, 1e3))
    if "boolean" in kinds:
        options.append(st.booleans())
    properties = schema.get("properties")
    if isinstance(properties, dict) and depth < 3:
        known = {key: shaped(sub, depth + 1) for key, sub in properties.items()}
        required = {key: known[key] for key in schema.get("required", []) if key in known}
        optional = {key: value for key, value in known.items() if key not in required}
        options.append(st.fixed_dictionaries(required, optional={**optional, "extra": JSON}))
    return st.one_of(options)


STRATEGIES = {name: shaped(SCHEMAS[name]) for name in NAMES}
COMPILED = {name: (_Node(SCHEMAS[name]), _fast(_Node(SCHEMAS[name]))) for name in NAMES}


@given(data=st.data(), name=st.sampled_from(NAMES))
def test_the_fast_path_agrees_with_check(data: st.DataObject, name: str) -> None:
    payload = data.draw(STRATEGIES[name].filter(lambda v: isinstance(v, dict)))
    node, fast = COMPILED[name]
    by_check, by_fast = copy.deepcopy(payload), copy.deepcopy(payload)
    seen_check, seen_fast = Coercions(), Coercions()
    valid = node.check(by_check, "", None, None, seen_check)[0]
    result = fast(by_fast, seen_fast)
    assert valid is (type(result) is not _Failed)
    if valid:
        assert json.dumps(by_check) == json.dumps(by_fast)
        assert seen_check.nonfinite is seen_fast.nonfinite


def test_every_schema_is_covered_and_the_failure_marker_is_shared() -> None:
    assert len(NAMES) >= 25 and type(_FAILED) is _Failed


@given(
    value=JSON | st.fixed_dictionaries({"name": TRICKY | JSON}),
    names=st.lists(TRICKY, min_size=1, max_size=4),
    many=st.booleans(),
)
def test_the_one_of_shortcut_answers_like_the_composed_predicates(value: Any, names: list[str], many: bool) -> None:
    from harness.translate.ajv_predicates import (
        _conjunction,
        _const,
        _disjunction,
        _field_is_one_of,
        _properties,
        _required,
    )

    options = [{"properties": {"name": {"const": name}}, "required": ["name"]} for name in names]
    schema = {"anyOf": options} if many else options[0]
    composed = [_conjunction([_properties([("name", _const(name))]), _required(["name"])]) for name in names]
    expected = _disjunction(composed)(value) if many else composed[0](value)
    shortcut = _field_is_one_of(schema)
    assert shortcut is not None and shortcut(value) is expected
