"""`service/limits.py` is the one home of Braze's numbers: where a contract states the same number, they agree,
and the configuration's defaults are the documented ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.braze import FakeBrazeConfig
from harness.braze.service import limits
from harness.contracts import contract


def test_purchase_fields_in_the_contract_are_the_documented_numbers() -> None:
    purchase = contract("braze/users-track.request").schema["$defs"]["purchase_object"]["properties"]
    assert (purchase["quantity"]["minimum"], purchase["quantity"]["maximum"]) == limits.PURCHASE_QUANTITY
    assert purchase["product_id"]["maxLength"] == limits.MAX_STRING


def test_event_properties_in_the_contract_are_the_documented_numbers() -> None:
    properties = contract("braze/common").schema["$defs"]["properties_object"]
    assert properties["propertyNames"]["maxLength"] == limits.MAX_STRING
    assert properties["additionalProperties"]["maxLength"] == limits.MAX_STRING


def test_segment_windows_in_the_contract_are_the_documented_ones() -> None:
    schema = contract("braze/segment-definition").schema
    text = str(schema)
    windows = _windows(schema)
    assert windows and all(tuple(w) == limits.SEGMENT_WINDOW_DAYS for w in windows)
    assert f"'maximum': {limits.SEGMENT_WINDOW_MAX_COUNT}" in text


def _windows(node: Any) -> list[list[int]]:
    found: list[list[int]] = []
    if isinstance(node, dict):
        if isinstance(node.get("in_last_days"), dict) and "enum" in node["in_last_days"]:
            found.append(node["in_last_days"]["enum"])
        for child in node.values():
            found += _windows(child)
    elif isinstance(node, list):
        for child in node:
            found += _windows(child)
    return found


def test_configuration_defaults_are_the_documented_numbers() -> None:
    config = FakeBrazeConfig()
    assert config.array_attribute_max_length == limits.ARRAY_ATTRIBUTE_DEFAULT_MAX
    assert config.max_body_bytes == limits.MAX_BODY_BYTES
    assert config.rate_limits == {}  # Braze's documented RATE_LIMITS apply


def test_every_number_names_its_source() -> None:
    """Each exported number has a docstring citing a braze-docs page, or saying it is the harness's CHOICE."""
    source = Path(limits.__file__).read_text(encoding="utf-8")
    for name in limits.__all__:
        after = source.split(f"\n{name}: Final", 1)[1]
        doc = after.split('"""', 2)[1]
        assert ".md" in doc or "CHOICE" in doc, f"{name} cites no source"


def test_catalog_numbers_in_the_contracts_are_the_documented_ones() -> None:
    defs = contract("braze/catalog").schema["$defs"]
    assert {part.get("maxLength") for part in defs["item_id"]["allOf"]} - {None} == {limits.CATALOG_MAX_ITEM_ID}
    assert defs["name"]["maxLength"] == limits.CATALOG_MAX_NAME == limits.CATALOG_MAX_FIELD_NAME
    for name in ("braze/catalog-items.request", "braze/catalog-items-delete.request"):
        [cap] = contract(name).schema["properties"]["items"]["allOf"]
        assert cap["maxItems"] == limits.CATALOG_ITEMS_PER_BULK_REQUEST
    [single] = contract("braze/catalog-item.request").schema["properties"]["items"]["allOf"]
    assert single["maxItems"] == limits.CATALOG_ITEMS_PER_SINGLE_REQUEST
    created = contract("braze/catalogs.request").schema["properties"]["catalogs"]["items"]["properties"]
    assert created["description"]["maxLength"] == limits.CATALOG_MAX_DESCRIPTION
    assert created["fields"]["maxItems"] == limits.CATALOG_MAX_FIELDS


def test_the_recipient_cap_in_the_contracts_is_the_documented_one() -> None:
    [cap] = contract("braze/messaging").schema["$defs"]["recipients"]["allOf"]
    assert cap["maxItems"] == limits.TRIGGER_MAX_RECIPIENTS
