"""What the console shows of a value: pretty JSON clipped for the page, never the stored value itself.

A journal entry keeps bodies of up to 4 MB and profiles keep whatever was sent; a page shows the first
`BODY_LIMIT` characters and says how much it left out (the full entry is one click away as JSON).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson

__all__ = ["BODY_LIMIT", "VALUE_LIMIT", "Clipped", "clip", "compact", "pretty", "short"]

BODY_LIMIT = 64 * 1024
VALUE_LIMIT = 2 * 1024


@dataclass(frozen=True, slots=True)
class Clipped:
    text: str
    total: int
    """Characters in the whole text; `text` holds at most the limit of them."""

    @property
    def clipped(self) -> bool:
        return self.total > len(self.text)


def pretty(value: Any) -> str:
    """Indented JSON of any journaled value; one that JSON cannot hold (too deep, odd types) as its repr."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    except (orjson.JSONEncodeError, TypeError):
        pass
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=repr)
    except (ValueError, TypeError, RecursionError):
        return reprlib_repr(value)


def reprlib_repr(value: Any) -> str:
    try:
        return repr(value)
    except RecursionError:
        return f"<{type(value).__name__} nested too deep to show>"


def compact(value: Any) -> str:
    """One-line JSON of a profile value (a custom attribute's array or object)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except (orjson.JSONEncodeError, TypeError):
        return pretty(value)


def clip(text: str, limit: int = BODY_LIMIT) -> Clipped:
    return Clipped(text[:limit], len(text))


def short(value: Any, limit: int = 80) -> str:
    """One line for a table cell: a string as is, anything else as compact JSON, clipped with an ellipsis."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
        except (orjson.JSONEncodeError, TypeError):
            text = reprlib_repr(value)
    text = " ".join(text.split()) if "\n" in text else text
    return text if len(text) <= limit else text[: limit - 1] + "…"
