"""`--out DIR`: every request of the replay and Braze's answer, as JSON Lines (`DIR/journal.jsonl`).

Written as requests are answered, so the file grows with the input while memory does not (the fake's
own journal is capped). Each line names the route and the events (by input number) the request carried;
secrets are redacted as in the fake's journal (last four characters kept).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import orjson

from harness.replay.model import SentRequest
from harness.replay.routes import Route

__all__ = ["JOURNAL_FILE", "SUMMARY_FILE", "JournalWriter"]

JOURNAL_FILE = "journal.jsonl"
SUMMARY_FILE = "summary.json"


class JournalWriter:
    """Appends one JSON line per request to `DIR/journal.jsonl`."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._file: IO[bytes] = (directory / JOURNAL_FILE).open("wb")
        self.lines = 0

    def write(self, sent: SentRequest, route: Route, numbers: list[int]) -> None:
        record: dict[str, Any] = {
            "id": sent.id,
            "destination": route.destination,
            "subscription": route.subscription,
            "action": route.action,
            "events": numbers,
            "method": sent.method,
            "url": sent.url,
            "path": sent.path,
            "headers": sent.headers,
            "body": sent.body,
            "status": sent.status,
            "response": sent.response,
            "violations": [v.to_json() for v in sent.violations],
            "warnings": sent.warnings,
        }
        self._file.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        self.lines += 1

    def write_summary(self, summary: dict[str, Any]) -> None:
        (self.directory / SUMMARY_FILE).write_bytes(orjson.dumps(summary, option=orjson.OPT_INDENT_2))

    def close(self) -> None:
        self._file.close()
