"""A partitioned replay gives the same report from one process and from several (`--partitions`, `--workers`).

Byte for byte, in every output (JSON Lines, text, brief) and the closing lines: on every shipped fixture
with the settings its own tests use, on the demo stream with its segments and seed, and on generated
streams of identify / track / Order Completed events over a few users. With one partition (the default)
the replay is the serial one; with P partitions, each person's events are replayed as a serial replay
of that person's part would (outcomes and diagnoses per event as with one partition, for independent users).
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from harness.replay import parallel
from harness.replay.config import ReplayConfig
from harness.replay.inputs import InputItem
from harness.replay.parallel import partition_of, person_key, replay_partitioned

from .support import SEGMENT, SETTINGS, replay

FIXTURES: list[tuple[Path, tuple[str, ...]]] = [
    *((path, ()) for path in sorted(SEGMENT.glob("*.json"))),
    (SEGMENT / "wrong-api-key.json", ("--settings", str(SETTINGS / "wrong-api-key.settings.json"))),
    (SEGMENT / "cohort-unknown-user.json", ("--client-secret", "dik-1")),
    (SEGMENT / "update-only-unknown-user.json", ("--mapping", str(SETTINGS / "update-only.mapping.json"))),
    (SEGMENT / "limit-too-many-products.json", ("--legacy-purchases",)),
    (
        SEGMENT / "demo.jsonl",
        ("--segments", str(SETTINGS / "demo-segments.json"), "--seed", str(SETTINGS / "seed-export.json")),
    ),
]


def _run(path: Path, *args: str) -> tuple[int, bytes, bytes]:
    result = replay(path, *args)
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


@pytest.mark.parametrize(("path", "args"), FIXTURES, ids=lambda v: v.name if isinstance(v, Path) else " ".join(v))
def test_workers_do_not_change_the_report_of_a_partitioned_replay(path: Path, args: tuple[str, ...]) -> None:
    assert _run(path, *args, "--json", "--partitions", "3") == _run(
        path, *args, "--json", "--partitions", "3", "--workers", "2"
    )


@pytest.mark.parametrize("output", [(), ("--brief",)], ids=["text", "brief"])
def test_workers_do_not_change_the_text_report(output: tuple[str, ...]) -> None:
    path, args = FIXTURES[-1]  # the demo: segments, a seed, every kind of line
    serial = _run(path, *args, *output, "--partitions", "16")
    assert serial == _run(path, *args, *output, "--workers", "3")  # --workers alone: 16 partitions


def _reports(stdout: bytes) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in stdout.splitlines() if line.strip()]


def _verdicts(reports: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["number"], r["outcome"], [d["code"] for d in r["diagnoses"]]) for r in reports]


def test_partitions_keep_each_events_outcome_and_diagnoses_for_independent_users() -> None:
    path, args = SEGMENT / "demo.jsonl", ("--segments", str(SETTINGS / "demo-segments.json"))
    one = _reports(_run(path, *args, "--json")[1])
    many = _reports(_run(path, *args, "--json", "--partitions", "4")[1])
    assert _verdicts(one) == _verdicts(many)

    def apart_from_batches(report: dict[str, Any]) -> dict[str, Any]:  # request ids, batch bodies, braze_ids
        profile = report["profile"] and {**report["profile"], "braze_id": None}
        return {**report, "deliveries": [d["ok"] for d in report["deliveries"]], "profile": profile}

    assert [apart_from_batches(r) for r in many] == [apart_from_batches(r) for r in one]


def _stream(seed: int, size: int, users: int) -> list[InputItem]:
    rng = random.Random(seed)
    items: list[InputItem] = []
    for n in range(1, size + 1):
        user = rng.randrange(users)
        stamp = f"2024-03-0{1 + n // 100}T{n % 24:02d}:00:00.000Z"
        event: dict[str, Any] = {"messageId": f"m{n}", "timestamp": stamp, "receivedAt": stamp}
        if rng.random() < 0.2:
            event["anonymousId"] = f"anon-{user}"
        else:
            event["userId"] = f"user-{user}"
        roll = rng.random()
        if roll < 0.4:
            event.update(type="identify", traits={"plan": rng.choice(("free", "pro")), "email": f"u{user}@example.com"})
        elif roll < 0.85:
            event.update(type="track", event=rng.choice(("Played", "Viewed")), properties={"n": rng.randrange(9)})
        elif roll < 0.95:
            price = rng.choice((5, "x", -1))
            event.update(type="track", event="Order Completed", properties={"products": [{"price": price}]})
        else:
            event.update(type="track", event="Played")
            del event["receivedAt"]
        items.append(InputItem(n, f"line {n}", payload=event))
    items.append(InputItem(size + 1, f"line {size + 1}", error="not JSON: a broken line"))
    return items


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_streams_give_the_same_report_from_any_number_of_workers(seed: int) -> None:
    config = ReplayConfig.build(None, batch_size=rng_batch(seed))
    items = _stream(seed, 400, users=25)
    runs = []
    for workers in (1, 2, 3):
        out: list[Any] = []
        summary = replay_partitioned(
            config, items, out.append, as_json=True, brief=False, partitions=5, workers=workers
        )
        runs.append((b"".join(out), summary.to_json()))
    assert runs[0] == runs[1] == runs[2]
    numbers = [r["number"] for r in _reports(runs[0][0])]
    assert numbers == list(range(1, 402))  # every event once, in input order


def test_reports_that_reach_the_parent_late_are_all_in_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's last reports and its totals can reach the parent after the worker has exited (its reader
    thread was slow, the machine busy): the report still holds every event, as from one process."""
    real_collect = parallel._collect

    def late_collect(outbox: Any, w: int, arrivals: Any) -> None:
        held: queue.SimpleQueue[Any] = queue.SimpleQueue()
        real_collect(outbox, w, held)  # everything the worker sent, up to its end
        time.sleep(0.05 * (w + 1))  # ... handed over only now, all at once, one worker later than the other
        while not held.empty():
            arrivals.put(held.get())

    config = ReplayConfig.build(None, batch_size=10)
    items = _stream(4, 300, users=25)
    alone: list[Any] = []
    replay_partitioned(config, items, alone.append, as_json=True, brief=False, partitions=4, workers=1)
    monkeypatch.setattr(parallel, "_collect", late_collect)
    late: list[Any] = []
    replay_partitioned(config, items, late.append, as_json=True, brief=False, partitions=4, workers=2)
    assert b"".join(late) == b"".join(alone)


def test_pipes_to_workers_are_widened_where_the_system_allows() -> None:
    """Linux: a worker's answer to one chunk (about 0.9 MB of JSON reports) fits in the pipe, so the worker
    does not wait on the parent's reader thread for every 64 KiB."""
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("no pipe sizes on this system")
    read, write = multiprocessing.Pipe(duplex=False)
    try:
        parallel._widen(read)
        assert fcntl.fcntl(read.fileno(), fcntl.F_GETPIPE_SZ) >= min(parallel.PIPE_BYTES, _pipe_max())
    finally:
        read.close()
        write.close()


def _pipe_max() -> int:
    try:
        return int(Path("/proc/sys/fs/pipe-max-size").read_text())
    except (OSError, ValueError):
        return 65536


def rng_batch(seed: int) -> int:
    return (10, 75, 3)[seed % 3]


def test_the_partition_of_a_person_is_fixed_by_their_key() -> None:
    assert person_key({"userId": "u1", "anonymousId": "a"}) == "u1"
    assert person_key({"userId": "", "anonymousId": "a"}) == "a"
    assert person_key({"type": "track"}) == person_key([1, 2]) == ""
    assert [partition_of(key, 16) for key in ("u1", "user-7", "", "é")] == [
        6,
        1,
        0,
        14,
    ]  # CRC-32: the same in any process
    assert partition_of("anything", 1) == 0


def test_out_needs_one_worker(tmp_path: Path) -> None:
    result = replay(SEGMENT / "demo.jsonl", "--workers", "2", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "--out" in result.stderr
    serial = replay(SEGMENT / "demo.jsonl", "--partitions", "2", "--out", tmp_path / "serial")
    assert serial.exit_code in (0, 1) and (tmp_path / "serial" / "journal.jsonl").read_bytes()


def _jsonl(items: list[InputItem], path: Path) -> Path:
    lines = [b'{"type": "track", oops}' if item.error else orjson.dumps(item.payload) for item in items]
    path.write_bytes(b"\n".join(lines[:50]) + b"\n\n" + b"\n".join(lines[50:]) + b"\n")  # a blank line too
    return path


def test_dask_on_a_local_cluster_of_two_workers_gives_the_local_report(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the [dask] extra is not installed (pip install '.[dask]')")
    from distributed import Client, LocalCluster

    from harness.replay.dask_engine import replay_with_dask
    from harness.replay.inputs import read_inputs

    path = _jsonl(_stream(4, 300, users=20), tmp_path / "events.jsonl")
    config = ReplayConfig.build(None, segments={"pro": {"custom_attribute": "plan", "op": "equals", "value": "pro"}})
    local: list[Any] = []
    with path.open("rb") as stream:
        expected = replay_partitioned(
            config, read_inputs(stream), local.append, as_json=True, brief=False, partitions=5
        )
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, Client(cluster) as client:
        for block_bytes in (1 << 20, 2000):  # one block, and many (stages 1 and 2 split the file)
            got: list[Any] = []
            summary = replay_with_dask(
                config, path, got.append, as_json=True, brief=False, partitions=5, client=client,
                block_bytes=block_bytes, work_dir=tmp_path / f"work-{block_bytes}",
            )  # fmt: skip
            assert b"".join(got) == b"".join(local)
            assert summary.to_json() == expected.to_json()
    assert expected.segments["pro"]["count"] > 0


def test_dask_without_a_cluster_uses_dasks_own_scheduler(tmp_path: Path) -> None:
    pytest.importorskip("dask", reason="the [dask] extra is not installed (pip install '.[dask]')")
    from harness.replay.dask_engine import replay_with_dask
    from harness.replay.inputs import read_inputs

    path = _jsonl(_stream(5, 120, users=7), tmp_path / "events.jsonl")
    config = ReplayConfig.build(None)
    local: list[Any] = []
    with path.open("rb") as stream:
        replay_partitioned(config, read_inputs(stream), local.append, as_json=False, brief=True, partitions=3)
    got: list[Any] = []
    replay_with_dask(config, path, got.append, as_json=False, brief=True, partitions=3, block_bytes=500)
    assert got == local
