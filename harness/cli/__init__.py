"""`braze-harness`: serve the fake, translate events, replay debugger exports, validate, demo.

Subcommands live in their own modules and are imported only when run, so `braze-harness --help`
and a single `translate` stay fast.
"""

from __future__ import annotations

import importlib

import click

__all__ = ["main"]

# name -> ("module:attribute" of a click command, one-line help shown by --help without importing it)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("harness.cli.demo:demo", "Replay a built-in sample of Segment events and explain what Braze does."),
    "engage": ("harness.cli.engage:engage", "Run Engage audiences / computed traits over an events file."),
    "replay": ("harness.cli.replay:replay", "Replay Segment debugger events offline and diagnose them."),
    "serve": ("harness.cli.serve:serve", "Serve a fake Braze over HTTP (127.0.0.1 by default)."),
    "translate": ("harness.cli.translate:translate", "Print what Segment's Braze destinations send for a case."),
    "validate": ("harness.cli.validate:validate", "Check Segment events or Braze bodies against the contracts."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, _, attribute = entry[0].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="segment-braze-harness")
def main() -> None:
    """Offline Segment → Braze harness: a fake Braze, Segment's translation, and replay."""
