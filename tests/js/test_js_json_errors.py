"""V8's `JSON.parse` SyntaxError messages (actions-core 3.153's `@json` decode reports them).

`v8_json_parse_errors.json` holds [text, message] pairs that Node 20 printed (message null when the
text parses): a sample of each kind of error from 3,600 generated strings, all of which the harness
reproduced, plus hand-picked edges (context windows, surrogate pairs, the special strings).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.js import v8_json_error

PAIRS = json.loads((Path(__file__).parent / "v8_json_parse_errors.json").read_text(encoding="utf-8"))


def test_the_sample_covers_every_kind_of_message() -> None:
    messages = {message.split(" in JSON")[0].split(",")[0] for _, message in PAIRS if message}
    assert len(PAIRS) >= 150 and len(messages) >= 18


@pytest.mark.parametrize(("text", "message"), PAIRS, ids=[ascii(t)[:40] for t, _ in PAIRS])
def test_the_message_is_v8s(text: str, message: str | None) -> None:
    assert v8_json_error(text) == message
