"""Segment's error classes as data: the name, message, status and code that Segment reports.

actions-core throws `IntegrationError`, `PayloadValidationError`, `APIError`, `AggregateAjvError`
(payload or settings schema), `HTTPError` (a non-2xx reply) and, from mapping-kit, `AggregateError`
or a plain `Error`; Node itself throws `TypeError`/`RangeError` where the published code trips over
a value. Each becomes one exception class here whose `to_json()` is exactly what the reference runner
prints, so a test can compare errors the way it compares requests.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIError",
    "AggregateAjvError",
    "CaseError",
    "HTTPError",
    "IntegrationError",
    "JSError",
    "MappingValidationError",
    "PayloadValidationError",
    "SegmentError",
    "UnsupportedDirectiveError",
]


class SegmentError(Exception):
    """Base class: an error as Segment reports it (`name`, `message`, optional `status` and `code`)."""

    name = "Error"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "message": self.message}
        if self.status is not None:
            out["status"] = self.status
        if self.code is not None:
            out["code"] = self.code
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()!r})"


class IntegrationError(SegmentError):
    """actions-core `IntegrationError(message, code, status)`."""

    name = "IntegrationError"

    def __init__(self, message: str, code: str, status: int) -> None:
        super().__init__(message, status=status, code=code)


class PayloadValidationError(IntegrationError):
    """actions-core `PayloadValidationError`: always 400 / PAYLOAD_VALIDATION_FAILED."""

    name = "PayloadValidationError"

    def __init__(self, message: str) -> None:
        super().__init__(message, "PAYLOAD_VALIDATION_FAILED", 400)


class APIError(IntegrationError):
    """actions-core `APIError(message, status)`: the code is the status as a string."""

    name = "APIError"

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message, str(status), status)


class AggregateAjvError(SegmentError):
    """A schema failure; the message joins one sentence per ajv error (ajv-human-errors wording)."""

    name = "AggregateAjvError"

    def __init__(self, messages: list[str], *, status: int | None = None) -> None:
        super().__init__(" ".join(messages), status=status)
        self.messages = messages


class HTTPError(SegmentError):
    """A non-2xx reply; the message is the HTTP status text, as the request client reports it."""

    name = "HTTPError"

    def __init__(self, message: str, status: int, response: Any = None) -> None:
        super().__init__(message, status=status)
        self.response = response


class MappingValidationError(SegmentError):
    """mapping-kit's validation failure: an `AggregateError` listing each `ValidationError`.

    Segment's message embeds Node stack frames; this one keeps every line except those frames.
    """

    name = "AggregateError"

    def __init__(self, problems: list[str], *, single: bool = False) -> None:
        if single:
            super().__init__(problems[0])
            self.name = "ValidationError"
        else:
            super().__init__("\n" + "\n".join("    ValidationError: " + problem for problem in problems))
        self.problems = problems


class JSError(SegmentError):
    """A plain JavaScript error (`Error`, `TypeError`, `RangeError`) thrown by Segment's code."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


class UnsupportedDirectiveError(SegmentError):
    """A mapping-kit directive this harness does not reproduce (e.g. `@liquid`)."""

    name = "UnsupportedDirectiveError"

    def __init__(self, directive: str) -> None:
        super().__init__(
            f"{directive} is not supported by segment-braze-harness; supported directives: "
            "@path, @if, @template, @literal, @case, @replace, @arrayPath, @merge, @json, "
            "@flatten, @transform, @excludeWhenNull"
        )


class CaseError(SegmentError):
    """A case the harness cannot run (unknown destination, action or preset)."""

    name = "CaseError"
