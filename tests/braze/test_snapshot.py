"""State that can be kept: `state()` / `load_state()`, `save` / `load`, `GET|POST /_harness/state`, exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.braze import FakeBraze, StateError, WorkspaceConfig
from harness.clock import FixedClock
from harness.testing.strategies.braze import track_bodies

NOW = datetime(2024, 3, 10, 12, tzinfo=UTC)
COHORT = {"partner_api_key": "p", "client_secret": "s", "cohort_id": "c1"}


def _fake() -> FakeBraze:
    return FakeBraze(clock=FixedClock(NOW), rate_limited=False)


def _everything(fake: FakeBraze, bodies: list[dict[str, Any]]) -> None:
    """Profiles from generated bodies, plus a cohort, a saved segment and a regenerated data import key."""
    for body in bodies:
        fake.call("/users/track", body, api_key="k")
    fake.call("/users/track", {"attributes": [{"external_id": "member", "plan": "pro"}]}, api_key="k")
    fake.call("/partners/segment/cohorts", {**COHORT, "name": "VIP", "created_at": "2024-03-01T00:00:00Z"})
    fake.call("/partners/segment/cohorts/users", {**COHORT, "cohort_changes": [{"user_ids": ["member"]}]})
    fake.save_segment("pros", {"custom_attribute": "plan", "op": "equals", "value": "pro"})
    fake.regenerate_data_import_key()
    fake.declare_catalog("products", {"Name": "string", "Price": "number"})
    fake.call("/catalogs/products/items/p1", {"items": [{"Name": "Mug", "Price": 5}]}, method="PUT", api_key="k")
    send = {"campaign_id": "c", "recipients": [{"external_user_id": "member", "trigger_properties": {"x": 1}}]}
    assert fake.call("/campaigns/trigger/send", send, api_key="k").status == 201


@settings(max_examples=25)
@given(bodies=st.lists(track_bodies(), max_size=4))
def test_the_state_round_trip_is_exact(bodies: list[dict[str, Any]]) -> None:
    original = _fake()
    _everything(original, bodies)
    copy = _fake()
    copy.load_state(original.state())
    assert copy.state() == original.state()
    # and it behaves the same from there on: same answers, same state
    more = {
        "attributes": [{"external_id": "member", "logins": {"inc": 2}}],
        "events": [{"external_id": "new", "name": "E", "time": "2024-03-09T00:00:00Z"}],
    }
    assert copy.call("/users/track", more, api_key="k").body == original.call("/users/track", more, api_key="k").body
    assert copy.state() == original.state()
    assert copy.in_cohort("member", "VIP") and copy.segment_members("pros").external_ids == ("member",)


def test_save_and_load_a_file_and_the_keys_come_along(tmp_path: Path) -> None:
    fake = FakeBraze(workspaces=(WorkspaceConfig("shop", api_keys=("shop-key",), data_import_key="dik"),))
    fake.call("/users/track", {"attributes": [{"external_id": "u1", "plan": "pro"}]}, api_key="shop-key")
    path = fake.save(tmp_path / "state.json")
    fresh = FakeBraze().load(path)  # a zero-config fake takes the saved workspaces, keys included
    assert fresh.user("u1", workspace="shop").custom_attributes == {"plan": "pro"}
    assert fresh.call("/users/track", {"attributes": [{"external_id": "u2"}]}, api_key="other").status == 401
    assert fresh.call("/users/track", {"attributes": [{"external_id": "u2"}]}, api_key="shop-key").status == 201


def test_over_http_get_then_post_and_a_bad_snapshot_changes_nothing() -> None:
    source, target = _fake(), _fake()
    _everything(source, [])
    snapshot = source.test_client().get("/_harness/state").get_json()
    loaded = target.test_client().post("/_harness/state", json=snapshot)
    assert loaded.status_code == 200 and loaded.get_json()["users"] == 1
    assert target.state() == source.state()
    before = target.state()
    broken = {**snapshot, "version": 2}
    refused = target.test_client().post("/_harness/state", json=broken)
    assert refused.status_code == 400 and refused.get_json()["errors"][0]["path"] == "$.version"
    assert (
        target.test_client().post("/_harness/state", data=b"{not json", content_type="application/json").status_code
        == 400
    )
    assert target.state() == before


def test_a_snapshot_with_a_bad_time_is_refused_whole() -> None:
    fake = _fake()
    fake.call("/users/track", {"attributes": [{"external_id": "u1"}]}, api_key="k")
    snapshot = fake.state()
    snapshot["workspaces"]["default"]["users"][0]["created_at"] = "yesterday"
    with pytest.raises(StateError):
        _fake().load_state(snapshot)
