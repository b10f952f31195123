"""FQL, the filter language of Segment subscriptions (`type = "track" and event != "Order Completed"`).

A reproduction of what Segment's destination-subscriptions package does with an FQL string: its
lexer (fql-ts), its parser and its matcher. Supported: `type`, `event`, `name`, `userId`,
`properties.x`, `traits.x`, `context.x`; `=`, `!=`, `<`, `<=`, `>`, `>=`, `= null` / `!= null`,
`= true` / `= false`; `and`, `or`, one level of parentheses; `contains(x, "s")` and
`match(x, "s*")` / `match(x, "*s")`, optionally negated with `!`.

Segment's own quirks are kept: a group takes the last `and`/`or` it saw as its operator for all of
its terms, single-quoted strings keep their quotes, and `event != "X"` is true for events without a
name (identify calls).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["FQLError", "compile_fql", "parse_fql", "subscribed"]

_EOS = "-1"


class FQLError(ValueError):
    """An FQL string Segment cannot parse; the message is the one Segment reports."""


@dataclass(frozen=True, slots=True)
class _Tok:
    type: str
    value: str


class _LexError(Exception):
    pass


_PUNCTUATION = {
    ".": "dot",
    "[": "brackleft",
    "]": "brackright",
    ",": "comma",
    "(": "parenleft",
    ")": "parenright",
}


def _is_alpha(c: str) -> bool:
    return len(c) == 1 and c.isascii() and c.isalpha()


def _is_number(c: str) -> bool:
    return c != _EOS and len(c) == 1 and "0" <= c <= "9"


def _is_whitespace(c: str) -> bool:
    return c in (" ", "\t", "\n")


def _is_terminator(c: str) -> bool:
    return c == _EOS or _is_whitespace(c) or c in (",", "]", ")")


def _is_ident(c: str) -> bool:
    return c != _EOS and (_is_alpha(c) or _is_number(c) or c in ("_", "-", "\\"))


class _Lexer:
    def __init__(self, code: str) -> None:
        self.code = code
        self.pos = 0

    def next(self) -> tuple[str, bool]:
        if self.pos == len(self.code):
            return _EOS, True
        char = self.code[self.pos]
        self.pos += 1
        return char, False

    def peek(self) -> str:
        char, eos = self.next()
        if not eos:
            self.pos -= 1
        return char

    def backup(self, count: int) -> None:
        self.pos = max(0, self.pos - count)

    def accept(self, text: str) -> bool:
        chars = ""
        for _ in text:
            char, eos = self.next()
            chars += char
            if eos:
                return False
            if _is_terminator(char):
                break
        if text == chars and _is_terminator(self.peek()):
            return True
        self.backup(len(chars))
        return False

    def lex(self) -> list[_Tok]:
        tokens: list[_Tok] = []
        while True:
            char, eos = self.next()
            if eos:
                tokens.append(_Tok("eos", "eos"))
                return tokens
            if _is_whitespace(char):
                continue
            if char == "!":
                upcoming = self.peek()
                if _is_alpha(upcoming) or upcoming == "(":
                    tokens.append(_Tok("operator", "!"))
                    continue
            if _is_alpha(char) or char in ("!", "=", ">", "<", "\\", "_"):
                tokens.append(self.operator_or_conditional(char))
            elif _is_number(char) or char in ("-", "+"):
                tokens.append(self.number(char))
            elif char in ('"', "'"):
                tokens.append(self.string(char))
            elif char in _PUNCTUATION:
                tokens.append(_Tok(_PUNCTUATION[char], char))
            else:
                raise _LexError(f'invalid character "{char}"')

    def string(self, quote: str) -> _Tok:
        text = ""
        while self.peek() != quote:
            char, eos = self.next()
            text += char
            if eos:
                raise _LexError("unterminated string")
        self.next()
        return _Tok("string", f"{quote}{text}{quote}")

    def number(self, previous: str) -> _Tok:
        text = ""
        upcoming = self.peek()
        decimal = False
        while _is_number(upcoming) or upcoming == ".":
            char, _ = self.next()
            text += char
            if upcoming == ".":
                if _is_terminator(self.peek()):
                    raise _LexError("unexpected terminator after decimal point")
                if decimal:
                    raise _LexError("multiple decimal points in one number")
                decimal = True
            upcoming = self.peek()
        return _Tok("number", previous + text)

    def operator_or_conditional(self, previous: str) -> _Tok:
        if previous == "=":
            return _Tok("operator", "=")
        if previous == "!":
            if self.accept("="):
                return _Tok("operator", "!=")
            raise _LexError("expected '=' after '!'")
        if previous == "a":
            return _Tok("conditional", "and") if self.accept("nd") else self.ident(previous)
        if previous == "o":
            return _Tok("conditional", "or") if self.accept("r") else self.ident(previous)
        if previous == "n":
            return _Tok("null", "null") if self.accept("ull") else self.ident(previous)
        if previous in ("<", ">"):
            return _Tok("operator", previous + "=") if self.accept("=") else _Tok("operator", previous)
        return self.ident(previous)

    def ident(self, previous: str) -> _Tok:
        text = ""
        char = previous
        while True:
            if char == "\\":
                if self.peek() == _EOS:
                    raise _LexError("expected character after escape character, got EOS")
                char, _ = self.next()
            text += char
            if not _is_ident(self.peek()):
                break
            char, _ = self.next()
        upcoming = self.peek()
        if not (upcoming == _EOS or _is_terminator(upcoming) or upcoming in (".", "(", "=", "!")):
            raise _LexError(f"expected termination character after identifier, got {upcoming}")
        return _Tok("ident", text)


def _normalize(tokens: list[_Tok]) -> list[_Tok]:
    out: list[_Tok] = []
    i = 0
    while i < len(tokens):
        current = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if out and out[-1].type == "ident" and current.type == "dot" and nxt is not None and nxt.type == "ident":
            previous = out.pop()
            out.append(_Tok("ident", previous.value + current.value + nxt.value))
            i += 2
        else:
            out.append(current)
            i += 1
    return out


_CONDITIONS = {
    "type": "event-type",
    "event": "event",
    "name": "name",
    "userId": "userId",
    "context": "event-context",
    "properties": "event-property",
    "traits": "event-trait",
}
_PREFIX = {"event-context": "context", "event-property": "properties", "event-trait": "traits"}


def _token_value(token: _Tok) -> Any:
    if token.type == "string":
        return re.sub(r'"$', "", re.sub(r'^"', "", token.value))
    if token.type == "number":
        return _js_number(token.value)
    if token.type == "ident" and token.value in ("true", "false"):
        return token.value == "true"
    return token.value


def _js_number(text: str) -> float:
    """`Number(text)` for the numerals the FQL lexer produces (`12`, `-3.5`, a lone `-`)."""
    try:
        return float(text.strip()) if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text.strip()) else float("nan")
    except ValueError:
        return float("nan")


def _as_string(value: Any) -> str:
    """`String(value)` for FQL values: strings, booleans and plain decimal numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)


def _function(name: str, nodes: list[Any], tokens: list[_Tok], negate: bool) -> None:
    tokens.pop(0) if tokens else None
    if not tokens:
        raise FQLError(f"{name}() is missing a 1st argument")
    name_token = tokens.pop(0)
    tokens.pop(0) if tokens else None
    if not tokens:
        raise FQLError(f"{name}() is missing a 2nd argument")
    value_token = tokens.pop(0)
    tokens.pop(0) if tokens else None
    if name == "contains":
        op, value = "contains", _as_string(_token_value(value_token))
    elif value_token.value.endswith('*"'):
        op, value = "starts_with", _as_string(_token_value(value_token))[:-1]
    else:
        op, value = "ends_with", _as_string(_token_value(value_token))[1:]
    op = f"not_{op}" if negate else op
    target = name_token.value
    if target in ("event", "name", "userId"):
        nodes.append({"type": target, "operator": op, "value": value})
    for kind, prefix in _FUNCTION_TARGETS:
        if target.startswith(prefix):
            name_in_source = re.sub(rf"^{prefix}\.", "", target)
            nodes.append({"type": kind, "name": name_in_source, "operator": op, "value": value})


_FUNCTION_TARGETS = (
    ("event-property", "properties"),
    ("event-trait", "traits"),
    ("event-context", "context"),
)


def _condition(kind: str, token: _Tok, operator_token: _Tok, value_token: _Tok) -> dict[str, Any]:
    op, raw = operator_token.value, value_token.value
    if kind in ("event", "event-type"):
        return {"type": kind, "operator": op, "value": _as_string(_token_value(value_token))}
    special = None
    if op == "!=" and raw == "null":
        special = "exists"
    elif op == "=" and raw == "null":
        special = "not_exists"
    elif op == "=" and raw == "true" and kind != "name":
        special = "is_true"
    elif op == "=" and raw == "false" and kind != "name":
        special = "is_false"
    node: dict[str, Any] = {"type": kind}
    if kind in _PREFIX:
        node["name"] = re.sub(rf"^({_PREFIX[kind]})\.", "", token.value)
    if special is not None:
        node["operator"] = special
        return node
    if kind in ("name", "userId"):
        node.update(operator=op, value=_as_string(_token_value(value_token)))
        return node
    if op == "=" and value_token.type == "number":
        node.update(operator="number_equals", value=_token_value(value_token))
    elif op == "!=" and value_token.type == "number":
        node.update(operator="number_not_equals", value=_token_value(value_token))
    else:
        node.update(operator=op, value=_token_value(value_token))
    return node


def _parse(tokens: list[_Tok]) -> Any:
    nodes: list[Any] = []
    operator = "and"
    token = tokens.pop(0) if tokens else None
    while token is not None and token.type != "eos":
        if token.type == "ident":
            kind = _CONDITIONS.get(token.value.split(".")[0])
            if kind:
                if not tokens:
                    raise FQLError("Operator token is missing")
                operator_token = tokens.pop(0)
                if not tokens:
                    raise FQLError("Value token is missing")
                nodes.append(_condition(kind, token, operator_token, tokens.pop(0)))
            if token.value in ("contains", "match"):
                _function(token.value, nodes, tokens, negate=False)
        if (
            token.type == "operator"
            and token.value == "!"
            and tokens
            and tokens[0].type == "ident"
            and tokens[0].value in ("contains", "match")
        ):
            _function(tokens.pop(0).value, nodes, tokens, negate=True)
        if token.type == "parenleft":
            group: list[_Tok] = []
            if not tokens:
                raise FQLError("Cannot read properties of undefined (reading 'type')")
            inner = tokens.pop(0)
            while inner.type != "parenright":
                group.append(inner)
                if not tokens:
                    raise FQLError("Cannot read properties of undefined (reading 'type')")
                inner = tokens.pop(0)
            group.append(_Tok("eos", "eos"))
            nodes.append(_parse(group))
        if token.type == "conditional":
            operator = token.value
        token = tokens.pop(0) if tokens else None
    if len(nodes) > 1:
        return {"type": "group", "operator": operator, "children": nodes}
    return nodes[0] if nodes else None


@lru_cache(maxsize=256)
def parse_fql(fql: str) -> dict[str, Any]:
    """The condition tree Segment builds from an FQL string; raises `FQLError` like `parseFql` fails."""
    try:
        tokens = _Lexer(fql).lex()
    except _LexError:
        tokens = []
    ast = _parse(_normalize(tokens))
    if ast is None:
        raise FQLError("Cannot read properties of undefined (reading 'type')")
    if ast.get("type") != "group":
        return {"type": "group", "operator": "and", "children": [ast]}
    return ast


_MISSING = object()


def _get(obj: Any, path: str) -> Any:
    if not path:
        return _MISSING
    keys = re.findall(r"[^[.\]]+", path)
    value = obj
    for key in keys:
        if value is _MISSING or value is None or value is False or value == 0 or value == "":
            break
        if isinstance(value, dict):
            value = value.get(key, _MISSING)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            value = _MISSING
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_NUMERIC: dict[str, Callable[[float, float], bool]] = {
    "number_equals": operator.eq,
    "number_not_equals": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_TEXT: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda actual, needle: needle in actual,
    "starts_with": str.startswith,
    "ends_with": str.endswith,
}


def _check(actual: Any, op: str, expected: Any) -> bool:
    """destination-subscriptions `validateValue`."""
    if op in ("=", "!="):
        equal = isinstance(actual, str) and actual == _as_string(expected)
        return equal if op == "=" else not equal
    if op in _NUMERIC:
        if not _number(actual):
            return False
        return _NUMERIC[op](actual, _js_number(expected) if isinstance(expected, str) else float(expected))
    base = op.removeprefix("not_")
    if base in _TEXT:
        if not isinstance(actual, str):
            return False
        return _TEXT[base](actual, _as_string(expected)) != op.startswith("not_")
    if op == "exists":
        return actual is not _MISSING and actual is not None
    if op == "not_exists":
        return actual is _MISSING or actual is None
    if op == "is_true":
        return actual is True
    if op == "is_false":
        return actual is False
    return False


Predicate = Callable[[dict[str, Any]], bool]
_FIELDS = {"event-type": "type", "event": "event", "name": "name", "userId": "userId"}
_SOURCES = {"event-property": "properties", "event-trait": "traits", "event-context": "context"}


def _all(children: list[Predicate]) -> Predicate:
    def check(event: dict[str, Any]) -> bool:
        return all(child(event) for child in children)

    return check


def _any(children: list[Predicate]) -> Predicate:
    def check(event: dict[str, Any]) -> bool:
        return any(child(event) for child in children)

    return check


def _field_equals(field: str, target: str, negate: bool) -> Predicate:
    if negate:

        def differs(event: dict[str, Any]) -> bool:
            value = event.get(field)
            return type(value) is not str or value != target

        return differs

    def equals(event: dict[str, Any]) -> bool:
        value = event.get(field)
        return type(value) is str and value == target

    return equals


def _compile(node: dict[str, Any]) -> Predicate:
    kind = node["type"]
    if kind == "group":
        children = [_compile(child) for child in node["children"]]
        if node["operator"] == "and":
            return _all(children)
        if node["operator"] == "or":
            return _any(children)
        return lambda _event: False
    op, expected = node["operator"], node.get("value")
    if kind in _FIELDS:
        field = _FIELDS[kind]
        if op in ("=", "!="):
            return _field_equals(field, _as_string(expected), op == "!=")
        return lambda event: _check(event.get(field, _MISSING), op, expected)
    source = _SOURCES.get(kind)
    if source is None:
        return lambda _event: False
    name = node["name"]
    return lambda event: _check(_get(event.get(source, _MISSING), name), op, expected)


@lru_cache(maxsize=256)
def compile_fql(fql: str) -> Predicate:
    """A predicate for an FQL string (compiled once per string); raises `FQLError` when invalid."""
    return _compile(parse_fql(fql))


def subscribed(fql: str, event: dict[str, Any]) -> bool:
    """Whether Segment would deliver `event` to a subscription with this FQL (`FQLError` if invalid)."""
    return compile_fql(fql)(event)
