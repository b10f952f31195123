"""JavaScript's conversions as FQL values need them: `Number(text)` and `String(value)`."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["as_string", "js_number"]


def js_number(text: str) -> float:
    """`Number(text)` for the numerals the FQL lexer produces (`12`, `-3.5`, a lone `-`)."""
    try:
        return float(text.strip()) if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text.strip()) else float("nan")
    except ValueError:
        return float("nan")


def as_string(value: Any) -> str:
    """`String(value)` for FQL values: strings, booleans and plain decimal numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)
