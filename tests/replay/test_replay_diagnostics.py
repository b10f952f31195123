"""Every known failure mode, through the CLI on its debugger-style fixture: the diagnosis and the exit status."""

from __future__ import annotations

import pytest

from harness.replay import CATALOG

from .support import SEGMENT, SETTINGS, codes, replay, replay_json


def test_no_identifier_fails_with_segments_message_and_the_debugger_hint() -> None:
    result, [report] = replay_json(SEGMENT / "no-user-id.json")
    assert result.exit_code == 1
    assert codes(report) == ["no_identifier"]
    [delivery] = report["deliveries"]
    assert delivery["subscription"] == "Track Calls" and delivery["status"] == 400
    assert 'One of "external_id"' in delivery["error"]["message"]
    assert "identified users" in report["diagnoses"][0]["hint"]
    assert report["outcome"] == "failed" and report["fails_in_production"] and report["profile"] is None


def test_anonymous_email_only_is_delivered_to_an_unidentified_profile_with_a_warning() -> None:
    result, [report] = replay_json(SEGMENT / "anonymous-email-only.json")
    assert result.exit_code == 0
    assert codes(report) == ["anonymous_email_only"]
    assert report["profile"]["external_id"] is None
    assert report["profile"]["standard"]["email"] == "reader@example.org"
    assert replay(SEGMENT / "anonymous-email-only.json", "--fail-on", "warning").exit_code == 1


def test_wrong_api_key_is_a_401_explained_by_the_workspace_model() -> None:
    settings = SETTINGS / "wrong-api-key.settings.json"
    result, [report] = replay_json(SEGMENT / "wrong-api-key.json", "--settings", settings)
    assert result.exit_code == 1
    assert codes(report) == ["wrong_api_key"]
    [request] = report["deliveries"][0]["requests"]
    assert request["status"] == 401 and request["headers"]["authorization"] == "Bearer ****0017"
    assert "not a key of your workspace (EU-01)" in report["diagnoses"][0]["message"]


def test_a_key_of_a_workspace_on_another_instance() -> None:
    settings = SETTINGS / "key-from-other-instance.settings.json"
    result, [report] = replay_json(SEGMENT / "key-from-other-instance.json", "--settings", settings)
    assert result.exit_code == 1
    assert codes(report) == ["key_from_other_instance"]
    message = report["diagnoses"][0]["message"]
    assert "'staging-us' on US-03" in message and "rest.fra-01.braze.eu (EU-01)" in message


def test_endpoint_not_matching_the_workspace_instance() -> None:
    settings = SETTINGS / "endpoint-mismatch.settings.json"
    result, [report] = replay_json(SEGMENT / "endpoint-mismatch.json", "--settings", settings)
    assert result.exit_code == 1
    assert codes(report) == ["endpoint_instance_mismatch"]
    assert "https://rest.fra-01.braze.eu (EU-01)" in report["diagnoses"][0]["hint"]
    flags = replay(SEGMENT / "endpoint-mismatch.json", "--workspace-instance", "EU-01", "--brief")
    assert flags.exit_code == 1 and "endpoint_instance_mismatch" in flags.stdout


def test_device_mode_sends_nothing_and_is_not_a_failure() -> None:
    result, [report] = replay_json(SEGMENT / "device-mode.json")
    assert result.exit_code == 0
    assert codes(report) == ["device_mode"]
    assert report["routes"] == [] and report["deliveries"] == [] and report["outcome"] == "not_sent"
    assert report["device_mode"] == {"library": "analytics.js", "evidence": "_metadata.bundled lists 'Braze'"}


def test_missing_received_at() -> None:
    result, [report] = replay_json(SEGMENT / "missing-received-at.json")
    assert result.exit_code == 1
    assert codes(report) == ["missing_received_at"]
    assert "required field 'time'" in report["deliveries"][0]["error"]["message"]


def test_personas_audience_key_not_matching_the_audience() -> None:
    event = SEGMENT / "audience-key-mismatch.json"
    result, [report] = replay_json(event, "--client-secret", "dik-1", "--cohort-audience-key", "dormant_shopper")
    assert result.exit_code == 1
    assert codes(report) == ["audience_key_mismatch"]
    assert "'dormant_shopper' but the event's audience is 'vip_customers'" in report["diagnoses"][0]["message"]
    assert report["deliveries"][0]["subscription"] == "Sync Audience (dormant_shopper)"


def test_cohort_membership_for_a_user_braze_does_not_know() -> None:
    result, [report] = replay_json(SEGMENT / "cohort-unknown-user.json", "--client-secret", "dik-1")
    assert result.exit_code == 1
    assert codes(report) == ["cohort_unknown_user"]
    paths = [r["path"] for r in report["deliveries"][0]["requests"]]
    assert paths == ["/partners/segment/cohorts", "/partners/segment/cohorts/users"]


def test_time_windowed_audience_needs_the_engage_context() -> None:
    event = SEGMENT / "windowed-audience.json"
    result, [report] = replay_json(event, "--engage", SEGMENT.parent / "engage" / "space.json")
    assert result.exit_code == 0
    assert codes(report) == ["windowed_audience"]
    assert "'recent_buyers' is computed in batch" in report["diagnoses"][0]["message"]
    _, [without] = replay_json(event)
    assert codes(without) == []


def test_limit_75_products_in_one_order() -> None:
    result, [report] = replay_json(SEGMENT / "limit-too-many-products.json", "--legacy-purchases")
    assert result.exit_code == 1
    assert codes(report) == ["limit_exceeded"]
    assert report["deliveries"][0]["status"] == 413
    assert "76 products" in report["diagnoses"][0]["message"]


def test_limit_255_characters_drops_values_with_a_warning() -> None:
    result, [report] = replay_json(SEGMENT / "limit-long-strings.json")
    assert result.exit_code == 0
    assert codes(report) == ["limit_exceeded", "limit_exceeded"]
    assert {d["severity"] for d in report["diagnoses"]} == {"warning"}
    assert "bio" not in report["profile"]["custom_attributes"]
    assert report["profile"]["custom_attributes"]["plan"] == "free"


def test_limit_event_property_size() -> None:
    """135 KB as JSON: over Segment's 32 KB for a library's call (a warning: the debugger shows it, so its
    source had no such limit), and over Braze's 100 KB of properties (Braze refuses it)."""
    result, [report] = replay_json(SEGMENT / "limit-property-size.json")
    assert result.exit_code == 1
    assert codes(report) == ["limit_exceeded", "limit_exceeded"]
    segment, braze = report["diagnoses"]
    assert segment["severity"] == "warning" and "over the maximum 32KB limit" in segment["message"]
    assert braze["severity"] == "error" and "the limit is 100 KB" in braze["message"]
    assert report["deliveries"]


def test_invalid_currency() -> None:
    result, [report] = replay_json(SEGMENT / "invalid-currency.json")
    assert result.exit_code == 1
    assert codes(report) == ["invalid_currency"]
    message = report["diagnoses"][0]["message"]
    assert "'usd'" in message
    # Segment's 169 codes once, in the delivery's error; the diagnosis quotes the first few and a count
    assert '"ZWG"' in report["deliveries"][0]["error"]["message"] and '"ZWG"' not in message
    assert 'Currency must be one of: "AFN", "EUR", "ALL", "DZD", "USD", ... (' in message
    # Track Purchase ignores the order currency and sends USD per product: the same event goes through
    legacy, [report] = replay_json(SEGMENT / "invalid-currency.json", "--legacy-purchases")
    assert legacy.exit_code == 0 and report["deliveries"][0]["objects"][0]["currency"] == "USD"


def test_update_existing_only_for_an_unknown_user() -> None:
    mapping = SETTINGS / "update-only.mapping.json"
    result, [report] = replay_json(SEGMENT / "update-only-unknown-user.json", "--mapping", mapping)
    assert result.exit_code == 1
    assert codes(report) == ["update_only_unknown_user"]
    assert report["deliveries"][0]["objects"][0]["_update_existing_only"] is True
    assert report["profile"] is None


def test_traits_segment_silently_drops() -> None:
    result, [report] = replay_json(SEGMENT / "dropped-traits.json")
    assert result.exit_code == 0
    assert codes(report) == ["dropped_trait"]
    message = report["diagnoses"][0]["message"]
    assert "'time', 'products' dropped (Segment removes Track Purchase field names" in message
    assert "'language', 'dob' dropped (named like Braze fields" in message
    assert report["profile"]["standard"]["first_name"] == "Sam"


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_diagnosis_has_a_hint_and_is_in_the_report_contract(code: str) -> None:
    from harness.contracts import contract

    schema = contract("replay/report-event").schema
    assert code in schema["$defs"]["diagnosis"]["properties"]["code"]["enum"]
    assert CATALOG[code].hint.endswith(".")


def test_a_spec_order_completed_needs_the_ecommerce_fields_or_legacy_purchases() -> None:
    result, [report] = replay_json(SEGMENT / "spec-order-completed.json")
    assert result.exit_code == 1 and codes(report) == ["ecommerce_fields_missing"]
    assert "the eCommerce preset needs source, variant_id" in report["diagnoses"][0]["message"]
    hint = report["diagnoses"][0]["hint"]
    assert "properties.source" in hint and "products[].variant_id" in hint and "--legacy-purchases" in hint


def test_legacy_purchases_warn_when_the_orders_currency_is_not_what_braze_got() -> None:
    result, [report] = replay_json(SEGMENT / "legacy-purchase-currency.json", "--legacy-purchases")
    assert result.exit_code == 0 and codes(report) == ["purchase_currency_defaulted"]
    assert report["deliveries"][0]["objects"][0]["currency"] == "USD"
    assert "'EUR'" in report["diagnoses"][0]["message"] and "USD" in report["diagnoses"][0]["message"]
