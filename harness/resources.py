"""Where the data files live: `contracts/` and `fixtures/` in a checkout, `harness/_data/` in a wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["contracts_dir", "fixtures_dir"]

_PACKAGE = Path(__file__).resolve().parent


@cache
def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"harness data directory {name!r} not found (looked in {_PACKAGE})")


def contracts_dir() -> Path:
    """The JSON Schema contracts shared by every layer."""
    return _data_dir("contracts")


def fixtures_dir() -> Path:
    """Sample Segment events, golden translation cases and Braze responses."""
    return _data_dir("fixtures")
