"""Deterministic Segment-looking ids: `personas_…` message ids, `aud_…` / `tra_…` / `spa_…` ids.

Real ids are KSUIDs (27 base62 characters, e.g. `personas_2g5WGNhZtTET4DhSeILpE6muHnH` in
action-destinations' amazon-amc test fixture). Here they come from a hash of a seed and a counter,
so two runs with the same seed print byte-identical output.
"""

from __future__ import annotations

import hashlib

__all__ = ["MessageIds", "base62_id", "computation_id", "space_id_for"]

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
KSUID_LENGTH = 27


def base62_id(text: str, length: int = KSUID_LENGTH) -> str:
    """A `length`-character base62 string derived from `text` (stable across runs and platforms)."""
    number = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=24).digest(), "big")
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 62)
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def computation_id(kind: str, key: str) -> str:
    """`aud_…` for an audience, `tra_…` for a computed trait: what Engage shows in the URL."""
    prefix = "aud_" if kind == "audience" else "tra_"
    return prefix + base62_id(f"{kind}:{key}")


def space_id_for(name: str) -> str:
    """An Engage space id (`spa_…`) derived from a name."""
    return "spa_" + base62_id(f"space:{name}", 22)


class MessageIds:
    """`personas_<27 base62>` message ids, a new one per call, reproducible from `seed`."""

    def __init__(self, seed: int | str = 0) -> None:
        self._seed = seed
        self._count = 0

    def __call__(self) -> str:
        self._count += 1
        return "personas_" + base62_id(f"message:{self._seed}:{self._count}")
