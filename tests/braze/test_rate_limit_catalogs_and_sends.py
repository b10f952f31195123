"""The catalog and triggered-send rate limits (api_limits.md, _includes/rate_limits.md): which endpoints share a
window, a broadcast's own 250 per minute, and the X-RateLimit-* headers on every answer."""

from __future__ import annotations

from typing import Any

import pytest

from harness.braze import RATE_LIMITS, CatalogConfig, FakeBraze, RateLimit
from harness.clock import FixedClock

ITEM = "/catalogs/products/items/sku-1"
ITEMS = "/catalogs/products/items"
SEND = {"campaign_id": "c", "recipients": [{"external_user_id": "u1"}]}
BROADCAST = {"campaign_id": "c", "broadcast": True}
CALLS: dict[str, tuple[str, str, Any]] = {
    "list catalogs": ("GET", "/catalogs", None),
    "create catalog": (
        "POST",
        "/catalogs",
        {"catalogs": [{"name": "other", "description": "", "fields": [{"name": "id", "type": "string"}]}]},
    ),
    "delete catalog": ("DELETE", "/catalogs/products", None),
    "put item": ("PUT", ITEM, {"items": [{"Name": "Shoe"}]}),
    "get item": ("GET", ITEM, None),
    "delete item": ("DELETE", ITEM, None),
    "put items": ("PUT", ITEMS + "/", {"items": [{"id": "sku-2", "Name": "Hat"}]}),
    "delete items": ("DELETE", ITEMS, {"items": [{"id": "sku-2"}]}),
    "campaign send": ("POST", "/campaigns/trigger/send", SEND),
    "canvas send": ("POST", "/canvas/trigger/send", {"canvas_id": "v", "recipients": [{"external_user_id": "u1"}]}),
    "campaign broadcast": ("POST", "/campaigns/trigger/send", BROADCAST),
    "canvas broadcast": ("POST", "/canvas/trigger/send", {"canvas_id": "v", "broadcast": True}),
    "campaign audience": ("POST", "/campaigns/trigger/send", {**SEND, "audience": {"AND": []}}),
}
GROUP = {
    "list catalogs": "catalogs",
    "create catalog": "catalogs",
    "delete catalog": "catalogs",
    "put item": "catalogs.items",
    "get item": "catalogs.items",
    "delete item": "catalogs.items",
    "put items": "catalogs.items.bulk",
    "delete items": "catalogs.items.bulk",
    "campaign send": "messages.send",
    "canvas send": "messages.send",
    "campaign broadcast": "messages.broadcast",
    "canvas broadcast": "messages.broadcast",
    "campaign audience": "messages.broadcast",
}


def new_fake(clock: FixedClock, **rate_limits: RateLimit) -> FakeBraze:
    fake = FakeBraze(clock=clock, catalogs=(CatalogConfig("products", {"Name": "string"}),), rate_limits=rate_limits)
    fake.call("/users/track", {"attributes": [{"external_id": "u1"}]}, api_key="k")
    fake.call(ITEM, {"items": [{"Name": "Shoe"}]}, method="PUT", api_key="k")
    fake.limiter.reset()  # the set-up is not counted
    return fake


def call(fake: FakeBraze, name: str) -> Any:
    method, path, body = CALLS[name]
    return fake.call(path, body, method=method, api_key="k")


def test_the_documented_numbers() -> None:
    assert RATE_LIMITS["catalogs"] == RateLimit(50, 60)
    assert RATE_LIMITS["catalogs.items"] == RateLimit(50, 60)
    assert RATE_LIMITS["catalogs.items.bulk"] == RateLimit(16_000, 60)
    assert RATE_LIMITS["messages.send"] == RateLimit(250_000, 3600)
    assert RATE_LIMITS["messages.broadcast"] == RateLimit(250, 60)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_answer_carries_its_groups_headers(clock: FixedClock, name: str) -> None:
    reply = call(new_fake(clock), name)
    assert 200 <= reply.status < 300, reply.body
    rule = RATE_LIMITS[GROUP[name]]
    assert (reply.headers["X-RateLimit-Limit"], reply.headers["X-RateLimit-Remaining"]) == (
        str(rule.limit),
        str(rule.limit - 1),
    )


@pytest.mark.parametrize(
    "group", ["catalogs", "catalogs.items", "catalogs.items.bulk", "messages.send", "messages.broadcast"]
)
def test_each_group_is_one_window_shared_by_its_endpoints_and_no_other(clock: FixedClock, group: str) -> None:
    mine = [n for n in sorted(CALLS) if GROUP[n] == group and n != "delete catalog"]
    fake = new_fake(clock, **{group: RateLimit(len(mine), 60)})
    assert all(call(fake, n).status != 429 for n in mine)  # (the item is gone once deleted: 404)
    refused = [call(fake, n) for n in mine]
    assert {r.status for r in refused} == {429}
    assert refused[0].body == {"message": "Over rate limit.", "errors": []}
    others = [n for n in sorted(CALLS) if GROUP[n] != group and n != "delete catalog"]
    assert all(call(fake, n).status != 429 for n in others)
    clock.advance(60)
    assert call(fake, mine[0]).status != 429


def test_a_broadcast_over_250_a_minute_is_refused_while_sends_to_recipients_go_on(clock: FixedClock) -> None:
    fake = new_fake(clock)
    codes = [call(fake, "campaign broadcast").status for _ in range(251)]
    assert codes.count(201) == 250 and codes[-1] == 429
    assert call(fake, "campaign send").status == 201
    assert len(fake.sends()) == 251


def test_single_item_writes_past_50_a_minute_get_429(clock: FixedClock) -> None:
    """Segment sends one request per event with batching off: the 51st in a minute is refused, as Braze would."""
    fake = new_fake(clock)
    codes = [call(fake, "put item").status for _ in range(51)]
    assert codes.count(200) == 50 and codes[-1] == 429
    assert call(fake, "put items").status == 202  # the asynchronous endpoints have their own 16,000


def test_a_body_the_fake_cannot_read_shows_the_send_window_uncounted(clock: FixedClock) -> None:
    fake = new_fake(clock)
    bad = fake.call("/campaigns/trigger/send", raw=b"{", api_key="k")
    assert bad.status == 400 and bad.headers["X-RateLimit-Limit"] == "250000"
    assert call(fake, "campaign send").headers["X-RateLimit-Remaining"] == "249999"
