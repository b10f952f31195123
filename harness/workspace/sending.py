"""Sending one request of a Segment destination to the fake Braze, in-process, with Segment's retries.

The request goes through `FakeBraze.call` (Braze's whole pipeline, no HTTP) with the host of the
destination's REST endpoint, so Braze sees the instance the settings name. Segment retries a `429`, a
`5xx` or a lost connection ("errors.awaiting-retry.429", "errors.awaiting-retry.5xx", "errors.awaiting-
retry.E*", segment-docs `src/connections/integration_error_codes.md`; "Segment's internal systems retry
failed destination API calls for four hours with a randomized exponential backoff",
`src/connections/destinations/index.md`). The fake retries at once, up to the workspace's `max_attempts`
tries in all, so a test never waits; every try is kept. A connection that never answers (a drop or a
timeout fault) ends as `ECONNRESET` / `ETIMEDOUT`, Delivery Overview's codes for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.braze import Backend, ConnectionDropped, RequestTimedOut, redact, redact_body
from harness.translate import BrazeRequest
from harness.workspace.delivery import host_of
from harness.workspace.records import Attempt

__all__ = ["Sender", "Undelivered"]


class Undelivered(Exception):
    """Every try of a request lost its connection: the batch ends there, failed with `code`."""

    def __init__(self, code: str, attempts: list[Attempt]) -> None:
        super().__init__(code)
        self.code = code
        self.attempts = attempts


def _retryable(attempt: Attempt) -> bool:
    return attempt.error is not None or attempt.status == 429 or attempt.status >= 500


@dataclass(slots=True)
class Sender:
    """Sends requests to one fake Braze; `trail` keeps every try since it was last cleared."""

    braze: Backend
    max_attempts: int = 3
    trail: list[Attempt] = field(default_factory=list)

    def send(self, request: BrazeRequest) -> Attempt:
        """The final try of `request` (earlier ones in the trail); Undelivered when no try was answered."""
        tries: list[Attempt] = []
        for number in range(1, max(1, self.max_attempts) + 1):
            attempt = self._once(request, number)
            tries.append(attempt)
            self.trail.append(attempt)
            if not _retryable(attempt):
                break
        last = tries[-1]
        last.retries = tries[:-1]
        if last.error is not None:
            raise Undelivered(last.error, tries)
        return last

    def _once(self, request: BrazeRequest, number: int) -> Attempt:
        headers = dict(request.headers)
        if "authorization" in headers:
            headers["authorization"] = redact(headers["authorization"])
        attempt = Attempt(
            request.method, request.url, request.path, headers, redact_body(request.body), 0, attempt=number
        )
        try:
            reply = self.braze.call(
                request.path, request.body, method=request.method, host=host_of(request.url), headers=request.headers
            )
        except ConnectionDropped:
            attempt.error = "ECONNRESET"
            return attempt
        except RequestTimedOut:
            attempt.error = "ETIMEDOUT"
            return attempt
        attempt.status, attempt.response = reply.status, reply.body
        attempt.notes, attempt.violations, attempt.braze_request = reply.notes, reply.violations, reply.request_id
        return attempt
