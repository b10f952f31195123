"""The presets Segment ships with the Braze destinations: what a new install subscribes to.

Automatic presets (with an FQL `subscribe`): Track Calls → trackEvent (every track except the five
ecommerce events), Order Placed / Checkout Started / Order Refunded / Order Cancelled (beta) →
ecommerce, Product Viewed (beta) → ecommerceSingleProduct, Identify Calls → updateUserProfile.
No preset uses trackPurchase. The event-specific presets (warehouse entities, Journeys) have no
subscription; they are kept so a case can name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.translate.actions import BRAZE_ACTIONS, default_mapping
from harness.translate.actions.ecommerce_fields import EVENT_NAMES

__all__ = ["PRESETS", "PRESETS_3387", "Preset", "presets_for"]


@dataclass(frozen=True, slots=True, eq=False)
class Preset:
    """A shipped preset: its action, mapping and (for automatic presets) FQL subscription."""

    name: str
    action: str
    mapping: dict[str, Any]
    subscribe: str | None = None
    event_slug: str | None = None


def _defaults(slug: str, **overrides: Any) -> dict[str, Any]:
    return {**default_mapping(BRAZE_ACTIONS[slug]), **overrides}


def _order(name: str, url_key: str) -> dict[str, Any]:
    return _defaults("ecommerce", name=name, metadata={url_key: {"@path": f"$.properties.{url_key}"}})


_PROPERTIES = {"properties": {"@path": "$.properties"}}

_TRACK_CALLS = (
    'type = "track" and event != "Order Completed" and event != "Checkout Started" and '
    'event != "Order Refunded" and event != "Order Cancelled" and event != "Product Viewed"'
)

PRESETS: tuple[Preset, ...] = (
    Preset("Track Calls", "trackEvent", _defaults("trackEvent"), _TRACK_CALLS),
    Preset(
        "Order Placed (beta)",
        "ecommerce",
        _order(EVENT_NAMES["ORDER_PLACED"], "order_status_url"),
        'event = "Order Completed"',
    ),
    Preset(
        "Checkout Started (beta)",
        "ecommerce",
        _order(EVENT_NAMES["CHECKOUT_STARTED"], "checkout_url"),
        'event = "Checkout Started"',
    ),
    Preset(
        "Order Refunded (beta)",
        "ecommerce",
        _order(EVENT_NAMES["ORDER_REFUNDED"], "order_status_url"),
        'event = "Order Refunded"',
    ),
    Preset(
        "Order Cancelled (beta)",
        "ecommerce",
        _order(EVENT_NAMES["ORDER_CANCELLED"], "order_status_url"),
        'event = "Order Cancelled"',
    ),
    Preset(
        "Product Viewed (beta)",
        "ecommerceSingleProduct",
        _defaults("ecommerceSingleProduct", name=EVENT_NAMES["PRODUCT_VIEWED"]),
        'event = "Product Viewed"',
    ),
    Preset("Identify Calls", "updateUserProfile", _defaults("updateUserProfile"), 'type = "identify"'),
    Preset(
        "Associated Entity Added",
        "trackEvent",
        _defaults("trackEvent", **_PROPERTIES),
        event_slug="warehouse_entity_added_track",
    ),
    Preset(
        "Associated Entity Removed",
        "trackEvent",
        _defaults("trackEvent", **_PROPERTIES),
        event_slug="warehouse_entity_removed_track",
    ),
    Preset(
        "Entities Audience Entered",
        "trackEvent",
        _defaults("trackEvent", **_PROPERTIES),
        event_slug="warehouse_audience_entered_track",
    ),
    Preset(
        "Entities Exited",
        "trackEvent",
        _defaults("trackEvent", **_PROPERTIES),
        event_slug="warehouse_audience_exited_track",
    ),
    Preset(
        "Entities Audience Membership Changed",
        "updateUserProfile",
        _defaults("updateUserProfile", custom_attributes={"@path": "$.traits"}),
        event_slug="warehouse_audience_membership_changed_identify",
    ),
    Preset(
        "Journeys Step Transition Track",
        "trackEvent",
        _defaults("trackEvent", **_PROPERTIES),
        event_slug="journeys_step_entered_track",
    ),
)


# 3.387.0: Order Completed went to trackPurchase ("Order Completed Calls") and Track Calls took every
# other track; no ecommerce presets. The event-specific presets were the same.
PRESETS_3387: tuple[Preset, ...] = (
    Preset("Track Calls", "trackEvent", _defaults("trackEvent"), 'type = "track" and event != "Order Completed"'),
    Preset("Order Completed Calls", "trackPurchase", _defaults("trackPurchase"), 'event = "Order Completed"'),
    Preset("Identify Calls", "updateUserProfile", _defaults("updateUserProfile"), 'type = "identify"'),
    *(preset for preset in PRESETS if preset.subscribe is None),
)


def presets_for(destination: str) -> tuple[Preset, ...]:
    """The presets of a destination (braze-cohorts ships none)."""
    return PRESETS if destination == "braze" else ()
