"""All diagnoses of one event: about the event itself (validity, device mode, routing, Engage context,
identifiers, traits) and, through `diagnose_delivery`, about what each of its deliveries met.

Heuristics, documented where they are made:
- an anonymous user "with email only" is an event without userId whose delivered object Braze named
  by email (the object's identifier, as the fake resolves it);
- a trait is "dropped" when the identify's traits hold a key that the attributes object Segment sent
  lacks and whose value appears nowhere in it (so firstName → first_name is not a drop), and "replaced"
  when the object has the key with another value (gender letters excepted); both only with the default
  custom_attributes mapping ($.traits);
- a time-windowed audience needs the Engage definitions (`--engage`): an Engage event whose
  computation_key names a definition that is not real-time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.braze import STANDARD_KEYS, identifier_of
from harness.replay.clientside import DESTINATION_NAMES, destination_enabled
from harness.replay.config import ReplayConfig
from harness.replay.diagnose.catalog import diagnosis
from harness.replay.diagnose.delivery import delivery_diagnoses
from harness.replay.model import Delivery, Diagnosis, EventCase
from harness.segment.tracking_api import refused_by_tracking_api
from harness.segment.wording import as_json
from harness.workspace.limits import MAX_CALL_BYTES
from harness.workspace.tracking import too_large

__all__ = ["Diagnoser"]


class Diagnoser:
    """Diagnoses events of one run (holds the run's config and its Engage definitions by key)."""

    def __init__(self, config: ReplayConfig) -> None:
        self.config = config
        self.definitions = {d.key: d for d in config.engage.definitions} if config.engage else {}

    def diagnose(self, case: EventCase) -> list[Diagnosis]:
        """Every diagnosis of the case, in report order, without repeats."""
        found = self._before_sending(case)
        for delivery in case.deliveries:
            found.extend(delivery_diagnoses(case, delivery, self.config))
            found.extend(self._identity(case, delivery))
            found.extend(self._traits(case, delivery))
        unique: dict[tuple[str, str], Diagnosis] = {}
        for item in found:
            unique.setdefault((item.code, item.message), item)
        return list(unique.values())

    # -- the event itself --------------------------------------------------------------------------
    def _before_sending(self, case: EventCase) -> list[Diagnosis]:
        if case.input_error is not None:
            return [diagnosis("not_json", f"{case.source}: {case.input_error}")]
        if type(case.payload) is not dict:
            shown = as_json(case.payload)  # as the fake Segment words it: `not [1, 2]`, `not null`
            return [diagnosis("invalid_event", f"a Segment event is a JSON object, not {shown}")]
        found: list[Diagnosis] = []
        if case.oversize is not None:
            said = too_large("message", MAX_CALL_BYTES, case.oversize)
            if case.refused:
                refusal = (
                    f"Segment's Tracking API answers this /v1/batch request 400 ({said}): none of its calls "
                    "reaches a destination (the replay still replays the others, each on its own)"
                )
                found.append(diagnosis("limit_exceeded", refusal))
            else:
                seen = (
                    f"{said}: Segment's Tracking API answers a library or the HTTP API 400 for it, so an event the "
                    "debugger shows came from a source without that limit; replayed as is"
                )
                found.append(diagnosis("limit_exceeded", seen, severity="warning"))
        severe = [v for v in case.violations if refused_by_tracking_api(v)]
        mild = [v for v in case.violations if v not in severe]
        if severe:
            found.append(diagnosis("invalid_event", "; ".join(f"{v.path}: {v.reason}" for v in severe)))
        if mild:
            found.append(diagnosis("spec_violation", "; ".join(f"{v.path}: {v.reason}" for v in mild)))
        if case.device is not None:
            library = case.device.library or "a client library"
            found.append(
                diagnosis(
                    "device_mode",
                    f"Braze runs on the device ({library}); Segment sends no server-side request for this event, "
                    f"so the replay sends nothing ({case.device.evidence})",
                )
            )
        elif not case.routes and not severe and not case.refused:
            found.append(self._why_not_routed(case.event))
        found.extend(self._engage(case.event))
        return found

    def _why_not_routed(self, event: Mapping[str, Any]) -> Diagnosis:
        closed = [
            name
            for destination, name in DESTINATION_NAMES.items()
            if not destination_enabled(event, name) and (destination == "braze" or self.config.cohorts_settings)
        ]
        if closed:
            return diagnosis(
                "filtered_by_integrations",
                f"integrations {dict(event.get('integrations') or {})} turn off {', '.join(closed)}",
            )
        return diagnosis(
            "not_subscribed",
            f"no Braze preset or mapping subscribes to this {event.get('type') or 'untyped'} call; nothing is sent",
        )

    def _engage(self, event: Mapping[str, Any]) -> list[Diagnosis]:
        context = event.get("context")
        personas = context.get("personas") if isinstance(context, Mapping) else None
        if not isinstance(personas, Mapping) or not self.definitions:
            return []
        key = personas.get("computation_key")
        definition = self.definitions.get(key) if isinstance(key, str) else None
        if definition is None or definition.realtime:
            return []
        why = "it is set to batch" if definition.compute == "batch" else "its condition has a time window"
        return [
            diagnosis(
                "windowed_audience",
                f"{definition.computation_class} {definition.key!r} is computed in batch ({why}); Engage "
                "recomputes it about every 8 hours and syncs it 12-15 hours later, not in real time",
            )
        ]

    # -- what a delivery shows about the user --------------------------------------------------------
    def _identity(self, case: EventCase, delivery: Delivery) -> list[Diagnosis]:
        if not delivery.ok or delivery.route.destination != "braze":
            return []
        found: list[Diagnosis] = []
        first = delivery.objects[0] if delivery.objects else None
        ident = identifier_of(first)[0] if isinstance(first, dict) else None
        if ident is not None and ident.kind == "email" and not case.event.get("userId"):
            found.append(
                diagnosis(
                    "anonymous_email_only",
                    f"no userId, only the email {ident.value!r}; Braze names an unidentified profile by it, not "
                    "your user's external_id profile",
                )
            )
        config = self.config
        owner = config.key_owner
        if owner is not None and owner.name != config.your_workspace.name:
            found.append(
                diagnosis(
                    "other_workspace",
                    f"the REST API key belongs to workspace {owner.name!r}, not yours ({config.your_workspace.name!r})",
                )
            )
        return found

    def _traits(self, case: EventCase, delivery: Delivery) -> list[Diagnosis]:
        route = delivery.route
        if delivery.array != "attributes" or not delivery.objects or "custom_attributes" in dict(route.mapping):
            return []
        traits = case.event.get("traits")
        sent = delivery.objects[0]
        if not isinstance(traits, dict) or not isinstance(sent, dict):
            return []
        values = list(sent.values())
        dropped = [k for k, v in traits.items() if k not in sent and not any(v == s for s in values)]
        replaced = [k for k, v in traits.items() if k in sent and sent[k] != v and k != "gender"]
        if not dropped and not replaced:
            return []
        parts = []
        braze_fields = [k for k in dropped if k in STANDARD_KEYS]
        purchase_fields = [k for k in dropped if k not in STANDARD_KEYS]
        if purchase_fields:
            parts.append(
                f"{_keys(purchase_fields)} dropped (Segment removes Track Purchase field names from custom attributes)"
            )
        if braze_fields:
            parts.append(
                f"{_keys(braze_fields)} dropped (named like Braze fields, which Update User Profile fills from the "
                "field's own mapping, empty here)"
            )
        if replaced:
            shown = ", ".join(f"{k}: {traits[k]!r} sent as {sent[k]!r}" for k in replaced)
            parts.append(f"replaced by the standard field's mapping ({shown})")
        return [diagnosis("dropped_trait", "traits " + "; ".join(parts))]


def _keys(keys: list[str]) -> str:
    return ", ".join(repr(k) for k in keys)
