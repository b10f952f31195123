"""`braze-harness demo`: replay the built-in demo events and tell the story (exit status 0)."""

from __future__ import annotations

import click

from harness.replay.demo import run_demo

__all__ = ["demo"]


@click.command()
def demo() -> None:
    """Show the harness at work on built-in events: no account, no configuration."""
    run_demo(click.echo)
