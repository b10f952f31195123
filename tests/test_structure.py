"""The house rules a script can check: no import cycle anywhere in `harness`, and DESIGN.md's layering.

Imports are read from the source (`ast`), the ones under `if TYPE_CHECKING:` included: a cycle that only
type checking sees is still a tangle for a reader. Imports inside functions count too (a lazy import is
a cycle deferred, not removed), except where a module names itself as the place that composes layers.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "harness"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(module: str) -> Iterator[str]:
    """Every harness module `module` imports (a `from pkg import name` of a submodule counts as that module)."""
    tree = ast.parse(MODULES[module].read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            names = [
                f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target for alias in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("harness") and name != module:
                yield name


@functools.cache
def graph() -> dict[str, set[str]]:
    """Module -> the harness modules it imports; built on first use, not at collection (every xdist worker
    collects this module, and parsing the whole package costs most of a second)."""
    return {module: set(_imports(module)) for module in MODULES}


def _package_of(module: str) -> str:
    """`harness.braze.service.track` -> `harness.braze.service`; a package's own __init__ is its package."""
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def _cycle() -> list[str] | None:
    """One import cycle among harness modules (a package's `__init__` re-exporting its children excluded), or None."""
    edges = {
        m: {t for t in targets if not (MODULES[m].name == "__init__.py" and t.startswith(m + "."))}
        for m, targets in graph().items()
    }
    # __init__ modules that merely re-export are skipped as targets of their own descendants' imports too
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt.startswith(node + ".") or node.startswith(nxt + "."):
                continue  # a module and its own package __init__
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if state.get(nxt) is None and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if state.get(start) is None and (found := visit(start)):
            return found
    return None


def test_no_import_cycle_in_harness() -> None:
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def _imported_packages(prefix: str) -> set[str]:
    return {t for m, targets in graph().items() if m.startswith(prefix) for t in targets}


@pytest.mark.parametrize("layer", ["harness.braze.model", "harness.braze.service"])
def test_braze_model_and_service_know_no_http(layer: str) -> None:
    """State and rules import no Flask, werkzeug or waitress, and nothing of the HTTP layer or the facade."""
    offenders = []
    for module, path in MODULES.items():
        if not module.startswith(layer):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            offenders += [f"{module}: {n}" for n in names if n.split(".")[0] in ("flask", "werkzeug", "waitress")]
        offenders += [
            f"{module}: {t}"
            for t in graph()[module]
            if t.startswith(("harness.braze.http", "harness.braze.fake", "harness.braze.backend"))
            or t == "harness.braze"
        ]
    assert offenders == []


def test_braze_layers_run_one_way() -> None:
    """model <- service <- http <- facade: nothing imports upwards."""
    order = ["harness.braze.model", "harness.braze.service", "harness.braze.backend", "harness.braze.http"]
    upward = []
    for module, targets in graph().items():
        own = next((i for i, layer in enumerate(order) if module.startswith(layer)), None)
        if own is None:
            continue
        for target in targets:
            theirs = next((i for i, layer in enumerate(order) if target.startswith(layer)), None)
            if theirs is not None and theirs > own:
                upward.append(f"{module} -> {target}")
    assert upward == []


# DESIGN.md section 2: which top-level packages may import which.
ALLOWED = {
    "js": set(),
    "segment": {"js"},
    "braze": set(),
    "translate": {"js", "segment"},
    "engage": {"segment"},
    "workspace": {"segment", "engage", "translate", "braze", "js"},
    "testing": {"braze", "segment", "engage", "translate", "workspace", "console", "replay", "js"},
    "replay": {"braze", "segment", "engage", "translate", "workspace", "js"},
    "console": {"braze", "segment", "engage", "translate", "workspace", "replay", "js"},
    "cli": {"braze", "segment", "engage", "translate", "workspace", "replay", "console", "testing", "js"},
}
SHARED = {"harness", "harness.contracts", "harness.clock", "harness.resources"}


def _top(module: str) -> str | None:
    parts = module.split(".")
    return (
        parts[1]
        if len(parts) > 1 and f"harness.{parts[1]}" in MODULES and MODULES[f"harness.{parts[1]}"].name == "__init__.py"
        else None
    )


def test_design_layering_between_packages() -> None:
    broken = []
    for module, targets in graph().items():
        mine = _top(module)
        if mine is None:
            continue
        for target in targets:
            theirs = _top(target)
            if theirs is None or theirs == mine or target in SHARED:
                continue
            if theirs not in ALLOWED.get(mine, set()):
                broken.append(f"{module} -> {target}")
    assert broken == []


def test_other_packages_use_only_braze_public_names() -> None:
    """testing, replay, cli, ... import `harness.braze` itself, never its inside (free to rearrange)."""
    deep = [
        f"{m} -> {t}"
        for m, targets in graph().items()
        if not m.startswith("harness.braze")
        for t in targets
        if t.startswith("harness.braze.")
    ]
    assert deep == []
