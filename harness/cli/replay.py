"""`braze-harness replay`: reproduce Segment debugger problems offline and explain them.

    braze-harness replay EVENT.json                       # one event pasted from the debugger's Raw view
    braze-harness replay export.jsonl --json > report.jsonl
    braze-harness replay events.json --endpoint EU-01 --workspace-instance US-03
    braze-harness replay audience.json --client-secret KEY --cohort-audience-key dormant_shopper
    braze-harness replay - --seed export.json --mapping overrides.json --brief < events.jsonl

Exit status: 0 when every event would be delivered, 1 when any would fail in production (with
`--fail-on warning`, also when any has a warning), 2 for usage or configuration errors.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any, BinaryIO

import click

from harness.replay.config import DEFAULT_BATCH_SIZE, ConfigError, ReplayConfig
from harness.replay.loading import load_engage, load_mapping, load_seed, load_segments, load_settings
from harness.replay.parallel import DEFAULT_PARTITIONS
from harness.replay.session import OutputOptions, replay_stream
from harness.replay.workspace import workspace_options
from harness.workspace import WorkspaceError, load_workspace

__all__ = ["replay"]

_PATH = click.Path(exists=True, dir_okay=False, path_type=Path)


def _input_size(stream: BinaryIO) -> int | None:
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _workspace(path: Path | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The settings and replay options a workspace file amounts to ({} and {} without one)."""
    if path is None:
        return {}, {}
    try:
        return workspace_options(load_workspace(path))
    except WorkspaceError as exc:
        raise ConfigError(str(exc)) from None


@click.command()
@click.argument("events", type=click.File("rb"), default="-")
@click.option(
    "--workspace",
    "workspace_file",
    type=_PATH,
    help="A Segment workspace file (as `serve --workspace`): its Braze destinations' settings and mappings, Braze "
    "Cohorts and Engage space; --settings and the flags below override it.",
)
@click.option("--settings", "settings_file", type=_PATH, help="JSON settings file (keys as the flags below).")
@click.option("--api-key", envvar="BRAZE_API_KEY", help="Braze Cloud Mode API Key. [env BRAZE_API_KEY]")
@click.option(
    "--endpoint",
    envvar="BRAZE_REST_ENDPOINT",
    help="REST Endpoint setting: a URL or an instance name (EU-01). [env BRAZE_REST_ENDPOINT]",
)
@click.option("--app-id", envvar="BRAZE_APP_ID", help="App ID setting. [env BRAZE_APP_ID]")
@click.option(
    "--client-secret",
    envvar="BRAZE_CLIENT_SECRET",
    help="Braze Cohorts Client Secret (data import key); connects Braze Cohorts. [env BRAZE_CLIENT_SECRET]",
)
@click.option("--cohorts-endpoint", help="Braze Cohorts REST Endpoint (default: --endpoint).")
@click.option(
    "--workspace-instance",
    envvar="BRAZE_WORKSPACE_INSTANCE",
    help="The instance your Braze workspace is really on (default: the endpoint's). [env BRAZE_WORKSPACE_INSTANCE]",
)
@click.option("--workspace-api-key", "workspace_api_keys", multiple=True, help="A REST API key your workspace has.")
@click.option("--workspace-data-import-key", help="Your workspace's data import key (default: --client-secret).")
@click.option("--mapping", "mapping_file", type=_PATH, help='Mapping overrides: {"Identify Calls": {...}, ...}.')
@click.option(
    "--cohort-audience-key",
    "cohort_audience_keys",
    multiple=True,
    help="personas_audience_key of a Sync Audience mapping (repeatable); connects Braze Cohorts.",
)
@click.option("--legacy-purchases", is_flag=True, help="Route Order Completed to Track Purchase (pre-2026 installs).")
@click.option("--engage", "engage_file", type=_PATH, help="Engage definitions (audiences, computed traits).")
@click.option("--segments", "segments_file", type=_PATH, help='Named Braze segment definitions: {"name": {...}}.')
@click.option(
    "--seed",
    "seed_file",
    type=_PATH,
    help="A saved /users/export/ids response (FILE): your workspace's existing users.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 75),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Events per batch request (Segment's presets batch 75).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event (contracts/replay/report-event.json).")
@click.option("--brief", is_flag=True, help="One line per event.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write DIR/journal.jsonl (every request and answer) and DIR/summary.json.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Exit 1 when an event has a diagnosis of at least this severity.",
)
@click.option("--no-progress", is_flag=True, help="No progress bar (it is shown on terminals only anyway).")
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Worker processes for a partitioned replay (the report does not depend on this number).",
)
@click.option(
    "--partitions",
    type=click.IntRange(1, 4096),
    help=f"Partition the input by person into P parts, batched apart (default 1, or {DEFAULT_PARTITIONS} "
    "with --workers > 1): the same report from any number of workers.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: this machine (--workers processes); dask: Dask tasks over the file (the [dask] extra), on "
    "--scheduler or a local cluster of --workers processes. Same report for the same --partitions.",
)
@click.option("--scheduler", help="With --engine dask: the address of a Dask scheduler (default: a local cluster).")
def replay(
    events: BinaryIO,
    workspace_file: Path | None,
    settings_file: Path | None,
    api_key: str | None,
    endpoint: str | None,
    app_id: str | None,
    client_secret: str | None,
    cohorts_endpoint: str | None,
    workspace_instance: str | None,
    workspace_api_keys: tuple[str, ...],
    workspace_data_import_key: str | None,
    mapping_file: Path | None,
    cohort_audience_keys: tuple[str, ...],
    legacy_purchases: bool,
    engage_file: Path | None,
    segments_file: Path | None,
    seed_file: Path | None,
    batch_size: int,
    as_json: bool,
    brief: bool,
    out_dir: Path | None,
    fail_on: str,
    no_progress: bool,
    workers: int,
    partitions: int | None,
    engine: str,
    scheduler: str | None,
) -> None:
    """Replay Segment events (debugger Raw view, JSON array or JSON Lines) into an offline Braze and explain
    what Segment would send, what Braze answers, the resulting profile, and every known problem.

    EVENTS are files; with none (or `-`), events are read from standard input."""
    try:
        from_workspace, implied = _workspace(workspace_file)
        config = ReplayConfig.build(
            {**from_workspace, **load_settings(settings_file)},
            api_key=api_key,
            endpoint=endpoint,
            app_id=app_id,
            client_secret=client_secret,
            cohorts_endpoint=cohorts_endpoint,
            workspace_instance=workspace_instance,
            workspace_api_keys=workspace_api_keys,
            workspace_data_import_key=workspace_data_import_key,
            mapping=load_mapping(mapping_file) or implied.get("mapping", {}),
            cohort_audience_keys=cohort_audience_keys or implied.get("cohort_audience_keys", ()),
            legacy_purchases=legacy_purchases or implied.get("legacy_purchases", False),
            engage=load_engage(engage_file) or implied.get("engage"),
            segments=load_segments(segments_file),
            seed=load_seed(seed_file),
            batch_size=batch_size,
        )
        # a bar on stderr only when it cannot garble the report: stderr a terminal, stdout redirected or JSON
        show_progress = not no_progress and sys.stderr.isatty() and (as_json or not sys.stdout.isatty())
        options = OutputOptions(as_json, brief, out_dir, _input_size(events) if show_progress else None)
        if partitions is None:
            partitions = DEFAULT_PARTITIONS if workers > 1 or engine == "dask" else 1
        summary, _ = replay_stream(
            config, events, options, partitions=partitions, workers=workers, engine=engine, scheduler=scheduler
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    closing = [summary.sentence(), *summary.segment_lines()]
    if summary.events == 0:  # exit 0 all the same (an export of a quiet hour is empty), but a CI log says so
        closing.append("warning: the input holds no events")
    for line in closing:
        click.echo(line, err=as_json)
    failing = summary.failed or (fail_on == "warning" and summary.with_warnings)
    sys.exit(1 if failing else 0)
