"""V8's `Date.parse` (src/date/dateparser*), reproduced for a process whose time zone is UTC.

The ES5 ISO format first (`2024-03-01T12:00:00.000Z`, `+002024-...`, date-only = UTC), then V8's
lenient legacy grammar for everything else: month names (`March 7, 2024`), `2024/03/01 10:00`,
RFC 2822 (`Fri, 01 Mar 2024 12:00:00 GMT+0200`), AM/PM, parenthesised comments, two-digit years
(0-49 → 20xx, 50-99 → 19xx) and a missing year read as 2001. dayjs hands V8 every string it does not
parse itself, and the cohorts action sorts events with `new Date(time)`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from harness.js.datemath import make_date, time_clip

__all__ = ["js_date_parse"]

_NUMBER, _SYMBOL, _WORD, _SPACE, _UNKNOWN, _END = range(6)
_MONTH, _AMPM, _ZONE, _TSEP, _INVALID = range(5)
_KEYWORDS: dict[str, tuple[int, int]] = {
    "jan": (_MONTH, 1),
    "feb": (_MONTH, 2),
    "mar": (_MONTH, 3),
    "apr": (_MONTH, 4),
    "may": (_MONTH, 5),
    "jun": (_MONTH, 6),
    "jul": (_MONTH, 7),
    "aug": (_MONTH, 8),
    "sep": (_MONTH, 9),
    "oct": (_MONTH, 10),
    "nov": (_MONTH, 11),
    "dec": (_MONTH, 12),
    "am": (_AMPM, 0),
    "pm": (_AMPM, 12),
    "ut": (_ZONE, 0),
    "utc": (_ZONE, 0),
    "z": (_ZONE, 0),
    "gmt": (_ZONE, 0),
    "cdt": (_ZONE, -5),
    "cst": (_ZONE, -6),
    "edt": (_ZONE, -4),
    "est": (_ZONE, -5),
    "mdt": (_ZONE, -6),
    "mst": (_ZONE, -7),
    "pdt": (_ZONE, -7),
    "pst": (_ZONE, -8),
    "t": (_TSEP, 0),
}
_WS = frozenset(" \t\n\v\f\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)


class _Token:
    __slots__ = ("kind", "length", "value", "word")

    def __init__(self, kind: int, value: Any = 0, length: int = 0, word: int = _INVALID) -> None:
        self.kind = kind
        self.value = value
        self.length = length
        self.word = word

    def is_number(self, length: int | None = None) -> bool:
        return self.kind == _NUMBER and (length is None or self.length == length)

    def is_symbol(self, char: str) -> bool:
        return self.kind == _SYMBOL and self.value == char

    def is_sign(self) -> bool:
        return self.kind == _SYMBOL and self.value in "+-"

    def is_z(self) -> bool:
        return self.kind == _WORD and self.word == _ZONE and self.length == 1 and self.value == 0


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if "0" <= ch <= "9":
            start = i
            while i < n and "0" <= text[i] <= "9":
                i += 1
            tokens.append(_Token(_NUMBER, _numeral(text[start:i]), i - start))
        elif ch in ":-+.)":
            tokens.append(_Token(_SYMBOL, ch))
            i += 1
        elif ch >= "A" and ch not in _WS:
            start = i
            while i < n and text[i] >= "A" and text[i] not in _WS:
                i += 1
            word = text[start:i]
            prefix = "".join(c.lower() if c.isascii() else c for c in word[:3])
            kind, value = _KEYWORDS.get(prefix, (_INVALID, 0))
            if kind != _MONTH and len(word) > 3:
                kind, value = _INVALID, 0
            tokens.append(_Token(_WORD, value, len(word), kind))
        elif ch in _WS:
            start = i
            while i < n and text[i] in _WS:
                i += 1
            tokens.append(_Token(_SPACE, length=i - start))
        elif ch == "(":
            depth = 0
            while i < n:
                if text[i] == "(":
                    depth += 1
                elif text[i] == ")":
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                i += 1
            tokens.append(_Token(_UNKNOWN))
        else:
            tokens.append(_Token(_UNKNOWN))
            i += 1
    tokens.append(_Token(_END))
    return tokens


class _Scanner:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def next(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != _END:
            self.pos += 1
        return token

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def skip_symbol(self, char: str) -> bool:
        if self.peek().is_symbol(char):
            self.pos += 1
            return True
        return False


class _Day:
    def __init__(self) -> None:
        self.comp: list[int] = []
        self.named_month: int | None = None
        self.iso = False

    def add(self, n: int) -> bool:
        if len(self.comp) < 3:
            self.comp.append(n)
            return True
        return False

    def write(self) -> tuple[int, int, int] | None:
        if not self.comp:
            return None
        comp = self.comp + [1] * (3 - len(self.comp))
        year = 0
        if self.named_month is None:
            if self.iso or not 1 <= comp[0] <= 31:
                year, month, day = comp
            else:
                month, day, year = comp
        else:
            month = self.named_month
            if not 1 <= comp[0] <= 31:
                year, day = comp[0], comp[1]
            else:
                day, year = comp[0], comp[1]
        if not self.iso:
            if 0 <= year <= 49:
                year += 2000
            elif 50 <= year <= 99:
                year += 1900
        if not (1 <= month <= 12 and 1 <= day <= 31) or abs(year) > 2**30:
            return None
        return year, month - 1, day


class _Time:
    def __init__(self) -> None:
        self.comp: list[int] = []
        self.hour_offset: int | None = None

    def empty(self) -> bool:
        return not self.comp

    def add(self, n: int) -> bool:
        if len(self.comp) < 4:
            self.comp.append(n)
            return True
        return False

    def add_final(self, n: int) -> bool:
        if not self.add(n):
            return False
        self.comp += [0] * (4 - len(self.comp))
        return True

    def expecting(self, n: int) -> bool:
        size = len(self.comp)
        return (size == 1 and 0 <= n <= 59) or (size == 2 and 0 <= n <= 59) or (size == 3 and 0 <= n <= 999)

    def write(self) -> tuple[int, int, int, int] | None:
        hour, minute, sec, ms = self.comp + [0] * (4 - len(self.comp))
        if self.hour_offset is not None:
            if not 0 <= hour <= 12:
                return None
            hour = hour % 12 + self.hour_offset
        if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= sec <= 59 and 0 <= ms <= 999) and (
            hour != 24 or minute or sec or ms
        ):
            return None
        return hour, minute, sec, ms


class _Zone:
    def __init__(self) -> None:
        self.sign: int | None = None
        self.hour: int | None = None
        self.minute: int | None = None

    def set(self, offset: int) -> None:
        self.sign = -1 if offset < 0 else 1
        self.hour = abs(offset)
        self.minute = 0

    def expecting(self, n: int) -> bool:
        return self.hour is not None and self.minute is None and 0 <= n <= 59

    def is_utc(self) -> bool:
        return self.hour == 0 and self.minute == 0

    def empty(self) -> bool:
        return self.hour is None

    def offset_seconds(self) -> int | None:
        if self.sign is None:
            return None
        return self.sign * ((self.hour or 0) * 3600 + (self.minute or 0) * 60)


def _numeral(digits: str) -> int:
    """V8's `ReadUnsignedNumeral`: leading zeros skipped, then at most 9 significant digits."""
    significant = digits.lstrip("0")[:9]
    return int(significant) if significant else 0


def _read_ms(token: _Token) -> int:
    return _scale_ms(token.value, token.length)


def _scale_ms(number: int, length: int) -> int:
    """V8's `ReadMilliseconds`: the first three digits, judged by the numeral's length."""
    if length == 1:
        return number * 100
    if length == 2:
        return number * 10
    if length > 3:
        divisor: int = 10 ** (min(length, 9) - 3)
        return number // divisor
    return number


_INVALID_TOKEN = _Token(_UNKNOWN, "invalid")


def _parse_es5(sc: _Scanner, day: _Day, time: _Time, tz: _Zone) -> _Token | None:
    """The ES5 ISO prefix; returns the first token left for the legacy parser, None when done."""
    peek = sc.peek()
    if peek.is_sign():
        sign_token = sc.next()
        if not sc.peek().is_number(6):
            return sign_token
        year = sc.next().value
        if sign_token.value == "-" and year == 0:
            return sign_token
        day.add(-year if sign_token.value == "-" else year)
    elif peek.is_number(4):
        day.add(sc.next().value)
    else:
        return sc.next()
    if sc.skip_symbol("-"):
        if not (sc.peek().is_number(2) and 1 <= sc.peek().value <= 12):
            return sc.next()
        day.add(sc.next().value)
        if sc.skip_symbol("-"):
            if not (sc.peek().is_number(2) and 1 <= sc.peek().value <= 31):
                return sc.next()
            day.add(sc.next().value)
    peek = sc.peek()
    if not (peek.kind == _WORD and peek.word == _TSEP):
        if peek.kind != _END:
            return sc.next()
    else:
        sc.next()
        if not (sc.peek().is_number(2) and 0 <= sc.peek().value <= 24):
            return _INVALID_TOKEN
        hour_is_24 = sc.peek().value == 24
        time.add(sc.next().value)
        if not sc.skip_symbol(":"):
            return _INVALID_TOKEN
        if not (sc.peek().is_number(2) and 0 <= sc.peek().value <= 59) or (hour_is_24 and sc.peek().value > 0):
            return _INVALID_TOKEN
        time.add(sc.next().value)
        if sc.skip_symbol(":"):
            if not (sc.peek().is_number(2) and 0 <= sc.peek().value <= 59) or (hour_is_24 and sc.peek().value > 0):
                return _INVALID_TOKEN
            time.add(sc.next().value)
            if sc.skip_symbol("."):
                if not sc.peek().is_number() or (hour_is_24 and sc.peek().value > 0):
                    return _INVALID_TOKEN
                time.add(_read_ms(sc.next()))
        if sc.peek().is_z():
            sc.next()
            tz.set(0)
        elif sc.peek().is_sign():
            tz.sign = 1 if sc.next().value == "+" else -1
            if sc.peek().is_number(4):
                hourmin = sc.next().value
                hour, minute = divmod(hourmin, 100)
                if not (0 <= hour <= 23 and 0 <= minute <= 59):
                    return _INVALID_TOKEN
                tz.hour, tz.minute = hour, minute
            else:
                if not (sc.peek().is_number(2) and 0 <= sc.peek().value <= 23):
                    return _INVALID_TOKEN
                tz.hour = sc.next().value
                if not sc.skip_symbol(":"):
                    return _INVALID_TOKEN
                if not (sc.peek().is_number(2) and 0 <= sc.peek().value <= 59):
                    return _INVALID_TOKEN
                tz.minute = sc.next().value
        if sc.peek().kind != _END:
            return _INVALID_TOKEN
    if tz.empty() and time.empty():
        tz.set(0)
    day.iso = True
    return None


def _parse_legacy(sc: _Scanner, first: _Token, day: _Day, time: _Time, tz: _Zone) -> bool:
    has_read_number = bool(day.comp)
    token = first
    while token.kind != _END:
        if token.kind == _NUMBER:
            has_read_number = True
            n = token.value
            if sc.skip_symbol(":"):
                if sc.skip_symbol(":"):
                    if not time.empty():
                        return False
                    time.add(n)
                    time.add(0)
                else:
                    if not time.add(n):
                        return False
                    if sc.peek().is_symbol("."):
                        sc.next()
            elif sc.skip_symbol(".") and time.expecting(n):
                time.add(n)
                if not sc.peek().is_number():
                    return False
                time.add_final(_read_ms(sc.next()))
            elif tz.expecting(n):
                tz.minute = n
            elif time.expecting(n):
                time.add_final(n)
                peek = sc.peek()
                if not (peek.kind in (_END, _SPACE) or peek.is_z() or peek.is_sign()):
                    return False
            else:
                if not day.add(n):
                    return False
                sc.skip_symbol("-")
        elif token.kind == _WORD:
            if token.word == _AMPM and not time.empty():
                time.hour_offset = token.value
            elif token.word == _MONTH:
                day.named_month = token.value
                sc.skip_symbol("-")
            elif token.word == _ZONE and has_read_number:
                tz.set(token.value)
            else:
                if has_read_number or sc.peek().is_number():
                    return False
        elif token.is_sign() and (tz.is_utc() or not time.empty()):
            tz.sign = 1 if token.value == "+" else -1
            n, length = 0, 0
            if sc.peek().is_number():
                nxt = sc.next()
                n, length = nxt.value, nxt.length
            has_read_number = True
            if sc.peek().is_symbol(":"):
                tz.hour, tz.minute = n, None
            elif length in (1, 2):
                tz.hour, tz.minute = n, 0
            elif length in (3, 4):
                tz.hour, tz.minute = n // 100, n % 100
            else:
                return False
        elif (token.is_sign() or token.is_symbol(")")) and has_read_number:
            return False
        token = sc.next()
    return True


# The ES5 form Segment itself writes (`2024-03-01T12:00:00.000Z`): parsed directly, same rules.
_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?([Zz]|[+-]\d\d:\d\d)?\Z")


def _fast_iso(match: re.Match[str]) -> int | None:
    year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
    second = int(match.group(6) or 0)
    fraction = match.group(7)
    millis = _scale_ms(_numeral(fraction), len(fraction)) if fraction else 0
    if not (1 <= month <= 12 and 1 <= day <= 31 and 0 <= minute <= 59 and 0 <= second <= 59 and hour <= 24):
        return None
    if hour == 24 and (minute or second or (fraction and _numeral(fraction))):
        return None
    value = make_date(year, month - 1, day, hour, minute, second, millis)
    zone = match.group(8)
    if zone and zone not in ("Z", "z"):
        zone_hour, zone_minute = int(zone[1:3]), int(zone[4:6])
        if zone_hour > 23 or zone_minute > 59:
            return None
        value -= (1 if zone[0] == "+" else -1) * (zone_hour * 3600 + zone_minute * 60) * 1000
    return time_clip(value)


@lru_cache(maxsize=4096)
def js_date_parse(text: str) -> int | None:
    """`Date.parse(text)` as V8 does it in a UTC process; None for NaN."""
    fast = _ISO.match(text)
    if fast is not None:
        return _fast_iso(fast)
    sc = _Scanner(_tokenize(text))
    day, time, tz = _Day(), _Time(), _Zone()
    rest = _parse_es5(sc, day, time, tz)
    if rest is _INVALID_TOKEN:
        return None
    if rest is not None and not _parse_legacy(sc, rest, day, time, tz):
        return None
    ymd = day.write()
    hms = time.write()
    if ymd is None or hms is None:
        return None
    value = make_date(*ymd, *hms)
    offset = tz.offset_seconds()
    if offset is not None:
        value -= offset * 1000
    return time_clip(value)
