"""The plugin stays on top (DESIGN.md §2) and costs nothing to load when a run does not use it."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded_modules(statement: str) -> list[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()


def test_the_fake_does_not_import_the_testing_layer() -> None:
    assert not [m for m in loaded_modules("import harness.braze") if m.startswith("harness.testing")]


def test_loading_the_plugin_imports_no_fake_no_http_stack() -> None:
    heavy = ("harness.braze", "flask", "respx", "httpx", "requests", "jsonschema", "hypothesis")
    assert not [m for m in loaded_modules("import harness.testing.plugin") if m.startswith(heavy)]


def test_lazy_exports_resolve() -> None:
    import harness.testing as testing
    from harness.testing.mock import BrazeMock

    assert testing.BrazeMock is BrazeMock
    for name in testing.__all__:
        assert getattr(testing, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = testing.Nope
