"""The two destinations: Braze Cloud Mode (Actions) and Braze Cohorts, with their request headers.

Braze requests carry `Authorization: Bearer <api_key>` (the destination's `extendRequest`); Braze
Cohorts has no `extendRequest`, so its requests carry no Authorization header at all (the secrets
travel in the body). Every request says `user-agent: Segment (Actions)`.
Braze also answers GDPR deletions: `onDelete` → `POST /users/delete {"external_ids": [userId]}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.js import MISSING, js_string
from harness.translate.actions import BRAZE_ACTIONS, COHORTS_ACTIONS, ActionDef
from harness.translate.http import USER_AGENT, Client
from harness.translate.presets import Preset, presets_for
from harness.translate.settings import BRAZE_ENDPOINTS, COHORTS_ENDPOINTS, validate_settings

__all__ = ["DESTINATIONS", "Destination", "on_delete"]


@dataclass(frozen=True, slots=True, eq=False)
class Destination:
    """A destination: its actions, presets and whether requests are signed with the API key."""

    slug: str
    name: str
    actions: dict[str, ActionDef]
    presets: tuple[Preset, ...]
    bearer_auth: bool
    supports_delete: bool
    endpoints: tuple[str, ...]
    _presets_by_name: dict[str, Preset] = field(init=False, repr=False)

    def validate_settings(self, overrides: dict[str, Any] | None) -> dict[str, Any]:
        """Segment's settings validation with this destination's REST endpoints."""
        return validate_settings(self.slug, overrides, self.endpoints)

    def headers(self, settings: dict[str, Any]) -> dict[str, str]:
        """Headers every request of this destination carries (before `content-type`)."""
        headers = {"user-agent": USER_AGENT}
        if self.bearer_auth:
            headers["authorization"] = f"Bearer {js_string(settings.get('api_key', MISSING))}"
        return headers

    def __post_init__(self) -> None:
        object.__setattr__(self, "_presets_by_name", {preset.name: preset for preset in self.presets})

    def preset(self, name: str) -> Preset | None:
        return self._presets_by_name.get(name)

    def action_names(self) -> list[str]:
        """The action slugs a case may name, `onDelete` included where Braze answers deletions."""
        return [*self.actions, *(["onDelete"] if self.supports_delete else [])]


DESTINATIONS: dict[str, Destination] = {
    "braze": Destination(
        "braze",
        "Braze Cloud Mode (Actions)",
        BRAZE_ACTIONS,
        presets_for("braze"),
        bearer_auth=True,
        supports_delete=True,
        endpoints=BRAZE_ENDPOINTS,
    ),
    "braze-cohorts": Destination(
        "braze-cohorts",
        "Braze Cohorts",
        COHORTS_ACTIONS,
        presets_for("braze-cohorts"),
        bearer_auth=False,
        supports_delete=False,
        endpoints=COHORTS_ENDPOINTS,
    ),
}


def on_delete(settings: dict[str, Any], event: dict[str, Any], client: Client) -> Any:
    """Braze's `onDelete`: delete the user by `userId` (JSON `null` when the event has none)."""
    user_id = event.get("userId", MISSING) if type(event) is dict else MISSING
    body = {"external_ids": [None if user_id is MISSING else user_id]}
    return client.post(f"{settings['endpoint']}/users/delete", body)
