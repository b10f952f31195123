"""The `messageId` Segment gives a call that has none: `api-` and a KSUID, reproducibly.

Segment's own samples of server-side calls that arrived without one show `"messageId":
"api-2HgvQRYmsMWNlgqEuOKQmMWt5Wb"` (segment-docs `src/connections/sources/catalog/cloud-apps/insider/
index.md`): `api-` and 27 base62 characters, a KSUID (4 bytes of seconds since 2014-05-13T16:53:20Z and
16 bytes of payload). The fake builds the same shape from the receipt time and a counter, so a run
gives the same ids every time (random ones would make tests and diffs flaky).
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime

__all__ = ["MessageIds"]

_KSUID_EPOCH = 1_400_000_000
_PAYLOAD_MASK = (1 << 128) - 1
_SPREAD = 0x9E3779B97F4A7C15F39CC0605CEDC835  # odd: n -> n * _SPREAD is a bijection modulo 2**128
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


_PAIRS = [a + b for a in _BASE62 for b in _BASE62]
"""Every two-digit base62 string, by value: half the divisions of a digit-by-digit encoding."""


def _base62(number: int, width: int = 27) -> str:
    pairs = []
    while number:
        number, rest = divmod(number, 3844)
        pairs.append(_PAIRS[rest])
    return "".join(reversed(pairs)).lstrip("0").rjust(width, "0")


class MessageIds:
    """`api-<KSUID>` ids from the receipt time and a counter; `reset()` starts the counter again."""

    def __init__(self, seed: str = "segment-braze-harness") -> None:
        self._base = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:16], "big")
        self._counter = itertools.count(1)

    def reset(self) -> None:
        self._counter = itertools.count(1)

    def __call__(self, at: datetime) -> str:
        seconds = max(0, int(at.timestamp()) - _KSUID_EPOCH) & 0xFFFFFFFF
        payload = (self._base + next(self._counter) * _SPREAD) & _PAYLOAD_MASK  # distinct for 2**128 ids
        return "api-" + _base62((seconds << 128) | payload)
