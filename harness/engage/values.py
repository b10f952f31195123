"""JSON value semantics for comparisons: `true` is not `1`, `1` is `1.0`, lists and objects deeply.

Python's `True == 1` would let a boolean trait equal a number; Engage compares JSON values, so these
helpers keep the types apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["json_contains", "json_equal"]


def json_equal(left: Any, right: Any) -> bool:
    """Equality of two JSON values (booleans never equal numbers)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    return type(left) is type(right) and left == right


def json_contains(container: Any, needle: Any) -> bool:
    """`contains`: a substring of a string trait (case-sensitive), or a member of a list trait."""
    if isinstance(container, str):
        return isinstance(needle, str) and needle in container
    if isinstance(container, list):
        return any(json_equal(item, needle) for item in container)
    return False
