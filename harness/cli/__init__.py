"""`braze-harness`: serve the fake, translate events, replay debugger exports, validate, demo.

Subcommands live in their own modules and are imported only when run, so `braze-harness --help`
and a single `translate` stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

__all__ = ["main"]

# name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "demo": "harness.cli.demo:demo",
    "engage": "harness.cli.engage:engage",
    "replay": "harness.cli.replay:replay",
    "serve": "harness.cli.serve:serve",
    "translate": "harness.cli.translate:translate",
    "validate": "harness.cli.validate:validate",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        command: Any = getattr(importlib.import_module(module_name), attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="segment-braze-harness")
def main() -> None:
    """Offline Segment → Braze harness: a fake Braze, Segment's translation, and replay."""
