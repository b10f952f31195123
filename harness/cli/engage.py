"""`braze-harness engage`: run Engage definitions over an events file, print what Engage would send.

The printing is the only I/O here; `run_engage` returns the events, the seam where delivery to the
fake Braze (through the translator) plugs in once those layers are merged.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import click

from harness.engage import (
    DefinitionError,
    EngageSimulator,
    SimulatedClock,
    load_definitions,
    parse_duration,
)
from harness.segment import SegmentEventError, parse_events, parse_timestamp

__all__ = ["engage", "run_engage"]


def run_engage(
    definition_text: str,
    events_text: str,
    *,
    clock: datetime | None = None,
    until: datetime | None = None,
    sync_interval: timedelta = timedelta(hours=8),
    backfill: bool = True,
    seed: int = 0,
    space_id: str | None = None,
) -> list[dict[str, Any]]:
    """Parse a definition file and an events file (JSON array or JSON Lines); return Engage's output."""
    space = load_definitions(definition_text)
    events = parse_events(events_text)
    simulator = EngageSimulator(
        space.definitions,
        clock=SimulatedClock(clock) if clock else None,
        sync_interval=sync_interval,
        backfill=backfill,
        space_id=space_id or space.space_id,
        seed=seed,
    )
    return simulator.run(events, until)


def _timestamp(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO-8601 timestamp") from None


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> timedelta:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.option(
    "--definition",
    "definition_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Audience / computed-trait definition JSON (one definition or a space with several).",
)
@click.argument("events_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--clock",
    callback=_timestamp,
    default=None,
    help="Simulated time at which the definitions are created; earlier events are history. "
    "Default: the first event's timestamp.",
)
@click.option(
    "--until",
    callback=_timestamp,
    default=None,
    help="Run sync ticks up to this time. Default: the first tick at or after the last event.",
)
@click.option(
    "--sync-interval",
    callback=_duration,
    default="8h",
    show_default=True,
    help="Batch sync schedule (e.g. 8h, 30m, 1d).",
)
@click.option("--backfill/--no-backfill", default=True, show_default=True, help="Historical backfill.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the personas_ message ids.")
@click.option("--space-id", default=None, help="Engage space id (spa_…) for context.personas.")
def engage(
    definition_path: Path,
    events_path: Path,
    clock: datetime | None,
    until: datetime | None,
    sync_interval: timedelta,
    backfill: bool,
    seed: int,
    space_id: str | None,
) -> None:
    """Run DEFINITION over EVENTS_PATH (JSON array or JSON Lines); print Engage's events as JSON Lines."""
    try:
        emitted = run_engage(
            definition_path.read_text(encoding="utf-8"),
            events_path.read_text(encoding="utf-8"),
            clock=clock,
            until=until,
            sync_interval=sync_interval,
            backfill=backfill,
            seed=seed,
            space_id=space_id,
        )
    except DefinitionError as exc:
        _fail(f"{definition_path}: invalid definition", [str(v) for v in exc.violations])
    except SegmentEventError as exc:
        _fail(f"{events_path}: {exc.message}", [str(v) for v in exc.violations])
    for event in emitted:
        click.echo(json.dumps(event, ensure_ascii=False))


def _fail(headline: str, details: list[str]) -> NoReturn:
    click.echo(f"error: {headline}", err=True)
    for line in details:
        click.echo(f"  {line}", err=True)
    sys.exit(1)
