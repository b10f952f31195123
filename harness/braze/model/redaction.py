"""Keeping credentials out of the journal, the answers and the logs.

A request carries its credentials in the Authorization header (REST API key), the older `api_key` query
or body parameter, and the cohort endpoints' `partner_api_key` / `client_secret` body fields; the control
plane's token in its own header. The journal keeps only their last four characters, and anything the
fake writes about a request (error messages, warnings, violations, a 500's exception text, its log
record) is scrubbed of the exact secrets that request carried, wherever a value happened to be echoed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode


class HeaderItems(Protocol):
    """Request headers as any HTTP layer keeps them (a dict, werkzeug's `Headers`): name and value pairs."""

    def items(self) -> Iterable[tuple[str, str]]: ...


__all__ = [
    "SECRET_BODY_KEYS",
    "SECRET_HEADERS",
    "HeaderItems",
    "redact",
    "redact_body",
    "redact_query",
    "redact_raw",
    "scrub",
    "secrets_of",
]

SECRET_BODY_KEYS = frozenset({"partner_api_key", "client_secret", "api_key"})
SECRET_HEADERS = frozenset({"authorization", "x-harness-control-token"})
_RAW_SECRET = re.compile(r'("(?:partner_api_key|client_secret|api_key)"\s*:\s*")((?:[^"\\]|\\.)*)(")')


def redact(secret: str) -> str:
    """Keep the last four characters so a key can still be recognised: `****abcd`."""
    if not secret:
        return secret
    if secret.lower().startswith("bearer "):
        return "Bearer " + redact(secret[7:])
    return "****" + secret[-4:] if len(secret) > 8 else "****"


def redact_body(body: Any) -> Any:
    """The body with its top-level credential fields redacted (the same object when it has none)."""
    if isinstance(body, dict) and SECRET_BODY_KEYS.intersection(body):
        return {k: redact(v) if k in SECRET_BODY_KEYS and isinstance(v, str) else v for k, v in body.items()}
    return body


def redact_query(query: str) -> str:
    """A query string with `api_key` redacted."""
    if "api_key" not in query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, redact(v) if k in SECRET_BODY_KEYS else v) for k, v in pairs])


def redact_raw(text: str) -> str:
    """An unparsed body's text with `"partner_api_key": "..."`-style values redacted."""
    if "key" not in text and "secret" not in text:
        return text
    return _RAW_SECRET.sub(lambda m: m.group(1) + redact(m.group(2)) + m.group(3), text)


def secrets_of(headers: HeaderItems, query: Mapping[str, str], body: Any) -> tuple[str, ...]:
    """The credentials one request carried, longest first (so a key containing another is scrubbed whole)."""
    found: set[str] = set()
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS and value:
            scheme, _, rest = value.strip().partition(" ")  # `Bearer KEY`, `Basic KEY`, or a bare token
            found.add(rest.strip() or (scheme if scheme.lower() not in ("bearer", "basic") else ""))
    for name in SECRET_BODY_KEYS:
        queried = query.get(name)
        if queried:
            found.add(queried)
        if isinstance(body, dict) and isinstance(body.get(name), str) and body[name]:
            found.add(body[name])
    # A secret of a few characters would scrub ordinary words; keys that short are redacted whole anyway.
    return tuple(sorted((s for s in found if len(s) >= 4), key=len, reverse=True))


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """`value` (text, or JSON-like data) with every occurrence of a secret redacted."""
    secrets = tuple(secrets)
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, redact(secret))
        return value
    if isinstance(value, dict):
        return {scrub(k, secrets): scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(v, secrets) for v in value)
    return value
