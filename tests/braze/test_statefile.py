"""`serve --state FILE`: state and journal in SQLite, one transaction per request, foreign files refused untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from harness.braze import FakeBraze
from harness.braze.statefile import StateFile, StateFileError

COHORT = {"partner_api_key": "p", "client_secret": "s", "cohort_id": "c1"}


def _traffic(fake: FakeBraze) -> None:
    fake.call("/users/track", {"attributes": [{"external_id": "u1", "plan": "pro"}]}, api_key="k")
    fake.call(
        "/users/track", {"events": [{"external_id": "u2", "name": "E", "time": "2024-03-01T00:00:00Z"}]}, api_key="k"
    )
    fake.call("/partners/segment/cohorts", {**COHORT, "name": "VIP", "created_at": "2024-03-01T00:00:00Z"})
    fake.call("/partners/segment/cohorts/users", {**COHORT, "cohort_changes": [{"user_ids": ["u1"]}]})
    fake.call("/users/delete", {"external_ids": ["u2"]}, api_key="k")
    fake.save_segment("pros", {"custom_attribute": "plan", "op": "equals", "value": "pro"})
    fake.call("/users/track", {}, api_key="k")  # a refused request is journaled too


def test_a_restart_finds_the_state_and_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "fake.db"
    first = FakeBraze()
    with StateFile(path, first):
        _traffic(first)
        before, journal = first.state(), [e.to_json() for e in first.requests]
    second = FakeBraze()
    with StateFile(path, second):
        assert second.state() == before
        assert [e.to_json() for e in second.requests] == journal
        assert second.in_cohort("u1", "VIP") and second.user("u2") is None
        second.call("/users/track", {"attributes": [{"external_id": "u3"}]}, api_key="k")
        assert second.requests[-1].id == journal[-1]["id"] + 1


def test_each_request_is_written_whole_before_the_next(tmp_path: Path) -> None:
    path = tmp_path / "fake.db"
    fake = FakeBraze()
    with StateFile(path, fake):
        fake.call("/users/track", {"attributes": [{"external_id": f"u{i}"} for i in range(75)]}, api_key="k")
        with sqlite3.connect(path) as reader:  # another connection sees the committed request, all of it
            assert reader.execute("SELECT count(*) FROM profiles").fetchone() == (75,)
            assert reader.execute("SELECT count(*) FROM journal").fetchone() == (1,)


def test_a_reset_rewrites_the_file(tmp_path: Path) -> None:
    path = tmp_path / "fake.db"
    fake = FakeBraze()
    with StateFile(path, fake):
        _traffic(fake)
        fake.reset()
        fake.call("/users/track", {"attributes": [{"external_id": "after"}]}, api_key="k")
    again = FakeBraze()
    with StateFile(path, again):
        assert [p.external_id for p in again.workspace().profiles.values()] == ["after"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"just some text\n", "not SQLite"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "not a usable state file"),
    ],
)
def test_a_foreign_or_damaged_file_is_refused_in_one_line_and_left_untouched(
    tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "other.db"
    path.write_bytes(content)
    with pytest.raises(StateFileError, match=says) as refused:
        StateFile(path, FakeBraze())
    assert "\n" not in str(refused.value) and path.read_bytes() == content


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (id INTEGER)")
    before = path.read_bytes()
    with pytest.raises(StateFileError, match="another program's SQLite file"):
        StateFile(path, FakeBraze())
    assert path.read_bytes() == before
