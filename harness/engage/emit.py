"""The Segment events Engage sends to an event destination, built exactly as documented.

Shapes: segment-docs `src/engage/using-engage-data.md` (audience and computed-trait identify and
track events, "Email as an identifier is set in `traits.email` for Identify calls, and
`context.traits.email` for Track calls"); envelope details (`personas_` message ids,
`integrations: {"All": false, "<Destination>": true}`) from the same page and from captured Engage
traffic in action-destinations' test fixtures. Payloads are plain dicts so they flow on, unchanged,
to the translator and the fake Braze.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from harness.engage.definitions import Audience, Definition, Destination
from harness.engage.ids import MessageIds
from harness.segment import format_timestamp

__all__ = ["Emitter", "Identity"]


@dataclass(frozen=True, slots=True, order=True)
class Identity:
    """The identifiers one Engage event carries ("userId, anonymousId and email", segment-docs
    `src/connections/destinations/catalog/actions-braze-cohorts/index.md`)."""

    user_id: str | None = None
    anonymous_id: str | None = None
    email: str | None = None


class Emitter:
    """Builds the identify / track payloads for one computed value and one identity."""

    def __init__(
        self, space_id: str, message_ids: MessageIds, delivery_delay: timedelta = timedelta(seconds=1)
    ) -> None:
        self.space_id = space_id
        self.message_ids = message_ids
        self.delivery_delay = delivery_delay

    def events(
        self, definition: Definition, destination: Destination, identity: Identity, value: Any, at: datetime
    ) -> list[dict[str, Any]]:
        """Identify first, then track, as the connection's toggles ask."""
        out = []
        if destination.send_identify:
            out.append(self.identify(definition, destination, identity, value, at))
        if destination.send_track:
            out.append(self.track(definition, destination, identity, value, at))
        return out

    def identify(
        self, definition: Definition, destination: Destination, identity: Identity, value: Any, at: datetime
    ) -> dict[str, Any]:
        traits: dict[str, Any] = {definition.key: value}
        if identity.email:
            traits["email"] = identity.email
        body = {"type": "identify", **_ids(identity), "traits": traits}
        return self._envelope(body, definition, destination, {}, at)

    def track(
        self, definition: Definition, destination: Destination, identity: Identity, value: Any, at: datetime
    ) -> dict[str, Any]:
        if isinstance(definition, Audience):
            name = destination.enter_event if value else destination.exit_event
            properties = {"audience_key": definition.key, definition.key: value}
        else:
            name = destination.compute_event
            properties = {"trait_key": definition.key, definition.key: value}
        body = {"type": "track", "event": name, **_ids(identity), "properties": properties}
        context_extra = {"traits": {"email": identity.email}} if identity.email else {}
        return self._envelope(body, definition, destination, context_extra, at)

    def _envelope(
        self,
        body: dict[str, Any],
        definition: Definition,
        destination: Destination,
        context_extra: dict[str, Any],
        at: datetime,
    ) -> dict[str, Any]:
        personas = {
            "computation_class": definition.computation_class,
            "computation_id": definition.computation_id,
            "computation_key": definition.key,
            "namespace": self.space_id,
            "space_id": self.space_id,
        }
        return {
            **body,
            "context": {"personas": personas, **context_extra},
            "integrations": {"All": False, destination.name: True},
            "messageId": self.message_ids(),
            "timestamp": format_timestamp(at),
            "receivedAt": format_timestamp(at + self.delivery_delay),
        }


def _ids(identity: Identity) -> dict[str, str]:
    out = {}
    if identity.user_id:
        out["userId"] = identity.user_id
    if identity.anonymous_id:
        out["anonymousId"] = identity.anonymous_id
    return out
