"""FQL lexing, as fql-ts (Segment's destination-subscriptions) does it: characters to tokens."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FQLError", "LexError", "Lexer", "Tok"]

_EOS = "-1"


class FQLError(ValueError):
    """An FQL string Segment cannot parse; the message is the one Segment reports."""


@dataclass(frozen=True, slots=True)
class Tok:
    type: str
    value: str


class LexError(Exception):
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


class Lexer:
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

    def lex(self) -> list[Tok]:
        tokens: list[Tok] = []
        while True:
            char, eos = self.next()
            if eos:
                tokens.append(Tok("eos", "eos"))
                return tokens
            if _is_whitespace(char):
                continue
            if char == "!":
                upcoming = self.peek()
                if _is_alpha(upcoming) or upcoming == "(":
                    tokens.append(Tok("operator", "!"))
                    continue
            if _is_alpha(char) or char in ("!", "=", ">", "<", "\\", "_"):
                tokens.append(self.operator_or_conditional(char))
            elif _is_number(char) or char in ("-", "+"):
                tokens.append(self.number(char))
            elif char in ('"', "'"):
                tokens.append(self.string(char))
            elif char in _PUNCTUATION:
                tokens.append(Tok(_PUNCTUATION[char], char))
            else:
                raise LexError(f'invalid character "{char}"')

    def string(self, quote: str) -> Tok:
        text = ""
        while self.peek() != quote:
            char, eos = self.next()
            text += char
            if eos:
                raise LexError("unterminated string")
        self.next()
        return Tok("string", f"{quote}{text}{quote}")

    def number(self, previous: str) -> Tok:
        text = ""
        upcoming = self.peek()
        decimal = False
        while _is_number(upcoming) or upcoming == ".":
            char, _ = self.next()
            text += char
            if upcoming == ".":
                if _is_terminator(self.peek()):
                    raise LexError("unexpected terminator after decimal point")
                if decimal:
                    raise LexError("multiple decimal points in one number")
                decimal = True
            upcoming = self.peek()
        return Tok("number", previous + text)

    def operator_or_conditional(self, previous: str) -> Tok:
        if previous == "=":
            return Tok("operator", "=")
        if previous == "!":
            if self.accept("="):
                return Tok("operator", "!=")
            raise LexError("expected '=' after '!'")
        if previous == "a":
            return Tok("conditional", "and") if self.accept("nd") else self.ident(previous)
        if previous == "o":
            return Tok("conditional", "or") if self.accept("r") else self.ident(previous)
        if previous == "n":
            return Tok("null", "null") if self.accept("ull") else self.ident(previous)
        if previous in ("<", ">"):
            return Tok("operator", previous + "=") if self.accept("=") else Tok("operator", previous)
        return self.ident(previous)

    def ident(self, previous: str) -> Tok:
        text = ""
        char = previous
        while True:
            if char == "\\":
                if self.peek() == _EOS:
                    raise LexError("expected character after escape character, got EOS")
                char, _ = self.next()
            text += char
            if not _is_ident(self.peek()):
                break
            char, _ = self.next()
        upcoming = self.peek()
        if not (upcoming == _EOS or _is_terminator(upcoming) or upcoming in (".", "(", "=", "!")):
            raise LexError(f"expected termination character after identifier, got {upcoming}")
        return Tok("ident", text)
