"""Braze's export time format (`2021-06-28T17:02:43.032Z`) for every instant the fake can hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from harness.braze import export_time

OFFSETS = st.sampled_from([None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-9, minutes=-30))])


def fields(moment: datetime) -> str:
    """The format spelled out field by field: the stored fields, milliseconds truncated, any offset dropped."""
    m = moment
    return (
        f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}."
        f"{m.microsecond // 1000:03d}Z"
    )


@given(st.datetimes(timezones=OFFSETS))
def test_export_time_is_the_fields_with_milliseconds_truncated(moment: datetime) -> None:
    assert export_time(moment) == fields(moment)


def test_export_time_pads_early_years_and_keeps_zero_milliseconds() -> None:
    assert export_time(datetime(99, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0099-01-02T03:04:05.000Z"
    assert export_time(datetime(2024, 3, 1, 12, 0, 0, 999_999)) == "2024-03-01T12:00:00.999Z"
