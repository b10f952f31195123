"""REST API keys, workspaces and instances: Braze's 401s (errors.md) and zero-config."""

from __future__ import annotations

import pytest

from harness.braze import FakeBraze, FakeBrazeConfig, WorkspaceConfig, instance_for_host, instance_named

from .support import Client, event


def test_missing_key_is_401_and_says_how_to_send_it(fake: FakeBraze) -> None:
    reply = Client(fake, key=None).track(events=[event()])
    assert reply.status == 401
    assert reply.body == {"message": "Invalid API key", "errors": []}
    assert "Authorization: Bearer" in reply.headers["X-Harness-Detail"]
    assert fake.workspace().profiles == {}


@pytest.mark.parametrize(
    ("header", "needle"),
    [("Basic abc", "not a Bearer key"), ('Bearer "abc"', "quotes"), ("Bearer", "not a Bearer key")],
)
def test_malformed_authorization(fake: FakeBraze, header: str, needle: str) -> None:
    reply = Client(fake, key=None).post("/users/track", {"events": [event()]}, headers={"Authorization": header})
    assert reply.status == 401 and needle in reply.headers["X-Harness-Detail"]


def test_zero_config_accepts_any_key_into_one_workspace(fake: FakeBraze) -> None:
    Client(fake, key="one").track(events=[event("a")])
    Client(fake, key="two").track(events=[event("b")])
    assert fake.user("a") is not None and fake.user("b") is not None


def test_configured_keys_refuse_others() -> None:
    fake = FakeBraze(FakeBrazeConfig(api_keys=("good-key",)))
    assert Client(fake, key="good-key").track(events=[event()]).status == 201
    reply = Client(fake, key="bad-key").track(events=[event()])
    assert reply.status == 401 and reply.headers["X-Harness-Detail"] == "unknown REST API key"


def test_legacy_api_key_query_parameter(fake: FakeBraze) -> None:
    response = fake.test_client().post("/users/track?api_key=k", json={"events": [event()]})
    assert response.status_code == 201


def test_a_key_from_another_instance_is_401() -> None:
    fake = FakeBraze(FakeBrazeConfig(workspaces=(WorkspaceConfig("eu", instance="EU-01", api_keys=("eu-key",)),)))
    eu = Client(fake, key="eu-key", host="rest.fra-01.braze.eu")
    assert eu.track(events=[event()]).status == 201
    us = Client(fake, key="eu-key", host="rest.iad-01.braze.com")
    reply = us.track(events=[event()])
    assert reply.status == 401
    assert "belongs to EU-01" in reply.headers["X-Harness-Detail"]
    assert fake.requests[-1].warnings == [f"refused: {reply.headers['X-Harness-Detail']}"]
    assert fake.user("u1", workspace="eu") is not None


def test_workspaces_keep_separate_profiles() -> None:
    fake = FakeBraze(
        FakeBrazeConfig(workspaces=(WorkspaceConfig("a", api_keys=("ka",)), WorkspaceConfig("b", api_keys=("kb",))))
    )
    Client(fake, key="ka").track(attributes=[{"external_id": "u1", "ws": "a"}])
    Client(fake, key="kb").track(attributes=[{"external_id": "u1", "ws": "b"}])
    assert fake.user("u1", workspace="a").custom_attributes == {"ws": "a"}
    assert fake.user("u1", workspace="b").custom_attributes == {"ws": "b"}
    assert fake.requests[-1].workspace == "b"


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("rest.iad-01.braze.com", "US-01"),
        ("rest.iad-08.braze.com:443", "US-08"),
        ("rest.us-10.braze.com", "US-10"),
        ("rest.iad-10.braze.com", "US-10"),
        ("rest.fra-02.braze.eu", "EU-02"),
        ("rest.au-01.braze.com", "AU-01"),
        ("REST.JP-01.BRAZE.COM", "JP-01"),
    ],
)
def test_instances_come_from_the_host(host: str, name: str) -> None:
    assert instance_for_host(host).name == name


def test_non_braze_hosts_and_unknown_instances() -> None:
    assert instance_for_host("127.0.0.1:4567") is None
    assert instance_named("eu-01").region == "EU"
    with pytest.raises(KeyError, match="US-01"):
        instance_named("US-99")


def test_any_key_on_its_own_instance_only():
    """`any_key_instances="own"`: zero-config keys work on the configured instance, 401 elsewhere."""
    fake = FakeBraze(instance="EU-01", any_key_instances="own")
    body = {"attributes": [{"external_id": "u1", "plan": "pro"}]}
    assert fake.call("/users/track", body, api_key="k", host="rest.fra-01.braze.eu").status == 201
    refused = fake.call("/users/track", body, api_key="k", host="rest.iad-01.braze.com")
    assert refused.status == 401
    assert refused.body["message"] == "Invalid API key"
    assert "EU-01" in refused.headers["X-Harness-Detail"]
    zero_config = FakeBraze(instance="EU-01")
    assert zero_config.call("/users/track", body, api_key="k", host="rest.iad-01.braze.com").status == 201


def test_the_deprecated_api_key_in_the_url_or_the_body_is_still_read() -> None:
    """api_key.md: "Braze will continue to support the `api_key` being passed through the request body and
    URL parameters, but will eventually be sunset"."""
    fake = FakeBraze(api_keys=("right",))
    body = {"attributes": [{"external_id": "u1", "plan": "pro"}]}
    assert fake.call("/users/track", {**body, "api_key": "right"}).status == 201
    assert fake.call("/users/track", body, query_string="api_key=right").status == 201
    assert fake.call("/users/track", {**body, "api_key": "wrong"}).status == 401
    assert fake.call("/users/track", body).status == 401
    assert fake.requests[0].violations == [] and fake.requests[0].warnings == []
    assert fake.requests[0].body["api_key"] != "right"  # redacted in the journal
