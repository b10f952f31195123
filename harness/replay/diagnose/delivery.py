"""Diagnoses from what happened on a route: Segment's error, Braze's status, and the fake's coded notes.

Nothing here re-derives Braze's or Segment's rules: each diagnosis reads what the translator (Segment's
error or multistatus entry, in Segment's own words) or the fake (its status and its notes, matched by
code, never by their text) said, and names the known failure mode behind it. 401s are explained with the
workspace model (which workspace owns the key, on which instance) because Braze's own 401 does not say why.
"""

from __future__ import annotations

import re
from typing import Any

from harness.braze import DEFAULT_WORKSPACE, Code, Note, instance_named, redact
from harness.replay.config import ReplayConfig, instance_of_endpoint
from harness.replay.delivery import HARNESS_ERROR
from harness.replay.diagnose.catalog import diagnosis
from harness.replay.model import Delivery, Diagnosis, EventCase, SentRequest, shown

__all__ = ["delivery_diagnoses"]

_NO_ID = 'One of "external_id"'
_TIME_REQUIRED = "required field 'time'"
_AUDIENCE_KEY = "personas_audience_key"
_CURRENCY = ("Currency must be one of", "ISO 4217")
"""Segment's own words for a currency its schema refuses."""
_QUOTED = re.compile(r'"([^"]*)"')
_SHOWN = 5
"""How many of an abridged list's options a diagnosis quotes."""
_LIMITS = ("Max batch size exceeded", "is too long")
"""Segment's own words for a limit it enforces before sending."""
_SETTINGS = ("REST Endpoint must be", "API Key", "Client Secret key")
_MISSING_FIELD = re.compile(r"missing the required field '([^']+)'")
"""actions-core's words for a required payload field the mapping found nothing for."""
_ECOMMERCE_ACTIONS = frozenset({"ecommerce", "ecommerceSingleProduct"})


_OVER_LIMIT = frozenset({"maxLength", "maxItems", "maxProperties"})
"""Contract keywords that mean a value is over one of Braze's documented sizes."""


def _is_limit(note: Note) -> bool:
    return note.code.startswith("limit.")


def _flat(text: object) -> str:
    """The text on one line (a reason is never cut: the renderers wrap it)."""
    return " ".join(str(text).split())


def _abridged(message: str) -> str:
    """Segment's "must be one of: ..." with its first codes and a count: the delivery's error beside the
    diagnosis already quotes all of them, and a report that says them twice buries the fix."""
    head, sep, options = message.partition(" one of: ")
    codes = _QUOTED.findall(options)
    if not sep or len(codes) <= _SHOWN:
        return message
    shown = ", ".join(f'"{code}"' for code in codes[:_SHOWN])
    return f"{head} one of: {shown}, ... ({len(codes)} codes; the delivery error lists them all)"


def _inner(mapping: Any, key: str) -> dict[str, Any]:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, dict) else {}


def delivery_diagnoses(case: EventCase, delivery: Delivery, config: ReplayConfig) -> list[Diagnosis]:
    """Every diagnosis one delivery supports, most specific first."""
    found: list[Diagnosis] = []
    # a /users/track request that holds none of this event's objects failed for the others (or for being empty)
    failed = [s for s in delivery.requests if not s.ok and (s.path != "/users/track" or delivery.objects)]
    for sent in failed:
        found.append(_http_failure(sent, delivery, config))
    relayed = {note.text for note in delivery.braze_errors}  # Segment's multistatus may relay Braze's error
    if not failed and delivery.error is not None and delivery.error.get("message") not in relayed:
        found.append(_segment_failure(case, delivery, config))
    if not failed:  # a failed request's errors are part of its diagnosis
        found.extend(_braze_error(note, delivery) for note in delivery.braze_errors)
    # refusal notes explain a whole-request refusal (the fake's X-Harness-Detail): part of its diagnosis
    found.extend(_warning(note, delivery) for note in delivery.warnings if note.kind != "refusal")
    found.extend(_purchase_currency(case, delivery))
    return found


def _purchase_currency(case: EventCase, delivery: Delivery) -> list[Diagnosis]:
    """Track Purchase sends each product's own currency (USD when it has none), not the order's."""
    if delivery.route.action not in ("trackPurchase", "trackPurchase2") or not delivery.objects:
        return []
    ordered = _inner(case.event, "properties").get("currency")
    sent = sorted({str(o.get("currency")) for o in delivery.objects if isinstance(o, dict)} - {str(ordered)})
    if not isinstance(ordered, str) or not sent:
        return []
    return [
        diagnosis(
            "purchase_currency_defaulted",
            f"the order's currency is {ordered!r} but Braze received the purchase(s) in {', '.join(sent)}: "
            "Track Purchase takes products[].currency, USD by default",
        )
    ]


def _where(delivery: Delivery) -> str:
    route = delivery.route
    return f"{route.destination_name} / {route.subscription}"


def _segment_failure(case: EventCase, delivery: Delivery, config: ReplayConfig) -> Diagnosis:
    error = delivery.error or {}
    message = str(error.get("message") or "")
    said = f"Segment fails it ({_where(delivery)}): {_flat(message)}"
    if error.get("type") == HARNESS_ERROR:
        return diagnosis("harness_error", f"the harness could not replay this event; {_flat(message)}")
    if _NO_ID in message:
        return diagnosis("no_identifier", f"no userId, email or braze_id; {said}")
    if _TIME_REQUIRED in message and not isinstance(case.event.get("receivedAt"), str):
        return diagnosis("missing_received_at", f"no receivedAt, and the Braze actions take time from it; {said}")
    if _AUDIENCE_KEY in message:
        audience = _inner(_inner(case.event, "context"), "personas").get("computation_key")
        mapped = dict(delivery.route.mapping).get("personas_audience_key")
        return diagnosis(
            "audience_key_mismatch",
            f"the mapping's personas_audience_key is {mapped!r} but the event's audience is {audience!r}; {said}",
        )
    if any(marker in message for marker in _CURRENCY):
        currency = _inner(case.event, "properties").get("currency")
        said = f"Segment fails it ({_where(delivery)}): {_abridged(_flat(message))}"
        return diagnosis("invalid_currency", f"currency {currency!r} is not an ISO 4217 code; {said}")
    if error.get("status") in (413, 429) or any(marker in message for marker in _LIMITS):
        return diagnosis("limit_exceeded", said)
    if any(marker in message for marker in _SETTINGS) and error.get("type") == "AggregateAjvError":
        return diagnosis("invalid_settings", said)
    missing = _MISSING_FIELD.findall(message)
    if delivery.route.action in _ECOMMERCE_ACTIONS and missing:
        fields = ", ".join(dict.fromkeys(missing))
        return diagnosis("ecommerce_fields_missing", f"the eCommerce preset needs {fields}; {said}")
    return diagnosis("segment_rejected", said)


def _http_failure(sent: SentRequest, delivery: Delivery, config: ReplayConfig) -> Diagnosis:
    response = sent.response if isinstance(sent.response, dict) else {}
    message = str(response.get("message", ""))
    items = response.get("errors") or ()
    details = "; ".join(str(e.get("type")) if isinstance(e, dict) else str(e) for e in items if e)
    refusals = [n for n in sent.notes if n.kind == "refusal"]
    if not details:
        details = "; ".join(n.text.removeprefix("refused: ") for n in refusals)
    said = f"Braze answered {sent.status} {message!r} to {sent.method} {sent.path}"
    if sent.status == 401 and delivery.route.destination == "braze":
        return _rest_key_failure(said, config)
    if details:
        said += f" ({details})"
    codes = {n.code for n in sent.notes}
    if Code.AUTH_CLIENT_SECRET in codes:
        return diagnosis("wrong_client_secret", f"the Client Secret is not your workspace's data import key; {said}")
    if any(_is_limit(n) for n in sent.notes):
        return diagnosis("limit_exceeded", said)
    if Code.VALUE_CURRENCY in codes:
        return diagnosis("invalid_currency", said)
    over = [v for v in delivery.violations if v.keyword in _OVER_LIMIT]
    if over:  # Braze names the field only; the contract says by how much
        return diagnosis("limit_exceeded", f"{said}: " + "; ".join(f"{v.path}: {v.reason}" for v in over))
    return diagnosis("braze_rejected", said)


def _rest_key_failure(said: str, config: ReplayConfig) -> Diagnosis:
    key = config.braze_settings.get("api_key")
    endpoint = str(config.braze_settings.get("endpoint"))
    at = instance_of_endpoint(endpoint) or "no Braze instance"
    yours = config.your_workspace
    mine = "your workspace" + (f" {yours.name!r}" if yours.name != DEFAULT_WORKSPACE else "")
    owner = config.workspace_for_key(key)
    shown = redact(key) if isinstance(key, str) else repr(key)
    if owner is None:
        return diagnosis(
            "wrong_api_key",
            f"the REST API key {shown} is not a key of {mine} ({yours.instance}); {said}",
        )
    if owner.name == yours.name:
        right = instance_named(yours.instance).rest_url
        return diagnosis(
            "endpoint_instance_mismatch",
            f"{mine} is on {yours.instance} but the REST Endpoint is {endpoint} ({at}); {said}",
            hint=f"Set the destination's REST Endpoint to {right} ({yours.instance}), the instance of your "
            "dashboard; a REST API key works only on its own instance.",
        )
    return diagnosis(
        "key_from_other_instance",
        f"the REST API key {shown} belongs to workspace {owner.name!r} on {owner.instance} but the REST Endpoint "
        f"is {endpoint} ({at}); {said}",
        hint=f"Use the REST API key of {mine} ({yours.instance}); a key works only on its "
        f"own instance ({owner.name!r}: {instance_named(owner.instance).rest_url}).",
    )


def _braze_error(note: Note, delivery: Delivery) -> Diagnosis:
    said = f"Braze rejects this event's {delivery.array or 'data'}: {_flat(note.text)}"
    if note.code == Code.VALUE_CURRENCY:
        return diagnosis("invalid_currency", said)
    if _is_limit(note):
        return diagnosis("limit_exceeded", said)
    return diagnosis("braze_rejected", said)


def _warning(note: Note, delivery: Delivery) -> Diagnosis:
    said = f"Braze answered 2xx but noted: {_flat(shown(note))}"
    if note.code == Code.USER_UPDATE_ONLY_UNKNOWN:
        return diagnosis("update_only_unknown_user", f"Braze has no such user and the object is update-only; {said}")
    if note.code == Code.COHORT_UNKNOWN_USER:
        return diagnosis("cohort_unknown_user", f"Braze has no such user, so the cohort change does nothing; {said}")
    if _is_limit(note):
        return diagnosis("limit_exceeded", f"a value over a Braze limit was not stored; {said}", severity="warning")
    return diagnosis("braze_note", said)
