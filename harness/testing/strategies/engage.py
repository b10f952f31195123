"""Hypothesis strategies for Engage: definitions, generated Engage events, and event streams.

Everything is produced in JSON form (what a user writes or Segment sends), so the strategies are as
useful for testing a consumer of Engage output (the translator, the fake Braze) as for the simulator.
`populations()` keeps the ground truth (which identifiers belong to whom) beside the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "EVENT_NAMES",
    "Person",
    "Population",
    "audience_conditions",
    "audience_definitions",
    "computed_trait_definitions",
    "engage_audience_events",
    "engage_events",
    "engage_trait_events",
    "event_streams",
    "populations",
]

EVENT_NAMES: tuple[str, ...] = ("Order Completed", "Product Viewed", "Signed Up")
_PLANS = ("free", "pro", "team")
_TAGS = ("vip", "beta", "churn-risk")
_PRODUCTS = ("Sweater", "Boots", "Scarf")
_KEY = st.from_regex(r"\A[a-z][a-z0-9_]{2,20}\Z")
_BASE62 = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=27, max_size=27)
_START = datetime(2024, 1, 1, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# -- definitions ---------------------------------------------------------------------------------


def _performed(windowed: bool) -> st.SearchStrategy[dict[str, Any]]:
    counts = st.one_of(
        st.just({}),
        st.builds(lambda n: {"at_least": n}, st.integers(0, 3)),
        st.builds(lambda n: {"at_most": n}, st.integers(0, 3)),
        st.builds(lambda n: {"exactly": n}, st.integers(0, 3)),
    )
    window = st.builds(lambda d: {"within_days": d}, st.integers(1, 10)) if windowed else st.just({})
    return st.builds(
        lambda name, count, win: {"performed": name, **count, **win},
        st.sampled_from(EVENT_NAMES),
        counts,
        st.one_of(st.just({}), window),
    )


def _trait_test() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda v: {"trait": "plan", "equals": v}, st.sampled_from(_PLANS)),
        st.builds(lambda v: {"trait": "vip", "equals": v}, st.booleans()),
        st.builds(lambda v: {"trait": "age", "equals": v}, st.integers(18, 22)),
        st.builds(lambda v: {"trait": "tags", "contains": v}, st.sampled_from(_TAGS)),
        st.builds(lambda v: {"trait": "plan", "contains": v}, st.sampled_from(("pr", "ee", "x"))),
        st.builds(
            lambda t, e: {"trait": t, "exists": e},
            st.sampled_from(("plan", "tags", "age", "vip")),
            st.booleans(),
        ),
    )


def audience_conditions(*, windowed: bool = True, max_leaves: int = 4) -> st.SearchStrategy[dict[str, Any]]:
    """Audience conditions in JSON form: performed counts (optionally windowed), trait tests, and/or/not."""
    leaves = st.one_of(_performed(windowed), _trait_test())
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(lambda parts: {"and": parts}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda parts: {"or": parts}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda part: {"not": part}, inner),
        ),
        max_leaves=max_leaves,
    )


def _destinations() -> st.SearchStrategy[list[dict[str, Any]]]:
    toggles = st.sampled_from(((True, False), (False, True), (True, True)))
    return st.builds(
        lambda t, enter, exit_: [
            {"name": "Braze Cloud Mode (Actions)", "send_identify": t[0], "send_track": t[1]}
            | ({"enter_event": enter, "exit_event": exit_} if enter else {})
        ],
        toggles,
        st.sampled_from((None, "User Entered Audience")),
        st.just("User Exited Audience"),
    )


def audience_definitions(*, windowed: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Audience definitions in JSON form, valid against `contracts/engage/definition.json`."""
    return st.builds(
        lambda key, condition, anonymous, destinations: {
            "type": "audience",
            "key": key,
            "condition": condition,
            "include_anonymous_users": anonymous,
            "destinations": destinations,
        },
        _KEY,
        audience_conditions(windowed=windowed),
        st.booleans(),
        _destinations(),
    )


def computed_trait_definitions(*, windowed: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Computed-trait definitions in JSON form (every kind; windows optional)."""
    window = st.one_of(st.just({}), st.builds(lambda d: {"within_days": d}, st.integers(1, 10)))
    computation = st.one_of(
        st.builds(lambda e: {"kind": "event_counter", "event": e}, st.sampled_from(EVENT_NAMES)),
        st.builds(
            lambda f: {
                "kind": "aggregation",
                "function": f,
                "event": "Order Completed",
                "property": "revenue",
            },
            st.sampled_from(("sum", "min", "max", "average")),
        ),
        st.builds(
            lambda k: {"kind": k, "event": "Product Viewed", "property": "name"},
            st.sampled_from(("most_frequent", "first", "last", "unique_list", "unique_list_count")),
        ),
    )
    return st.builds(
        lambda key, comp, win, anonymous, destinations: {
            "type": "computed_trait",
            "key": key,
            "computation": comp | (win if windowed else {}),
            "include_anonymous_users": anonymous,
            "destinations": destinations,
        },
        _KEY,
        computation,
        window,
        st.booleans(),
        _destinations(),
    )


# -- Engage-generated events ------------------------------------------------------------------


def _identities() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda u: {"userId": u}, st.from_regex(r"\Au[0-9]{1,6}\Z")),
        st.builds(
            lambda u, a: {"userId": u, "anonymousId": a},
            st.from_regex(r"\Au[0-9]{1,6}\Z"),
            st.uuids().map(str),
        ),
        st.builds(lambda a: {"anonymousId": a}, st.uuids().map(str)),
    )


def _engage_event(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    audience = kind == "audience"
    value = st.booleans() if audience else st.one_of(st.integers(0, 10_000), st.sampled_from(_PRODUCTS), st.none())

    def build(
        key: str,
        ids: dict[str, Any],
        v: Any,
        call: str,
        email: str | None,
        mid: str,
        space: str,
        at: int,
    ) -> dict[str, Any]:
        personas = {
            "computation_class": kind,
            "computation_id": ("aud_" if audience else "tra_") + mid,
            "computation_key": key,
            "namespace": "spa_" + space,
            "space_id": "spa_" + space,
        }
        event: dict[str, Any] = {"type": call, **ids}
        context: dict[str, Any] = {"personas": personas}
        if call == "identify":
            event["traits"] = {key: v} | ({"email": email} if email else {})
        else:
            label = "audience_key" if audience else "trait_key"
            event["event"] = ("Audience Entered" if v else "Audience Exited") if audience else "Trait Computed"
            event["properties"] = {label: key, key: v}
            if email:
                context["traits"] = {"email": email}
        moment = _START + timedelta(seconds=at)
        return event | {
            "context": context,
            "integrations": {"All": False, "Braze Cloud Mode (Actions)": True},
            "messageId": "personas_" + mid,
            "timestamp": _iso(moment),
            "receivedAt": _iso(moment + timedelta(seconds=1)),
        }

    return st.builds(
        build,
        _KEY,
        _identities(),
        value,
        st.sampled_from(("identify", "track")),
        st.one_of(st.none(), st.emails()),
        _BASE62,
        _BASE62,
        st.integers(0, 365 * 86400),
    )


def engage_audience_events() -> st.SearchStrategy[dict[str, Any]]:
    """Audience events as Engage sends them (identify `{key: bool}` or Audience Entered / Exited)."""
    return _engage_event("audience")


def engage_trait_events() -> st.SearchStrategy[dict[str, Any]]:
    """Computed-trait events as Engage sends them (identify `{key: value}` or Trait Computed)."""
    return _engage_event("trait")


def engage_events() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(engage_audience_events(), engage_trait_events())


# -- identify / track streams for a small population -------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """One generated user and every identifier it may use."""

    user_id: str | None
    anonymous_ids: tuple[str, ...]
    emails: tuple[str, ...]

    def identifiers(self) -> list[tuple[str, str]]:
        out = [("user_id", self.user_id)] if self.user_id else []
        out += [("anonymous_id", a) for a in self.anonymous_ids]
        return out + [("email", e) for e in self.emails]


@dataclass(frozen=True, slots=True)
class Population:
    """Generated people and the identify / track events they sent, in timestamp order."""

    people: tuple[Person, ...]
    events: tuple[dict[str, Any], ...]


@st.composite
def _person(draw: st.DrawFn, index: int) -> Person:
    user = draw(st.booleans())
    anons = draw(st.integers(0 if user else 1, 2))
    emails = draw(st.integers(0, 2))
    return Person(
        f"user-{index}" if user else None,
        tuple(f"anon-{index}-{n}" for n in range(anons)),
        tuple(f"p{index}.{n}@example.com" for n in range(emails)),
    )


@st.composite
def _event(draw: st.DrawFn, person: Person, at: datetime) -> dict[str, Any]:
    ids = draw(st.lists(st.sampled_from(person.identifiers()), min_size=1, max_size=3, unique=True))
    user = next((v for k, v in ids if k == "user_id"), None)
    anon = next((v for k, v in ids if k == "anonymous_id"), None)
    if user is None and anon is None:  # the Spec needs one of them: email alone is not a Segment call
        anon = person.anonymous_ids[0] if person.anonymous_ids else None
        user = None if anon else person.user_id
    email = next((v for k, v in ids if k == "email"), None)
    event: dict[str, Any] = {"userId": user, "anonymousId": anon}
    event = {k: v for k, v in event.items() if v}
    if draw(st.integers(0, 3)) == 0:
        traits = draw(
            st.dictionaries(
                st.sampled_from(("plan", "tags", "age", "vip")),
                st.one_of(st.sampled_from(_PLANS), st.lists(st.sampled_from(_TAGS), max_size=2), st.integers(18, 22)),
                max_size=3,
            )
        )
        if "vip" in traits:
            traits["vip"] = draw(st.booleans())
        event |= {"type": "identify", "traits": traits | ({"email": email} if email else {})}
    else:
        name = draw(st.sampled_from(EVENT_NAMES))
        properties: dict[str, Any] = {}
        if name == "Order Completed":
            properties["revenue"] = draw(st.integers(1, 200))
        if name == "Product Viewed":
            properties["name"] = draw(st.sampled_from(_PRODUCTS))
        event |= {"type": "track", "event": name, "properties": properties}
        if email:
            event["context"] = {"traits": {"email": email}}
    return event | {"messageId": f"gen-{at.timestamp():.0f}", "timestamp": _iso(at)}


@st.composite
def populations(draw: st.DrawFn, max_people: int = 4, max_events: int = 24) -> Population:
    """A few people (each: maybe a userId, 0-2 anonymousIds, 0-2 emails, never shared) and a stream of
    their identify / track calls with strictly increasing timestamps over a few weeks."""
    people = tuple(draw(_person(i)) for i in range(draw(st.integers(1, max_people))))
    gaps = draw(st.lists(st.integers(1, 4 * 24 * 60), min_size=1, max_size=max_events))
    events, at = [], _START
    for gap in gaps:
        at += timedelta(minutes=gap)
        events.append(draw(_event(draw(st.sampled_from(people)), at)))
    return Population(people, tuple(events))


def event_streams(max_people: int = 4, max_events: int = 24) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Identify / track calls of a small population, in timestamp order."""
    return populations(max_people, max_events).map(lambda p: list(p.events))
