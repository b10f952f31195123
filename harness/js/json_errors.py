"""The `SyntaxError` message V8 (Node 20) gives for text that `JSON.parse` refuses.

actions-core 3.153's `@json` decode calls `JSON.parse` unguarded, so Segment reports V8's own words:
`Unexpected token 'a', "abc" is not valid JSON`, `Expected property name or '}' in JSON at position 1`,
`Unexpected end of JSON input`. This module walks the text the way V8's JsonParser does (the same
tokens, the same checks in the same order) only to find where and why it stops; positions and the
quoted context are counted in UTF-16 code units, as JavaScript strings are.
"""

from __future__ import annotations

from typing import Final

from harness.js.values import utf16_units

__all__ = ["v8_json_error"]

_WHITESPACE: Final = frozenset(" \t\n\r")
_NUMBER_PART: Final = frozenset("0123456789.eE+-")
_DIGITS: Final = frozenset("0123456789")
_HEX: Final = frozenset("0123456789abcdefABCDEF")
_ESCAPES: Final = frozenset('"\\/bfnrt')
_SPECIAL: Final = frozenset({"[object Object]", "undefined", "Infinity", "NaN"})
_CONTEXT: Final = 10
_TOKENS: Final = {'"': "string", "-": "number", "t": "true", "f": "false", "n": "null", ":": "colon",
                  ",": "comma", "[": "lbrack", "]": "rbrack", "{": "lbrace", "}": "rbrace"}  # fmt: skip
_TOKENS.update(dict.fromkeys("0123456789", "number"))
_TOKENS.update(dict.fromkeys(_WHITESPACE, "whitespace"))


def _join(units: list[str]) -> str:
    """UTF-16 code units back into a Python string: pairs become one character, lone halves stay."""
    return "".join(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


class _Stop(Exception):
    """The first error, with V8's message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Scanner:
    """Just enough of V8's JsonParser to find the first error: cursor over UTF-16 code units."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.units = utf16_units(text)
        self.pos = 0

    # -- tokens -----------------------------------------------------------------------------
    def char(self) -> str | None:
        return self.units[self.pos] if self.pos < len(self.units) else None

    def token(self) -> str:
        c = self.char()
        if c is None:
            return "eos"
        return _TOKENS.get(c, "illegal") if ord(c) <= 0xFF else "illegal"

    def skip_whitespace(self) -> str:
        while self.pos < len(self.units) and self.units[self.pos] in _WHITESPACE:
            self.pos += 1
        return self.token()

    # -- errors -----------------------------------------------------------------------------
    def fail(self, token: str, message: str | None = None) -> _Stop:
        at = f" in JSON at position {self.pos}"
        if message is not None:  # V8 writes "... after JSON at position N" for the one after a value
            return _Stop(message + (f" JSON at position {self.pos}" if message.endswith("after") else at))
        if token == "eos":
            return _Stop("Unexpected end of JSON input")
        if token == "number":
            return _Stop("Unexpected number" + at)
        if token == "string":
            return _Stop("Unexpected string" + at)
        if self.original in _SPECIAL:
            return _Stop(f'"{self.original}" is not valid JSON')
        shown = self.units[self.pos] if self.pos < len(self.units) else ""
        size = len(self.units)
        if size < 2 * _CONTEXT + 1:
            return _Stop(f"Unexpected token '{shown}', \"{self.original}\" is not valid JSON")
        if self.pos < _CONTEXT:
            context = _join(self.units[: self.pos + _CONTEXT])
            return _Stop(f"Unexpected token '{shown}', \"{context}\"... is not valid JSON")
        if self.pos < size - _CONTEXT:
            context = _join(self.units[self.pos - _CONTEXT : self.pos + _CONTEXT])
            return _Stop(f"Unexpected token '{shown}', ...\"{context}\"... is not valid JSON")
        context = _join(self.units[self.pos - _CONTEXT :])
        return _Stop(f"Unexpected token '{shown}', ...\"{context}\" is not valid JSON")

    def unexpected_character(self) -> _Stop:
        return self.fail(self.token())

    def expect_next(self, token: str, message: str | None = None) -> None:
        found = self.skip_whitespace()
        if found != token:
            raise self.fail(found, message)
        self.pos += 1

    def check(self, token: str) -> bool:
        if self.skip_whitespace() != token:
            return False
        self.pos += 1
        return True

    # -- values -----------------------------------------------------------------------------
    def string(self) -> None:
        """After the opening quote: ScanJsonString."""
        units = self.units
        while True:
            while self.pos < len(units) and units[self.pos] not in ('"', "\\") and ord(units[self.pos]) >= 0x20:
                self.pos += 1
            c = self.char()
            if c is None:
                raise self.fail("illegal", "Unterminated string")
            if c == '"':
                self.pos += 1
                return
            if c == "\\":
                self.pos += 1
                e = self.char()
                if e is None or ord(e) > 0xFF:
                    raise self.unexpected_character()
                if e == "u":
                    for _ in range(4):
                        self.pos += 1
                        h = self.char()
                        if h is None or h not in _HEX:
                            raise self.fail("illegal", "Bad Unicode escape")
                elif e not in _ESCAPES:
                    raise self.fail("illegal", "Bad escaped character")
                self.pos += 1
                continue
            raise self.fail("illegal", "Bad control character in string literal")

    def _digits(self) -> None:
        while self.char() in _DIGITS:
            self.pos += 1

    def number(self) -> None:
        """ParseJsonNumber."""
        if self.char() == "-":
            self.pos += 1
        if self.char() == "0":
            self.pos += 1
            if self.char() in _DIGITS:
                raise self.fail("number")
        else:
            start = self.pos
            self._digits()
            if self.pos == start:
                raise self.fail("illegal", "No number after minus sign")
        if self.char() == ".":
            self.pos += 1
            if self.char() not in _DIGITS:
                raise self.fail("illegal", "Unterminated fractional number")
            self._digits()
        if (self.char() or "").lower() == "e":
            self.pos += 1
            if self.char() in ("-", "+"):
                self.pos += 1
            if self.char() not in _DIGITS:
                raise self.fail("illegal", "Exponent part is missing a number")
            self._digits()

    def literal(self, word: str) -> None:
        """ScanLiteral: the first letter matched already."""
        for expected in word[1:]:
            self.pos += 1
            c = self.char()
            if c is None:
                raise self.fail("eos")
            if c != expected:
                raise self.unexpected_character()
        self.pos += 1

    def property_key(self, first: bool) -> None:
        """ScanJsonPropertyKey, then the colon; V8 names the colon only after an object's first key."""
        self.string()
        self.expect_next("colon", "Expected ':' after property name" if first else None)

    def value(self) -> None:
        """ParseJsonValue, iteratively (V8's parser keeps its own stack too)."""
        stack: list[str] = []
        while True:
            while True:  # produce a value
                token = self.skip_whitespace()
                if token == "string":
                    self.pos += 1
                    self.string()
                elif token == "number":
                    self.number()
                elif token == "lbrace":
                    self.pos += 1
                    if self.check("rbrace"):
                        break
                    stack.append("object")
                    self.expect_next("string", "Expected property name or '}'")
                    self.property_key(first=True)
                    continue
                elif token == "lbrack":
                    self.pos += 1
                    if self.check("rbrack"):
                        break
                    stack.append("array")
                    continue
                elif token in ("true", "false", "null"):
                    self.literal(token)
                else:
                    raise self.fail(token)
                break
            while True:  # consume it
                if not stack:
                    return
                if stack[-1] == "object":
                    if self.check("comma"):
                        self.expect_next("string", "Expected double-quoted property name")
                        self.property_key(first=False)
                        break
                    self.expect_next("rbrace", "Expected ',' or '}' after property value")
                    stack.pop()
                    continue
                if self.check("comma"):
                    break
                self.expect_next("rbrack", "Expected ',' or ']' after array element")
                stack.pop()

    def parse(self) -> None:
        self.value()
        token = self.skip_whitespace()
        if token != "eos":
            raise self.fail(token, "Unexpected non-whitespace character after")


def v8_json_error(text: str) -> str | None:
    """V8's `SyntaxError` message for `JSON.parse(text)`, or None when V8 would parse it."""
    try:
        _Scanner(text).parse()
    except _Stop as stop:
        return stop.message
    return None
