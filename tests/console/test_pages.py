"""The console's pages over plain HTTP: what each shows, and that odd or huge input never breaks one."""

from __future__ import annotations

import html

import orjson
import pytest
from flask import url_for

from harness.braze import FakeBraze
from harness.console import mount

from .support import UI, console_fake, page, post_form, track

ADA = {
    "attributes": [
        {"external_id": "ada", "first_name": "Ada", "email": "ada@example.com", "plan": "pro", "tags": ["a"]}
    ],
    "events": [
        {"external_id": "ada", "name": "Article Viewed", "time": "2024-03-01T12:00:00Z"},
        {"external_id": "ada", "name": "Article Viewed", "time": "2024-03-05T12:00:00Z"},
    ],
    "purchases": [
        {"external_id": "ada", "product_id": "sku-1", "currency": "EUR", "price": 5, "time": "2024-03-02T12:00:00Z"}
    ],
}


def test_the_stream_lists_requests_newest_first_with_their_users_and_problems() -> None:
    fake = console_fake()
    track(fake, ADA)
    track(
        fake,
        {
            "purchases": [
                {"external_id": "bob", "product_id": "p", "currency": "usd", "price": 1, "time": "2024-03-01T12:00:00Z"}
            ],
            "evnts": [],
        },
    )
    shown = page(fake.test_client(), "/")
    assert shown.index('id="req-2"') < shown.index('id="req-1"')
    assert "Article Viewed" in shown and ">ada<" in shown and ">bob<" in shown
    assert "2 violations" in shown and "1 error" in shown


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("user=ad", ["req-1"], ["req-2", "req-3"]),
        ("status=4xx", ["req-2"], ["req-1", "req-3"]),
        ("status=201", ["req-1", "req-3"], ["req-2"]),
        ("violations=1", ["req-2"], ["req-1", "req-3"]),
        ("path=/users/export/ids", ["req-3"], ["req-1", "req-2"]),
    ],
)
def test_the_stream_filters_by_user_status_violations_and_path(query: str, shown: list[str], hidden: list[str]) -> None:
    fake = console_fake()
    track(fake, ADA)
    bad = {"external_id": "bob", "product_id": "p", "currency": "usd", "price": 1, "time": "2024-03-01T12:00:00Z"}
    track(fake, {"purchases": [bad]})
    fake.call("/users/export/ids", {"external_ids": ["carol"]}, api_key="k")
    text = page(fake.test_client(), f"/?{query}")
    assert all(f'id="{row}"' in text for row in shown)
    assert not any(f'id="{row}"' in text for row in hidden)


def test_a_request_page_shows_violations_notes_diagnosis_answer_and_curl() -> None:
    fake = console_fake()
    fake.call(
        "/users/track",
        {
            "purchases": [
                {"external_id": "bob", "product_id": "p", "currency": "usd", "price": 1, "time": "2024-03-01T12:00:00Z"}
            ]
        },
        api_key="rest-key-abcdef-123456",
        host="rest.fra-01.braze.eu",
    )
    text = html.unescape(page(fake.test_client(), "/requests/1"))
    assert "$.purchases[0].currency" in text  # the violation's field path
    assert "value.currency" in text and "invalid_currency" in text  # the note and replay's diagnosis
    assert "ISO 4217" in text
    assert "curl -sS -X POST http://localhost/users/track" in text
    assert "-H 'Host: rest.fra-01.braze.eu'" in text and "${BRAZE_API_KEY}" in text
    assert "rest-key-abcdef-123456" not in text  # the journal's redaction holds on the page too


def test_a_huge_body_is_clipped_on_the_page_and_whole_in_the_journal_and_the_download() -> None:
    fake = console_fake()
    big = "x" * 1000
    body = {
        "events": [
            {"external_id": f"u{i}", "name": "E", "time": "2024-03-01T12:00:00Z", "properties": {"p": big}}
            for i in range(75)
        ]
    }
    body["attributes"] = [{"external_id": f"u{i}", "blob": big} for i in range(75)]
    track(fake, body)
    http = fake.test_client()
    text = page(http, "/requests/1")
    assert "Showing 65536 of" in text
    assert len(text) < 3 * 65536  # body and answer clipped, the curl command short
    assert fake.journal.entries()[0].body == body  # stored whole
    assert http.get(f"{UI}/requests/1.json").get_json()["body"] == body
    assert "--data-binary @request-1-body.json" in text
    assert orjson.loads(http.get(f"{UI}/requests/1/body").data) == body


def test_a_body_that_is_not_json_or_too_deep_still_renders() -> None:
    fake = console_fake()
    fake.call("/users/track", raw=b"<html>not json" * 1000, api_key="k")
    fake.call("/users/track", raw=b"[" * 5000 + b"]" * 5000, api_key="k")
    fake.call("/users/track", raw=b'{"attributes": ' + b"[" * 300 + b'"end"' + b"]" * 300 + b"}", api_key="k")
    http = fake.test_client()
    for entry_id in (1, 2, 3):
        page(http, f"/requests/{entry_id}")
    assert "Not JSON" in page(http, "/requests/1")


def test_an_unknown_request_or_bad_id_is_a_404_page() -> None:
    http = console_fake().test_client()
    assert "not in the journal" in page(http, "/requests/99", 404)
    page(http, "/requests/abc", 404)


def test_the_profile_page_is_shaped_like_brazes() -> None:
    fake = console_fake()
    track(fake, ADA)
    fake.call(
        "/partners/segment/cohorts",
        {
            "partner_api_key": "pk-123456789",
            "client_secret": "s",
            "cohort_id": "c1",
            "name": "vip",
            "created_at": "2024-03-01T00:00:00Z",
        },
    )
    fake.call(
        "/partners/segment/cohorts/users",
        {
            "partner_api_key": "pk-123456789",
            "client_secret": "s",
            "cohort_id": "c1",
            "cohort_changes": [{"user_ids": ["ada"]}],
        },
    )
    fake.save_segment("pro users", {"custom_attribute": "plan", "op": "equals", "value": "pro"})
    fake.save_segment("buyers of sku-2", {"purchase": "sku-2", "op": "more_than", "count": 0})
    text = html.unescape(page(fake.test_client(), "/users/ada"))
    standard = text[text.index('id="standard"') : text.index('id="custom-attributes"')]
    assert "ada@example.com" in standard and "first_name" in standard
    custom = text[text.index('id="custom-attributes"') : text.index('id="custom-events"')]
    assert "plan" in custom and '["a"]' in custom
    events = text[text.index('id="custom-events"') : text.index('id="purchases"')]
    assert "Article Viewed" in events and ">2<" in events
    assert "2024-03-01T12:00:00.000Z" in events and "2024-03-05T12:00:00.000Z" in events
    purchases = text[text.index('id="purchases"') : text.index('id="cohorts"')]
    assert "sku-1" in purchases
    assert "vip" in text[text.index('id="cohorts"') : text.index('id="segments"')]
    segments = text[text.index('id="segments"') : text.index('id="identity"')]
    assert "pro users" in segments and "buyers of sku-2" not in segments


ODD_IDS = [
    "a/b",
    "/lead",
    "trail/",
    "a//b",
    "ü ñ 用户",
    "../x",
    ".",
    "%41",
    "<script>alert(1)</script>",
    "a?b#c",
    "x" * 5000,
]


@pytest.mark.parametrize("external_id", ODD_IDS, ids=lambda i: repr(i[:12]))
def test_odd_external_ids_get_their_profile_and_are_escaped(external_id: str) -> None:
    fake = console_fake()
    track(fake, {"attributes": [{"external_id": external_id, "plan": "odd"}]})
    console = mount(fake.app, fake)
    assert console is not None
    http = fake.test_client()
    listed = page(http, "/users")
    assert "<script>alert" not in listed
    with console.test_request_context(base_url=f"http://localhost{UI}"):
        from harness.console.pages_users import profile_url

        link = profile_url(external_id)
    assert html.escape(link, quote=True) in listed or link.replace("&", "&amp;") in listed
    shown = http.get(link)
    assert shown.status_code == 200
    text = shown.get_data(as_text=True)
    assert "<script>alert" not in text and ">odd<" in text


def test_an_unknown_user_or_workspace_is_a_404_page() -> None:
    http = console_fake().test_client()
    assert "No user with external_id" in page(http, "/users/nobody", 404)
    page(http, "/users?workspace=nope", 404)
    page(http, "/anonymous/nope", 404)


def test_the_user_list_searches_and_links_anonymous_users_by_braze_id() -> None:
    fake = console_fake()
    track(fake, ADA)
    track(
        fake,
        {
            "attributes": [
                {
                    "user_alias": {"alias_name": "anon-7", "alias_label": "segment"},
                    "plan": "free",
                    "_update_existing_only": False,
                }
            ]
        },
    )
    http = fake.test_client()
    text = page(http, "/users?q=ANON-7")
    assert "anonymous" in text and "ada" not in text
    [anonymous] = [p for p in fake.workspace().profiles.values() if p.external_id is None]
    assert f"/anonymous/{anonymous.braze_id}" in text
    assert ">free<" in page(http, f"/anonymous/{anonymous.braze_id}")
    assert "ada@example.com" in page(http, "/users?q=example.com")


def test_a_segment_filter_is_evaluated_saved_listed_and_deleted() -> None:
    fake = console_fake()
    track(fake, ADA)
    http = fake.test_client()
    definition = '{"custom_event": "Article Viewed", "op": "more_than", "count": 1}'
    shown = post_form(http, "/segments", {"definition": definition, "action": "evaluate"})
    assert shown.status_code == 200 and 'href="/_harness/ui/users/ada' in shown.get_data(as_text=True)
    saved = post_form(http, "/segments", {"definition": definition, "action": "save", "name": "readers"})
    assert saved.status_code == 303
    assert fake.saved_segment("readers") == {"custom_event": "Article Viewed", "op": "more_than", "count": 1}
    assert "readers" in page(http, "/segments") and "/users/ada" in page(http, "/segments?name=readers")
    assert post_form(http, "/segments/delete", {"name": "readers"}).status_code == 303
    assert fake.saved_segments() == {}


@pytest.mark.parametrize(
    ("definition", "says"),
    [("{nope", "not JSON"), ('{"custom_attribute": "plan", "op": "sort_of"}', "op"), ("[]", "$")],
)
def test_a_bad_filter_says_where_it_is_wrong(definition: str, says: str) -> None:
    http = console_fake().test_client()
    response = post_form(http, "/segments", {"definition": definition, "action": "evaluate"})
    assert response.status_code == 400
    assert "Not a segment filter" in response.get_data(as_text=True) and says in response.get_data(as_text=True)


def test_saving_needs_a_name() -> None:
    fake = console_fake()
    response = post_form(
        fake.test_client(), "/segments", {"definition": '{"cohort": "c", "op": "in"}', "action": "save"}
    )
    assert response.status_code == 400 and fake.saved_segments() == {}


def test_cohorts_list_their_members() -> None:
    fake = console_fake()
    track(fake, ADA)
    fake.call(
        "/partners/segment/cohorts",
        {
            "partner_api_key": "pk-123456789",
            "client_secret": "s",
            "cohort_id": "c1",
            "name": "vip",
            "created_at": "2024-03-01T00:00:00Z",
        },
    )
    fake.call(
        "/partners/segment/cohorts/users",
        {
            "partner_api_key": "pk-123456789",
            "client_secret": "s",
            "cohort_id": "c1",
            "cohort_changes": [{"user_ids": ["ada"]}],
        },
    )
    text = page(fake.test_client(), "/cohorts")
    assert "vip" in text and "c1" in text and "/users/ada" in text


def test_controls_arm_list_disarm_and_clear_faults() -> None:
    fake = console_fake()
    http = fake.test_client()
    armed = post_form(
        http, "/controls/faults", {"kind": "status", "status": "503", "path": "/users/track", "times": "2"}
    )
    assert armed.status_code == 303
    [rule] = fake.faults.rules()
    assert (rule["kind"], rule["status"], rule["path"], rule["times"]) == ("status", 503, "/users/track", 2)
    assert fake.call("/users/track", ADA, api_key="k").status == 503
    text = page(http, "/controls")
    assert "status 503" in text and "every endpoint" not in text.split("Arm a fault")[0]
    post_form(http, "/controls/faults", {"kind": "drop", "probability": "0.5"})
    assert post_form(http, f"/controls/faults/{rule['id']}/remove").status_code == 303
    assert [r["kind"] for r in fake.faults.rules()] == ["drop"]
    post_form(http, "/controls/faults/clear")
    assert fake.faults.rules() == []


@pytest.mark.parametrize(
    "form",
    [
        {"kind": "status", "status": "99"},
        {"kind": "sideways"},
        {"kind": "drop", "times": "many"},
        {"kind": "latency", "delay": "-1"},
    ],
)
def test_a_bad_fault_is_explained_and_arms_nothing(form: dict[str, str]) -> None:
    fake = console_fake()
    response = post_form(fake.test_client(), "/controls/faults", form)
    assert response.status_code == 400 and "alert-box" in response.get_data(as_text=True)
    assert fake.faults.rules() == []


def test_controls_reset_and_data_import_keys() -> None:
    fake = console_fake(data_import_keys=("import-key-0001",))
    track(fake, ADA)
    http = fake.test_client()
    assert "****0001" in page(http, "/controls")
    assert post_form(http, "/controls/keys/regenerate", {"workspace": "default"}).status_code == 303
    assert fake.data_import_key() not in (None, "import-key-0001")
    post_form(http, "/controls/keys/invalidate", {"workspace": "default"})
    assert fake.data_import_key() is None
    assert post_form(http, "/controls/keys/explode", {"workspace": "default"}).status_code == 404
    assert post_form(http, "/controls/keys/regenerate", {"workspace": "nope"}).status_code == 404
    assert post_form(http, "/controls/reset").status_code == 303
    assert fake.user("ada") is None and len(fake.journal) == 0


def test_mount_is_one_call_idempotent_works_after_first_requests_and_needs_the_control_plane() -> None:
    fake = FakeBraze()
    fake.test_client().get("/_harness/health")  # the app has served already
    first = mount(fake.app, fake)
    assert first is not None and mount(fake.app, fake) is first
    assert fake.test_client().get(f"{UI}/").status_code == 200
    assert fake.test_client().get("/_harness/").headers["Location"] == f"{UI}/"
    assert fake.test_client().get("/", headers={"Accept": "text/html"}).headers["Location"] == f"{UI}/"
    assert fake.test_client().get("/").status_code == 404  # a program asking Braze's root gets Braze's 404
    off = FakeBraze(control_plane=False)
    assert mount(off.app, off) is None
    assert off.test_client().get(f"{UI}/").status_code == 404


def test_the_workspace_switch_shows_another_workspaces_users() -> None:
    from harness.braze import WorkspaceConfig

    fake = console_fake(workspaces=(WorkspaceConfig("other", api_keys=("other-key",)),), api_keys=("main-key",))
    fake.call("/users/track", {"attributes": [{"external_id": "o1", "plan": "x"}]}, api_key="other-key")
    http = fake.test_client()
    assert "o1" not in page(http, "/users") and "o1" in page(http, "/users?workspace=other")
    assert page(http, "/users/o1?workspace=other")
    with pytest.raises(AssertionError):
        page(http, "/users/o1")
    assert url_for  # imported for the odd-id test's request context
