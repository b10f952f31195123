"""The value-level work behind some mapping-kit directives, with JavaScript's semantics.

`@replace` (a literal pattern, `String.prototype.replace` replacement tokens `$&`, `` $` ``, `$'`,
`$$`), `@merge` (`Object.assign`, which spreads strings and arrays by index), `@json` (`JSON.parse`
without NaN/Infinity, big integers rounded like a double), `@flatten` and `@excludeWhenNull`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from harness.js import MISSING
from harness.translate.errors import JSError

__all__ = ["assign", "clean_nulls", "flatten", "js_replace"]


def _error(message: str) -> JSError:
    return JSError("Error", message)


def _js_replacement(replacement: str) -> Callable[[re.Match[str]], str]:
    """A `String.prototype.replace` replacement string (`$&`, `` $` ``, `$'`, `$$`) as a function."""
    if "$" not in replacement:
        return lambda _m: replacement

    def expand(match: re.Match[str]) -> str:
        out: list[str] = []
        i, n = 0, len(replacement)
        while i < n:
            ch = replacement[i]
            if ch == "$" and i + 1 < n:
                nxt = replacement[i + 1]
                if nxt == "$":
                    out.append("$")
                    i += 2
                    continue
                if nxt == "&":
                    out.append(match.group(0))
                    i += 2
                    continue
                if nxt == "`":
                    out.append(match.string[: match.start()])
                    i += 2
                    continue
                if nxt == "'":
                    out.append(match.string[match.end() :])
                    i += 2
                    continue
            out.append(ch)
            i += 1
        return "".join(out)

    return expand


def js_replace(value: str, pattern: str, replacement: str, is_global: bool, ignorecase: bool) -> str:
    if len(pattern) > 10:
        raise _error('@replace requires a "pattern" less than 10 characters')
    if len(replacement) > 10:
        raise _error('@replace requires a "replacement" less than 10 characters')
    regex = re.compile(re.escape(pattern), re.IGNORECASE if ignorecase else 0)
    return regex.sub(_js_replacement(replacement), value, count=0 if is_global else 1)


def assign(target: dict[str, Any], source: Any) -> None:
    """`Object.assign(target, source)` for JSON values (strings and arrays spread by index)."""
    if type(source) is dict:
        target.update(source)
    elif type(source) is list or isinstance(source, str):
        for index, item in enumerate(source):
            target[str(index)] = item


def flatten(value: Any, prefix: str, separator: str, omit_arrays: bool, out: dict[str, Any]) -> None:
    if type(value) is dict or (not omit_arrays and type(value) is list):
        items = value.items() if type(value) is dict else ((str(i), v) for i, v in enumerate(value))
        for key, item in items:
            flatten(item, f"{prefix}{separator}{key}" if prefix else key, separator, omit_arrays, out)
    elif value is not MISSING:
        out[prefix] = value


def clean_nulls(value: Any) -> Any:
    if type(value) is dict:
        return {k: clean_nulls(v) for k, v in value.items() if v is not None}
    return value
