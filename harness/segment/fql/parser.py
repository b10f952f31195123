"""FQL parsing: tokens to Segment's condition tree (its `parseFql`), with Segment's quirks and messages."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from harness.js import js_string, string_to_number
from harness.segment.fql.lexer import FQLError, Lexer, LexError, Tok

__all__ = ["parse_fql"]


def _normalize(tokens: list[Tok]) -> list[Tok]:
    out: list[Tok] = []
    i = 0
    while i < len(tokens):
        current = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if out and out[-1].type == "ident" and current.type == "dot" and nxt is not None and nxt.type == "ident":
            previous = out.pop()
            out.append(Tok("ident", previous.value + current.value + nxt.value))
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


def _token_value(token: Tok) -> Any:
    if token.type == "string":
        return re.sub(r'"$', "", re.sub(r'^"', "", token.value))
    if token.type == "number":
        return string_to_number(token.value)
    if token.type == "ident" and token.value in ("true", "false"):
        return token.value == "true"
    return token.value


def _function(name: str, nodes: list[Any], tokens: list[Tok], negate: bool) -> None:
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
        op, value = "contains", js_string(_token_value(value_token))
    elif value_token.value.endswith('*"'):
        op, value = "starts_with", js_string(_token_value(value_token))[:-1]
    else:
        op, value = "ends_with", js_string(_token_value(value_token))[1:]
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


def _condition(kind: str, token: Tok, operator_token: Tok, value_token: Tok) -> dict[str, Any]:
    op, raw = operator_token.value, value_token.value
    if kind in ("event", "event-type"):
        return {"type": kind, "operator": op, "value": js_string(_token_value(value_token))}
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
        node.update(operator=op, value=js_string(_token_value(value_token)))
        return node
    if op == "=" and value_token.type == "number":
        node.update(operator="number_equals", value=_token_value(value_token))
    elif op == "!=" and value_token.type == "number":
        node.update(operator="number_not_equals", value=_token_value(value_token))
    else:
        node.update(operator=op, value=_token_value(value_token))
    return node


def _parse(tokens: list[Tok]) -> Any:
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
            group: list[Tok] = []
            if not tokens:
                raise FQLError("Cannot read properties of undefined (reading 'type')")
            inner = tokens.pop(0)
            while inner.type != "parenright":
                group.append(inner)
                if not tokens:
                    raise FQLError("Cannot read properties of undefined (reading 'type')")
                inner = tokens.pop(0)
            group.append(Tok("eos", "eos"))
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
        tokens = Lexer(fql).lex()
    except LexError:
        tokens = []
    ast = _parse(_normalize(tokens))
    if ast is None:
        raise FQLError("Cannot read properties of undefined (reading 'type')")
    if ast.get("type") != "group":
        return {"type": "group", "operator": "and", "children": [ast]}
    tree: dict[str, Any] = ast
    return tree
