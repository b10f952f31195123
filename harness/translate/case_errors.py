"""The harness's own errors for a case it cannot run, each naming what is missing and what exists.

These are not Segment's errors (Segment never sees such a case): they are `CaseError`s, reported in
the output's `error` like the reference runner's `OracleError`, with a message that says how to fix it.
"""

from __future__ import annotations

from harness.translate.destinations import DESTINATIONS, Destination
from harness.translate.errors import CaseError

__all__ = ["missing_action", "unknown_action", "unknown_destination", "unknown_preset"]


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _choices(dest: Destination) -> str:
    presets = [p.name for p in dest.presets]
    text = f"{dest.slug} actions: {', '.join(dest.action_names())}"
    return f"{text}; presets: {_quoted(presets)}" if presets else f"{text} (no presets)"


def unknown_destination(name: object) -> CaseError:
    shown = "no destination" if name in (None, "") else f"unknown destination {name!s}"
    return CaseError(f'{shown}: "destination" must be one of {_quoted(list(DESTINATIONS))}')


def missing_action(dest: Destination) -> CaseError:
    return CaseError(f'the case names no "action" and no "preset": give one ({_choices(dest)})')


def unknown_action(dest: Destination, action: object) -> CaseError:
    return CaseError(f"unknown action {action!s} ({_choices(dest)})")


def unknown_preset(dest: Destination, preset: object) -> CaseError:
    return CaseError(f"unknown preset {preset!s} ({_choices(dest)})")
