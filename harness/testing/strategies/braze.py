"""Hypothesis strategies for Braze `/users/track`: valid objects and bodies, and bodies broken by one mutation.

Valid means valid by contract (`braze/users-track.request`) *and* by the fake's rules, so a fake (or a
real Braze) accepts every generated body with 201 and no `errors`. `invalid_track_bodies()` breaks a
valid body in exactly one labelled way; the label says what it breaks, `path` where the violation is,
and `fatal` whether Braze refuses the whole request (400) or only the broken object (201 + `errors`).
Values stay JSON-safe: no lone surrogates, no NaN/Infinity, integers within 2**53.
"""

from __future__ import annotations

import copy
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from hypothesis import strategies as st

from harness.braze import IDENTIFIER_KEYS, STANDARD_KEYS
from harness.contracts import contract

__all__ = [
    "MUTATIONS",
    "MutatedBody",
    "Mutation",
    "attribute_objects",
    "braze_times",
    "custom_attribute_values",
    "event_objects",
    "event_properties",
    "external_ids",
    "identifiers",
    "invalid_track_bodies",
    "purchase_objects",
    "track_bodies",
    "user_aliases",
]

_SAFE_TEXT = st.characters(exclude_categories=["Cs"])
_KEY_ALPHABET = string.ascii_letters + string.digits + "_"
_INT = st.integers(-(2**53), 2**53)
_FLOAT = st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)
_CURRENCIES: tuple[str, ...] = tuple(contract("braze/common").schema["$defs"]["currency"]["enum"])
_PRICES = st.one_of(
    st.integers(0, 10_000), st.decimals(0, 10_000, places=2, allow_nan=False, allow_infinity=False).map(float)
)
_EXTERNAL_ID_POOL = ("u1", "u2", "u3", "user-42", "0f8a2c")


@cache
def _text(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(_SAFE_TEXT, min_size=min_size, max_size=max_size)


@cache
def _keys(min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[str]:
    return st.text(_KEY_ALPHABET, min_size=min_size, max_size=max_size)


# -- identifiers and times -------------------------------------------------------------------------


@cache
def external_ids() -> st.SearchStrategy[str]:
    """A small pool (so objects collide on users) and arbitrary non-empty ids."""
    return st.one_of(st.sampled_from(_EXTERNAL_ID_POOL), _text(1, 36))


@cache
def user_aliases() -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({"alias_name": _text(1, 30), "alias_label": _text(1, 20)})


@cache
def _emails() -> st.SearchStrategy[str]:
    local = st.text(string.ascii_lowercase + string.digits + "._+", min_size=1, max_size=12)
    domain = st.text(string.ascii_lowercase, min_size=1, max_size=10)
    return st.builds(lambda lo, do, tld: f"{lo}@{do}.{tld}", local, domain, st.sampled_from(("com", "io", "eu")))


@cache
def _phones() -> st.SearchStrategy[str]:
    return st.builds(lambda n: f"+1{n:010d}", st.integers(2_000_000_000, 9_999_999_999))


@cache
def identifiers() -> st.SearchStrategy[dict[str, Any]]:
    """How an object names its user: one of external_id, user_alias, braze_id, email or phone."""
    return st.one_of(
        st.builds(lambda v: {"external_id": v}, external_ids()),
        st.builds(lambda v: {"user_alias": v}, user_aliases()),
        st.builds(lambda v: {"braze_id": v}, st.text("0123456789abcdef", min_size=24, max_size=24)),
        st.builds(lambda v: {"email": v}, _emails()),
        st.builds(lambda v: {"phone": v}, _phones()),
    )


@cache
def braze_times() -> st.SearchStrategy[str]:
    """Past datetimes in the forms Braze reads: ISO 8601 (Z or offset) and Braze's `HH:mm:ss:SSSZ`."""
    moments = st.datetimes(datetime(2015, 1, 1), datetime(2024, 12, 31), timezones=st.just(UTC))
    forms: tuple[Callable[[datetime], str], ...] = (
        lambda m: m.strftime("%Y-%m-%dT%H:%M:%S.") + f"{m.microsecond // 1000:03d}Z",
        lambda m: m.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        lambda m: m.strftime("%Y-%m-%dT%H:%M:%S:") + f"{m.microsecond // 1000:03d}Z",
        lambda m: m.strftime("%Y-%m-%d"),
    )
    return st.builds(lambda m, form: form(m), moments, st.sampled_from(forms))


# -- attributes ------------------------------------------------------------------------------------

_SCALARS = st.one_of(_text(0, 40), _INT, _FLOAT, st.booleans())


@cache
def _nested(max_leaves: int = 6) -> st.SearchStrategy[dict[str, Any]]:
    """Nested custom attribute objects: keys without `.`, `$` or spaces; no nulls."""
    values = st.recursive(
        _SCALARS,
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_keys(), inner, min_size=1, max_size=3)),
        max_leaves=max_leaves,
    )
    return st.dictionaries(_keys(), values, min_size=1, max_size=3)


@cache
def custom_attribute_values() -> st.SearchStrategy[Any]:
    """Every form Braze documents: scalars, null (removes), arrays, `inc`, `add`/`remove`, `$time`, nested."""
    scalar_arrays = st.lists(st.one_of(_text(0, 20), st.integers(-1000, 1000)), max_size=5)
    return st.one_of(
        _SCALARS,
        st.none(),
        scalar_arrays,
        st.builds(lambda n: {"inc": n}, st.integers(-100, 100)),
        st.builds(lambda items: {"add": items}, scalar_arrays),
        st.builds(lambda items: {"remove": items}, scalar_arrays),
        st.builds(lambda t: {"$time": t}, braze_times()),
        _nested(),
        st.lists(st.dictionaries(_keys(), _SCALARS, min_size=1, max_size=3), min_size=1, max_size=3),
    )


_STANDARD_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "first_name": _text(0, 30),
    "last_name": _text(0, 30),
    "home_city": _text(0, 30),
    "email": _emails(),
    "phone": _phones(),
    "dob": st.dates(date(1920, 1, 1), date(2015, 12, 31)).map(date.isoformat),
    "gender": st.sampled_from(("M", "F", "O", "N", "P")),
    "country": st.sampled_from(("US", "DE", "FR", "JP", "BR")),
    "language": st.sampled_from(("en", "de", "fr", "ja")),
    "time_zone": st.sampled_from(("UTC", "America/New_York", "Europe/Berlin", "Asia/Tokyo")),
    "email_subscribe": st.sampled_from(("opted_in", "unsubscribed", "subscribed")),
    "push_subscribe": st.sampled_from(("opted_in", "unsubscribed", "subscribed")),
    "email_open_tracking_disabled": st.booleans(),
    "current_location": st.fixed_dictionaries(
        {"longitude": st.floats(-180, 180), "latitude": st.floats(-90, 90)},
    ),
}


_STANDARD_NAMES = st.sets(st.sampled_from(sorted(_STANDARD_FIELDS)), max_size=3)
_ONE_IN_TEN = st.integers(0, 9).map(lambda n: n == 0)
_ONE_IN_FIVE = st.integers(0, 4).map(lambda n: n == 0)
_APP_IDS = st.uuids().map(lambda u: u.hex)


@st.composite
def attribute_objects(draw: st.DrawFn, *, max_custom: int = 4) -> dict[str, Any]:
    """An attributes object: an identifier, some standard fields, some custom attributes."""
    obj = dict(draw(identifiers()))
    for name in draw(_STANDARD_NAMES):
        obj.setdefault(name, draw(_STANDARD_FIELDS[name]))
    obj.update(draw(_custom_attributes(max_custom)))
    if draw(_ONE_IN_TEN):
        obj["_update_existing_only"] = draw(st.booleans())
    return obj


@cache
def _custom_attributes(max_size: int) -> st.SearchStrategy[dict[str, Any]]:
    keys = _text(1, 30).filter(lambda k: k not in STANDARD_KEYS)
    return st.dictionaries(keys, custom_attribute_values(), max_size=max_size)


# -- events and purchases --------------------------------------------------------------------------


@cache
def event_properties() -> st.SearchStrategy[dict[str, Any]]:
    """Names non-empty, at most 255 characters, not starting with `$`, not `time`/`event_name`."""
    names = _text(1, 30).filter(lambda k: not k.startswith("$") and k not in ("time", "event_name"))
    values = st.one_of(_SCALARS, st.none(), st.dictionaries(_keys(), _SCALARS, max_size=3))
    return st.dictionaries(names, values, max_size=5)


@cache
def _event_names() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(("Audience Entered", "Order Completed", "Signed Up", "Product Viewed")),
        _text(1, 40).filter(lambda n: not n.startswith("ecommerce.")),
    )


@st.composite
def event_objects(draw: st.DrawFn) -> dict[str, Any]:
    """An event object (custom events; Braze's recommended `ecommerce.*` events are left out)."""
    obj = {**draw(identifiers()), "name": draw(_event_names()), "time": draw(braze_times())}
    if draw(st.booleans()):
        obj["properties"] = draw(event_properties())
    if draw(_ONE_IN_FIVE):
        obj["app_id"] = draw(_APP_IDS)
    return obj


@st.composite
def purchase_objects(draw: st.DrawFn) -> dict[str, Any]:
    obj = {
        **draw(identifiers()),
        "product_id": draw(_text(1, 40)),
        "currency": draw(_CURRENCY),
        "price": draw(_PRICES),
        "time": draw(braze_times()),
    }
    if draw(st.booleans()):
        obj["quantity"] = draw(_QUANTITIES)
    if draw(st.booleans()):
        obj["properties"] = draw(event_properties())
    return obj


_CURRENCY = st.sampled_from(_CURRENCIES)
_QUANTITIES = st.integers(1, 100)
_OBJECTS: dict[str, Callable[[], st.SearchStrategy[dict[str, Any]]]] = {
    "attributes": attribute_objects,
    "events": event_objects,
    "purchases": purchase_objects,
}


_KIND_SETS = st.sets(st.sampled_from(tuple(_OBJECTS)), min_size=1)


@cache
def _object_lists(kind: str, max_size: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(_OBJECTS[kind](), min_size=1, max_size=max_size)


@st.composite
def track_bodies(draw: st.DrawFn, *, max_objects: int = 3) -> dict[str, Any]:
    """A `/users/track` body with at least one object, at most `max_objects` per array (within every limit)."""
    kinds = draw(_KIND_SETS)
    body: dict[str, Any] = {}
    for kind in _OBJECTS:
        if kind in kinds:
            body[kind] = draw(_object_lists(kind, max_objects))
        elif draw(_ONE_IN_FIVE):
            body[kind] = []  # present but empty: still valid, `<kind>_processed: 0`
    return body


# -- one mutation ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mutation:
    """One way to break a body. `kind` None: the envelope (fatal); otherwise one object of that array.
    `apply` changes the body or object in place and returns the JSON path suffix it broke."""

    label: str
    kind: str | None
    apply: Callable[[dict[str, Any]], str]
    ignored: bool = False
    """True: the fake (as Braze most plausibly does) accepts the body and ignores what is broken: 201, no
    `errors`, a journal warning; the contract violation is still recorded (and refused with `strict`)."""

    def __repr__(self) -> str:
        return f"Mutation({self.label!r})"


@dataclass(frozen=True, slots=True)
class MutatedBody:
    body: dict[str, Any]
    mutation: str
    """What the mutation breaks, in words."""
    path: str
    """Where the violation is: every contract violation it causes has a path starting with this."""
    fatal: bool
    """True: Braze refuses the whole request (400). False: 201, with `errors` naming `kind` and `index`."""
    kind: str | None = None
    index: int | None = None
    ignored: bool = False
    """True: 201 with no `errors` (see `Mutation.ignored`)."""


def _setter(key: str, value: Any) -> Callable[[dict[str, Any]], str]:
    def apply(obj: dict[str, Any]) -> str:
        obj[key] = value
        return f".{key}"

    return apply


def _deleter(*keys: str) -> Callable[[dict[str, Any]], str]:
    def apply(obj: dict[str, Any]) -> str:
        for key in keys:
            obj.pop(key, None)
        return ""

    return apply


def _property(name: str, value: Any, suffix: str) -> Callable[[dict[str, Any]], str]:
    def apply(obj: dict[str, Any]) -> str:
        obj["properties"] = {**(obj.get("properties") or {}), name: value}
        return f".properties{suffix}"

    return apply


def _extra(key: str, value: Any) -> Callable[[dict[str, Any]], str]:
    def apply(obj: dict[str, Any]) -> str:
        obj[key] = value
        return ""

    return apply


MUTATIONS: tuple[Mutation, ...] = (
    Mutation("unknown top-level field", None, _extra("user", {"external_id": "u1"}), ignored=True),
    Mutation("'events' is not an array", None, _setter("events", {"name": "x"})),
    Mutation("'purchases' is not an array", None, _setter("purchases", "none")),
    Mutation("attributes object names no user", "attributes", _deleter(*IDENTIFIER_KEYS)),
    Mutation("empty external_id", "attributes", _setter("external_id", "")),
    Mutation("gender not one of M, F, O, N, P", "attributes", _setter("gender", "female")),
    Mutation("email is not an email address", "attributes", _setter("email", "not-an-email")),
    Mutation("dob not YYYY-MM-DD", "attributes", _setter("dob", "01/02/1990")),
    Mutation("email_subscribe not a subscription state", "attributes", _setter("email_subscribe", "yes")),
    Mutation("user_alias without alias_label", "attributes", _setter("user_alias", {"alias_name": "a"})),
    Mutation("_update_existing_only not a boolean", "attributes", _setter("_update_existing_only", "true")),
    Mutation("empty custom attribute name", "attributes", _extra("", 1)),
    Mutation("event without name", "events", _deleter("name")),
    Mutation("event without time", "events", _deleter("time")),
    Mutation("event time is not a datetime", "events", _setter("time", "yesterday")),
    Mutation("empty event name", "events", _setter("name", "")),
    Mutation("unknown field in an event object", "events", _extra("revenue", 1)),
    Mutation("event property name starts with $", "events", _property("$price", 1, "")),
    Mutation("reserved event property name 'time'", "events", _property("time", "now", "")),
    Mutation("event property string over 255 characters", "events", _property("long", "x" * 256, ".long")),
    Mutation("purchase without product_id", "purchases", _deleter("product_id")),
    Mutation("purchase without price", "purchases", _deleter("price")),
    Mutation("currency not an ISO 4217 code", "purchases", _setter("currency", "usd")),
    Mutation("price is not a number", "purchases", _setter("price", "9.99")),
    Mutation("quantity below 1", "purchases", _setter("quantity", 0)),
    Mutation("quantity above 100", "purchases", _setter("quantity", 101)),
    Mutation("product_id over 255 characters", "purchases", _setter("product_id", "p" * 256)),
)


@st.composite
def invalid_track_bodies(
    draw: st.DrawFn, *, max_objects: int = 3, mutations: tuple[Mutation, ...] = MUTATIONS
) -> MutatedBody:
    """A valid body broken by exactly one mutation (an object of the right kind is added when missing)."""
    body = copy.deepcopy(draw(track_bodies(max_objects=max_objects)))
    mutation = draw(st.sampled_from(mutations))
    if mutation.kind is None:
        suffix = mutation.apply(body)
        return MutatedBody(body, mutation.label, f"${suffix}", fatal=not mutation.ignored, ignored=mutation.ignored)
    items = body.setdefault(mutation.kind, [])
    if not items:
        items.append(draw(_OBJECTS[mutation.kind]()))
    index = draw(st.integers(0, len(items) - 1))
    suffix = mutation.apply(items[index])
    others = sum(len(body.get(kind) or []) for kind in _OBJECTS) - 1
    return MutatedBody(
        body, mutation.label, f"$.{mutation.kind}[{index}]{suffix}", fatal=others == 0, kind=mutation.kind, index=index
    )
