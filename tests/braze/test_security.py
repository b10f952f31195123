"""Security of the fake: the control plane off or behind a token, and credentials never in the journal,
the answers or the logs unredacted."""

from __future__ import annotations

import logging

import pytest

from harness.braze import FakeBraze
from harness.braze.model.redaction import redact_query, redact_raw, scrub, secrets_of
from harness.braze.service import cohorts

from .support import Client, event

REST_KEY = "rest-key-abcdef-123456"
PARTNER_KEY = "partner-key-zyxwvu-9876"
SECRET = "import-secret-qwerty-5555"
TOKEN = "control-token-s3cr3t-0042"
EVERY_SECRET = (REST_KEY, PARTNER_KEY, SECRET, TOKEN)


def leaks(*texts: object) -> list[str]:
    return [s for s in EVERY_SECRET for t in texts if s in str(t)]


def test_no_control_plane_means_404_under_harness_and_braze_still_answers() -> None:
    fake = FakeBraze(control_plane=False)
    http = fake.test_client()
    for path in ("/_harness/health", "/_harness/requests", "/_harness/faults", "/_harness/cohorts"):
        assert http.get(path).status_code == 404
    assert http.post("/_harness/reset").status_code == 404
    assert Client(fake).track(events=[event()]).status == 201


@pytest.mark.parametrize(
    "path", ["/_harness/health", "/_harness/requests", "/_harness/state", "/_harness/faults", "/_harness/cohorts"]
)
def test_control_token_is_required_on_every_control_route(path: str) -> None:
    fake = FakeBraze(control_token=TOKEN)
    http = fake.test_client()
    refused = http.get(path)
    assert refused.status_code == 401 and refused.json["message"] == "control token required"
    assert http.get(path, headers={"X-Harness-Control-Token": "wrong"}).status_code == 401
    assert http.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert http.get(path, headers={"X-Harness-Control-Token": TOKEN}).status_code == 200
    assert http.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_control_token_does_not_touch_braze_endpoints_nor_reset_without_it() -> None:
    fake = FakeBraze(control_token=TOKEN)
    Client(fake).track(events=[event()])
    assert fake.test_client().post("/_harness/reset").status_code == 401
    assert fake.user("u1") is not None
    assert fake.test_client().delete("/_harness/faults").status_code == 401


def test_journal_redacts_keys_in_headers_query_parsed_and_unparsed_bodies(fake: FakeBraze) -> None:
    http = fake.test_client()
    http.post(f"/users/track?api_key={REST_KEY}", json={"events": [event()]})
    http.post(
        "/partners/segment/cohorts/users",
        data=f'{{"partner_api_key": "{PARTNER_KEY}", "client_secret": "{SECRET}", "cohort_id": '.encode(),
        content_type="application/json",
    )
    http.post(
        "/partners/segment/cohorts",
        json={"partner_api_key": PARTNER_KEY, "client_secret": SECRET, "cohort_id": "c", "name": "n"},
        headers={"X-Harness-Control-Token": TOKEN, "Authorization": f"Bearer {REST_KEY}"},
    )
    entries = fake.requests
    assert [e.status for e in entries] == [201, 400, 400]
    assert entries[0].query == "api_key=%2A%2A%2A%2A3456"
    assert '"partner_api_key": "****9876"' in (entries[1].raw or "")
    assert entries[2].headers["x-harness-control-token"] == "****0042"
    assert not leaks(*(e.to_json() for e in entries))
    assert not leaks(fake.test_client().get("/_harness/requests").get_data(as_text=True))


def test_a_crash_is_a_braze_shaped_500_that_names_no_credential(
    fake: FakeBraze, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crash(*args: object) -> None:
        raise RuntimeError(f"could not use {PARTNER_KEY} with {SECRET} (token {REST_KEY})")

    monkeypatch.setattr(cohorts, "check_partner_key", crash)
    crashing = fake
    caplog.set_level(logging.DEBUG)
    response = crashing.test_client().post(
        "/partners/segment/cohorts",
        json={"partner_api_key": PARTNER_KEY, "client_secret": SECRET, "cohort_id": "c", "name": "n"},
        headers={"Authorization": f"Bearer {REST_KEY}"},
    )
    assert response.status_code == 500
    assert response.json["message"] == "Internal Server Error"
    assert response.json["errors"] == []
    assert "RuntimeError: could not use ****9876" in response.headers["X-Harness-Detail"]
    assert "could not use" in caplog.text
    assert not leaks(response.get_data(as_text=True), caplog.text, [e.to_json() for e in crashing.requests])


def test_scrub_and_secrets_of() -> None:
    secrets = secrets_of({"Authorization": f"Bearer {REST_KEY}"}, {"api_key": "abc"}, {"client_secret": SECRET})
    assert secrets == (SECRET, REST_KEY)  # longest first; 3-character values are not worth scrubbing
    text = {"errors": [{"type": f"{SECRET} and {REST_KEY}"}], "n": 1}
    assert scrub(text, secrets) == {"errors": [{"type": "****5555 and ****3456"}], "n": 1}
    assert secrets_of({"Authorization": "Bearer"}, {}, None) == ()
    assert redact_query("a=1&api_key=secretvalue") == "a=1&api_key=%2A%2A%2A%2Aalue"
    assert redact_query("a=1") == "a=1"
    assert redact_raw('{"client_secret" : "abcdefghij", "x": 1') == '{"client_secret" : "****ghij", "x": 1'
