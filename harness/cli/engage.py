"""`braze-harness engage`: run Engage definitions over an events file; print or deliver what Engage sends.

`run_engage` returns Engage's events; `deliver` hands each one to Segment's Braze destinations (the
translation core, with a default install's routing) and posts the requests to a Braze URL, such as a
running `braze-harness serve`. Track events also go through Braze Cohorts when asked, with the audience
key as `personas_audience_key` and the saved cohort name carried from call to call, as Segment does.
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

__all__ = ["deliver", "engage", "run_engage"]


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


def deliver(
    emitted: list[dict[str, Any]], url: str, *, api_key: str, client_secret: str, cohorts: bool
) -> list[tuple[str, int, Any]]:
    """Send Engage's events as Segment's Braze destinations would, to `url`; (path, status, body) each."""
    import httpx

    from harness.translate import translate

    settings = {"api_key": api_key}
    cohort_settings = {"client_secret": client_secret}
    states: dict[str, dict[str, Any]] = {}
    results = []
    with httpx.Client(base_url=url.rstrip("/"), timeout=30) as client:
        for event in emitted:
            translations = [translate(event, settings=settings)]
            personas = (event.get("context") or {}).get("personas") or {}
            if cohorts and event.get("type") == "track" and personas.get("computation_class") == "audience":
                key = personas["computation_key"]
                cohort = translate(
                    event,
                    destination="braze-cohorts",
                    settings=cohort_settings,
                    mapping={"personas_audience_key": key},
                    state=states.setdefault(key, {}),
                )
                states[key].update(cohort.state_set or {})
                translations.append(cohort)
            for result in translations:
                for request in result.requests:
                    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
                    answer = client.request(request.method, request.path, json=request.body, headers=headers)
                    results.append((request.path, answer.status_code, answer.json()))
    return results


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
@click.option(
    "--random-seed",
    "seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed for the personas_ message ids (an integer; `replay --seed` is a file, hence the name).",
)
@click.option(
    "--seed",
    "old_seed",
    type=int,
    default=None,
    hidden=True,
    callback=lambda _ctx, _param, value: _deprecated_seed(value),
)
@click.option("--space-id", default=None, help="Engage space id (spa_…) for context.personas.")
@click.option(
    "--deliver",
    "deliver_url",
    default=None,
    metavar="URL",
    help="Send what Engage emits, as Segment's Braze destinations would, to this Braze base URL "
    "(e.g. a running `braze-harness serve`); prints one line per request instead of the events.",
)
@click.option("--api-key", default="engage-demo-key", show_default=True, help="REST API key for --deliver.")
@click.option(
    "--cohorts/--no-cohorts",
    default=False,
    show_default=True,
    help="With --deliver, also sync audiences through Braze Cohorts (track events).",
)
@click.option(
    "--client-secret",
    default="engage-demo-import-key",
    show_default=True,
    help="Braze Cohorts data import key for --deliver --cohorts.",
)
def engage(
    definition_path: Path,
    events_path: Path,
    clock: datetime | None,
    until: datetime | None,
    sync_interval: timedelta,
    backfill: bool,
    seed: int,
    old_seed: int | None,
    space_id: str | None,
    deliver_url: str | None,
    api_key: str,
    cohorts: bool,
    client_secret: str,
) -> None:
    """Run DEFINITION over EVENTS_PATH (JSON array or JSON Lines); print Engage's events as JSON Lines."""
    if old_seed is not None:
        seed = old_seed
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
    if deliver_url is None:
        for event in emitted:
            click.echo(json.dumps(event, ensure_ascii=False))
        return
    import httpx

    failed = 0
    try:
        results = deliver(emitted, deliver_url, api_key=api_key, client_secret=client_secret, cohorts=cohorts)
    except httpx.HTTPError as exc:
        _fail(f"could not deliver to {deliver_url}: {exc}", ["is `braze-harness serve` running there?"])
    for path, status, body in results:
        failed += status >= 300
        click.echo(f"POST {path} {status} {json.dumps(body, ensure_ascii=False)}")
    click.echo(f"{len(emitted)} Engage events delivered to {deliver_url}; {failed} request(s) refused", err=True)
    sys.exit(1 if failed else 0)


def _deprecated_seed(value: int | None) -> int | None:
    """`engage --seed N` (an integer) clashed with `replay --seed FILE`; kept for one release."""
    if value is not None:
        click.echo("warning: `engage --seed` is deprecated and will be removed; use --random-seed", err=True)
    return value


def _fail(headline: str, details: list[str]) -> NoReturn:
    click.echo(f"error: {headline}", err=True)
    for line in details:
        click.echo(f"  {line}", err=True)
    sys.exit(1)
