"""Layering (DESIGN.md §2): `segment` imports nothing of braze/translate; `engage` imports `segment` only."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("harness.segment", ("harness.engage", "harness.braze", "harness.translate", "harness.testing")),
        ("harness.engage", ("harness.braze", "harness.translate", "harness.testing", "harness.cli")),
    ],
)
def test_imports_stay_in_their_layer(package: str, forbidden: tuple[str, ...]) -> None:
    code = f"import sys, {package}; print('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    assert not [m for m in loaded if m.startswith(forbidden)]
