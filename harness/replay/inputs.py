"""Reading events as people save them, as a stream: one pasted object, a JSON array, or JSON Lines.

The Segment debugger's raw view gives one pretty-printed object; exports are JSON Lines (millions of
lines) or, from small scripts, a JSON array. Any of those values may also be a body posted to Segment's
`/v1/batch` (`{"batch": [...]}`, from a server's logs): each of its calls is an event of its own, with
the batch's `context`, `integrations` and `sentAt` merged in as Segment does.

The reader never holds more than one value (plus a read buffer) in memory: JSON Lines go line by
line, pretty-printed objects are gathered until they parse, and a top-level array is decoded item by
item from a sliding buffer. A JSON Lines record or pretty-printed object that does not parse is
reported as one item with an `error` and reading goes on at the next record (a cut-off line does not
swallow the lines after it); a broken array cannot be resynchronised, so reading stops there with one
error item.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO

import orjson

from harness.workspace.enrich import merge_batch_fields

__all__ = ["InputItem", "batch_call_source", "batch_calls", "from_batch", "read_inputs"]

CHUNK = 1 << 16
MAX_PENDING_BYTES = 16 << 20  # a pretty-printed value larger than this is not an event
_WHITESPACE = b" \t\r\n\xef\xbb\xbf"  # the UTF-8 BOM counts as leading whitespace
_BOM = b"\xef\xbb\xbf"
_VALUE_STARTS = (b"{", b"[")
"""How a top-level value's first line begins (pretty-printers indent what is inside one)."""


@dataclass(frozen=True, slots=True)
class InputItem:
    """One value read from the input: its 1-based position, where it was, and the value or why not."""

    number: int
    source: str
    payload: Any = None
    error: str | None = None
    text: bytes | None = field(default=None, repr=False, compare=False)
    """The JSON text `payload` was parsed from, when it was one line (a partitioned replay ships it as is)."""


ByteCounter = Callable[[int], None]


def read_inputs(stream: BinaryIO, on_bytes: ByteCounter | None = None) -> Iterator[InputItem]:
    """Every value of a binary stream, in order (see the module docstring for the accepted shapes)."""
    count = on_bytes or (lambda n: None)
    head = stream.read(CHUNK)
    count(len(head))
    head = head.removeprefix(_BOM)  # Windows editors save one; it is not part of the first line
    stripped = head.lstrip(_WHITESPACE)
    while not stripped and head:
        head = stream.read(CHUNK)
        count(len(head))
        stripped = head.lstrip(_WHITESPACE)
    if stripped.startswith(b"["):
        yield from _unbatched(_array_items(stripped[1:], stream, count))
    else:
        yield from _unbatched(_line_values(head, stream, count))


def batch_calls(payload: Any) -> list[Any] | None:
    """The calls of a Segment batch body (`{"batch": [...]}` with no `type` of its own), each with the
    batch's shared fields merged in (`/v1/batch` does it on arrival); None for any other value."""
    if type(payload) is not dict or "batch" not in payload or "type" in payload:
        return None
    calls = payload["batch"]
    if type(calls) is not list:
        return None
    return [merge_batch_fields(call, payload) if isinstance(call, dict) else call for call in calls]


def batch_call_source(source: str, index: int) -> str:
    """Where a batch's call was read: its batch's place and its index (every reader labels it so)."""
    return f"{source}, batch[{index}]"


def from_batch(source: str) -> bool:
    """Whether an item's source (as `batch_call_source` labels it) is a call of a `/v1/batch` body."""
    return ", batch[" in source


def _unbatched(items: Iterator[InputItem]) -> Iterator[InputItem]:
    """The items with every batch body replaced by its calls, numbered on (an empty batch yields none)."""
    offset = 0
    for item in items:
        calls = batch_calls(item.payload) if item.error is None else None
        if calls is None:
            yield replace(item, number=item.number + offset) if offset else item
            continue
        first = item.number + offset
        for index, call in enumerate(calls):
            yield InputItem(first + index, batch_call_source(item.source, index), payload=call)
        offset += len(calls) - 1


def _line_values(head: bytes, stream: BinaryIO, count: ByteCounter) -> Iterator[InputItem]:
    """JSON Lines and pretty-printed values, one item each. A value that can never parse (a cut-off line,
    a broken pretty-printed object) is one error item, and reading resumes at the next line that starts a
    top-level value, so a damaged record never swallows the records after it. A line begins a new record
    when it starts with `{` or `[` in column 0 and the pending value cannot hold it: that value's first line
    held more than its opening bracket (a cut-off JSON Line; pretty-printers put the bracket alone), or its
    inner lines are indented (pretty-printers indent everything inside a value), or the line is a whole
    value by itself."""
    number = 0
    pending: list[bytes] = []
    pending_size = 0
    start = 0
    skipped: tuple[int, int, str] | None = None  # first and last line of a broken value, and why
    indented = False  # the pending value's inner lines are indented: no line of it starts in column 0
    lines = enumerate(_lines(head, stream, count), start=1)
    again: tuple[int, bytes] | None = None  # a line to read once more, as the start of a new value
    while True:
        if again is not None:
            (line_no, line), again = again, None
        else:
            step = next(lines, None)
            if step is None:
                break
            line_no, line = step
        if skipped is not None:
            if line[:1] not in _VALUE_STARTS:
                skipped = (skipped[0], line_no, skipped[2])
                continue
            number += 1
            yield InputItem(number, _span(skipped[0], skipped[1]), error=skipped[2])
            skipped = None
        if not pending:
            text = line.strip()
            if not text:
                continue
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                if text.startswith(b"{") and text.endswith(b"}"):  # a one-line record
                    number += 1
                    yield InputItem(number, f"line {line_no}", error=f"not JSON: {exc}")
                    continue
                if _broken(exc):  # and so are the lines up to the next record
                    skipped = (line_no, line_no, f"not JSON: {exc.msg} (line {line_no})")
                    continue
                pending, pending_size, start, indented = [line], len(line), line_no, False
                continue
            number += 1
            yield InputItem(number, f"line {line_no}", payload=value, text=text)
            continue
        if line[:1] in _VALUE_STARTS and (indented or pending[0].strip() not in _VALUE_STARTS or _whole(line)):
            # a new record: the pending one was cut off
            number += 1
            yield InputItem(number, f"line {start}", error=_never_ends(pending))
            pending, pending_size, again = [], 0, (line_no, line)
            continue
        pending.append(line)
        pending_size += len(line)
        indented = indented or line[:1] in (b" ", b"\t")
        try:
            value = orjson.loads(b"".join(pending))
        except orjson.JSONDecodeError as exc:
            if _broken(exc):  # what came before was a valid beginning: this line broke it
                if line[:1] in _VALUE_STARTS:  # a new record: the one before it was cut off
                    number += 1
                    yield InputItem(number, f"line {start}", error=_never_ends(pending[:-1]))
                    again = (line_no, line)
                else:
                    where = start + exc.doc.count("\n", 0, exc.pos)
                    skipped = (start, line_no, f"not JSON: {exc.msg} (line {where})")
                pending, pending_size = [], 0
            elif pending_size > MAX_PENDING_BYTES:
                number += 1
                yield InputItem(number, f"lines {start}-{line_no}", error=f"not JSON: {exc}")
                pending, pending_size = [], 0
            continue
        number += 1
        yield InputItem(number, f"lines {start}-{line_no}", payload=value)
        pending, pending_size = [], 0
    if skipped is not None:
        number += 1
        yield InputItem(number, _span(skipped[0], skipped[1]), error=skipped[2])
    if pending:
        number += 1
        yield InputItem(number, f"line {start}", error=_never_ends(pending))


def _broken(exc: orjson.JSONDecodeError) -> bool:
    """The text can never become JSON by reading on: the parser failed before its end (a line never ends
    inside a JSON token, since strings cannot hold a raw newline)."""
    return exc.pos < len(exc.doc.rstrip())


def _whole(line: bytes) -> bool:
    """The line is a JSON value by itself."""
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def _never_ends(lines: list[bytes]) -> str:
    excerpt = _excerpt(b"".join(lines).decode("utf-8", "replace"))
    return f"not JSON: the value starting here never ends ({excerpt})"


def _span(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _lines(head: bytes, stream: BinaryIO, count: ByteCounter) -> Iterator[bytes]:
    """The stream's lines, the already-read head first (a partial last line is joined to what follows)."""
    rest = b""
    if head:
        *complete, rest = head.split(b"\n")
        yield from (line + b"\n" for line in complete)
    for line in stream:
        count(len(line))
        if rest:
            line, rest = rest + line, b""
        if line.endswith(b"\n"):
            yield line
        else:
            rest = line
    if rest:
        yield rest


def _array_items(body: bytes, stream: BinaryIO, count: ByteCounter) -> Iterator[InputItem]:
    decoder = json.JSONDecoder()
    utf8 = codecs.getincrementaldecoder("utf-8")("replace")
    buffer = utf8.decode(body)
    pos, number, eof = 0, 0, False
    expect_item = True

    def more(size: int) -> bool:
        nonlocal buffer, pos, eof
        chunk = stream.read(max(size, CHUNK))
        count(len(chunk))
        if not chunk:
            eof = True
            buffer = buffer[pos:] + utf8.decode(b"", final=True)
            pos = 0
            return False
        buffer = buffer[pos:] + utf8.decode(chunk)
        pos = 0
        return True

    while True:
        while pos < len(buffer) and buffer[pos] in " \t\r\n":
            pos += 1
        if pos >= len(buffer):
            if eof or not more(CHUNK):
                number += 1
                yield InputItem(number, f"item {number}", error="not JSON: the array never ends (missing ']')")
                return
            continue
        char = buffer[pos]
        if char == "]":
            return
        if not expect_item:
            if char != ",":
                number += 1
                yield InputItem(number, f"item {number}", error=f"not JSON: expected ',' or ']', found {char!r}")
                return
            pos += 1
            expect_item = True
            continue
        try:
            value, end = decoder.raw_decode(buffer, pos)
        except json.JSONDecodeError as exc:
            if not eof and more(len(buffer) - pos):
                continue
            number += 1
            yield InputItem(number, f"item {number}", error=f"not JSON: {exc.msg}; reading stops here")
            return
        if end == len(buffer) and not eof and more(CHUNK):
            continue  # a value ending exactly at the buffer's end may continue in the next chunk
        number += 1
        yield InputItem(number, f"item {number}", payload=value)
        pos, expect_item = end, False


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."
