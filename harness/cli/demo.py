"""`braze-harness demo`: replay the built-in demo events and tell the story (exit status 0).

`--workspace FILE` plays the demo against a Segment workspace's Braze destinations and Engage space
(the demo's own audience and segments when it has none), as `replay --workspace` reads it.
"""

from __future__ import annotations

from pathlib import Path

import click

from harness.replay.config import ConfigError
from harness.replay.demo import demo_config, run_demo
from harness.replay.workspace import workspace_options
from harness.workspace import WorkspaceError, load_workspace

__all__ = ["demo"]


@click.command()
@click.option(
    "--workspace",
    "workspace_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Play the demo against this Segment workspace file (contracts/segment/workspace.json).",
)
def demo(workspace_file: Path | None) -> None:
    """Show the harness at work on built-in events: no account, no configuration."""
    config = None
    if workspace_file is not None:
        try:
            settings, options = workspace_options(load_workspace(workspace_file))
            config = demo_config(settings, **options)
        except (WorkspaceError, ConfigError) as exc:
            raise click.UsageError(str(exc)) from None
    run_demo(click.echo, config)
