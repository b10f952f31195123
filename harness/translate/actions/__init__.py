"""The actions of Segment's Braze destinations, one module per concept, collected by slug."""

from __future__ import annotations

from harness.translate.actions.aliases import CREATE_ALIAS, CREATE_ALIAS_2, IDENTIFY_USER, IDENTIFY_USER_2
from harness.translate.actions.base import ActionDef, Context, SyncMode, default_mapping
from harness.translate.actions.catalog import UPSERT_CATALOG_ITEM
from harness.translate.actions.ecommerce import ECOMMERCE, ECOMMERCE_SINGLE_PRODUCT
from harness.translate.actions.sync_audiences import SYNC_AUDIENCES
from harness.translate.actions.track_event import TRACK_EVENT, TRACK_EVENT_2
from harness.translate.actions.track_purchase import TRACK_PURCHASE, TRACK_PURCHASE_2
from harness.translate.actions.trigger import TRIGGER_CAMPAIGN, TRIGGER_CANVAS
from harness.translate.actions.update_user_profile import UPDATE_USER_PROFILE, UPDATE_USER_PROFILE_2

__all__ = ["BRAZE_ACTIONS", "COHORTS_ACTIONS", "ActionDef", "Context", "SyncMode", "default_mapping"]

BRAZE_ACTIONS: dict[str, ActionDef] = {
    action.slug: action
    for action in (
        UPDATE_USER_PROFILE,
        TRACK_EVENT,
        TRACK_PURCHASE,
        CREATE_ALIAS,
        IDENTIFY_USER,
        IDENTIFY_USER_2,
        TRACK_EVENT_2,
        TRACK_PURCHASE_2,
        UPDATE_USER_PROFILE_2,
        CREATE_ALIAS_2,
        UPSERT_CATALOG_ITEM,
        TRIGGER_CAMPAIGN,
        TRIGGER_CANVAS,
        ECOMMERCE,
        ECOMMERCE_SINGLE_PRODUCT,
    )
}

COHORTS_ACTIONS: dict[str, ActionDef] = {SYNC_AUDIENCES.slug: SYNC_AUDIENCES}
