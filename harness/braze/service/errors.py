"""Braze's errors as exceptions that carry their status and Braze-shaped body (werkzeug style).

Braze documents one fatal shape, `{"message": <fatal error message>, "errors": [...]}` (errors.md).
Messages are Braze's words where Braze documents them (errors.md, cohort_import.md). `errors` items are
Braze's per-object items (`type`, `input_array`, `index`) or contract violations (`type`, `path`); a
refusal that concerns the whole request (a bad key, the rate limit, an unknown path) has none, because
clients read `errors[].index` (Segment's own code fails on an item without one). Its explanation, the
`detail`, travels in the `X-Harness-Detail` header and the journal instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from harness.contracts import Violation

DETAIL_HEADER = "X-Harness-Detail"
"""Where the fake explains a refusal of the whole request (its body keeps Braze's shape and `errors: []`)."""

__all__ = [
    "DETAIL_HEADER",
    "BadRequest",
    "BrazeError",
    "ContractViolation",
    "Forbidden",
    "MethodNotAllowed",
    "NotFound",
    "PayloadTooLarge",
    "RateLimited",
    "Unauthorized",
    "error_item",
]


def error_item(
    type_: str, *, input_array: str | None = None, index: int | None = None, path: str | None = None
) -> dict[str, Any]:
    """One entry of a Braze `errors` array."""
    item: dict[str, Any] = {"type": type_}
    if input_array is not None:
        item["input_array"] = input_array
    if index is not None:
        item["index"] = index
    if path is not None:
        item["path"] = path
    return item


class BrazeError(Exception):
    """An error response: HTTP status + `{"message", "errors"}` + extra headers."""

    status = 400
    message = "Bad syntax."

    def __init__(
        self,
        message: str | None = None,
        errors: Iterable[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
        detail: str | None = None,
        **extra: Any,
    ) -> None:
        self.message = message or self.message
        self.errors = list(errors)
        self.headers = headers or {}
        self.detail = detail
        self.extra = extra
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return {**self.extra, "message": self.message, "errors": self.errors}


class BadRequest(BrazeError):
    status = 400


class ContractViolation(BadRequest):
    """The body breaks its contract: every violation listed as {type, path}."""

    def __init__(self, violations: list[Violation], message: str | None = None) -> None:
        self.violations = violations
        first = next((v.braze_message for v in violations if v.braze_message), None)
        items = [error_item(v.braze_message or v.reason, path=v.path) for v in violations]
        super().__init__(message or first or "Bad syntax.", items)


class Unauthorized(BrazeError):
    status = 401
    message = "Invalid API key"


class Forbidden(BrazeError):
    status = 403
    message = "Access Denied"


class NotFound(BrazeError):
    status = 404
    message = "Invalid URL."


class MethodNotAllowed(BrazeError):
    status = 405
    message = "Method Not Allowed"


class PayloadTooLarge(BrazeError):
    status = 413
    message = "Payload Too Large"


class RateLimited(BrazeError):
    status = 429
    message = "Over rate limit."
