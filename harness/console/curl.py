"""A journaled request as a curl command that sends it again, to this server.

The journal keeps credentials redacted, so the command reads the API key from `$BRAZE_API_KEY`, and the
Host the request named (`rest.fra-01.braze.eu`: the instance) is sent as a header, so the fake routes it
the same way. A body too long to show on a page is read from a file instead (`body_file`: the page
links to it), so the command on the page stays short and still sends every byte.
"""

from __future__ import annotations

import shlex

import orjson

from harness.braze import JournalEntry

__all__ = ["INLINE_LIMIT", "as_curl", "body_bytes"]

INLINE_LIMIT = 16 * 1024

_LEFT_OUT = frozenset(
    {"host", "content-length", "connection", "accept-encoding", "user-agent", "transfer-encoding", "cookie"}
)


def body_bytes(entry: JournalEntry) -> bytes:
    """The body as the journal keeps it: compact JSON, or the text kept of a body that was not JSON."""
    if entry.body is not None:
        try:
            return orjson.dumps(entry.body)
        except (orjson.JSONEncodeError, TypeError):
            pass
    return (entry.raw or "").encode()


def as_curl(entry: JournalEntry, base_url: str, body_file: str = "body.json") -> str:
    url = base_url.rstrip("/") + entry.path + (f"?{entry.query}" if entry.query else "")
    lines = [f"curl -sS -X {shlex.quote(entry.method)} {shlex.quote(url)}"]
    own_host = base_url.split("://", 1)[-1].rstrip("/")
    if entry.host and entry.host != own_host:
        lines.append(f"-H {shlex.quote('Host: ' + entry.host)}")
    for name, value in entry.headers.items():
        if name in _LEFT_OUT:
            continue
        if name == "authorization":
            lines.append('-H "Authorization: Bearer ${BRAZE_API_KEY}"')
        elif name == "x-harness-control-token":
            lines.append('-H "X-Harness-Control-Token: ${BRAZE_HARNESS_CONTROL_TOKEN}"')
        else:
            lines.append(f"-H {shlex.quote(f'{name}: {value}')}")
    data = body_bytes(entry)
    if len(data) > INLINE_LIMIT:
        lines.append(f"--data-binary @{shlex.quote(body_file)}")
    elif data:
        lines.append(f"--data-raw {shlex.quote(data.decode('utf-8', 'replace'))}")
    return " \\\n  ".join(lines)
