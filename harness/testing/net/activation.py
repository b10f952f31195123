"""Putting the guard and the client seams in place while at least one session is active.

The socket guard and the socket-level seams go in at once; a client library's seam goes in when the
library is imported (now, or later through an import hook), so a run that never imports aiohttp never
imports it for the harness either. Everything comes off when the last session ends.
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from harness.testing.net import async_aiohttp, async_httpx, guard, mockers, sockets
from harness.testing.net.patches import ImportHook, Installer, Patches
from harness.testing.net.session import NetworkSession

__all__ = ["SEAMS", "active", "start", "stop"]

SEAMS: dict[str, Installer] = {
    "urllib3.util.connection": sockets.install_urllib3,
    "httpcore._backends.anyio": async_httpx.install,
    "httpcore._backends.trio": async_httpx.install,
    "aiohttp.connector": async_aiohttp.install,
    "responses": mockers.install_responses,
    "requests_mock.adapter": mockers.install_requests_mock,
    "respx.router": mockers.install_respx_router,
    "respx.mocks": mockers.install_respx_mocks,
}
"""Module -> what routes (or makes room for) it; applied when the module is (or gets) imported."""

_LOCK = threading.RLock()
_installed: tuple[Patches, ImportHook] | None = None


def _install() -> tuple[Patches, ImportHook]:
    patches = Patches()
    try:
        guard.install(patches)
        sockets.install(patches)
    except BaseException:
        patches.undo()
        raise
    later: dict[str, Installer] = {}
    for name, installer in SEAMS.items():
        module = sys.modules.get(name)
        if module is None:
            later[name] = installer
            continue
        try:
            installer(module, patches)
        except Exception as exc:  # an unexpected library version: unrouted, still guarded
            warnings.warn(f"braze-harness could not route {name}: {exc!r}", RuntimeWarning, stacklevel=3)
    hook = ImportHook(later, patches)
    hook.install()
    return patches, hook


def start(session: NetworkSession) -> NetworkSession:
    """Make `session` the current one (installing the patches if it is the first)."""
    global _installed
    with _LOCK:
        if session.push():
            try:
                _installed = _install()
            except BaseException:
                session.pop()
                raise
    return session


def stop(session: NetworkSession) -> None:
    """End `session`: its routed connections close; the patches come off with the last session."""
    global _installed
    with _LOCK:
        session.close_connections()
        session.restore_environment()
        if session.pop() and _installed is not None:
            patches, hook = _installed
            _installed = None
            hook.uninstall()
            patches.undo()


@contextmanager
def active(session: NetworkSession) -> Iterator[NetworkSession]:
    start(session)
    try:
        yield session
    finally:
        stop(session)
