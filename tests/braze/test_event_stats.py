"""A profile's per-event-name summary: count, first, last and per-day counts, however occurrences arrive.

`EventStats` keeps no per-day dict while every occurrence fell on one day; that may not change what
Braze's filters and exports see. The reference here is the
plain model: one dict of per-day counts from the first occurrence on, history pruned to 60 days back from
the newest occurrence once more than 60 days are held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from harness.braze import EventStats, export_time
from harness.braze.model.profiles import DAILY_HISTORY_DAYS

START = datetime(2024, 3, 1, tzinfo=UTC)
MOMENTS = st.builds(
    lambda days, ms: START + timedelta(days=days, milliseconds=ms),
    st.integers(-3, 130) | st.just(0),
    st.integers(0, 86_399_999),
)
RECORDS = st.lists(st.tuples(MOMENTS, st.integers(1, 3)), min_size=1, max_size=90)


@dataclass
class Reference:
    count: int = 0
    first: datetime | None = None
    last: datetime | None = None
    daily: dict[date, int] = field(default_factory=dict)

    def record(self, when: datetime, times: int) -> None:
        self.count += times
        self.first = when if self.first is None else min(self.first, when)
        self.last = when if self.last is None else max(self.last, when)
        self.daily[when.date()] = self.daily.get(when.date(), 0) + times
        if len(self.daily) > DAILY_HISTORY_DAYS:  # pruned only once more than 60 days are held
            horizon = self.last.date() - timedelta(days=DAILY_HISTORY_DAYS)
            self.daily = {d: n for d, n in self.daily.items() if d >= horizon}

    def count_since(self, first_day: date) -> int:
        return sum(n for d, n in self.daily.items() if d >= first_day)


def _recorded(records: list[tuple[datetime, int]]) -> tuple[EventStats, Reference]:
    stats, reference = EventStats(), Reference()
    for when, times in records:
        stats.record(when, times)
        reference.record(when, times)
        stats.times()  # formatted between occurrences too: a replay shows the profile after each event
    return stats, reference


def _same(stats: EventStats, reference: Reference) -> None:
    assert (stats.count, stats.first, stats.last) == (reference.count, reference.first, reference.last)
    assert stats.daily == reference.daily
    assert reference.first is not None and reference.last is not None
    for offset in range(-5, 135, 3):
        day = START.date() + timedelta(days=offset)
        assert stats.count_since(day) == reference.count_since(day), day
    assert stats.times() == (export_time(reference.first), export_time(reference.last))


@given(RECORDS)
def test_summaries_count_and_date_occurrences_as_the_plain_model_does(records: list[tuple[datetime, int]]) -> None:
    _same(*_recorded(records))


@given(RECORDS, RECORDS)
def test_merged_summaries_add_up_as_the_plain_model_does(
    ours: list[tuple[datetime, int]], theirs: list[tuple[datetime, int]]
) -> None:
    stats, reference = _recorded(ours)
    other, other_reference = _recorded(theirs)
    stats.absorb(other)
    reference.count += other_reference.count
    reference.first = min(reference.first, other_reference.first)  # type: ignore[type-var]
    reference.last = max(reference.last, other_reference.last)  # type: ignore[type-var]
    for day, n in other_reference.daily.items():
        reference.daily[day] = reference.daily.get(day, 0) + n
    _same(stats, reference)


def test_one_day_of_occurrences_keeps_no_per_day_dict_until_a_second_day() -> None:
    stats = EventStats()
    for hour in (9, 7, 23):
        stats.record(START + timedelta(hours=hour))
    assert stats.days is None and stats.daily == {START.date(): 3}
    assert stats.count_since(START.date()) == 3 and stats.count_since(START.date() + timedelta(days=1)) == 0
    kept_as_dict = EventStats(3, stats.first, stats.last, days={START.date(): 3})
    assert kept_as_dict == stats  # equal whichever way the per-day counts are kept
    stats.record(START + timedelta(days=1, hours=1), 2)
    assert stats.days == {START.date(): 3, START.date() + timedelta(days=1): 2}
    assert kept_as_dict != stats


def test_profiles_share_one_copy_of_each_event_name_and_product_id() -> None:
    """Each request's parse makes its own strings; a long replay keeps one per name, not one per profile."""
    import orjson

    from harness.braze.model.profiles import Profile

    names = [orjson.loads(b'["Video Played", "sku-1"]') for _ in range(2)]
    assert names[0][0] is not names[1][0]  # two parses, two strings
    profiles = [Profile(braze_id=f"b{n}", created_at=START, updated_at=START) for n in range(2)]
    for profile, (event, product) in zip(profiles, names, strict=True):
        profile.record_event(event, START)
        profile.record_purchase(product, START, 1.0, 1)
    (first_event,), (second_event,) = (list(p.custom_events) for p in profiles)
    (first_product,), (second_product,) = (list(p.purchases) for p in profiles)
    assert first_event is second_event and first_product is second_product
