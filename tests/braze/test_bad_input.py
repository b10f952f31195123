"""Bad input never crashes the fake: a Braze-shaped 4xx that says what is wrong, journaled, state untouched."""

from __future__ import annotations

import http.client
import json

import pytest

from harness.braze import FakeBraze, FakeBrazeConfig, LiveServer

from .support import Client, event


@pytest.mark.parametrize(
    ("data", "content_type", "status", "needle"),
    [
        (b"{", "application/json", 400, "not valid JSON"),
        (b'{"events": [1,]}', "application/json", 400, "not valid JSON"),
        (b'{"attributes": [{"external_id": "u", "x": NaN}]}', "application/json", 400, "not valid JSON"),
        (b'{"attributes": [{"external_id": "u", "x": Infinity}]}', "application/json", 400, "not valid JSON"),
        (b'{"attributes": [{"external_id": "\xff"}]}', "application/json", 400, "UTF-8"),
        (b"", "application/json", 400, "empty"),
        (b"   ", "application/json", 400, "empty"),
        (b'{"events": []}', "text/plain", 400, "Content-Type must be application/json"),
        (b"events=1", "application/x-www-form-urlencoded", 400, "Content-Type must be application/json"),
        (b"[" * 2000 + b"]" * 2000, "application/json", 400, "depth"),
        (b'{"a": 1} trailing', "application/json", 400, "not valid JSON"),
    ],
)
def test_unreadable_bodies(
    client: Client, fake: FakeBraze, data: bytes, content_type: str, status: int, needle: str
) -> None:
    reply = client.post("/users/track", data=data, content_type=content_type)
    assert reply.status == status
    assert needle in reply.body["message"]
    assert reply.body["errors"] == []
    assert fake.requests[-1].status == status
    assert fake.workspace().profiles == {}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ([{"external_id": "u"}], "$"),
        ("attributes", "$"),
        ({"attributes": "u1"}, "$.attributes"),
        ({"attributes": {"external_id": "u1"}}, "$.attributes"),
        ({"events": [event()], "purchases": None}, "$.purchases"),
    ],
)
def test_wrong_shapes_list_every_violation(client: Client, fake: FakeBraze, body: object, path: str) -> None:
    reply = client.post("/users/track", body)
    assert reply.status == 400
    assert path in [e["path"] for e in reply.body["errors"]]
    assert fake.workspace().profiles == {}
    assert fake.requests[-1].violations


def test_wrong_types_inside_objects_reject_those_objects(client: Client, fake: FakeBraze) -> None:
    reply = client.track(events=[event(name=123), event(), event(external_id=42)])
    assert reply.status == 201
    assert [(e["index"], e["type"]) for e in reply.body["errors"]] == [
        (0, "'name' is not valid"),
        (2, "'external_id' is not valid"),
    ]
    assert fake.user("u1").custom_events["Played"].count == 1


def test_body_over_the_size_cap_is_413() -> None:
    fake = FakeBraze(FakeBrazeConfig(max_body_bytes=1000))
    reply = Client(fake).post("/users/track", {"events": [event(properties={"p": "x" * 200})] * 10})
    assert reply.status == 413
    assert reply.body == {"message": "Payload Too Large", "errors": []}
    assert "1,000 bytes" in reply.headers["X-Harness-Detail"]
    assert fake.requests[-1].status == 413


def test_a_live_server_lets_the_fake_answer_an_oversized_body_braze_shaped_and_journal_it() -> None:
    """waitress's own cap sits far above the fake's: the 413 is Braze's JSON, not waitress's text."""
    fake = FakeBraze(FakeBrazeConfig(max_body_bytes=1000))
    body = json.dumps({"events": [event(properties={"p": "x" * 5000})]}).encode()
    with LiveServer(fake) as server:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
        headers = {"Authorization": "Bearer k", "Content-Type": "application/json"}
        connection.request("POST", "/users/track", body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        connection.close()
    assert response.status == 413
    assert json.loads(answer) == {"message": "Payload Too Large", "errors": []}
    assert [entry.status for entry in fake.requests] == [413]


def test_deeply_nested_custom_attribute_is_not_applied(client: Client, fake: FakeBraze) -> None:
    deep: dict = {"leaf": 1}
    for _ in range(100):
        deep = {"n": deep}
    reply = client.track(attributes=[{"external_id": "u1", "deep": deep, "plan": "x"}])
    assert reply.status == 201
    assert fake.user("u1").custom_attributes == {"plan": "x"}


def test_huge_but_valid_body_is_fine(client: Client, fake: FakeBraze) -> None:
    attributes = [{"external_id": f"u{i}", **{f"k{j}": "v" * 200 for j in range(50)}} for i in range(75)]
    reply = client.track(attributes=attributes)
    assert reply.body == {"message": "success", "attributes_processed": 75}
    assert len(fake.workspace().profiles) == 75


def test_unknown_paths_and_methods_are_braze_shaped(client: Client, fake: FakeBraze) -> None:
    reply = client.post("/users/trak", {"events": []})
    assert (reply.status, reply.body["message"]) == (404, "Invalid URL.")
    reply = client.get("/users/track")
    assert reply.status == 405 and reply.body["message"] == "Method Not Allowed"
    assert [e.status for e in fake.requests] == [404, 405]


def test_a_rejected_request_leaves_state_unchanged(client: Client, fake: FakeBraze) -> None:
    client.track(attributes=[{"external_id": "u1", "plan": "pro"}], events=[event()])
    before = fake.profile_state(fake.user("u1"))
    client.track(attributes=[{"external_id": "u1", "plan": "free"}], events=[event() for _ in range(76)])
    client.post("/users/track", data=b'{"attributes": [{"external_id": "u1", "plan": "x"}], "events": 1}')
    assert fake.profile_state(fake.user("u1")) == before


def test_a_body_without_a_content_type_is_read_as_json(client: Client, fake: FakeBraze) -> None:
    """Braze's docs ask for `application/json` and say nothing of a request without the header: read as
    JSON (a wrong type is 400, above); the README's choices list it."""
    data = json.dumps({"events": [event()]}).encode()
    reply = client.post("/users/track", data=data, content_type=None)
    assert reply.status == 201
    assert "content-type" not in {name.lower() for name in fake.requests[-1].headers}
