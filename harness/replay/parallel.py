"""A replay partitioned by person: the same report from one process or several (`--partitions`, `--workers`).

In Braze, users are independent except through cohorts and segments, which are unions of users. A
partitioned replay splits the input by person (`userId`, else `anonymousId`; CRC-32 of it modulo the
partition count, so the split is the same in every process and on every machine) and replays each part
into a fake Braze of its own, with Segment's batching applied within the part: a batch holds events of
one partition only. Everything else follows one rule, whatever runs it:

- every partition's fake runs on the clock of the whole input (the latest `receivedAt` / `timestamp` read
  so far, as a serial replay does), so "in the last N days" and future-time checks see the same time;
- partition p of P numbers its requests p+1, p+1+P, p+1+2P, ... and its fake gives braze_ids from the same
  interleaved sequence, so no number is given twice and none depends on what other partitions did;
- the report lists events in input order; the closing counts add up the partitions; a named segment's
  members are the union, partitions in order;
- a `--seed` export is split the same way (by external_id, else the first alias name): each seeded user
  lives in the partition its events go to.

So `--partitions P` with one worker and with any number of workers give byte-identical reports; the
partition count, not the worker count, decides the batches. With one partition (the default without
`--workers`) nothing here runs: the replay is the serial one, batches across all users as before.

What a partitioned run cannot reproduce (the README says so too): a person whose events carry different
identifiers (an anonymousId later identified by a userId) may be split over two partitions, so an
identify merge in Braze or a batch mixing both is not seen as in one serial pass; profiles sharing an
email or phone in different partitions do not share subscription state; each partition's fake creates its
own Braze Cohorts cohort (one name call per partition). Counts of requests therefore depend on P.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import queue
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from multiprocessing.connection import Connection
from typing import IO, Any

import orjson

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from harness.braze import FakeBraze
from harness.replay.config import ReplayConfig
from harness.replay.delivery import Sender
from harness.replay.inputs import InputItem
from harness.replay.journal_out import JournalWriter
from harness.replay.model import EventCase
from harness.replay.render.brief import brief_lines
from harness.replay.render.json import event_json
from harness.replay.render.text import event_lines
from harness.replay.runner import Replayer, _event_time, build_fake
from harness.replay.summary import KEEP_NUMBERS, Summary, parts_of

__all__ = ["DEFAULT_PARTITIONS", "Partition", "batch_gc", "partition_of", "person_key", "replay_partitioned"]

DEFAULT_PARTITIONS = 16
"""The partition count of `--workers N` without `--partitions`: fixed, so any N gives the same report."""
CHUNK = 512
"""Events per message to a worker process."""
PIPE_BYTES = 1 << 20
"""The pipe buffer asked for (Linux's default cap, /proc/sys/fs/pipe-max-size): a worker's answer to one chunk
(512 JSON reports, about 0.9 MB) then fits, so neither side waits for the other to drain a 64 KiB pipe."""

Rendered = bytes | list[str]
Parts = tuple[int, str, bool, tuple[str, ...]]
Done = tuple[int, Rendered, Parts]
"""One diagnosed event as the report needs it: its number, its rendered report, its summary parts."""


@contextlib.contextmanager
def batch_gc() -> Iterator[None]:
    """A replay allocates millions of short-lived objects next to a large, long-lived state (the fake's
    profiles): with Python's default thresholds the collector walks that state over and over (15-20% of a
    replay). Inside, collections are rarer (gen 0 every 20,000 allocations); nothing else changes, and the
    thresholds are restored after. Worker processes forked inside inherit them."""
    before = gc.get_threshold()
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def person_key(payload: Any) -> str:
    """Who an event is about, for partitioning: its userId, else its anonymousId, else ""."""
    if type(payload) is dict:
        for key in ("userId", "anonymousId"):
            value = payload.get(key)
            if type(value) is str and value:
                return value
    return ""


def partition_of(key: str, count: int) -> int:
    """The partition of a person key: CRC-32 of its UTF-8 bytes modulo `count` (the same in any process)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % count if count > 1 else 0


def _seed_part(seed: Any, index: int, count: int) -> Any:
    """The users of a `/users/export/ids` seed that belong to partition `index`."""
    users = seed.get("users") if isinstance(seed, dict) else seed
    if not isinstance(users, list):
        return seed

    def key(user: Any) -> str:
        if not isinstance(user, dict):
            return ""
        if isinstance(user.get("external_id"), str):
            return str(user["external_id"])
        aliases = user.get("user_aliases")
        if isinstance(aliases, list) and aliases and isinstance(aliases[0], dict):
            return str(aliases[0].get("alias_name") or "")
        return ""

    kept = [user for user in users if partition_of(key(user), count) == index]
    return {**seed, "users": kept} if isinstance(seed, dict) else kept


class _PartitionSender(Sender):
    """Numbers requests first, first+step, first+2*step, ..."""

    def __init__(self, fake: FakeBraze, journal: JournalWriter | None, first: int, step: int) -> None:
        super().__init__(fake, journal)
        self._ids = itertools.count(first, step)


class Partition:
    """One partition's replay: its own fake and batching windows, on the whole input's clock."""

    def __init__(self, config: ReplayConfig, index: int, count: int, journal: JournalWriter | None = None) -> None:
        self.index = index
        fake = build_fake(replace(config, seed=None))
        ids = fake.store.ids
        ids.value, ids.step = ids.value + index, count  # braze_ids: every count-th from this partition's own
        if config.seed is not None:  # (checked whole by `replay_partitioned` first)
            fake.seed(_seed_part(config.seed, index, count), workspace=config.all_workspaces()[0].name)
        self.replayer = Replayer(config, fake=fake)
        self.replayer.context.sender = _PartitionSender(fake, journal, index + 1, count)

    def feed(self, item: InputItem, latest: datetime | None) -> list[EventCase]:
        """Prepare and add one event; `latest`: the input's latest time so far (this event's included)."""
        replayer = self.replayer
        case = replayer.prepare(item)
        replayer._latest = latest
        return replayer.feed(case)

    def finish(self, latest: datetime | None) -> list[EventCase]:
        self.replayer._latest = latest
        return self.replayer.finish()

    @property
    def requests(self) -> int:
        return self.replayer.context.sender.count

    def segments(self) -> dict[str, tuple[int, list[str]]]:
        """Each named segment's members here at the end: (count, the first users shown)."""
        replayer = self.replayer
        workspace = replayer.config.your_workspace.name
        found: dict[str, tuple[int, list[str]]] = {}
        for name, definition in replayer.config.segments.items():
            members = replayer.fake.segment_members(definition, workspace=workspace)
            shown = list(members.external_ids) + [f"{label}:{alias}" for label, alias in members.user_aliases]
            found[name] = (len(members), shown[:KEEP_NUMBERS])
        return found


def render(case: EventCase, as_json: bool, brief: bool) -> Rendered:
    """An event's report: its JSON line (bytes) or its text lines."""
    if as_json:
        return orjson.dumps(event_json(case), option=orjson.OPT_APPEND_NEWLINE)
    return list(brief_lines(case)) if brief else [*event_lines(case), ""]


def _done(cases: list[EventCase], as_json: bool, brief: bool) -> list[Done]:
    return [(case.number, render(case, as_json, brief), parts_of(case)) for case in cases]


class _Merger:
    """Writes events in input order as they arrive from the partitions, and adds them to the summary."""

    def __init__(self, write: Callable[[Rendered], None], summary: Summary) -> None:
        self.write = write
        self.summary = summary
        self.next = 1
        self.ready: dict[int, tuple[Rendered, Parts]] = {}

    def add(self, done: Iterable[Done]) -> None:
        ready = self.ready
        for number, rendered, parts in done:
            ready[number] = (rendered, parts)
        while self.next in ready:
            rendered, parts = ready.pop(self.next)
            self.write(rendered)
            self.summary.add_parts(*parts)
            self.next += 1


def _timed(items: Iterable[InputItem]) -> Iterator[tuple[InputItem, datetime | None]]:
    """Each item with the input's latest event time so far (as `Replayer.prepare` keeps it)."""
    latest: datetime | None = None
    for item in items:
        if item.error is None and type(item.payload) is dict:
            moment = _event_time(item.payload)
            if moment is not None and (latest is None or moment > latest):
                latest = moment
        yield item, latest


def merged_segments(per_partition: list[dict[str, tuple[int, list[str]]]], names: Iterable[str]) -> dict[str, Any]:
    totals: dict[str, Any] = {}
    for name in names:
        count = sum(found[name][0] for found in per_partition)
        users = [user for found in per_partition for user in found[name][1]]
        totals[name] = {"count": count, "users": users[:KEEP_NUMBERS]}
    return totals


def replay_partitioned(
    config: ReplayConfig,
    items: Iterable[InputItem],
    write: Callable[[Rendered], None],
    *,
    as_json: bool,
    brief: bool,
    partitions: int,
    workers: int = 1,
    journal: JournalWriter | None = None,
) -> Summary:
    """Replay `items` in `partitions` partitions, on `workers` processes (1: this one); `write` gets each
    event's report in input order. The report does not depend on `workers`."""
    if config.seed is not None:
        build_fake(config)  # a seed that cannot be used is refused whole (ConfigError), as in a serial replay
    summary = Summary()
    merger = _Merger(write, summary)
    if workers <= 1:
        parts = [Partition(config, p, partitions, journal) for p in range(partitions)]
        latest: datetime | None = None
        for item, latest in _timed(items):
            part = parts[partition_of(person_key(item.payload), partitions)]
            merger.add(_done(part.feed(item, latest), as_json, brief))
        for part in parts:
            merger.add(_done(part.finish(latest), as_json, brief))
        summary.requests = sum(part.requests for part in parts)
        summary.segments = merged_segments([part.segments() for part in parts], config.segments)
    else:
        if journal is not None:
            raise ValueError("--out writes requests in the order they are sent: it needs --workers 1")
        requests, segments = _run_workers(config, items, merger, as_json, brief, partitions, workers)
        summary.requests = requests
        summary.segments = merged_segments(segments, config.segments)
    if merger.ready:
        raise RuntimeError(f"partitioned replay lost events before #{min(merger.ready)}")
    return summary


# -- worker processes ---------------------------------------------------------------------------------------
def _worker(
    config: ReplayConfig, mine: list[int], count: int, as_json: bool, brief: bool, inbox: Connection, outbox: Connection
) -> None:
    """Replay the partitions `mine` from the items the parent sends; send back each event's report."""
    parts = {p: Partition(config, p, count) for p in mine}
    while True:
        message = inbox.recv()
        if message[0] == "items":
            done: list[Done] = []
            for index, item, latest in message[1]:
                if type(item) is tuple:  # (number, source, JSON text): see `_shipped`
                    item = InputItem(item[0], item[1], orjson.loads(item[2]), text=item[2])
                done += _done(parts[index].feed(item, latest), as_json, brief)
            if done:
                outbox.send(("done", done))
        else:
            latest = message[1]
            for p in mine:
                outbox.send(("done", _done(parts[p].finish(latest), as_json, brief)))
            outbox.send(("end", sum(part.requests for part in parts.values()), [parts[p].segments() for p in mine]))
            return


def _shipped(item: InputItem) -> InputItem | tuple[int, str, bytes]:
    """An item as sent to a worker: a value read from JSON text goes as that text (the line it was read
    from, else orjson's text of it, which reads back equal), far cheaper to pickle than the value; anything
    else as it is."""
    if item.error is None and item.payload is not None and item.source.startswith("line"):
        return item.number, item.source, item.text if item.text is not None else orjson.dumps(item.payload)
    return item


def _widen(pipe: Connection) -> None:
    """Ask for a larger pipe buffer where the system has the call (Linux); keep the default elsewhere or if refused.

    With 64 KiB, a worker's report message blocks it until the parent's reader thread, which shares the
    parent's GIL, has read the message in 64 KiB pieces; with 1 MiB, two workers replay about 15% faster
    (benchmarks/README.md)."""
    setter = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setter is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), setter, PIPE_BYTES)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin" else "spawn")


def _run_workers(
    config: ReplayConfig,
    items: Iterable[InputItem],
    merger: _Merger,
    as_json: bool,
    brief: bool,
    partitions: int,
    workers: int,
) -> tuple[int, list[dict[str, tuple[int, list[str]]]]]:
    context = _context()
    workers = min(workers, partitions)
    owner = [p % workers for p in range(partitions)]
    inboxes: list[Connection] = []
    processes = []
    arrivals: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
    ends: list[Any] = [None] * workers
    outboxes: list[Connection] = []
    for w in range(workers):  # every worker forked before any thread of ours runs
        mine = [p for p in range(partitions) if owner[p] == w]
        inbox_read, inbox_write = context.Pipe(duplex=False)
        outbox_read, outbox_write = context.Pipe(duplex=False)
        _widen(inbox_read)
        _widen(outbox_read)
        process = context.Process(
            target=_worker, args=(config, mine, partitions, as_json, brief, inbox_read, outbox_write), daemon=True
        )
        process.start()
        inbox_read.close()
        outbox_write.close()
        inboxes.append(inbox_write)
        outboxes.append(outbox_read)
        processes.append(process)
    for w, outbox in enumerate(outboxes):
        threading.Thread(target=_collect, args=(outbox, w, arrivals), daemon=True).start()
    open_readers = workers

    def take(message: tuple[int, Any]) -> None:
        nonlocal open_readers
        w, body = message
        if body[0] == "done":
            merger.add(body[1])
        else:  # "end" (the worker's totals) or "closed": nothing more comes from this worker
            open_readers -= 1
            if body[0] == "end":
                ends[w] = (body[1], body[2])

    try:
        chunks: list[list[tuple[int, Any, datetime | None]]] = [[] for _ in range(workers)]
        latest: datetime | None = None
        for n, (item, latest) in enumerate(_timed(items), start=1):
            p = partition_of(person_key(item.payload), partitions)
            chunk = chunks[owner[p]]
            chunk.append((p, _shipped(item), latest))
            if len(chunk) >= CHUNK:
                inboxes[owner[p]].send(("items", chunk))
                chunks[owner[p]] = []
            if n % CHUNK == 0:
                with contextlib.suppress(queue.Empty):
                    while True:
                        take(arrivals.get_nowait())
        for w, chunk in enumerate(chunks):
            if chunk:
                inboxes[w].send(("items", chunk))
            inboxes[w].send(("end", latest))
        while open_readers:  # each reader's messages come in the order its worker sent them, its end last
            take(arrivals.get())
        if not all(e is not None for e in ends):
            codes = [p.exitcode for p in processes]
            raise RuntimeError(f"a replay worker process ended early (exit codes {codes})")
    finally:
        for inbox in inboxes:
            inbox.close()
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
    by_partition: dict[int, dict[str, tuple[int, list[str]]]] = {}
    requests = 0
    for w, (sent, segments) in enumerate(ends):
        requests += sent
        for p, found in zip([p for p in range(partitions) if owner[p] == w], segments, strict=True):
            by_partition[p] = found
    return requests, [by_partition[p] for p in range(partitions)]


def _collect(outbox: Connection, w: int, arrivals: queue.SimpleQueue[tuple[int, Any]]) -> None:
    """Read one worker's messages as they come and queue them, in order, for the main thread; its "end"
    (or, if the worker died, "closed") last. One queue keeps each worker's order, so the main thread has
    every report of a worker once it has taken that worker's end."""
    try:
        while True:
            message = outbox.recv()
            arrivals.put((w, message))
            if message[0] != "done":
                return
    except (EOFError, OSError):
        arrivals.put((w, ("closed",)))


def text_writer(binary: IO[bytes] | None, echo: Callable[[str], None]) -> Callable[[Rendered], None]:
    """Where rendered reports go: JSON lines to the binary stdout, text lines through `echo`."""

    def write(rendered: Rendered) -> None:
        if isinstance(rendered, bytes):
            if binary is not None:
                binary.write(rendered)
            else:
                sys.stdout.write(rendered.decode())
        else:
            for line in rendered:
                echo(line)

    return write
