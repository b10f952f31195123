"""The known failure modes: a code, a severity and the fix, in one table the diagnostics and docs share.

Severity `error` means the event would fail in production: Segment fails it, or Braze accepts the
request but drops what the event carries (an update-only miss, a cohort change for an unknown user).
`warning` means it is delivered with a caveat (a value dropped, an unidentified profile, device mode);
`info` explains why nothing was sent when that is by design.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.replay.model import Diagnosis, Severity

__all__ = ["CATALOG", "Problem", "diagnosis"]


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    severity: Severity
    title: str
    hint: str


_PROBLEMS = (
    Problem(
        "not_json",
        "error",
        "not JSON",
        "Copy the event from the debugger's Raw view (the Pretty view is not JSON), one object per line for "
        "several events.",
    ),
    Problem(
        "invalid_event",
        "error",
        "not a valid Segment event",
        "Segment's Tracking API refuses a call without a userId or anonymousId, a known type, or (track) an "
        "event name; fix the call where it is made.",
    ),
    Problem(
        "spec_violation",
        "warning",
        "breaks the Segment Spec",
        "Segment accepts it, but downstream tools read these fields by the Spec; fix the types at the source.",
    ),
    Problem(
        "no_identifier",
        "error",
        "no identifier Braze can use",
        "Braze's debugger test works only for identified users. Send a userId (identify the user first), or map "
        "a User Alias in the action (e.g. alias_name $.anonymousId, alias_label segment_anonymous_id), or pass "
        "the Braze SDK's braze_id in properties.braze_id.",
    ),
    Problem(
        "anonymous_email_only",
        "warning",
        "anonymous user identified by email only",
        "Braze updates the most recently updated profile with that email, or creates an unidentified "
        "email-only profile; it is not the user's external_id profile and the debugger test does not show it. "
        "Send the userId once known (identify), so Braze can attach the email to the identified user.",
    ),
    Problem(
        "wrong_api_key",
        "error",
        "Braze refused the REST API key (401)",
        "In Braze, Settings > APIs and Identifiers > API Keys: create a key with the users.track permission "
        "(users.alias.new, users.identify for those actions) and paste it, without quotes, into the "
        "destination's API Key setting.",
    ),
    Problem(
        "key_from_other_instance",
        "error",
        "REST API key of a workspace on another instance (401)",
        "A key works only on its workspace's instance: use the key of the workspace the REST Endpoint points "
        "at, or point the REST Endpoint at the key's instance.",
    ),
    Problem(
        "endpoint_instance_mismatch",
        "error",
        "REST Endpoint is not your workspace's instance (401)",
        "Set the destination's REST Endpoint to your workspace's instance (the dashboard URL tells it: "
        "dashboard-01.braze.eu is EU-01, dashboard-03.braze.com is US-03).",
    ),
    Problem(
        "other_workspace",
        "warning",
        "REST API key of another workspace",
        "The data lands in that workspace, not yours: use your workspace's REST API key.",
    ),
    Problem(
        "wrong_client_secret",
        "error",
        "Braze refused the cohort Client Secret (401)",
        "Braze Cohorts' Client Secret is the Data Import Key from Braze > Partner Integrations > Technology "
        "Partners > Segment (not a REST API key); generate a new one there if it was invalidated.",
    ),
    Problem(
        "invalid_settings",
        "error",
        "destination settings are invalid",
        "Fix the destination settings (REST Endpoint must be one of Segment's choices; API Key is required).",
    ),
    Problem(
        "device_mode",
        "warning",
        "device mode: no server-side request",
        "The Braze SDK on the device delivers this event, so look for it in Braze as sent by the SDK; the "
        "debugger test does not work for a side-by-side integration. To test the server-side path, send "
        "the event from a server library or connect Braze Cloud Mode (Actions) without the bundled SDK.",
    ),
    Problem(
        "missing_received_at",
        "error",
        "no receivedAt",
        "Segment sets receivedAt when it receives an event, so real traffic has it: copy the event from the "
        "debugger's Raw view, add receivedAt to a hand-built Event Tester payload, or map Time to $.timestamp.",
    ),
    Problem(
        "audience_key_mismatch",
        "error",
        "personas_audience_key does not match the audience",
        "Give each audience its own Sync Audience mapping whose Segment Engage Audience Key is that audience's "
        "key, triggered by Event Property audience_key is <key> rather than the default Audience "
        "Entered/Exited trigger.",
    ),
    Problem(
        "cohort_unknown_user",
        "error",
        "cohort change for a user Braze does not know",
        "A user can only be added to a cohort if the user already exists in Braze: send the user through Braze "
        "Cloud Mode first, or replay with --seed (a saved /users/export/ids response) so the replay knows "
        "your workspace's users.",
    ),
    Problem(
        "windowed_audience",
        "warning",
        "time-windowed audience: batch, not real time",
        "Engage computes time-windowed audiences in batch (about every 8 hours; 12-15 hours to batch "
        "destinations), so expect this event hours after the behaviour; drop the window for real time.",
    ),
    Problem(
        "limit_exceeded",
        "error",
        "a Segment or Braze limit is exceeded",
        "Segment's Tracking API takes at most 32 KB per call; Braze at most 75 objects per array in one "
        "/users/track request, 255 characters per key and string value, and 100 KB of event properties "
        "(50 KB for purchases): shorten or split the data.",
    ),
    Problem(
        "invalid_currency",
        "error",
        "invalid currency",
        "Send an upper-case ISO 4217 code (USD, EUR, GBP) in properties.currency (ecommerce presets) or "
        "products[].currency (Track Purchase); 'usd' or 'dollars' are refused.",
    ),
    Problem(
        "ecommerce_fields_missing",
        "error",
        "Braze's recommended eCommerce event needs fields the Spec event lacks",
        "Today's presets send a Spec Order Completed (and the other order and product events) as Braze's "
        "recommended eCommerce event (ecommerce.order_placed, ...), which needs properties.source and "
        "products[].variant_id besides product_id, name, price and quantity: add them where the event is made, "
        "or, if your destination was set up before the eCommerce presets, replay with --legacy-purchases (Order "
        "Completed through Track Purchase).",
    ),
    Problem(
        "purchase_currency_defaulted",
        "warning",
        "purchase sent in another currency than the order's",
        "Track Purchase reads the currency of each product (products[].currency, its Products field defaults to "
        "$.properties.products) and sends USD when a product has none, whatever properties.currency says: put "
        "the currency on every product where the event is made.",
    ),
    Problem(
        "update_only_unknown_user",
        "error",
        "update-only object for a user Braze does not know",
        "_update_existing_only is true for this mapping, so Braze only updates existing users: create the user "
        "first, turn Update Existing Only off, or replay with --seed to check against your workspace's users.",
    ),
    Problem(
        "dropped_trait",
        "warning",
        "trait(s) silently not sent",
        "Rename traits named like Segment's Track Purchase fields (time, products, properties, ...), and map "
        "Braze fields that have no default (Language, Date of Birth, Time Zone, ...) explicitly in Update "
        "User Profile (e.g. Language = $.traits.language).",
    ),
    Problem(
        "segment_rejected",
        "error",
        "Segment fails the event",
        "Segment's message names the mapped field at fault; fix the event or the mapping, then replay.",
    ),
    Problem(
        "braze_rejected",
        "error",
        "Braze rejects the request",
        "Braze's message says which field; fix the value (the request contract lists every violation).",
    ),
    Problem(
        "braze_note",
        "warning",
        "Braze changed or ignored part of the data",
        "Read the note: Braze accepted the request but did not store everything as sent.",
    ),
    Problem(
        "harness_error",
        "error",
        "the harness failed on this event",
        "This is a bug in segment-braze-harness, not in your data: report it with the event (the rest of the "
        "replay is unaffected).",
    ),
    Problem(
        "not_subscribed",
        "info",
        "no Braze mapping subscribes to it",
        'Nothing is sent by design; add a mapping (e.g. Track Event triggered by type = "page") if Braze '
        "needs these calls.",
    ),
    Problem(
        "filtered_by_integrations",
        "info",
        "excluded by the integrations object",
        "The event's integrations object turns the destination off; nothing is sent by design.",
    ),
)

CATALOG: dict[str, Problem] = {problem.code: problem for problem in _PROBLEMS}


def diagnosis(code: str, message: str, *, hint: str | None = None, severity: Severity | None = None) -> Diagnosis:
    """A Diagnosis of a catalogued problem (its severity and hint unless overridden)."""
    problem = CATALOG[code]
    return Diagnosis(code, severity or problem.severity, message, hint or problem.hint)
