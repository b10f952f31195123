"""API-triggered sends (post_send_triggered_campaigns.md, post_send_triggered_canvases.md, recipient_object.md,
parameters.md, errors.md): Braze's rules and answers, who each send reached, and the attributes applied first."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import FakeBraze, TriggerConfig, WorkspaceConfig
from harness.braze.service.limits import CANVAS_CONTEXT_MAX_BYTES, TRIGGER_MAX_RECIPIENTS
from harness.braze.service.messaging import CANVAS_NOTICES
from harness.clock import FixedClock
from tests.braze.contract_check import CheckedClient

CAMPAIGN = "/campaigns/trigger/send"
CANVAS = "/canvas/trigger/send"
AUTH = {"Authorization": "Bearer k"}


@pytest.fixture
def fake(clock: FixedClock) -> FakeBraze:
    return FakeBraze(clock=clock)


@pytest.fixture
def http(fake: FakeBraze) -> CheckedClient:
    return CheckedClient(fake)


def track(fake: FakeBraze, *attributes: dict[str, Any]) -> None:
    assert fake.call("/users/track", {"attributes": list(attributes)}, api_key="k").status == 201


def send(http: CheckedClient, path: str, body: Any) -> tuple[int, Any]:
    response = http.post(path, json=body, headers=AUTH)
    return response.status_code, response.get_json()


def campaign(*recipients: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"campaign_id": "camp-1", **({"recipients": list(recipients)} if recipients else {}), **fields}


# -- success --------------------------------------------------------------------------------------------------
def test_a_campaign_send_answers_201_with_a_dispatch_id_and_is_kept(fake: FakeBraze, http: CheckedClient) -> None:
    track(fake, {"external_id": "u1"})
    body = campaign({"external_user_id": "u1", "trigger_properties": {"b": 2}}, trigger_properties={"a": 1, "b": 1})
    status, answer = send(http, CAMPAIGN, {**body, "send_id": "s-1"})
    assert status == 201 and set(answer) == {"dispatch_id", "message"} and answer["message"] == "success"
    [sent] = fake.sends()
    assert (sent.dispatch_id, sent.kind, sent.trigger_id, sent.send_id) == (
        answer["dispatch_id"],
        "campaign",
        "camp-1",
        "s-1",
    )
    assert sent.external_ids == ("u1",) and sent.broadcast is False
    assert sent.properties == {"a": 1, "b": 1}
    assert sent.recipients[0].properties == {"a": 1, "b": 2}  # "override any keys that conflict"


def test_dispatch_ids_are_reproducible_from_the_seed(clock: FixedClock) -> None:
    def ids(seed: int) -> list[str]:
        fake = FakeBraze(clock=clock, seed=seed)
        return [fake.call(CAMPAIGN, campaign(broadcast=True), api_key="k").body["dispatch_id"] for _ in range(3)]

    assert ids(0) == ids(0) and ids(1) == ids(1)
    assert ids(0) != ids(1) and len(set(ids(0))) == 3


def test_reset_forgets_sends_and_restarts_the_dispatch_ids(fake: FakeBraze) -> None:
    first = fake.call(CAMPAIGN, campaign(broadcast=True), api_key="k").body["dispatch_id"]
    fake.reset()
    assert fake.sends() == []
    assert fake.call(CAMPAIGN, campaign(broadcast=True), api_key="k").body["dispatch_id"] == first


def test_a_canvas_send_takes_context_and_canvas_entry_properties(fake: FakeBraze, http: CheckedClient) -> None:
    track(fake, {"external_id": "u1"})
    body = {
        "canvas_id": "canvas-1",
        "canvas_entry_properties": {"a": 1, "b": 1},
        "context": {"b": 2},
        "recipients": [{"external_user_id": "u1", "canvas_entry_properties": {"c": 3}}],
    }
    status, answer = send(http, CANVAS, body)
    assert status == 201 and "notice" not in answer
    [sent] = fake.sends(canvas_id="canvas-1")
    assert sent.kind == "canvas" and sent.properties == {"a": 1, "b": 2}  # context wins a key both name
    assert sent.recipients[0].properties == {"a": 1, "b": 2, "c": 3}


def test_a_broadcast_is_kept_without_recipients_and_noted(fake: FakeBraze) -> None:
    reply = fake.call(CAMPAIGN, campaign(broadcast=True), api_key="k")
    assert reply.status == 201
    [sent] = fake.sends()
    assert sent.broadcast and sent.deliveries == ()
    assert [n.code for n in reply.notes] == ["send.broadcast_unresolved"]


def test_an_audience_without_broadcast_or_recipients_is_taken(fake: FakeBraze) -> None:
    """post_send_triggered_campaigns.md: "If 'recipients' and 'audience' are not provided and broadcast is not set
    to 'false'", the campaign's segment gets it; an audience narrows it (not evaluated by the fake)."""
    audience = {
        "AND": [{"custom_attribute": {"custom_attribute_name": "plan", "comparison": "equals", "value": "pro"}}]
    }
    reply = fake.call(CAMPAIGN, campaign(audience=audience), api_key="k")
    assert reply.status == 201
    assert fake.sends()[0].audience == audience
    assert {n.code for n in reply.notes} == {"send.broadcast_unresolved", "send.audience_not_evaluated"}


# -- recipients -----------------------------------------------------------------------------------------------
def test_each_recipient_is_resolved_or_skipped_with_the_reason(fake: FakeBraze) -> None:
    track(
        fake,
        {"external_id": "u1"},
        {"user_alias": {"alias_name": "anon", "alias_label": "segment"}, "_update_existing_only": False},
    )
    alias_only = fake.find(_alias("anon", "segment"))
    assert alias_only is not None
    reply = fake.call(
        CAMPAIGN,
        campaign(
            {"external_user_id": "u1"},
            {"external_user_id": "nobody"},
            {"user_alias": {"alias_name": "anon", "alias_label": "segment"}},
            {"braze_id": alias_only.braze_id},
            {"external_user_id": "u1"},
        ),
        api_key="k",
    )
    assert reply.status == 201
    [sent] = fake.sends()
    assert [(d.index, d.sent, d.reason) for d in sent.deliveries] == [
        (0, True, None),
        (1, False, "send.recipient_unknown"),
        (2, True, None),
        (3, False, "send.duplicate_recipient"),  # the alias's profile, named again by braze_id
        (4, False, "send.duplicate_recipient"),  # "the user receives only one message"
    ]
    assert sent.external_ids == ("u1",) and sent.recipients[1].braze_id == alias_only.braze_id
    assert [(n.code, n.where) for n in reply.notes] == [
        ("send.recipient_unknown", "recipients[1]"),
        ("send.duplicate_recipient", "recipients[3]"),
        ("send.duplicate_recipient", "recipients[4]"),
    ]


def _alias(name: str, label: str) -> Any:
    from harness.braze import Identifier

    return Identifier("user_alias", name, label)


def test_email_recipients_follow_the_prioritization(fake: FakeBraze, clock: FixedClock) -> None:
    track(fake, {"email": "a@example.com", "first_name": "Anon"})
    clock.advance(1)
    track(fake, {"external_id": "u1", "email": "a@example.com"})
    identified = {"email": "a@example.com", "prioritization": ["identified"]}
    unidentified = {"email": "a@example.com", "prioritization": ["unidentified"]}
    assert fake.call(CAMPAIGN, campaign(identified, unidentified), api_key="k").status == 201
    [sent] = fake.sends()
    anonymous = fake.workspace().all_matching(_email("a@example.com"))
    assert [d.external_id for d in sent.recipients] == ["u1", None]
    assert sent.recipients[1].braze_id in {p.braze_id for p in anonymous if p.external_id is None}


def _email(value: str) -> Any:
    from harness.braze import Identifier

    return Identifier("email", value)


def test_send_to_existing_only_false_creates_the_user_from_its_attributes(fake: FakeBraze) -> None:
    recipient = {
        "external_user_id": "new",
        "send_to_existing_only": False,
        "attributes": {"first_name": "Ada", "plan": "pro"},
    }
    reply = fake.call(CAMPAIGN, campaign(recipient), api_key="k")
    assert reply.status == 201
    user = fake.user("new")
    assert user is not None and user.standard["first_name"] == "Ada" and user.custom_attributes == {"plan": "pro"}
    assert fake.sends()[0].external_ids == ("new",)


def test_attributes_update_existing_users_and_create_nobody_by_default(fake: FakeBraze) -> None:
    track(fake, {"external_id": "u1", "plan": "free"})
    body = campaign(
        {"external_user_id": "u1", "attributes": {"plan": "pro"}},
        {"external_user_id": "u2", "attributes": {"plan": "pro"}},
    )
    reply = fake.call(CAMPAIGN, body, api_key="k")
    assert reply.status == 201
    user = fake.user("u1")
    assert user is not None and user.custom_attributes == {"plan": "pro"}
    assert fake.user("u2") is None
    assert [(n.code, n.where) for n in reply.notes] == [
        ("user.update_only_unknown", "recipients[1].attributes"),
        ("send.recipient_unknown", "recipients[1]"),
    ]


def test_attributes_braze_would_reject_are_not_applied_and_the_send_goes_on(fake: FakeBraze) -> None:
    track(fake, {"external_id": "u1"})
    reply = fake.call(
        CAMPAIGN, campaign({"external_user_id": "u1", "attributes": {"dob": "not a date", "plan": "pro"}}), api_key="k"
    )
    assert reply.status == 201
    user = fake.user("u1")
    assert (
        user is not None and "plan" not in user.custom_attributes
    )  # the whole object is refused, as /users/track does
    [note] = reply.notes
    assert note.kind == "warning" and note.where == "recipients[0].attributes" and note.text.startswith("not applied: ")
    assert fake.sends()[0].external_ids == ("u1",)


def test_identifiers_inside_attributes_are_dropped(fake: FakeBraze) -> None:
    track(fake, {"external_id": "u1"})
    reply = fake.call(
        CAMPAIGN, campaign({"external_user_id": "u1", "attributes": {"external_id": "u2", "plan": "pro"}}), api_key="k"
    )
    assert reply.status == 201 and fake.user("u2") is None
    assert [n.code for n in reply.notes] == ["send.attributes_ignored"]


def test_a_canvas_does_not_update_subscription_groups(fake: FakeBraze) -> None:
    track(fake, {"external_id": "u1"})
    groups = [{"subscription_group_id": "g1", "subscription_state": "subscribed"}]
    attributes = {"plan": "pro", "subscription_groups": groups}
    canvas = fake.call(
        CANVAS, {"canvas_id": "cv", "recipients": [{"external_user_id": "u1", "attributes": attributes}]}, api_key="k"
    )
    assert [n.code for n in canvas.notes] == ["send.attributes_ignored"]
    user = fake.user("u1")
    assert user is not None and user.subscription_groups == {} and user.custom_attributes == {"plan": "pro"}
    assert (
        fake.call(CAMPAIGN, campaign({"external_user_id": "u1", "attributes": attributes}), api_key="k").status == 201
    )
    assert user.subscription_groups == {"g1": "subscribed"}  # a campaign does


def test_an_empty_user_alias_counts_as_none(fake: FakeBraze) -> None:
    """Segment's mapping sends `user_alias: {}` when the event has no braze_alias traits."""
    track(fake, {"external_id": "u1"})
    reply = fake.call(
        CANVAS, {"canvas_id": "cv", "recipients": [{"external_user_id": "u1", "user_alias": {}}]}, api_key="k"
    )
    assert reply.status == 201 and fake.sends()[0].external_ids == ("u1",)
    assert [n.code for n in reply.notes] == ["send.empty_user_alias"]


# -- refusals -------------------------------------------------------------------------------------------------
IDENTIFIERS = "Each recipient must include exactly one of external_user_id, user_alias, braze_id or email"


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            CAMPAIGN,
            campaign({"external_user_id": "u1"}, broadcast=True),
            "If broadcast is set to true, a recipients list cannot be included",
        ),
        (
            CAMPAIGN,
            campaign(broadcast=True, attachments=[{"file_name": "a.pdf", "url": "https://x/a.pdf"}]),
            "If broadcast is set to true, then the attachments list cannot be included",
        ),
        (CAMPAIGN, campaign(broadcast=False), "No Recipients"),
        (CAMPAIGN, campaign(), "No Recipients"),
        (CAMPAIGN, campaign(recipients=[]), "No Recipients"),
        (CAMPAIGN, campaign(broadcast=False, audience={"AND": []}), "No Recipients"),
        (CANVAS, {"canvas_id": "cv"}, "No Recipients"),
        (CAMPAIGN, campaign({}), IDENTIFIERS),
        (CAMPAIGN, campaign({"external_user_id": "u1", "email": "a@example.com"}), IDENTIFIERS),
        (CAMPAIGN, campaign({"user_alias": {"alias_name": "a", "alias_label": "b"}, "braze_id": "b1"}), IDENTIFIERS),
        (CAMPAIGN, campaign({"email": "a@example.com"}), "prioritization is required when using email"),
        (
            CAMPAIGN,
            campaign({"external_user_id": "u1", "send_to_existing_only": False}),
            "If send_to_existing_only is false, an attributes object must be included",
        ),
        (
            CAMPAIGN,
            campaign(
                {
                    "user_alias": {"alias_name": "a", "alias_label": "b"},
                    "send_to_existing_only": False,
                    "attributes": {"a": 1},
                }
            ),
            "send_to_existing_only can't be set to false for user aliases",
        ),
        (
            CAMPAIGN,
            campaign(*[{"external_user_id": f"u{i}"} for i in range(TRIGGER_MAX_RECIPIENTS + 1)]),
            "The max number of external_ids and aliases per request was exceeded",
        ),
        (
            CAMPAIGN,
            {"recipients": [{"external_user_id": "u1"}]},
            "campaign_id must be a string of the campaign api identifier",
        ),
        (
            CAMPAIGN,
            campaign({"external_user_id": "u1"}, campaign_id=5),
            "campaign_id must be a string of the campaign api identifier",
        ),
        (CANVAS, {"canvas_id": "", "broadcast": True}, "canvas_id must be a string of the canvas api identifier"),
        (
            CANVAS,
            {"canvas_id": "cv", "broadcast": True, "context": {"x": "y" * CANVAS_CONTEXT_MAX_BYTES}},
            "The context object has a maximum size limit of 50 KB",
        ),
        (
            CANVAS,
            {
                "canvas_id": "cv",
                "recipients": [{"external_user_id": "u1", "context": {"x": "y" * CANVAS_CONTEXT_MAX_BYTES}}],
            },
            "The context object has a maximum size limit of 50 KB",
        ),
    ],
)
def test_refusals_of_the_whole_request(
    fake: FakeBraze, http: CheckedClient, path: str, body: Any, message: str
) -> None:
    track(fake, {"external_id": "u1"})
    before = fake.state()
    status, answer = send(http, path, body)
    assert (status, answer["message"]) == (400, message)
    assert fake.sends() == [] and fake.state() == before


def test_50_recipients_are_taken(fake: FakeBraze) -> None:
    body = campaign(*[{"external_user_id": f"u{i}"} for i in range(TRIGGER_MAX_RECIPIENTS)])
    assert fake.call(CAMPAIGN, body, api_key="k").status == 201
    assert len(fake.sends()[0].deliveries) == 50


def test_docs_example_empty_string_properties_count_as_none(fake: FakeBraze) -> None:
    track(fake, {"external_id": "u1"})
    body = campaign({"external_user_id": "u1", "trigger_properties": ""}, trigger_properties="")
    assert fake.call(CAMPAIGN, body, api_key="k").status == 201
    assert fake.sends()[0].recipients[0].properties == {}


def test_unknown_fields_are_ignored_and_noted(fake: FakeBraze) -> None:
    """Segment leaves `prioritization` at the top level of a broadcast (triggerCampaign/index.js)."""
    reply = fake.call(CAMPAIGN, campaign(broadcast=True, prioritization={"first_priority": "identified"}), api_key="k")
    assert reply.status == 201
    assert (reply.notes[0].code, reply.notes[0].text) == (
        "request.unknown_fields",
        "unknown field(s) ignored: prioritization",
    )


# -- declared campaigns and Canvases ---------------------------------------------------------------------------
def test_zero_config_takes_any_id(fake: FakeBraze) -> None:
    assert fake.call(CAMPAIGN, {"campaign_id": "anything", "broadcast": True}, api_key="k").status == 201
    assert fake.call(CANVAS, {"canvas_id": "anything", "broadcast": True}, api_key="k").status == 201


def test_declared_ids_make_others_invalid(clock: FixedClock) -> None:
    fake = FakeBraze(clock=clock, campaigns=("camp-1",), canvases=("canvas-1",))
    assert fake.call(CAMPAIGN, {"campaign_id": "camp-1", "broadcast": True}, api_key="k").status == 201
    unknown = fake.call(CAMPAIGN, {"campaign_id": "camp-2", "broadcast": True}, api_key="k")
    assert (unknown.status, unknown.body) == (400, {"message": "Invalid Campaign ID", "errors": []})
    assert "has no API-triggered campaign 'camp-2' (it has camp-1)" in unknown.headers["X-Harness-Detail"]
    canvas = fake.call(CANVAS, {"canvas_id": "nope", "broadcast": True}, api_key="k")
    assert (canvas.status, canvas.body["message"]) == (400, "Invalid Canvas ID")
    assert [n.code for n in canvas.notes] == ["send.unknown_id"]


@pytest.mark.parametrize(("status", "notice"), [("paused", "paused"), ("stopped", "paused"), ("archived", "archived")])
def test_an_inactive_canvas_answers_201_with_its_notice_and_sends_nothing(
    clock: FixedClock, status: str, notice: str
) -> None:
    fake = FakeBraze(clock=clock, canvases=({"id": "cv", "status": status},))
    track(fake, {"external_id": "u1"})
    reply = fake.call(CANVAS, {"canvas_id": "cv", "recipients": [{"external_user_id": "u1"}]}, api_key="k")
    assert reply.status == 201 and reply.body["notice"] == CANVAS_NOTICES[notice]
    [sent] = fake.sends()
    assert sent.recipients == () and sent.skipped[0].reason == "send.inactive" and sent.notice == CANVAS_NOTICES[notice]


def test_an_inactive_campaign_answers_201_sends_nothing_and_still_applies_attributes(clock: FixedClock) -> None:
    fake = FakeBraze(clock=clock, campaigns=(TriggerConfig("camp-1", status="archived"),))
    track(fake, {"external_id": "u1"})
    reply = fake.call(CAMPAIGN, campaign({"external_user_id": "u1", "attributes": {"plan": "pro"}}), api_key="k")
    assert reply.status == 201 and "notice" not in reply.body
    assert fake.sends()[0].recipients == ()
    user = fake.user("u1")
    assert user is not None and user.custom_attributes == {"plan": "pro"}
    assert "send.inactive" in [n.code for n in reply.notes]


def test_campaigns_are_declared_per_workspace(clock: FixedClock) -> None:
    fake = FakeBraze(
        clock=clock,
        workspaces=(
            WorkspaceConfig("a", api_keys=("ka",), campaigns=("only-a",)),
            WorkspaceConfig("b", api_keys=("kb",)),
        ),
    )
    assert fake.call(CAMPAIGN, {"campaign_id": "x", "broadcast": True}, api_key="ka").status == 400
    assert fake.call(CAMPAIGN, {"campaign_id": "x", "broadcast": True}, api_key="kb").status == 201
    assert [s.trigger_id for s in fake.sends("b")] == ["x"] and fake.sends("a") == []


@pytest.mark.parametrize("bad", [{"id": ""}, {"id": "c", "status": "draft"}, {"id": "c", "colour": "red"}, 5])
def test_a_bad_declaration_fails_at_once(bad: Any) -> None:
    with pytest.raises(ValueError):
        FakeBraze(campaigns=(bad,))


# -- read-back ------------------------------------------------------------------------------------------------
def test_sends_filter_by_campaign_canvas_and_recipient(fake: FakeBraze) -> None:
    track(fake, {"external_id": "u1"}, {"external_id": "u2"})
    fake.call(CAMPAIGN, campaign({"external_user_id": "u1"}), api_key="k")
    fake.call(CAMPAIGN, {"campaign_id": "camp-2", "recipients": [{"external_user_id": "u2"}]}, api_key="k")
    fake.call(CANVAS, {"canvas_id": "camp-1", "recipients": [{"external_user_id": "u2"}]}, api_key="k")
    assert [s.trigger_id for s in fake.sends(campaign_id="camp-1")] == ["camp-1"]
    assert [s.kind for s in fake.sends(canvas_id="camp-1")] == ["canvas"]
    assert [(s.kind, s.trigger_id) for s in fake.sends(external_id="u2")] == [
        ("campaign", "camp-2"),
        ("canvas", "camp-1"),
    ]


def test_control_plane_lists_sends_with_their_deliveries(fake: FakeBraze, http: CheckedClient) -> None:
    track(fake, {"external_id": "u1"})
    send(http, CAMPAIGN, campaign({"external_user_id": "u1"}, {"external_user_id": "u9"}, trigger_properties={"a": 1}))
    send(http, CANVAS, {"canvas_id": "cv", "broadcast": True})
    listed = http.get("/_harness/sends").get_json()
    assert listed["workspace"] == "default" and [s["kind"] for s in listed["sends"]] == ["campaign", "canvas"]
    first = listed["sends"][0]
    assert [(r["external_id"], r["sent"], r["reason"]) for r in first["recipients"]] == [
        ("u1", True, None),
        (None, False, "send.recipient_unknown"),
    ]
    assert first["recipients"][0]["properties"] == {"a": 1} and first["at"] == "2024-03-10T12:00:00.000Z"
    assert [s["id"] for s in http.get("/_harness/sends?canvas_id=cv").get_json()["sends"]] == ["cv"]
    assert len(http.get("/_harness/sends?external_id=u1").get_json()["sends"]) == 1
    assert http.get("/_harness/sends?workspace=nope").status_code == 404
    assert len(fake.state()["workspaces"]["default"]["sends"]) == 2
