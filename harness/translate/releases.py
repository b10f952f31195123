"""Which `@segment/action-destinations` release the harness reproduces: 3.497.0 (default) or 3.387.0.

The npm registry holds 3.361.0, 3.387.0 and 3.497.0, and `latest` is 3.497.0. A release is its Braze
and Braze Cohorts destinations (actions, presets, settings) on its actions-core. 3.387.0 (actions-core
3.153.0) differs from 3.497.0 (3.170.0) in: no ecommerce, catalog or trigger actions; presets
"Track Calls" (all but Order Completed) and "Order Completed Calls" (trackPurchase); identifyUser2
by alias only; no subscription_groups; trackPurchase batches without product limits; US-09/10 at
rest.iad-09/10 and no JP-01; Braze Cohorts keeping payload order and repeats; and the mapping-kit
differences of `harness.translate.actions_core`. Each difference has golden cases from that
release's own published code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from harness.translate.actions import BRAZE_ACTIONS, ActionDef
from harness.translate.actions.aliases import IDENTIFY_USER_2_3387
from harness.translate.actions.sync_audiences import SYNC_AUDIENCES_3387
from harness.translate.actions.track_purchase import TRACK_PURCHASE_2_3387, TRACK_PURCHASE_3387
from harness.translate.actions.update_user_profile import UPDATE_USER_PROFILE_2_3387, UPDATE_USER_PROFILE_3387
from harness.translate.actions_core import CORE_3_153, CORE_3_170, ActionsCore
from harness.translate.destinations import DESTINATIONS, Destination
from harness.translate.errors import CaseError
from harness.translate.presets import PRESETS_3387
from harness.translate.settings import BRAZE_ENDPOINTS_3387, COHORTS_ENDPOINTS

__all__ = ["DEFAULT_VERSION", "RELEASES", "SUPPORTED_VERSIONS", "Release", "release"]


@dataclass(frozen=True, slots=True, eq=False)
class Release:
    """One published release: its destinations, on its actions-core."""

    version: str
    core: ActionsCore
    destinations: dict[str, Destination]


def _braze_actions_3387() -> dict[str, ActionDef]:
    replaced = {
        action.slug: action
        for action in (
            UPDATE_USER_PROFILE_3387,
            UPDATE_USER_PROFILE_2_3387,
            TRACK_PURCHASE_3387,
            TRACK_PURCHASE_2_3387,
            IDENTIFY_USER_2_3387,
        )
    }
    order = (
        "updateUserProfile",
        "trackEvent",
        "trackPurchase",
        "createAlias",
        "identifyUser",
        "identifyUser2",
        "trackEvent2",
        "trackPurchase2",
        "updateUserProfile2",
        "createAlias2",
    )
    return {slug: replaced.get(slug, BRAZE_ACTIONS[slug]) for slug in order}


_CURRENT = DESTINATIONS
_V3_387 = {
    "braze": Destination(
        "braze",
        "Braze Cloud Mode (Actions)",
        _braze_actions_3387(),
        PRESETS_3387,
        bearer_auth=True,
        supports_delete=True,
        endpoints=BRAZE_ENDPOINTS_3387,
    ),
    "braze-cohorts": Destination(
        "braze-cohorts",
        "Braze Cohorts",
        {SYNC_AUDIENCES_3387.slug: SYNC_AUDIENCES_3387},
        (),
        bearer_auth=False,
        supports_delete=False,
        endpoints=COHORTS_ENDPOINTS,
    ),
}

DEFAULT_VERSION: Final = "3.497.0"
RELEASES: Final[dict[str, Release]] = {
    "3.497.0": Release("3.497.0", CORE_3_170, _CURRENT),
    "3.387.0": Release("3.387.0", CORE_3_153, _V3_387),
}
SUPPORTED_VERSIONS: Final = tuple(RELEASES)


def release(version: object = None) -> Release:
    """The release named `version` (None: the default); a CaseError names the supported ones."""
    if version is None:
        return RELEASES[DEFAULT_VERSION]
    found = RELEASES.get(version) if isinstance(version, str) else None
    if found is None:
        supported = ", ".join(f'"{v}"' + (" (the default)" if v == DEFAULT_VERSION else "") for v in RELEASES)
        raise CaseError(f"unknown segment_version {version!s}: the supported versions are {supported}")
    return found
