"""The plugin stays on top (DESIGN.md §2), imports run one way inside it, and loading it costs nothing
when a run does not use it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

TESTING = Path(__file__).resolve().parents[2] / "harness" / "testing"


def loaded_modules(statement: str) -> list[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()


def test_the_fake_does_not_import_the_testing_layer() -> None:
    assert not [m for m in loaded_modules("import harness.braze") if m.startswith("harness.testing")]


def test_loading_the_plugin_imports_no_fake_no_http_stack() -> None:
    heavy = (
        "harness.braze",
        "harness.testing.net",
        "flask",
        "respx",
        "httpx",
        "requests",
        "urllib3",
        "aiohttp",
        "jsonschema",
        "hypothesis",
    )
    assert not [m for m in loaded_modules("import harness.testing.plugin") if m.startswith(heavy)]


def module_imports(path: Path) -> set[str]:
    """Modules of harness.testing that `path` imports when it is imported (not under TYPE_CHECKING,
    not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for inner in ast.walk(node) if not isinstance(node, ast.FunctionDef | ast.ClassDef) else ():
            if isinstance(inner, ast.ImportFrom) and inner.module and inner.module.startswith("harness.testing"):
                found.add(inner.module)
                found.update(f"{inner.module}.{a.name}" for a in inner.names)
            elif isinstance(inner, ast.Import):
                found.update(a.name for a in inner.names if a.name.startswith("harness.testing"))
    return found


def test_no_import_cycles_inside_the_testing_layer() -> None:
    modules = {
        "harness." + ".".join(p.relative_to(TESTING.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in TESTING.rglob("*.py")
    }
    graph = {name: {m for m in module_imports(path) if m in modules and m != name} for name, path in modules.items()}
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        assert name not in visiting, f"import cycle: {' -> '.join([*visiting[visiting.index(name) :], name])}"
        visiting.append(name)
        for imported in sorted(graph[name]):
            visit(imported)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
    assert "harness.testing.net.activation" in graph


def test_lazy_exports_resolve() -> None:
    import harness.testing as testing
    from harness.testing.mock import BrazeMock

    assert testing.BrazeMock is BrazeMock
    for name in testing.__all__:
        assert getattr(testing, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = testing.Nope
