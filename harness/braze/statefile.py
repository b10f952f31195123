"""`serve --state FILE`: the fake's state and journal kept in a SQLite file, so a fake beside a dev environment
keeps its data across restarts.

One transaction per request: after the pipeline records a request, the profiles it touched (created,
changed, deleted), its workspace's cohorts, saved segments and keys, the braze_id sequence and the journal
entry are written together, under the store's lock, so the file always holds whole requests and never
half of one. A file that is not a state file of this tool (not SQLite, another schema, a damaged page) is
refused at start with one line that says so, and is left untouched.

Tables: `meta(key, value)` (format, version), `workspaces(name, json)` (configuration, cohorts, saved
segments, data import key: `model.snapshot`'s workspace object without users), `profiles(workspace,
braze_id, json)`, `journal(id, json)` (capped as the in-memory journal is).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from harness.braze.backend import Backend
from harness.braze.model.journal import JournalEntry
from harness.braze.model.snapshot import FORMAT, VERSION, dump_profile, dump_store, dump_workspace
from harness.braze.model.store import Store

__all__ = ["StateFile", "StateFileError"]

_SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE workspaces (name TEXT PRIMARY KEY, json BLOB NOT NULL)",
    "CREATE TABLE profiles (workspace TEXT NOT NULL, braze_id TEXT NOT NULL, json BLOB NOT NULL,"
    " PRIMARY KEY (workspace, braze_id))",
    "CREATE TABLE journal (id INTEGER PRIMARY KEY, json BLOB NOT NULL)",
)


class StateFileError(Exception):
    """The file cannot be used as a state file; the message is one line saying why."""


class StateFile:
    """`with StateFile(path, fake):` loads what the file holds into `fake`, then writes every request to it."""

    def __init__(self, path: str | Path, backend: Backend) -> None:
        self.path = Path(path)
        self.backend = backend
        self._lock = threading.Lock()
        self._unsubscribe: Any = None
        self._generation = backend.journal.generation
        self._db = self._open()

    # -- opening ------------------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        if not fresh:
            _check_foreign(self.path)
        try:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            if fresh:
                with _transaction(db):
                    for statement in _SCHEMA:
                        db.execute(statement)
                    db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("version", str(VERSION))])
            else:
                _check_schema(db, self.path)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StateFileError(f"{self.path} is not a usable state file ({exc}); left untouched") from None
        return db

    def load(self) -> int:
        """Put the file's state and journal into the fake; returns how many profiles it held."""
        rows = self._db.execute("SELECT name, json FROM workspaces").fetchall()
        if not rows:
            return 0
        workspaces: dict[str, Any] = {}
        for name, raw in rows:
            workspace = orjson.loads(raw)
            workspace["users"] = [
                orjson.loads(json)
                for (json,) in self._db.execute("SELECT json FROM profiles WHERE workspace = ?", (name,))
            ]
            workspaces[name] = workspace
        next_id = self._db.execute("SELECT value FROM meta WHERE key = 'next_id'").fetchone()
        snapshot = {
            "format": FORMAT,
            "version": VERSION,
            "next_id": int(next_id[0]) if next_id else 0,
            "workspaces": workspaces,
        }
        self.backend.load_state(snapshot)
        journal = [
            JournalEntry.from_json(orjson.loads(raw))
            for (raw,) in self._db.execute("SELECT json FROM journal ORDER BY id")
        ]
        self.backend.journal.restore(journal)
        return sum(len(w["users"]) for w in workspaces.values())

    # -- writing ------------------------------------------------------------------------------------------
    def holds_state(self) -> bool:
        return self._db.execute("SELECT 1 FROM workspaces LIMIT 1").fetchone() is not None

    def start(self, *, load: bool = True) -> StateFile:
        """Load the file (unless `load` is False: the fake's state replaces it), then keep it up to date
        with every request from now on."""
        if load:
            self.load()
        self.backend.store.track_changes()
        self._unsubscribe = self.backend.journal.subscribe(self._write)
        self._write(None)  # the state as loaded (or configured, for a new file)
        return self

    def _write(self, entry: JournalEntry | None) -> None:
        store = self.backend.store
        with store.lock, self._lock:
            rewrite, changes = store.take_changes()
            snapshot = dump_store(store, self.backend.config.instance) if rewrite else None
            with _transaction(self._db):
                if snapshot is not None:
                    self._db.execute("DELETE FROM profiles")
                    self._db.execute("DELETE FROM workspaces")
                for name, workspace in store.workspaces.items():
                    raw = _workspace_row(snapshot, store, name)
                    self._db.execute("INSERT OR REPLACE INTO workspaces VALUES (?, ?)", (name, raw))
                    braze_ids = set(workspace.profiles) if snapshot is not None else changes.get(name, set())
                    for braze_id in braze_ids:
                        profile = workspace.profiles.get(braze_id)
                        if profile is None:
                            self._db.execute(
                                "DELETE FROM profiles WHERE workspace = ? AND braze_id = ?", (name, braze_id)
                            )
                        else:
                            row = orjson.dumps(dump_profile(profile))
                            self._db.execute("INSERT OR REPLACE INTO profiles VALUES (?, ?, ?)", (name, braze_id, row))
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('next_id', ?)", (str(store.ids.value),))
                if entry is not None:
                    self._write_entry(entry)

    def _write_entry(self, entry: JournalEntry) -> None:
        journal = self.backend.journal
        if journal.generation != self._generation:  # the journal was cleared: so is its copy
            self._db.execute("DELETE FROM journal")
            self._generation = journal.generation
        self._db.execute("INSERT OR REPLACE INTO journal VALUES (?, ?)", (entry.id, orjson.dumps(_entry_json(entry))))
        self._db.execute(
            "DELETE FROM journal WHERE id NOT IN (SELECT id FROM journal ORDER BY id DESC LIMIT ?)",
            (journal.max_entries,),
        )

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        with self._lock:
            self._db.close()

    def __enter__(self) -> StateFile:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _workspace_row(snapshot: dict[str, Any] | None, store: Store, name: str) -> bytes:
    workspace = snapshot["workspaces"][name] if snapshot is not None else dump_workspace(store.workspaces[name])
    return orjson.dumps({key: value for key, value in workspace.items() if key != "users"})


def _entry_json(entry: JournalEntry) -> dict[str, Any]:
    return {**entry.to_json(), "size": entry.size}


class _transaction:
    """BEGIN ... COMMIT, or ROLLBACK on any error: the file holds whole requests."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.db.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def _check_foreign(path: Path) -> None:
    with path.open("rb") as handle:
        magic = handle.read(len(_SQLITE_MAGIC))
    if magic != _SQLITE_MAGIC:
        raise StateFileError(f"{path} is not a braze-harness state file (not SQLite); left untouched")


def _check_schema(db: sqlite3.Connection, path: Path) -> None:
    if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
        raise StateFileError(f"{path} is damaged (SQLite quick_check failed); left untouched")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"meta", "workspaces", "profiles", "journal"} <= tables:
        raise StateFileError(f"{path} is another program's SQLite file, not a braze-harness state file; left untouched")
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("format") != FORMAT or meta.get("version") != str(VERSION):
        found = f"{meta.get('format')} v{meta.get('version')}"
        raise StateFileError(f"{path} holds {found}, not {FORMAT} v{VERSION}; left untouched")
