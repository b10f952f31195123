"""Hypothesis strategies for Segment identify and track events (and Engage's audience events).

Events look like what Segment delivers: `messageId`, `timestamp`/`receivedAt` in ISO-8601,
realistic traits (`email`, `firstName`, `address`, ...) and properties, plus custom keys with
Unicode, nulls, nesting and arrays. `realistic=True` keeps values inside what Braze accepts (valid
emails, known genders, short strings); `realistic=False` adds hostile values (empty strings, huge
numbers, odd keys). Engage audience and computed-trait events are ordinary events with a
`context.personas` block, available through `engage_events()`.
"""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "custom_values",
    "engage_events",
    "identify_events",
    "iso_timestamps",
    "json_values",
    "order_completed_events",
    "products",
    "segment_events",
    "track_events",
    "traits",
]

_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_NAMES = ["Ada", "Grace", "Zoë", "José", "Łukasz", "Søren", "Nguyễn", "王", "محمد", "O'Brien"]
_CITIES = ["Paris", "São Paulo", "Zürich", "東京", "New York", "Kraków", "Reykjavík"]
_EVENTS = ["Signed Up", "Video Played", "Button Clicked", "Page Scrolled", "Song Played", "Added to Cart"]
_GENDERS = [
    "male",
    "female",
    "m",
    "f",
    "Man",
    "Woman",
    "other",
    "o",
    "not applicable",
    "prefer not to say",
    "p",
]
_EVENT_NAMES = st.sampled_from(_EVENTS)
_KEY_ALPHABET = string.ascii_letters + string.digits + "_"
_RESERVED_PROPERTY_NAMES = {"time", "event_name"}
# Names Braze or Segment's mapping give a meaning of their own; realistic custom keys avoid them.
_STANDARD_NAMES = _RESERVED_PROPERTY_NAMES | {
    "email", "firstName", "lastName", "phone", "gender", "avatar", "address", "birthday", "dob",
    "country", "home_city", "first_name", "last_name", "image_url", "language", "time_zone",
    "current_location", "external_id", "braze_id", "user_alias", "products", "properties",
    "email_subscribe", "push_subscribe", "push_tokens", "facebook", "twitter", "subscription_groups",
    "date_of_first_session", "date_of_last_session", "marked_email_as_spam_at",
    "email_open_tracking_disabled", "email_click_tracking_disabled", "_update_existing_only",
    "enable_batching", "batch_size", "plan", "logins", "createdAt",
}  # fmt: skip


def _iso(offset: int) -> str:
    moment = _EPOCH + timedelta(milliseconds=offset)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


_TIMESTAMPS = st.integers(min_value=0, max_value=5 * 365 * 24 * 3600 * 1000).map(_iso)
_HEX_IDS = st.uuids().map(lambda u: u.hex)


def iso_timestamps() -> st.SearchStrategy[str]:
    """An ISO-8601 UTC timestamp with milliseconds, as Segment writes `timestamp`/`receivedAt`."""
    return _TIMESTAMPS


@cache
def _keys(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        return st.text(_KEY_ALPHABET, min_size=1, max_size=24).filter(lambda k: k not in _STANDARD_NAMES)
    return st.text(min_size=0, max_size=30)


@cache
def _strings(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        surrogates: Any = ("Cs",)
        return st.text(st.characters(codec="utf-8", exclude_categories=surrogates), max_size=40)
    return st.text(max_size=300)


@cache
def _scalars(realistic: bool) -> st.SearchStrategy[Any]:
    numbers = st.integers(min_value=-(2**53), max_value=2**53) | st.floats(
        allow_nan=False, allow_infinity=False, width=64
    )
    return st.none() | st.booleans() | numbers | _strings(realistic)


@cache
def json_values(*, realistic: bool = True, max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value (nested objects and arrays included)."""
    return st.recursive(
        _scalars(realistic),
        lambda children: st.lists(children, max_size=5) | st.dictionaries(_keys(realistic), children, max_size=5),
        max_leaves=max_leaves,
    )


@cache
def custom_values(*, realistic: bool = True) -> st.SearchStrategy[Any]:
    """A custom trait / property value: scalars, scalar arrays, small nested objects, nulls."""
    return st.one_of(
        _scalars(realistic),
        st.lists(_scalars(realistic).filter(lambda v: v is not None), max_size=6),
        st.dictionaries(_keys(realistic), _scalars(realistic), max_size=4),
    )


@cache
def _emails(*, realistic: bool = True) -> st.SearchStrategy[str]:
    """Email addresses. Realistic ones are ASCII: Segment's ecommerce actions reject IDN domains."""
    # Dot-atoms only: "a..b@" or ".a@" are not valid addresses (and Segment's email format rejects them).
    local = st.from_regex(r"\A[a-z0-9]{1,8}([._+][a-z0-9]{1,6}){0,2}\Z")
    domains = ["example.com", "example.org", "mail.example.co.uk"]
    domain = st.sampled_from(domains if realistic else [*domains, "exämple.com", "localhost"])
    return st.builds(lambda a, b: f"{a}@{b}", local, domain)


_STANDARD_TRAITS: dict[str, st.SearchStrategy[Any]] = {
    "email": _emails(),
    "firstName": st.sampled_from(_NAMES),
    "lastName": st.sampled_from(_NAMES),
    "phone": st.integers(min_value=10**7, max_value=10**12).map(lambda n: f"+{n}"),
    "gender": st.sampled_from(_GENDERS),
    "avatar": st.sampled_from(["https://cdn.example.com/a.png", "https://example.org/u/1.jpg"]),
    "address": st.fixed_dictionaries(
        {"city": st.sampled_from(_CITIES)},
        optional={
            "country": st.sampled_from(["FR", "US", "JP"]),
            "postalCode": st.sampled_from(["75001", "10001"]),
        },
    ),
    "plan": st.sampled_from(["free", "pro", "enterprise"]),
    "logins": st.integers(min_value=0, max_value=10_000),
    "createdAt": _TIMESTAMPS,
}


@cache
def _traits(realistic: bool) -> st.SearchStrategy[dict[str, Any]]:
    return traits(realistic=realistic)


@st.composite
def traits(draw: st.DrawFn, *, realistic: bool = True) -> dict[str, Any]:
    """Identify traits: a realistic subset of Segment's reserved traits plus custom ones."""
    out: dict[str, Any] = draw(st.fixed_dictionaries({}, optional=_STANDARD_TRAITS))
    if not realistic:
        for key in draw(st.lists(st.sampled_from(list(_STANDARD_TRAITS)), max_size=3)):
            out[key] = draw(st.none() | st.just("") | _scalars(False))
    extra = draw(st.dictionaries(_keys(realistic), custom_values(realistic=realistic), max_size=5))
    for key, value in extra.items():
        out.setdefault(key, value)
    return out


@cache
def _ids(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        return st.text(_KEY_ALPHABET + "-", min_size=1, max_size=36)
    return st.text(max_size=40)


@st.composite
def identify_events(
    draw: st.DrawFn, *, realistic: bool = True, identified: bool | None = True, engage: bool = False
) -> dict[str, Any]:
    """A Segment identify call. `identified=True` always sets `userId`; None leaves it to chance."""
    event: dict[str, Any] = {
        "type": "identify",
        "messageId": draw(_HEX_IDS),
        "anonymousId": draw(_HEX_IDS),
        "traits": draw(_traits(realistic)),
        "context": {"library": {"name": "analytics-python", "version": "2.3.0"}},
        "timestamp": draw(_TIMESTAMPS),
        "receivedAt": draw(_TIMESTAMPS),
    }
    if identified or (identified is None and draw(st.booleans())):
        event["userId"] = draw(_ids(realistic))
    if draw(st.booleans()):
        event["context"]["location"] = {
            "country": draw(st.sampled_from(["France", "United States", "Japan"])),
            "latitude": draw(st.floats(min_value=-90, max_value=90)),
            "longitude": draw(st.floats(min_value=-180, max_value=180)),
        }
    if engage:
        key = draw(st.sampled_from(["dormant_shopper", "vip", "churn_risk"]))
        event["traits"][key] = draw(st.booleans())
        event["context"]["personas"] = {
            "computation_class": "audience",
            "computation_id": f"aud_{key}",
            "computation_key": key,
            "space_id": "spa_1",
        }
    return event


@cache
def _properties(realistic: bool) -> st.SearchStrategy[dict[str, Any]]:
    values = custom_values(realistic=realistic)
    if realistic:
        values = values.filter(lambda v: not isinstance(v, str) or len(v) <= 255)
    return st.dictionaries(_keys(realistic), values, max_size=8)


@st.composite
def track_events(
    draw: st.DrawFn,
    *,
    realistic: bool = True,
    identified: bool | None = True,
    event: st.SearchStrategy[str] | None = None,
) -> dict[str, Any]:
    """A Segment track call with realistic properties (the five ecommerce events excluded)."""
    name_strategy = event if event is not None else _EVENT_NAMES
    out: dict[str, Any] = {
        "type": "track",
        "event": draw(name_strategy),
        "messageId": draw(_HEX_IDS),
        "anonymousId": draw(_HEX_IDS),
        "properties": draw(_properties(realistic)),
        "context": {"library": {"name": "analytics.js", "version": "2.11.1"}},
        "timestamp": draw(_TIMESTAMPS),
        "receivedAt": draw(_TIMESTAMPS),
    }
    if identified or (identified is None and draw(st.booleans())):
        out["userId"] = draw(_ids(realistic))
    if draw(st.booleans()):
        out["context"]["traits"] = {"email": draw(_emails(realistic=realistic))}
    return out


@st.composite
def products(draw: st.DrawFn, *, min_size: int = 1, max_size: int = 5) -> list[dict[str, Any]]:
    """Segment V2 ecommerce products."""
    count = draw(st.integers(min_value=min_size, max_value=max_size))
    out = []
    for index in range(count):
        product: dict[str, Any] = {
            "product_id": f"p-{index}-{draw(st.integers(min_value=0, max_value=9999))}",
            "name": draw(st.sampled_from(["Sock", "Shoe", "Hat", "Écharpe", "傘"])),
            "variant": draw(st.sampled_from(["red", "blue", "L"])),
            "price": draw(st.integers(min_value=0, max_value=50_000)) / 100,
            "quantity": draw(st.integers(min_value=1, max_value=10)),
        }
        if draw(st.booleans()):
            product["currency"] = draw(st.sampled_from(["USD", "EUR", "JPY"]))
        if draw(st.booleans()):
            product["sku"] = f"SKU-{index}"
        out.append(product)
    return out


_ORDER_TRACKS = track_events(event=st.just("Order Completed"))


@st.composite
def order_completed_events(draw: st.DrawFn, *, min_products: int = 1, max_products: int = 5) -> dict[str, Any]:
    """An `Order Completed` track call with products, total, currency and source."""
    items = draw(products(min_size=min_products, max_size=max_products))
    event = draw(_ORDER_TRACKS)
    event["properties"] = {
        "order_id": f"o-{draw(st.integers(min_value=1, max_value=10**6))}",
        "total": round(sum(p["price"] * p["quantity"] for p in items), 2),
        "currency": draw(st.sampled_from(["USD", "EUR"])),
        "source": draw(st.sampled_from(["web", "ios", "android"])),
        "products": items,
    }
    return event


@st.composite
def engage_events(draw: st.DrawFn, *, kind: str | None = None) -> dict[str, Any]:
    """An Engage event: audience or computed trait, as identify or track (`Audience Entered`, ...)."""
    chosen = kind or draw(st.sampled_from(["audience_identify", "audience_track", "trait_identify", "trait_track"]))
    if chosen.startswith("audience"):
        key = draw(st.sampled_from(["dormant_shopper", "vip", "churn_risk"]))
        value: Any = draw(st.booleans())
        personas = {"computation_class": "audience", "computation_id": f"aud_{key}", "computation_key": key}
    else:
        key = draw(st.sampled_from(["lifetime_value", "favorite_color", "orders_30d"]))
        value = draw(st.floats(min_value=0, max_value=1e6) | st.sampled_from(["red", "blue"]) | st.none())
        personas = {"computation_class": "trait", "computation_id": f"tra_{key}", "computation_key": key}
    base = {
        "messageId": draw(_HEX_IDS),
        "userId": draw(_ids(True)),
        "context": {"personas": personas},
        "timestamp": draw(_TIMESTAMPS),
        "receivedAt": draw(_TIMESTAMPS),
    }
    if chosen.endswith("identify"):
        return {"type": "identify", "traits": {key: value}, **base}
    if chosen.startswith("audience"):
        name = "Audience Entered" if value else "Audience Exited"
        return {"type": "track", "event": name, "properties": {"audience_key": key, key: value}, **base}
    return {"type": "track", "event": "Trait Computed", "properties": {"trait_key": key, key: value}, **base}


def segment_events(*, realistic: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Any of the above: identify, track, Order Completed or an Engage event."""
    return st.one_of(
        identify_events(realistic=realistic),
        track_events(realistic=realistic),
        order_completed_events(),
        engage_events(),
    )
