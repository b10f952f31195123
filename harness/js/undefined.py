"""JavaScript's `undefined`, which Segment's code tells apart from `null` (Python `None`) everywhere.

A mapping that resolves to nothing, a missing object key and an absent field are `undefined` in Node;
`JSON.stringify` drops such keys while it writes `null` ones, so the difference reaches the bytes sent.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MISSING", "Missing"]


class Missing:
    """JavaScript's `undefined`: a value that is absent, as opposed to `null` (Python `None`)."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Final[Missing] = Missing()
