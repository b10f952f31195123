"""`replay --engine dask`: the partitioned replay (`harness.replay.parallel`) as Dask tasks, for logs larger
than one machine handles in time (a day of a large source: 10^8 events or more).

Dask (`pip install 'segment-braze-harness[dask]'`) runs three stages over JSON Lines, each a set of
independent tasks, and the driver only merges; the report is byte for byte the one `--partitions P`
gives on one machine (the same partition rule, clock, numbering and merge):

1. the input is cut into blocks at line boundaries (`block_bytes`); one task per block counts its lines
   and values and finds its latest event time;
2. from those counts the driver knows where each block starts (line and event numbers) and the input's
   latest time before it; one task per block then numbers its events and writes each to the shard of its
   partition (`work_dir/shards/<block>/<partition>`), with the input's latest time so far;
3. one task per partition replays its shards in block order into its own fake and writes the rendered
   reports (`work_dir/reports/<partition>`), returning its request count and segment members;

then the driver merges the P report files by event number (a streaming k-way merge) into the output.
Stage 3 is where the time goes and it scales with the partition count: P partitions keep up to P
workers busy; stages 1 and 2 scale with the number of blocks. `work_dir` must be a filesystem every
worker sees (a local one for a `LocalCluster`). Input here is JSON Lines, one value per line: a line that
is not JSON is an input error, never the start of a pretty-printed value (which the serial reader
gathers over several lines).
"""

from __future__ import annotations

import heapq
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import orjson

from harness.replay.config import ConfigError, ReplayConfig
from harness.replay.inputs import InputItem, batch_call_source, batch_calls
from harness.replay.parallel import (
    Done,
    Partition,
    Rendered,
    _done,
    batch_gc,
    merged_segments,
    partition_of,
    person_key,
)
from harness.replay.runner import _event_time, build_fake
from harness.replay.summary import Summary

__all__ = ["BLOCK_BYTES", "replay_with_dask"]

BLOCK_BYTES = 64 << 20


def _blocks(path: Path, block_bytes: int) -> list[tuple[int, int]]:
    """Byte ranges of `path`, each starting at a line start and ending after a newline (or at the end)."""
    size = path.stat().st_size
    ranges, start = [], 0
    with path.open("rb") as stream:
        while start < size:
            stream.seek(min(start + block_bytes, size))
            stream.readline()
            end = min(stream.tell(), size)
            ranges.append((start, end))
            start = end
    return ranges


def _lines(path: str, start: int, end: int) -> Iterator[bytes]:
    with open(path, "rb") as stream:
        stream.seek(start)
        position = start
        while position < end:
            line = stream.readline()
            if not line:
                return
            position += len(line)
            yield line


def _value(line: bytes) -> tuple[Any, str | None]:
    try:
        return orjson.loads(line), None
    except orjson.JSONDecodeError as exc:
        return None, f"not JSON: {exc}"


def _events(line: bytes, source: str) -> list[tuple[str, Any, str | None]]:
    """A line's events as the serial reader numbers them: (source, value, error); a batch body gives its calls."""
    payload, error = _value(line)
    calls = batch_calls(payload) if error is None else None
    if calls is None:
        return [(source, payload, error)]
    return [(batch_call_source(source, index), call, None) for index, call in enumerate(calls)]


def _count(path: str, start: int, end: int) -> tuple[int, int, datetime | None]:
    """Stage 1: (physical lines, values, latest event time) of one block."""
    lines = values = 0
    latest: datetime | None = None
    for line in _lines(path, start, end):
        lines += 1
        text = line.strip()
        if not text:
            continue
        for _, payload, error in _events(text, ""):
            values += 1
            if error is None and type(payload) is dict:
                moment = _event_time(payload)
                if moment is not None and (latest is None or moment > latest):
                    latest = moment
    return lines, values, latest


def _shard(
    path: str, block: int, start: int, end: int, first_line: int, first_number: int, latest: datetime | None,
    partitions: int, work: str,
) -> int:  # fmt: skip
    """Stage 2: number one block's events and write each to its partition's shard; returns the values written."""
    folder = Path(work) / "shards" / f"{block:06d}"
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[int, IO[bytes]] = {}
    number = first_number - 1
    try:
        for line_no, line in enumerate(_lines(path, start, end), start=first_line):
            text = line.strip()
            if not text:
                continue
            for source, payload, error in _events(text, f"line {line_no}"):
                number += 1
                if error is None and type(payload) is dict:
                    moment = _event_time(payload)
                    if moment is not None and (latest is None or moment > latest):
                        latest = moment
                item = InputItem(number, source, payload, error)
                p = partition_of(person_key(payload), partitions)
                out = files.get(p)
                if out is None:
                    out = files[p] = (folder / f"{p:05d}").open("wb")
                pickle.dump((item, latest), out, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        for out in files.values():
            out.close()
    return number - first_number + 1


def _replay_part(
    config: ReplayConfig, index: int, partitions: int, blocks: int, final: datetime | None, work: str,
    as_json: bool, brief: bool,
) -> tuple[int, dict[str, tuple[int, list[str]]]]:  # fmt: skip
    """Stage 3: replay one partition's shards in input order (then deliver what is left on the input's final
    clock, `final`); write its reports; (requests, segments)."""
    with batch_gc():
        return _replay_shards(config, index, partitions, blocks, final, Path(work), as_json, brief)


def _replay_shards(
    config: ReplayConfig, index: int, partitions: int, blocks: int, final: datetime | None, work: Path,
    as_json: bool, brief: bool,
) -> tuple[int, dict[str, tuple[int, list[str]]]]:  # fmt: skip
    part = Partition(config, index, partitions)
    reports = Path(work) / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    with (reports / f"{index:05d}").open("wb") as out:

        def keep(done: list[Done]) -> None:
            for record in done:
                pickle.dump(record, out, protocol=pickle.HIGHEST_PROTOCOL)

        for block in range(blocks):
            shard = Path(work) / "shards" / f"{block:06d}" / f"{index:05d}"
            if not shard.exists():
                continue
            with shard.open("rb") as stream:
                while True:
                    try:
                        item, latest = pickle.load(stream)
                    except EOFError:
                        break
                    keep(_done(part.feed(item, latest), as_json, brief))
        keep(_done(part.finish(final), as_json, brief))
    return part.requests, part.segments()


def _records(path: Path) -> Iterator[Done]:
    with path.open("rb") as stream:
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return


def replay_with_dask(
    config: ReplayConfig,
    path: Path,
    write: Callable[[Rendered], None],
    *,
    as_json: bool,
    brief: bool,
    partitions: int,
    client: Any = None,
    block_bytes: int = BLOCK_BYTES,
    work_dir: Path | None = None,
) -> Summary:
    """Replay the JSON Lines file `path` with Dask (on `client`, a `distributed.Client`, or Dask's default
    scheduler); `write` gets each event's report in input order."""
    from dask.base import compute as dask_compute
    from dask.delayed import delayed

    if config.seed is not None:
        build_fake(config)  # an unusable seed is refused whole, before any task runs
    work = Path(work_dir) if work_dir is not None else Path(tempfile.mkdtemp(prefix="replay-dask-"))
    own = work_dir is None
    compute: Callable[..., Any] = client.compute if client is not None else dask_compute
    gather: Callable[[Any], Any] = (lambda f: client.gather(f)) if client is not None else (lambda r: r)
    try:
        with path.open("rb") as stream:
            if stream.read(1 << 16).lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"["):
                raise ConfigError("--engine dask reads JSON Lines (one event per line), not a JSON array")
        ranges = _blocks(path, block_bytes)
        counted = gather(compute([delayed(_count)(str(path), s, e) for s, e in ranges]))
        if client is None:
            counted = counted[0]
        starts, line, number, latest = [], 1, 1, None
        for lines, values, block_latest in counted:
            starts.append((line, number, latest))
            line, number = line + lines, number + values
            if block_latest is not None and (latest is None or block_latest > latest):
                latest = block_latest
        sharded = [
            delayed(_shard)(str(path), b, s, e, *starts[b], partitions, str(work)) for b, (s, e) in enumerate(ranges)
        ]
        gather(compute(sharded))
        parts = [
            delayed(_replay_part)(config, p, partitions, len(ranges), latest, str(work), as_json, brief)
            for p in range(partitions)
        ]
        totals = gather(compute(parts))
        if client is None:
            totals = totals[0]
        summary = Summary()
        files = [work / "reports" / f"{p:05d}" for p in range(partitions)]
        for _, rendered, parts_ in heapq.merge(*(_records(f) for f in files), key=lambda r: r[0]):
            write(rendered)
            summary.add_parts(*parts_)
        summary.requests = sum(sent for sent, _ in totals)
        summary.segments = merged_segments([segments for _, segments in totals], config.segments)
        return summary
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)
        elif os.environ.get("HARNESS_KEEP_WORK") is None:
            shutil.rmtree(work / "shards", ignore_errors=True)
