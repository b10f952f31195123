"""One replay from a byte stream to the report: the loop the `replay` and `demo` commands share.

Output goes out as each event is diagnosed (a terminal report, `--brief` lines, or JSON Lines written
to the binary stdout with orjson), so nothing accumulates; a progress bar (stderr, terminals only)
follows the bytes read.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

import click
import orjson

from harness.replay.config import ConfigError, ReplayConfig
from harness.replay.inputs import read_inputs
from harness.replay.journal_out import JournalWriter
from harness.replay.parallel import batch_gc, replay_partitioned, text_writer
from harness.replay.render.brief import brief_lines
from harness.replay.render.json import event_json
from harness.replay.render.text import event_lines, wrapped
from harness.replay.runner import Replayer
from harness.replay.summary import Summary

__all__ = ["OutputOptions", "replay_stream", "settings_header"]

Echo = Callable[[str], None]
KEEP_USERS = 20


@dataclass(frozen=True, slots=True)
class OutputOptions:
    as_json: bool = False
    brief: bool = False
    out_dir: Path | None = None
    progress_bytes: int | None = None
    """Show a progress bar on stderr for an input of this many bytes (None: no bar)."""


def replay_stream(
    config: ReplayConfig,
    stream: BinaryIO,
    options: OutputOptions,
    echo: Echo = click.echo,
    *,
    partitions: int = 1,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
) -> tuple[Summary, Replayer | None]:
    """Replay every event of `stream` and write the report; return the run's summary and replayer (its fake;
    None for a partitioned run, `harness.replay.parallel`, which has one fake per partition)."""
    with batch_gc():
        if engine == "dask":
            return _replay_dask(config, stream, options, echo, partitions, workers, scheduler), None
        if partitions > 1 or workers > 1:
            return _replay_partitioned(config, stream, options, echo, max(partitions, 1), workers), None
        return _replay_serial(config, stream, options, echo)


def _replay_serial(
    config: ReplayConfig, stream: BinaryIO, options: OutputOptions, echo: Echo
) -> tuple[Summary, Replayer]:
    journal = JournalWriter(options.out_dir) if options.out_dir is not None else None
    replayer = Replayer(config, journal=journal)
    summary = Summary()
    binary: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    bar: Any = (
        click.progressbar(length=options.progress_bytes, file=sys.stderr, label="replaying")
        if options.progress_bytes
        else nullcontext(None)
    )
    header = settings_header(config)
    if header is not None:
        if options.as_json:
            click.echo(header, err=True)
        else:
            echo(header)
    try:
        with bar as progress:
            update = progress.update if progress is not None else None
            for case in replayer.run(read_inputs(stream, update)):
                summary.add(case)
                if options.as_json:
                    encoded = orjson.dumps(event_json(case), option=orjson.OPT_APPEND_NEWLINE)
                    if binary is not None:
                        binary.write(encoded)
                    else:  # a text-only stdout (e.g. replaced by a StringIO)
                        sys.stdout.write(encoded.decode())
                    continue
                for line in brief_lines(case) if options.brief else event_lines(case):
                    echo(line)
                if not options.brief:
                    echo("")
        sys.stdout.flush()
    finally:
        summary.requests = replayer.context.sender.count
        summary.segments = _segment_totals(replayer)
        if journal is not None:
            journal.write_summary(summary.to_json())
            journal.close()
    return summary, replayer


def _replay_partitioned(
    config: ReplayConfig, stream: BinaryIO, options: OutputOptions, echo: Echo, partitions: int, workers: int
) -> Summary:
    if workers > 1 and options.out_dir is not None:
        raise ConfigError("--out writes every request in the order it is sent: it needs --workers 1")
    journal = JournalWriter(options.out_dir) if options.out_dir is not None else None
    binary: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    bar: Any = (
        click.progressbar(length=options.progress_bytes, file=sys.stderr, label="replaying")
        if options.progress_bytes
        else nullcontext(None)
    )
    header = settings_header(config)
    if header is not None:
        if options.as_json:
            click.echo(header, err=True)
        else:
            echo(header)
    summary = Summary()
    try:
        with bar as progress:
            update = progress.update if progress is not None else None
            summary = replay_partitioned(
                config,
                read_inputs(stream, update),
                text_writer(binary, echo),
                as_json=options.as_json,
                brief=options.brief,
                partitions=partitions,
                workers=workers,
                journal=journal,
            )
        sys.stdout.flush()
    finally:
        if journal is not None:
            journal.write_summary(summary.to_json())
            journal.close()
    return summary


def _replay_dask(
    config: ReplayConfig,
    stream: BinaryIO,
    options: OutputOptions,
    echo: Echo,
    partitions: int,
    workers: int,
    scheduler: str | None,
) -> Summary:
    """`--engine dask`: on the scheduler at `scheduler`, or a local cluster of `workers` processes."""
    name = getattr(stream, "name", None)
    if not isinstance(name, str) or name == "<stdin>" or not Path(name).is_file():
        raise ConfigError("--engine dask reads a JSON Lines file (its tasks read their own parts): name one")
    if options.out_dir is not None:
        raise ConfigError("--out writes every request in the order it is sent: it needs the local engine")
    try:
        from distributed import Client, LocalCluster

        from harness.replay.dask_engine import replay_with_dask
    except ImportError:
        raise ConfigError("--engine dask needs Dask: pip install 'segment-braze-harness[dask]'") from None
    header = settings_header(config)
    if header is not None:
        click.echo(header, err=True) if options.as_json else echo(header)
    binary: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    write = text_writer(binary, echo)
    kwargs: dict[str, Any] = {"as_json": options.as_json, "brief": options.brief, "partitions": partitions}
    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            summary = replay_with_dask(config, Path(name), write, client=client, **kwargs)
    else:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        )
        with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            summary = replay_with_dask(config, Path(name), write, client=client, **kwargs)
    sys.stdout.flush()
    return summary


def settings_header(config: ReplayConfig) -> str | None:
    """What the replay filled in for settings nobody gave: every request carries these values."""
    if not config.defaulted:
        return None
    shown = ", ".join(f"{key} {config.braze_settings.get(key)!r}" for key in config.defaulted)
    text = (
        f"settings: {shown} are placeholders (no --settings file, flag or environment gave them), filled into "
        "every request Segment's Braze destination sends"
    )
    return "\n".join(wrapped(text, "  "))


def _segment_totals(replayer: Replayer) -> dict[str, dict[str, Any]]:
    """Who each named segment holds at the end of the run (your workspace, the fake's clock)."""
    totals: dict[str, dict[str, Any]] = {}
    workspace = replayer.config.your_workspace.name
    for name, definition in replayer.config.segments.items():
        found = replayer.fake.segment_members(definition, workspace=workspace)
        shown = list(found.external_ids) + [f"{label}:{alias}" for label, alias in found.user_aliases]
        totals[name] = {"count": len(found), "users": shown[:KEEP_USERS]}
    return totals
