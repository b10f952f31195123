"""The request target that Node's `fetch` sends for a URL string, as the WHATWG URL parser makes it.

Segment's code builds URLs by interpolation (`${endpoint}/catalogs/${catalog_name}/items/${id}`), so a
value with a space, a non-ASCII letter, `?`, `#` or `..` changes what reaches the server: spaces and
UTF-8 bytes are percent-encoded, `?` starts the query, `#` starts a fragment that is never sent, and
dot segments are resolved. Only what a request carries is reproduced: the origin and the path with
its query, for `http`/`https` URLs (the only ones Segment's destinations call).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["request_target", "split_origin"]

_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_PATH_EXTRA = frozenset(' "#<>?`{}')
_QUERY_EXTRA = frozenset(" \"#<>'")  # the special-query percent-encode set
_SINGLE_DOT = frozenset({".", "%2e"})
_DOUBLE_DOT = frozenset({"..", ".%2e", "%2e.", "%2e%2e"})
_ORIGIN = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*:)[/\\]*([^/\\?#]*)")


def _encode(text: str, extra: frozenset[str]) -> str:
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 or code > 0x7E or ch in extra:
            # A lone surrogate is not a scalar value: the USVString conversion makes it U+FFFD.
            data = ch.encode("utf-8", errors="replace") if not 0xD800 <= code <= 0xDFFF else "\ufffd".encode()
            out.extend(f"%{byte:02X}" for byte in data)
        else:
            out.append(ch)
    return "".join(out)


def _path(raw: str) -> str:
    """The path state of the URL parser for a special scheme: `\\` separates too, dot segments resolve.

    `raw` is what follows the host, up to the query: empty or starting with a separator.
    """
    segments: list[str] = []
    tokens = re.split(r"[/\\]", raw[1:])
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        lowered = token.lower()
        if lowered in _DOUBLE_DOT:
            if segments:
                segments.pop()
            if last:
                segments.append("")
        elif lowered in _SINGLE_DOT:
            if last:
                segments.append("")
        else:
            segments.append(_encode(token, _PATH_EXTRA))
    return "/" + "/".join(segments)


@lru_cache(maxsize=1024)
def split_origin(url: str) -> tuple[str, str]:
    """(`scheme://host[:port]`, request target `path[?query]`) of an absolute http(s) URL."""
    text = _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE))
    text = text.split("#", 1)[0]
    match = _ORIGIN.match(text)
    if match is None:
        return "", text
    scheme, host = match.group(1).lower(), match.group(2).lower()
    rest = text[match.end() :]
    raw_path, _, query = rest.partition("?")
    target = _path(raw_path)
    if query:  # `url.pathname + url.search`: an empty query adds nothing, not even the `?`
        target += "?" + _encode(query, _QUERY_EXTRA)
    for default in (":443", ":80"):
        if (scheme, default) in (("https:", ":443"), ("http:", ":80")) and host.endswith(default):
            host = host[: -len(default)]
    return f"{scheme}//{host}", target


def request_target(url: str) -> str:
    """The path and query `fetch(url)` puts on the request line (`/catalogs/my%20products/items/1`)."""
    return split_origin(url)[1]
