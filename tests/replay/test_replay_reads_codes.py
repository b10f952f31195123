"""Replay recognises what the fake says by its codes, never by its words: reworded notes, same diagnoses."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from harness.braze import Backend

from .support import SEGMENT, SETTINGS, codes, replay_json

CASES = [
    (
        "update_only_unknown_user",
        [SEGMENT / "update-only-unknown-user.json", "--mapping", SETTINGS / "update-only.mapping.json"],
    ),
    ("cohort_unknown_user", [SEGMENT / "cohort-unknown-user.json", "--client-secret", "k"]),
    ("limit_exceeded", [SEGMENT / "limit-long-strings.json"]),
    ("limit_exceeded", [SEGMENT / "limit-property-size.json"]),
    (
        "wrong_client_secret",
        [SEGMENT / "cohort-unknown-user.json", "--client-secret", "wrong", "--workspace-data-import-key", "right"],
    ),
]


def _reworded(original: Any) -> Any:
    def call(self: Backend, *args: Any, **kwargs: Any) -> Any:
        reply = original(self, *args, **kwargs)
        reply.notes = [dataclasses.replace(n, text=f"reworded {i}") for i, n in enumerate(reply.notes)]
        return reply

    return call


@pytest.mark.parametrize(("code", "args"), CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_rewording_the_fakes_notes_changes_no_diagnosis(
    code: str, args: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, plain = replay_json(*args)
    monkeypatch.setattr(Backend, "call", _reworded(Backend.call))
    _, reworded = replay_json(*args)
    assert code in codes(plain[0])
    assert "reworded" in str(reworded)  # the replay really read the reworded notes
    assert [codes(r) for r in reworded] == [codes(r) for r in plain]
