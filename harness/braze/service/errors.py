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

from harness.braze.model.notes import Code, Note
from harness.contracts import Violation

DETAIL_HEADER = "X-Harness-Detail"
"""Where the fake explains a refusal of the whole request (its body keeps Braze's shape and `errors: []`)."""

__all__ = [
    "DETAIL_HEADER",
    "BadRequest",
    "BrazeError",
    "CatalogRequestError",
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
    """An error response: HTTP status + `{"message", "errors"}` + extra headers.

    `message` is Braze's words; `detail` is the harness's explanation (the `X-Harness-Detail` header and a
    `refusal` note in the journal); `code` is the note's code, for programs.
    """

    status = 400
    message = "Bad syntax."
    code = Code.BAD_SYNTAX

    def __init__(
        self,
        message: str | None = None,
        errors: Iterable[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
        detail: str | None = None,
        code: Code | None = None,
        notes: Iterable[Note] = (),
        **extra: Any,
    ) -> None:
        self.message = message or self.message
        self.errors = list(errors)
        self.headers = headers or {}
        self.detail = detail
        self.code = code or self.code
        self.notes = list(notes)
        """Notes about single objects (a fatal /users/track answer lists every object's error)."""
        self.extra = extra
        super().__init__(self.message)

    def refusal(self) -> Note | None:
        """The note that explains this refusal of the whole request (None when it has no detail)."""
        return Note(self.code, None, f"refused: {self.detail}", "refusal") if self.detail else None

    def body(self) -> dict[str, Any]:
        return {**self.extra, "message": self.message, "errors": self.errors}


class BadRequest(BrazeError):
    """400: the body cannot be used as it is. Raised for unreadable bodies (not JSON, wrong content type,
    empty), too many objects or ids, and requests no object of which is valid."""

    status = 400


class ContractViolation(BadRequest):
    """400: the body breaks its contract as a whole; every violation listed as {type, path}. Raised for
    envelope violations of /users/track and any violation on the endpoints without per-object errors."""

    code = Code.CONTRACT

    def __init__(self, violations: list[Violation], message: str | None = None) -> None:
        self.violations = violations
        first = next((v.braze_message for v in violations if v.braze_message), None)
        items = [error_item(v.braze_message or v.reason, path=v.path) for v in violations]
        super().__init__(message or first or "Bad syntax.", items)


class Unauthorized(BrazeError):
    """401 `Invalid API key` (errors.md): no key, a malformed header, an unknown key, or another
    instance's key; the cohort endpoints raise it with `Invalid Partner API key` / `Invalid client secret`."""

    status = 401
    message = "Invalid API key"
    code = Code.AUTH_INVALID_KEY


class Forbidden(BrazeError):
    """403 `Access Denied` (errors.md): a key without the endpoint's permission."""

    status = 403
    message = "Access Denied"
    code = Code.AUTH_INVALID_KEY


class NotFound(BrazeError):
    """404 `Invalid URL.` (errors.md): a path that is not a Braze endpoint of this fake."""

    status = 404
    message = "Invalid URL."
    code = Code.REQUEST_NOT_FOUND


class MethodNotAllowed(BrazeError):
    """405: another method than POST on a Braze endpoint."""

    status = 405
    message = "Method Not Allowed"
    code = Code.REQUEST_METHOD


class PayloadTooLarge(BrazeError):
    """413: a body over `max_body_bytes` (`limits.MAX_BODY_BYTES`)."""

    status = 413
    message = "Payload Too Large"
    code = Code.LIMIT_BODY_BYTES


class RateLimited(BrazeError):
    """429 `Over rate limit.` (errors.md, api_limits.md): the endpoint group's window is used up."""

    status = 429
    message = "Over rate limit."
    code = Code.LIMIT_RATE


class CatalogRequestError(BrazeError):
    """400 or 404 `Invalid Request` with Braze's catalog error objects: the shape of every catalog page's
    example, `{"errors": [{"id", "message", "parameters", "parameter_values"}], "message": "Invalid Request"}`
    (contract `braze/catalog-error.response`). The catalog services raise it for their own rules; refusals
    before them (key, rate limit, unreadable body) keep the general shape, with `errors: []`."""

    status = 400
    message = "Invalid Request"
    code = Code.CATALOG_INVALID_ITEMS

    def __init__(
        self,
        errors: Iterable[dict[str, Any]],
        *,
        status: int = 400,
        code: Code | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(errors=errors, detail=detail, code=code)
        self.status = status
