"""The Braze user profile as the fake keeps it: identity, attributes, and event/purchase summaries.

Braze keeps, per profile and event name, a lifetime `{count, first, last}` plus enough history for
"X times in the last Y days" filters (custom_events.md); `/users/export/ids` returns the summaries as
`custom_events: [{name, first, last, count}]` and `purchases: [{name, first, last, count}]`. The fake
keeps the same summaries and a per-UTC-day count (Braze's "calendar days in UTC") for 60 days back from
the newest occurrence, so memory per profile stays bounded however many events arrive.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

__all__ = ["EXPORT_FIELDS", "EventStats", "Profile", "export_time"]

DAILY_HISTORY_DAYS = 60

STANDARD_EXPORT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "dob",
    "home_city",
    "country",
    "phone",
    "language",
    "time_zone",
    "gender",
    "email_subscribe",
    "push_subscribe",
    "image_url",
)
EXPORT_FIELDS = frozenset(
    {
        "apps",
        "attributed_campaign",
        "attributed_source",
        "attributed_adgroup",
        "attributed_ad",
        "braze_id",
        "campaigns_received",
        "canvases_received",
        "cards_clicked",
        "country",
        "created_at",
        "custom_attributes",
        "custom_events",
        "devices",
        "dob",
        "email",
        "email_subscribe",
        "external_id",
        "first_name",
        "gender",
        "home_city",
        "language",
        "last_coordinates",
        "last_name",
        "phone",
        "purchases",
        "push_subscribe",
        "push_tokens",
        "random_bucket",
        "time_zone",
        "total_revenue",
        "uninstalled_at",
        "user_aliases",
        "image_url",
    }
)
"""`fields_to_export` values Braze documents (post_users_identifier.md), plus image_url."""


def export_time(moment: datetime) -> str:
    """Braze's export format for event times: `2021-06-28T17:02:43.032Z`, the stored fields as they are
    (the fake stores UTC; an offset, if any, is dropped, not applied).

    `isoformat` pads the year to four digits (strftime drops the padding of years before 1000 on glibc),
    truncates to milliseconds and puts any offset after the 23rd character; it is C, about half the cost
    of formatting the fields in Python (a replay report formats two per event name per event)."""
    return moment.isoformat(timespec="milliseconds")[:23] + "Z"


def _created_at_time(moment: datetime) -> str:
    """Braze's sample export shows `created_at` as `2020-07-10 15:00:00.000 UTC`."""
    return export_time(moment).replace("T", " ").replace("Z", " UTC")


def _exported_token(token: dict[str, Any]) -> dict[str, Any]:
    """post_users_identifier.md: `{app, platform, token, device_id, notifications_enabled}`. CHOICE: the app is
    the `app_id` it was imported with (Braze shows the app's name), the platform is "" unless known, and an
    imported token has notifications enabled."""
    return {
        "app": token.get("app_id", ""),
        "platform": token.get("platform", ""),
        "token": token["token"],
        "device_id": token.get("device_id", ""),
        "notifications_enabled": token.get("notifications_enabled", True),
    }


@dataclass(slots=True, eq=False)
class EventStats:
    """Lifetime count, first and last occurrence, and recent per-day counts of one event name."""

    count: int = 0
    first: datetime | None = None
    last: datetime | None = None
    days: dict[date, int] | None = None
    """Occurrences per UTC day once they fall on two days or more; None while every occurrence fell on the
    day of `first` (and `last`), whose count is then `count`. A profile holds one summary per event name,
    most of which stay on one day in a replay, and a one-entry dict with its date costs about 256 bytes."""

    def __eq__(self, other: object) -> bool:
        """Equal summaries, whichever way each keeps its per-day counts."""
        if not isinstance(other, EventStats):
            return NotImplemented
        return (self.count, self.first, self.last, self.daily) == (other.count, other.first, other.last, other.daily)

    @property
    def daily(self) -> dict[date, int]:
        """Occurrences per UTC day (a new dict while they all fell on one day)."""
        if self.days is not None:
            return self.days
        return {self.first.date(): self.count} if self.first is not None else {}

    def record(self, when: datetime, times: int = 1) -> None:
        first, last, days = self.first, self.last, self.days
        if first is None or last is None:
            self.first = self.last = when
            self.count += times
            return
        if days is None and when.date() != first.date():  # a second day: from now on, counts per day
            days = self.days = {first.date(): self.count}
        self.count += times
        if days is not None:
            day = when.date()
            days[day] = days.get(day, 0) + times
        if when < first:
            self.first = when
        if when > last:
            self.last = last = when
        if days is not None and len(days) > DAILY_HISTORY_DAYS:
            horizon = last.date() - timedelta(days=DAILY_HISTORY_DAYS)
            for old in [d for d in days if d < horizon]:
                del days[old]

    def count_since(self, first_day: date) -> int:
        """Occurrences on `first_day` or later (UTC calendar days)."""
        if self.days is None:
            return self.count if self.first is not None and self.first.date() >= first_day else 0
        return sum(n for day, n in self.days.items() if day >= first_day)

    def absorb(self, other: EventStats) -> None:
        """Merge another profile's summary into this one (Braze's identify merge: sum, min, max)."""
        days = self.daily  # this summary's own dict, or a new one holding its single day
        for day, n in other.daily.items():
            days[day] = days.get(day, 0) + n
        self.days = days
        self.count += other.count
        if other.first is not None and (self.first is None or other.first < self.first):
            self.first = other.first
        if other.last is not None and (self.last is None or other.last > self.last):
            self.last = other.last

    def times(self) -> tuple[str, str]:
        """(first, last) in Braze's export format (call once it has occurred).

        Not remembered between calls: keeping the two texts on every summary made a replay's memory grow
        faster with its length (peak RSS 1M/100k events 1.14-1.15x without, 1.17-1.19x with; speed the
        same within noise: benchmarks/README.md)."""
        first, last = self.first, self.last
        assert first is not None and last is not None
        first_text = export_time(first)
        return first_text, first_text if last is first else export_time(last)

    def export(self, name: str) -> dict[str, Any]:
        first, last = self.times()
        return {"name": name, "first": first, "last": last, "count": self.count}


@dataclass(slots=True)
class Profile:
    """One Braze user. `standard` holds Braze's profile fields by their Braze names."""

    braze_id: str
    created_at: datetime
    updated_at: datetime
    external_id: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    """alias_label -> alias_name (Braze: one alias_name per alias_label)."""
    standard: dict[str, Any] = field(default_factory=dict)
    custom_attributes: dict[str, Any] = field(default_factory=dict)
    custom_events: dict[str, EventStats] = field(default_factory=dict)
    purchases: dict[str, EventStats] = field(default_factory=dict)
    total_revenue: float = 0.0
    push_tokens: list[dict[str, Any]] = field(default_factory=list)
    device_ids: list[str] = field(default_factory=list)
    subscription_groups: dict[str, str] = field(default_factory=dict)

    @property
    def email(self) -> str | None:
        return self.standard.get("email")

    @property
    def phone(self) -> str | None:
        return self.standard.get("phone")

    @property
    def identified(self) -> bool:
        return self.external_id is not None

    @property
    def user_aliases(self) -> list[dict[str, str]]:
        return [{"alias_name": name, "alias_label": label} for label, name in self.aliases.items()]

    def record_event(self, name: str, when: datetime) -> None:
        stats = self.custom_events.get(name)
        if stats is None:  # one copy of each name for all profiles (each request's parse makes its own)
            stats = self.custom_events[sys.intern(name)] = EventStats()
        stats.record(when)

    def record_purchase(self, product_id: str, when: datetime, price: float, quantity: int) -> None:
        """Braze treats a quantity X as X separate purchases with quantity 1 (purchase_object.md)."""
        stats = self.purchases.get(product_id)
        if stats is None:
            stats = self.purchases[sys.intern(product_id)] = EventStats()
        stats.record(when, quantity)
        self.total_revenue += price * quantity

    def export(self, fields: frozenset[str] | None = None, since: datetime | None = None) -> dict[str, Any]:
        """The profile as `/users/export/ids` returns it: only non-empty fields (Braze sends the least data).

        `since`: list only the custom events and purchases last seen then or later (their `first` and `count`
        stay lifetime figures). `subscription_groups` is exported only when asked for by name."""
        want = EXPORT_FIELDS if fields is None else fields
        out: dict[str, Any] = {}
        if "created_at" in want:
            out["created_at"] = _created_at_time(self.created_at)
        if "external_id" in want and self.external_id is not None:
            out["external_id"] = self.external_id
        if "user_aliases" in want and self.aliases:
            out["user_aliases"] = self.user_aliases
        if "braze_id" in want:
            out["braze_id"] = self.braze_id
        for name in STANDARD_EXPORT_FIELDS:
            if name in want and self.standard.get(name) is not None:
                out[name] = self.standard[name]
        if "last_coordinates" in want and self.standard.get("current_location"):
            location = self.standard["current_location"]
            out["last_coordinates"] = [location["longitude"], location["latitude"]]
        if "total_revenue" in want and self.purchases:
            out["total_revenue"] = round(self.total_revenue, 2)
        if "custom_attributes" in want and self.custom_attributes:
            out["custom_attributes"] = dict(self.custom_attributes)
        if "custom_events" in want and (events := _recent(self.custom_events, since)):
            out["custom_events"] = events
        if "purchases" in want and (purchases := _recent(self.purchases, since)):
            out["purchases"] = purchases
        if "push_tokens" in want and self.push_tokens:
            out["push_tokens"] = [_exported_token(t) for t in self.push_tokens]
        if fields is not None and "subscription_groups" in fields and self.subscription_groups:
            out["subscription_groups"] = [
                {"subscription_group_id": group, "subscription_status": state}
                for group, state in self.subscription_groups.items()
            ]
        return out


def _recent(stats: dict[str, EventStats], since: datetime | None) -> list[dict[str, Any]]:
    return [s.export(n) for n, s in stats.items() if s.last is not None and (since is None or s.last >= since)]
