"""Input shapes (object, array, JSON Lines), streaming, text and JSON output, `--out`, batching."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from harness.replay import ReplayConfig, Replayer, read_inputs
from harness.replay.inputs import InputItem

from .support import SEGMENT, replay, replay_json


def event(n: int, user: str = "u1", name: str = "Article Viewed") -> dict[str, Any]:
    return {
        "type": "track",
        "userId": user,
        "event": name,
        "messageId": f"m-{n}",
        "timestamp": f"2024-03-01T10:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
        "receivedAt": f"2024-03-01T10:{n // 60 % 60:02d}:{n % 60:02d}.200Z",
    }


def test_a_pretty_printed_object_an_array_and_json_lines_give_the_same_reports() -> None:
    events = [event(1), event(2, "u2"), event(3)]
    shapes = {
        "object": json.dumps(events[0], indent=2),
        "array": json.dumps(events, indent=2),
        "jsonl": "\n".join(json.dumps(e) for e in events) + "\n",
        "concatenated pretty objects": "\n".join(json.dumps(e, indent=2) for e in events),
    }
    sources = {}
    for shape, text in shapes.items():
        result, found = replay_json("-", input=text)
        assert result.exit_code == 0, shape
        assert [r["message_id"] for r in found] == [e["messageId"] for e in events][: len(found)]
        sources[shape] = [r["source"] for r in found]
    assert sources == {
        "object": ["lines 1-8"],
        "array": ["item 1", "item 2", "item 3"],
        "jsonl": ["line 1", "line 2", "line 3"],
        "concatenated pretty objects": ["lines 1-8", "lines 9-16", "lines 17-24"],
    }


def test_the_debugger_fixture_file_and_standard_input() -> None:
    from_file = replay(SEGMENT / "anonymous-email-only.json", "--json")
    from_stdin = replay("--json", input=(SEGMENT / "anonymous-email-only.json").read_bytes())
    assert json.loads(from_file.stdout)["deliveries"] == json.loads(from_stdin.stdout)["deliveries"]


def test_reading_is_lazy_for_json_lines_and_arrays() -> None:
    class Endless(io.RawIOBase):
        """An endless JSON Lines (or array) stream that counts what was read."""

        def __init__(self, array: bool) -> None:
            self.read_bytes = 0
            self._lines = (
                (("[" if array and n == 0 else "") + json.dumps(event(n)) + (",\n" if array else "\n")).encode()
                for n in itertools.count()
            )
            self._buffer = b""

        def readable(self) -> bool:
            return True

        def readinto(self, target: Any) -> int:
            while len(self._buffer) < len(target):
                self._buffer += next(self._lines)
            size = len(target)
            target[:size] = self._buffer[:size]
            self._buffer = self._buffer[size:]
            self.read_bytes += size
            return size

    for array in (False, True):
        raw = Endless(array)
        first = list(itertools.islice(read_inputs(io.BufferedReader(raw)), 1000))
        assert [i.payload["messageId"] for i in first[:2]] == ["m-0", "m-1"]
        assert raw.read_bytes < 1_000_000  # a sliding buffer, not the whole (endless) input


def test_the_replay_yields_while_reading_and_keeps_a_bounded_window() -> None:
    def endless() -> Iterator[InputItem]:
        for n in itertools.count(1):
            yield InputItem(n, f"line {n}", event(n, user=f"u{n % 50}"))

    replayer = Replayer(ReplayConfig.build(None))
    cases = list(itertools.islice(replayer.run(endless()), 500))
    assert [c.number for c in cases] == list(range(1, 501))
    assert all(c.outcome == "delivered" for c in cases)
    assert replayer.context.sender.count == 7  # 500 events in batches of 75
    assert len(replayer.fake.journal) <= replayer.config.journal_cap


def test_production_batches_of_75_and_the_events_own_objects() -> None:
    lines = "".join(json.dumps(event(n, user=f"u{n % 7}")) + "\n" for n in range(80))
    result, found = replay_json("-", input=lines)
    assert result.exit_code == 0
    requests = [r["deliveries"][0]["requests"][0] for r in found]
    assert [r["events"] for r in requests] == [75] * 75 + [5] * 5
    assert {r["id"] for r in requests} == {1, 2}
    assert requests[0]["body"] is None  # a batch: the request's body is in --out, the event's part here
    assert found[3]["deliveries"][0]["objects"][0]["time"] == "2024-03-01T10:00:03.200Z"
    assert found[79]["profile"]["custom_events"][0]["count"] == 80 // 7 + (1 if 79 % 7 < 80 % 7 else 0)


def test_out_writes_the_journal_and_a_summary(tmp_path: Path) -> None:
    lines = "".join(json.dumps(event(n)) + "\n" for n in range(3))
    lines += json.dumps({**event(9), "userId": None, "anonymousId": "a"}) + "\n"
    result = replay("-", "--batch-size", "2", "--out", tmp_path / "run", "--brief", input=lines)
    assert result.exit_code == 1
    journal = [json.loads(line) for line in (tmp_path / "run" / "journal.jsonl").read_text().splitlines()]
    assert [(j["id"], j["events"], j["status"]) for j in journal] == [(1, [1, 2], 201), (2, [3, 4], 201)]
    assert journal[0]["headers"]["authorization"] == "Bearer ****-key"
    assert journal[0]["body"]["events"][1]["time"] == "2024-03-01T10:00:01.200Z"
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["events"] == 4 and summary["failed"] == 1 and summary["failing_events"] == [4]
    assert summary["requests"] == 2 and summary["diagnoses"] == {"no_identifier": 1}


def test_the_terminal_report_shows_request_answer_profile_and_fix() -> None:
    result = replay(SEGMENT / "no-user-id.json", "--batch-size", "1")
    out = result.stdout
    assert "\x1b[" not in out  # no colour when not a terminal
    assert '#1 track "Pricing Viewed"  anonymous 3f4b9a2e-6c1d-4f7a-9e2b-8d5c1a7e0f63' in out
    assert "FAILS in production" in out
    assert "POST rest.iad-01.braze.com/users/track" in out and '{"events":[]}' in out
    assert "← Braze 400" in out
    assert "✗ no_identifier" in out and "fix: Braze's debugger test works only for identified users" in out
    assert "1 event: 0 delivered, 1 would fail in production (#1)" in out
    ok = replay(SEGMENT / "dropped-traits.json").stdout
    assert "Braze profile user-9905 (external_id" in ok and "custom attributes: plan=pro" in ok


def test_segments_matched_per_event_and_at_the_end(tmp_path: Path) -> None:
    segments = tmp_path / "segments.json"
    segments.write_text(json.dumps({"Readers": {"custom_event": "Article Viewed", "op": "more_than", "count": 1}}))
    lines = "".join(json.dumps(event(n)) + "\n" for n in range(2))
    result, found = replay_json("-", "--segments", str(segments), "--batch-size", "1", input=lines)
    assert [r["segments"] for r in found] == [[], ["Readers"]]
    assert "Braze segment 'Readers': 1 user (u1)" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"Broken": {"custom_event": "E", "op": "sometimes"}}))
    refused = replay("-", "--segments", str(bad), input="{}")
    assert refused.exit_code == 2 and "segment 'Broken'" in refused.stderr


def test_the_report_header_names_the_placeholder_settings_it_filled_in() -> None:
    """The replay fills app_id 'test-app-id' (and a placeholder key and endpoint) into bodies: it says so."""
    result = replay(SEGMENT / "no-user-id.json", "--brief")
    header = " ".join(result.stdout.splitlines()[:2])
    assert "app_id 'test-app-id'" in header and "placeholders" in header
    given = replay(SEGMENT / "no-user-id.json", "--brief", "--app-id", "mine", "--api-key", "k", "--endpoint", "US-02")
    assert "placeholders" not in given.stdout
    as_json = replay(SEGMENT / "no-user-id.json", "--json")
    assert "app_id 'test-app-id'" in as_json.stderr and as_json.stdout.startswith("{")


def test_a_segment_batch_body_is_replayed_as_its_calls_with_the_batch_fields_merged() -> None:
    calls = [event(1), event(2, "u2")]
    body = {"batch": calls, "context": {"library": {"name": "analytics-python"}}, "sentAt": "2024-03-01T10:00:03Z"}
    text = json.dumps(body) + "\n" + json.dumps(event(3)) + "\n" + json.dumps({"batch": []}) + "\n"
    result, found = replay_json("-", input=text)
    assert result.exit_code == 0
    assert [(r["number"], r["source"], r["message_id"]) for r in found] == [
        (1, "line 1, batch[0]", "m-1"),
        (2, "line 1, batch[1]", "m-2"),
        (3, "line 2", "m-3"),
    ]  # an empty batch is no event
    items = list(read_inputs(io.BytesIO(json.dumps(body).encode())))
    assert [item.payload["context"]["library"]["name"] for item in items] == ["analytics-python"] * 2
    assert [item.payload["sentAt"] for item in items] == ["2024-03-01T10:00:03Z"] * 2


def _read(text: str) -> list[tuple[str, str | None, str | None]]:
    items = read_inputs(io.BytesIO(text.encode()))
    return [(i.source, i.payload.get("messageId") if isinstance(i.payload, dict) else None, i.error) for i in items]


def test_a_cut_off_line_is_one_error_and_the_lines_after_it_are_read() -> None:
    cut = json.dumps(event(1))[:-30]  # a copy that lost the end of its line
    read = _read("\n".join([cut, json.dumps(event(2)), json.dumps(event(3))]) + "\n")
    assert [(source, message) for source, message, _ in read] == [
        ("line 1", None),
        ("line 2", "m-2"),
        ("line 3", "m-3"),
    ]
    assert read[0][2] is not None and read[0][2].startswith("not JSON: the value starting here never ends")


def test_a_broken_pretty_object_is_one_error_and_reading_resumes_at_the_next_object() -> None:
    broken = json.dumps(event(1), indent=2).replace('"userId":', '"userId"', 1)  # line 3 lost its colon
    read = _read("\n".join([broken, json.dumps(event(2), indent=2), "not json at all", json.dumps(event(3))]))
    assert [(source, message) for source, message, _ in read] == [
        ("lines 1-8", None),
        ("lines 9-16", "m-2"),
        ("line 17", None),
        ("line 18", "m-3"),
    ]
    assert read[0][2] == "not JSON: unexpected character, expected ':' after key (line 3)"
    assert read[2][2] is not None and read[2][2].startswith("not JSON: ")


def test_an_indented_object_inside_a_pretty_value_is_not_taken_for_a_new_record() -> None:
    body = '{"batch": [\n  ' + json.dumps(event(1)) + "\n]}\n" + json.dumps(event(2)) + "\n"
    assert [(source, message) for source, message, _ in _read(body)] == [
        ("lines 1-3, batch[0]", "m-1"),
        ("line 4", "m-2"),
    ]


@given(
    count=st.integers(min_value=2, max_value=8),
    data=st.data(),
)
def test_one_damaged_record_never_costs_the_others(count: int, data: st.DataObject) -> None:
    """Whatever the shapes (JSON Lines, pretty objects) and wherever one record is cut off, every other
    record is read, in order, and the damaged one is a single error."""
    records = [event(n) for n in range(count)]
    pretty = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
    texts = [json.dumps(r, indent=2) if p else json.dumps(r) for r, p in zip(records, pretty, strict=True)]
    damaged = data.draw(st.integers(min_value=0, max_value=count - 1))
    cut = data.draw(st.integers(min_value=1, max_value=len(texts[damaged]) - 1))
    texts[damaged] = texts[damaged][:cut]
    read = _read("\n".join(texts) + "\n")
    assert [message for _, message, _ in read] == [
        None if n == damaged else r["messageId"] for n, r in enumerate(records)
    ]
    assert [error is not None for _, _, error in read].count(True) == 1


def test_a_byte_order_mark_is_not_part_of_the_first_record() -> None:
    for text in (json.dumps(event(1)) + "\n", json.dumps(event(1), indent=2)):
        items = list(read_inputs(io.BytesIO(b"\xef\xbb\xbf" + text.encode())))
        assert [(i.error, i.payload["messageId"]) for i in items] == [(None, "m-1")]


def test_lines_of_junk_before_a_record_are_one_error() -> None:
    read = _read("hello\n  world\n" + json.dumps(event(2)) + "\n")
    assert [(source, message) for source, message, _ in read] == [("lines 1-2", None), ("line 3", "m-2")]
    assert read[0][2] == "not JSON: unexpected character, expected a JSON value (line 1)"


def test_an_empty_input_says_so_and_exits_0() -> None:
    for text in ("", "\n\n  \n", '{"batch": []}'):
        result = replay("-", input=text)
        assert result.exit_code == 0
        assert "warning: the input holds no events" in result.stdout
