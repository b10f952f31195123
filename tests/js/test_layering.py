"""Import structure: `harness.js` is a leaf, and inside js / segment / translate / engage imports run one way.

Edges are read from the source (every `import`, also inside functions), so a cycle hidden behind a
late import is found too. An edge goes to the module named: `from harness.translate.actions import X`
is an edge to `harness.translate.actions`, or to `harness.translate.actions.X` when X is a submodule.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import harness

ROOT = Path(harness.__file__).resolve().parent
PACKAGES = ("harness.js", "harness.segment", "harness.translate", "harness.engage")


def _modules(package: str) -> dict[str, Path]:
    base = ROOT.joinpath(*package.split(".")[1:])
    out = {}
    for path in sorted(base.rglob("*.py")):
        parts = [package, *path.relative_to(base).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known)
    return found


def _graph(package: str) -> dict[str, set[str]]:
    modules = _modules(package)
    known = set(modules)
    return {
        name: {m for m in _imports(name, path, known) if m in known and m != name} for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_inside_a_package_run_one_way(package: str) -> None:
    assert _cycle(_graph(package)) is None


def test_a_cycle_is_found_when_there_is_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_js_imports_nothing_else_of_harness() -> None:
    imported = set().union(*(_imports(m, p, set()) for m, p in _modules("harness.js").items()))
    assert not {m for m in imported if m.startswith("harness") and not m.startswith("harness.js")}
    code = "import sys, harness.js; print('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    assert [m for m in loaded if m.startswith("harness")] == sorted(["harness", *_modules("harness.js")])
