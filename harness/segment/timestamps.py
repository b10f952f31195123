"""ISO-8601 timestamps as Segment writes them: parsed to aware UTC datetimes, printed with a `Z`.

Segment stores every timestamp in UTC ("All timestamps are ISO-8601 date strings, and are in the UTC
timezone", segment-docs `src/connections/spec/common.md`); a value without a zone is read as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["format_timestamp", "parse_timestamp"]


def parse_timestamp(value: str) -> datetime:
    """Parse an ISO-8601 date-time into an aware UTC datetime; raise ValueError if it is not one."""
    if not isinstance(value, str):
        raise ValueError(f"timestamp must be a string, not {type(value).__name__}")
    text = value.strip()
    if text.endswith("z"):
        text = text[:-1] + "Z"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_timestamp(moment: datetime) -> str:
    """`2024-05-06T09:30:22.829Z`: millisecond precision, UTC, as Segment's own payloads show."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
