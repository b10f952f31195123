"""Attribute patches that come off in reverse order, and patches applied to a module once it is imported.

`mock.patch` per attribute costs tens of microseconds and a patcher object each; these are a saved
attribute and a `setattr`. The import hook lets a client imported mid-test (`import aiohttp` inside a
test, or lazily by the code under test) be routed like one imported at collection time.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

__all__ = ["ImportHook", "Patches"]

_MISSING = object()


class Patches:
    """`set(owner, name, value)` now, `undo()` later: each attribute back as it was (even a descriptor)."""

    def __init__(self) -> None:
        self._saved: list[tuple[Any, str, Any]] = []
        self._deferred: list[Callable[[], None]] = []

    def set(self, owner: Any, name: str, value: Any) -> Any:
        """Replace `owner.name`; returns what `owner.name` gave before (for the wrapper to call)."""
        before = getattr(owner, name)
        self._saved.append((owner, name, vars(owner).get(name, _MISSING)))
        setattr(owner, name, value)
        return before

    def defer(self, callback: Callable[[], None]) -> None:
        """Run `callback` at `undo()` (before the attributes come back), e.g. to take back a change made
        to another library's object."""
        self._deferred.append(callback)

    def undo(self) -> None:
        while self._deferred:
            self._deferred.pop()()
        while self._saved:
            owner, name, raw = self._saved.pop()
            if raw is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, raw)

    def __len__(self) -> int:
        return len(self._saved)


Installer = Callable[[ModuleType, Patches], None]


class _Loader(importlib.abc.Loader):
    def __init__(self, loader: Any, after: Callable[[ModuleType], None]) -> None:
        self._loader = loader
        self._after = after

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        self._after(module)

    def __getattr__(self, name: str) -> Any:  # is_package, get_resource_reader, get_data, ...
        return getattr(self._loader, name)


class ImportHook(importlib.abc.MetaPathFinder):
    """While installed, run `installers[name](module, patches)` right after `name` is first imported."""

    def __init__(self, installers: dict[str, Installer], patches: Patches) -> None:
        self._installers = installers
        self._patches = patches

    def install(self) -> None:
        if self not in sys.meta_path:
            sys.meta_path.insert(0, self)

    def uninstall(self) -> None:
        while self in sys.meta_path:
            sys.meta_path.remove(self)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        installer = self._installers.get(fullname)
        if installer is None:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: importlib.machinery.ModuleSpec | None = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _Loader(spec.loader, lambda module: self._run(installer, module))
        return spec

    def _run(self, installer: Installer, module: ModuleType) -> None:
        if self not in sys.meta_path:
            return  # imported after the session ended
        try:
            installer(module, self._patches)
        except Exception as exc:  # routing a client must never break importing it
            warnings.warn(f"braze-harness could not route {module.__name__}: {exc!r}", RuntimeWarning, stacklevel=2)
