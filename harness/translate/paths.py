"""mapping-kit's `get(obj, path)` and `{{template}}` rendering, with their JavaScript edges.

`get` walks `a.b[0]["c"]` with `prev && prev[key]`: a falsy value part-way (0, "", false, null) is
returned as is, strings and arrays answer `length` and numeric indexes. Templates render
`{{{x}}}` first and `{{x}}` second, so a value that itself contains `{{y}}` is expanded again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from harness.js import JS_WHITESPACE, MISSING, js_property, js_string, js_truthy

__all__ = ["compile_path", "get_path", "render_template", "split_path"]

_SPLIT = re.compile(r"""\[(?="|'|\d)|\.|(?<="|'|\d)]+""")
_QUOTES = re.compile(r"""['"]""")


@lru_cache(maxsize=2048)
def split_path(path: str) -> tuple[str, ...]:
    """The keys of a mapping-kit path (`$.` already stripped), as actions-core's `get` splits it."""
    return tuple(_QUOTES.sub("", part) for part in _SPLIT.split(path) if part)


def get_path(data: Any, keys: tuple[str, ...]) -> Any:
    """`keys.reduce((prev, key) => prev && prev[key], data)`."""
    current = data
    for key in keys:
        if type(current) is dict:
            current = current.get(key, MISSING)
            continue
        if not js_truthy(current):
            return current
        current = js_property(current, key)
    return current


def compile_path(path: str) -> Callable[[Any], Any]:
    """A getter for a `@path` string: `$.` is removed once (anywhere), `''` and `'.'` are the root."""
    stripped = path.replace("$.", "", 1)
    if stripped in ("", "."):
        return lambda data: data
    keys = split_path(stripped)
    if len(keys) == 1:
        (only,) = keys

        def get_one(data: Any) -> Any:
            if type(data) is dict:
                return data.get(only, MISSING)
            return get_path(data, keys)

        return get_one
    if len(keys) == 2:
        first, second = keys

        def get_two(data: Any) -> Any:
            if type(data) is dict:
                inner = data.get(first, MISSING)
                if type(inner) is dict:
                    return inner.get(second, MISSING)
            return get_path(data, keys)

        return get_two
    return lambda data: get_path(data, keys)


def _lookup(data: Any, path: str) -> Any:
    if path in ("", "."):
        return data
    return get_path(data, split_path(path))


_TRIPLE = re.compile(r"\{\{\{([^}]+)\}\}\}")
_DOUBLE = re.compile(r"\{\{([^}]+)\}\}")


def render_template(template: str, data: Any) -> str:
    """actions-core `render`: `{{{x}}}` then `{{x}}`, each replaced by `String(get(data, x) ?? '')`."""

    def replace(match: re.Match[str]) -> str:
        value = _lookup(data, match.group(1).strip(JS_WHITESPACE))
        if value is None or value is MISSING:
            return ""
        return js_string(value)

    return _DOUBLE.sub(replace, _TRIPLE.sub(replace, template))
