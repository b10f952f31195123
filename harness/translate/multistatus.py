"""Segment's per-event batch results (`MultiStatusResponse`), entry for entry.

A batch answers each event with `{status, sent, body}` or `{status, errortype, errormessage, ...}`.
Entries keep Segment's key order; an error entry without `errortype` gets the one derived from its
status (`BAD_REQUEST`, `TOO_MANY_REQUESTS`, ...), and when the batch is merged each error learns who
reported it (`DESTINATION` if it carries `sent` or `body`, else `INTEGRATIONS`).
"""

from __future__ import annotations

from typing import Any

from harness.js import MISSING, js_truthy

__all__ = ["MultiStatus", "error_code_for_status", "schema_failure"]

_CODES = {
    100: "CONTINUE", 101: "SWITCHING_PROTOCOLS", 102: "PROCESSING", 103: "EARLY_HINTS", 200: "OK",
    201: "CREATED", 202: "ACCEPTED", 203: "NON_AUTHORITATIVE_INFORMATION", 204: "NO_CONTENT",
    205: "RESET_CONTENT", 206: "PARTIAL_CONTENT", 207: "MULTI_STATUS", 208: "ALREADY_REPORTED",
    226: "IM_USED", 300: "MULTIPLE_CHOICES", 301: "MOVED_PERMENANTLY", 302: "FOUND", 303: "SEE_OTHER",
    304: "NOT_MODIFIED", 305: "USE_PROXY", 306: "SWITCH_PROXY", 307: "TEMPORARY_REDIRECT",
    308: "PERMANENT_REDIRECT", 400: "BAD_REQUEST", 401: "UNAUTHORIZED", 402: "PAYMENT_REQUIRED",
    403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE",
    407: "PROXY_AUTHENTICATION_REQUIRED", 408: "REQUEST_TIMEOUT", 409: "CONFLICT", 410: "GONE",
    411: "LENGTH_REQUIRED", 412: "PRECONDITION_FAILED", 413: "PAYLOAD_TOO_LARGE", 414: "URI_TOO_LONG",
    415: "UNSUPPORTED_MEDIA_TYPE", 416: "RANGE_NOT_SATISFIABLE", 417: "EXPECTATION_FAILED",
    418: "IM_A_TEAPOT", 421: "MISDIRECTED_REQUEST", 422: "UNPROCESSABLE_ENTITY", 423: "LOCKED",
    424: "FAILED_DEPENDENCY", 425: "TOO_EARLY", 426: "UPGRADE_REQUIRED", 428: "PRECONDITION_REQUIRED",
    429: "TOO_MANY_REQUESTS", 431: "REQUEST_HEADER_FIELDS_TOO_LARGE", 451: "UNAVAILABLE_FOR_LEGAL_REASONS",
    499: "CANCELLED", 500: "INTERNAL_SERVER_ERROR", 501: "NOT_IMPLEMENTED", 502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE", 504: "GATEWAY_TIMEOUT", 505: "HTTP_VERSION_NOT_SUPPORTED",
    506: "VARIANT_ALSO_NEGOTIATES", 507: "INSUFFICIENT_STORAGE", 508: "LOOP_DETECTED",
    509: "BANDWIDTH_LIMIT_EXCEEDED", 510: "NOT_EXTENDED", 511: "NETWORK_AUTHENTICATION_REQUIRED",
    529: "SITE_IS_OVERLOADED",
}  # fmt: skip


def error_code_for_status(status: Any) -> str:
    """actions-core `getErrorCodeFromHttpStatus`."""
    return _CODES.get(status, "UNKNOWN_ERROR") if isinstance(status, int) else "UNKNOWN_ERROR"


def _clean(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if v is not MISSING}


def schema_failure(message: str) -> dict[str, Any]:
    """The entry for an event whose payload failed Segment's schema inside a batch."""
    return {
        "status": 400,
        "errortype": "PAYLOAD_VALIDATION_FAILED",
        "errormessage": message,
        "errorreporter": "INTEGRATIONS",
    }


class MultiStatus:
    """actions-core `MultiStatusResponse`: a sparse list of success / error entries."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[int, tuple[bool, dict[str, Any]]] = {}

    def length(self) -> int:
        return max(self._entries) + 1 if self._entries else 0

    def set_success(self, index: int, data: dict[str, Any]) -> None:
        self._entries[index] = (True, _clean(data))

    def set_error(self, index: Any, data: dict[str, Any]) -> None:
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            return  # `responses[undefined] = ...` sets a property, not an element
        entry = _clean(data)
        if not js_truthy(entry.get("errortype", MISSING)):
            entry["errortype"] = error_code_for_status(entry.get("status"))
        self._entries[index] = (False, entry)

    def is_error(self, index: Any) -> bool:
        found = self._entries.get(index) if isinstance(index, int) else None
        return found is not None and not found[0]

    def merged_entry(self, index: int) -> dict[str, Any] | None:
        """The entry as `executeBatch` publishes it (errors get `errorreporter`)."""
        found = self._entries.get(index)
        if found is None:
            return None
        success, entry = found
        if success:
            return entry
        reporter = "DESTINATION" if js_truthy(entry.get("sent")) or js_truthy(entry.get("body")) else "INTEGRATIONS"
        return {**entry, "errorreporter": reporter}
