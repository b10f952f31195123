"""The replay diagnosis a journaled note points to, where the note's code names one directly.

Replay's catalog (`harness.replay.CATALOG`) holds each known failure mode's title and fix. The console
maps only the codes replay itself maps the same way (`harness.replay.diagnose.delivery`); the rest of
a diagnosis needs the Segment side, which a journaled Braze request does not have.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.braze import Code, Note

__all__ = ["Explained", "explain"]

_DIRECT = {
    Code.AUTH_INVALID_KEY: "wrong_api_key",
    Code.AUTH_CLIENT_SECRET: "wrong_client_secret",
    Code.VALUE_CURRENCY: "invalid_currency",
    Code.USER_UPDATE_ONLY_UNKNOWN: "update_only_unknown_user",
    Code.COHORT_UNKNOWN_USER: "cohort_unknown_user",
}


@dataclass(frozen=True, slots=True)
class Explained:
    code: str
    title: str
    hint: str


def explain(note: Note) -> Explained | None:
    """The catalogued problem behind a note, or None."""
    problem_code = _DIRECT.get(note.code) or ("limit_exceeded" if note.code.startswith("limit.") else None)
    if problem_code is None or note.code == Code.LIMIT_RATE:
        return None
    from harness.replay import CATALOG  # replay is heavy; only a request's page needs it

    problem = CATALOG.get(problem_code)
    return None if problem is None else Explained(problem.code, problem.title, problem.hint)
