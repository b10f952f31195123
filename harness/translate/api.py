"""`translate()`: what Segment's Braze destinations would send for an event (or a batch), as data.

Pure: no I/O, no network. Give an event and, optionally, the action (or shipped preset), settings,
mapping overrides in mapping-kit syntax, the saved cohort state and scripted Braze replies; get a
`TranslationResult` with the `BrazeRequest`s, the per-event multistatus of a batch, the cohort
state Segment would save and Segment's error, if any. Without an action the event goes where a
default install sends it: the preset (braze) or default subscription (braze-cohorts) it matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from harness.js import MISSING
from harness.segment.fql import fields_read, subscribed
from harness.translate.case_errors import unknown_destination
from harness.translate.destinations import Destination
from harness.translate.engine import Outcome, run
from harness.translate.errors import CaseError, SegmentError
from harness.translate.http import BrazeRequest
from harness.translate.releases import Release, release
from harness.translate.settings import SEGMENT_VERSION_KEY

__all__ = ["MAX_BATCH", "TranslationResult", "choose_routes", "translate"]

MAX_BATCH = 75


@dataclass(frozen=True, slots=True)
class TranslationResult:
    """The outcome of one translation; `to_json()` is the reference runner's output object."""

    destination: str
    action: str | None
    preset: str | None = None
    subscribed: Any = None
    requests: list[BrazeRequest] = field(default_factory=list)
    error: SegmentError | None = None
    multistatus: list[dict[str, Any] | None] | None = None
    state_set: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def raise_for_error(self) -> TranslationResult:
        """Raise Segment's error, if there was one; return self otherwise."""
        if self.error is not None:
            raise self.error
        return self

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"destination": self.destination, "action": self.action}
        if self.preset:
            out["preset"] = self.preset
        out["subscribed"] = self.subscribed
        if self.multistatus is not None:
            out["multistatus"] = self.multistatus
        out["requests"] = [r.to_json() for r in self.requests]
        if self.state_set:
            out["state_set"] = self.state_set
        out["error"] = self.error.to_json() if self.error is not None else None
        return out


def _from_outcome(outcome: Outcome) -> TranslationResult:
    return TranslationResult(
        destination=outcome.destination,
        action=outcome.action,
        preset=outcome.preset,
        subscribed=outcome.subscribed,
        requests=list(outcome.requests),
        error=outcome.error,
        multistatus=outcome.multistatus,
        state_set=outcome.state_set,
    )


def _release_of(segment_version: object, settings: dict[str, Any] | None) -> Release:
    """The release asked for (argument, else settings' `segment_version`); CaseError when unknown."""
    if segment_version is None and type(settings) is dict:
        segment_version = settings.get(SEGMENT_VERSION_KEY)
    return release(segment_version)


Route = tuple[str | None, str]
_BY_NAME = frozenset({"type", "event"})
_NAME_TYPES = (str, type(None))


def _subscriptions(dest: Destination) -> list[tuple[str, Route]]:
    """(FQL, route) in Segment's order: the automatic presets, or the actions' default subscriptions."""
    if dest.presets:
        return [(p.subscribe, (p.name, p.action)) for p in dest.presets if p.subscribe]
    return [(a.default_subscription, (None, slug)) for slug, a in dest.actions.items() if a.default_subscription]


@lru_cache(maxsize=64)
def _by_name(dest: Destination) -> bool:
    """Whether every subscription of `dest` reads only `type` and `event` (true of Segment's presets)."""
    return all(fields_read(fql) <= _BY_NAME for fql, _ in _subscriptions(dest))


@lru_cache(maxsize=4096)
def _routes_by_name(dest: Destination, kind: str | None, name: str | None) -> tuple[Route, ...]:
    probe = {key: value for key, value in (("type", kind), ("event", name)) if value is not None}
    return tuple(route for fql, route in _subscriptions(dest) if subscribed(fql, probe))


def _routes(event: Any, destination: str, chosen: Release) -> Iterator[Route]:
    dest = chosen.destinations.get(destination)
    if dest is None or type(event) is not dict:
        return
    kind, name = event.get("type"), event.get("event")
    if _by_name(dest) and type(kind) in _NAME_TYPES and type(name) in _NAME_TYPES:
        yield from _routes_by_name(dest, kind, name)
        return
    if dest.presets:
        for preset in dest.presets:
            if preset.subscribe and subscribed(preset.subscribe, event):
                yield preset.name, preset.action
        return
    for slug, action in dest.actions.items():
        if action.default_subscription and subscribed(action.default_subscription, event):
            yield None, slug


def choose_routes(
    event: Any, destination: str = "braze", *, segment_version: str | None = None
) -> list[tuple[str | None, str]]:
    """(preset, action) pairs a default install delivers `event` to, in Segment's preset order."""
    return list(_routes(event, destination, release(segment_version)))


def _batch_size(destination: str, common: dict[str, Any], chosen: Release) -> int:
    """Events per request: the mapping's `batch_size`, else the action's default (upsertCatalogItem: 50)."""
    size = (common["mapping"] or {}).get("batch_size")
    if isinstance(size, int) and not isinstance(size, bool) and 1 <= size <= MAX_BATCH:
        return size
    dest = chosen.destinations.get(destination)
    preset = dest.preset(common["preset"]) if dest is not None and common["preset"] is not None else None
    slug = preset.action if preset is not None else common["action"]
    action = dest.actions.get(slug) if dest is not None and slug is not None else None
    default = action.fields.get("batch_size", {}).get("default") if action is not None else None
    return default if isinstance(default, int) and 1 <= default <= MAX_BATCH else MAX_BATCH


def translate(
    event: Any,
    *,
    destination: str = "braze",
    action: str | None = None,
    preset: str | None = None,
    settings: dict[str, Any] | None = None,
    mapping: dict[str, Any] | None = None,
    state: dict[str, Any] | None = None,
    responses: list[dict[str, Any]] | None = None,
    segment_version: str | None = None,
) -> TranslationResult:
    """Translate one Segment event (a dict) or a batch (a list of events).

    `segment_version` names the @segment/action-destinations release reproduced: "3.497.0" (the
    default, Segment's latest) or "3.387.0"; settings may name it too (`segment_version`). Any other
    gives a CaseError listing the supported versions.

    A batch is cut into requests of at most 75 events (or the mapping's `batch_size`, or the action's
    default one: 50 for upsertCatalogItem), each run
    through the action's `performBatch` as Segment's batching does; the multistatus entries are
    concatenated in order and a cohort name saved by one request is known to the next.
    Settings default to the reference runner's test settings; see `harness.translate.settings`.
    """
    try:
        chosen = _release_of(segment_version, settings)
    except CaseError as error:
        return TranslationResult(destination, action, preset, error=error)
    routed = False
    if action is None and preset is None:
        probe = event[0] if isinstance(event, list) and event else event
        route = next(_routes(probe, destination, chosen), None)
        if route is None:
            if destination not in chosen.destinations:
                return TranslationResult(destination, None, error=unknown_destination(destination))
            return TranslationResult(destination, None, subscribed=False)
        preset, action = route
        routed = True
        if preset is not None:
            action = None
    common: dict[str, Any] = {
        "action": action,
        "preset": preset,
        "settings": settings,
        "mapping": mapping,
        "responses": responses,
        "segment_version": chosen.version,
    }
    if not isinstance(event, list):
        known = True if routed else MISSING
        return _from_outcome(run(destination, event=event, state=state, known_subscribed=known, **common))
    return _translate_batch(event, destination, state, common, chosen)


def _translate_batch(
    events: list[Any], destination: str, state: dict[str, Any] | None, common: dict[str, Any], chosen: Release
) -> TranslationResult:
    size = _batch_size(destination, common, chosen)
    chunks = [events[i : i + size] for i in range(0, len(events), size)] or [[]]
    saved = dict(state or {})
    requests: list[BrazeRequest] = []
    statuses: list[dict[str, Any] | None] = []
    subscribed: list[Any] = []
    state_set: dict[str, Any] = {}
    outcome = None
    for chunk in chunks:
        outcome = run(destination, batch=chunk, state=saved, **common)
        requests.extend(outcome.requests)
        subscribed.extend(outcome.subscribed or [])
        statuses.extend(outcome.multistatus or [])
        if outcome.state_set:
            state_set.update(outcome.state_set)
            saved.update(outcome.state_set)
        if outcome.error is not None:
            break
    assert outcome is not None
    return TranslationResult(
        destination=destination,
        action=outcome.action,
        preset=outcome.preset,
        subscribed=subscribed,
        requests=requests,
        error=outcome.error,
        multistatus=statuses if outcome.error is None else (statuses or None),
        state_set=state_set or None,
    )
