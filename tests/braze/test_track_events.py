"""Custom events and purchases: summaries on the profile and Braze's object rules."""

from __future__ import annotations

from datetime import date

import pytest

from harness.braze import FakeBraze

from .support import Client, event, purchase


def test_events_keep_count_first_and_last(client: Client, fake: FakeBraze) -> None:
    client.track(
        events=[
            event(time="2024-03-02T00:00:00Z"),
            event(time="2024-03-01T08:00:00Z"),
            event(time="2024-03-05T09:30:00.123Z"),
        ]
    )
    stats = fake.user("u1").custom_events["Played"]
    assert stats.count == 3
    assert stats.first.isoformat() == "2024-03-01T08:00:00+00:00"
    assert stats.last.isoformat() == "2024-03-05T09:30:00.123000+00:00"
    assert stats.count_since(date(2024, 3, 2)) == 2
    exported = fake.user("u1").export()["custom_events"]
    assert exported == [
        {"name": "Played", "first": "2024-03-01T08:00:00.000Z", "last": "2024-03-05T09:30:00.123Z", "count": 3}
    ]


def test_duplicate_events_are_separate_events(client: Client, fake: FakeBraze) -> None:
    client.track(events=[event(), event()])
    assert fake.user("u1").custom_events["Played"].count == 2


def test_future_times_become_now(client: Client, fake: FakeBraze) -> None:
    client.track(events=[event(time="2030-01-01T00:00:00Z")])
    assert fake.user("u1").custom_events["Played"].last.isoformat() == "2024-03-10T12:00:00+00:00"


@pytest.mark.parametrize(
    "time", ["2024-03-01T12:34:56:789Z", "2024-03-01", "2024-03-01 10:00:00", "2024-03-01T10:00+02:00"]
)
def test_braze_time_formats_are_read(client: Client, time: str) -> None:
    assert client.track(events=[event(time=time)]).body == {"message": "success", "events_processed": 1}


@pytest.mark.parametrize("time", ["yesterday", "2024-13-45T00:00:00Z", 1709251200])
def test_unreadable_time_rejects_the_event(client: Client, time: object) -> None:
    reply = client.track(events=[event(time=time)])
    assert reply.status == 400 and reply.body["errors"][0]["type"] == "'time' is not valid"


@pytest.mark.parametrize("properties", [{"$price": 1}, {"time": "x"}, {"event_name": "x"}, {"": 1}, {"s": "x" * 256}])
def test_property_name_and_value_rules(client: Client, properties: dict) -> None:
    reply = client.track(events=[event(properties=properties)])
    assert reply.body["errors"][0]["type"] == "'properties' is not valid"


def test_property_payload_over_100kb_is_refused(client: Client) -> None:
    big = {"items": ["x" * 200] * 600}
    reply = client.track(events=[event(properties=big)])
    assert "limit is 100 KB" in reply.body["errors"][0]["type"]


def test_missing_name_is_reported_in_brazes_words(client: Client) -> None:
    reply = client.track(events=[{"external_id": "u1", "time": "2024-03-01T00:00:00Z"}])
    assert reply.body["errors"][0]["type"] == "'name' is required"


# -- purchases -------------------------------------------------------------------------------------
def test_quantity_counts_as_separate_purchases_and_revenue(client: Client, fake: FakeBraze) -> None:
    client.track(purchases=[purchase(quantity=3, price=2.5), purchase(product_id="sku-2", price=10)])
    user = fake.user("u1")
    assert user.purchases["sku-1"].count == 3 and user.purchases["sku-2"].count == 1
    assert user.export()["total_revenue"] == 17.5


@pytest.mark.parametrize("quantity", [0, 101, 1.5])
def test_quantity_must_be_1_to_100(client: Client, quantity: object) -> None:
    reply = client.track(purchases=[purchase(quantity=quantity)])
    assert reply.body["errors"][0]["type"] == "'quantity' is not valid"


@pytest.mark.parametrize("currency", ["usd", "EURO", "XXX1", ""])
def test_currency_must_be_iso_4217(client: Client, currency: str) -> None:
    reply = client.track(purchases=[purchase(currency=currency)])
    assert reply.body["errors"] == [
        {"type": "'currency' must be an ISO 4217 currency", "input_array": "purchases", "index": 0}
    ]


# -- recommended eCommerce events -----------------------------------------------------------------
ORDER = {
    "order_id": "o-1",
    "total_value": 30,
    "currency": "USD",
    "source": "web",
    "products": [{"product_id": "p-1", "product_name": "Sock", "variant_id": "v-1", "quantity": 2, "price": 10}],
}


def test_a_valid_order_placed_is_recorded(client: Client, fake: FakeBraze) -> None:
    reply = client.track(events=[event(name="ecommerce.order_placed", properties=ORDER)])
    assert reply.body == {"message": "success", "events_processed": 1}
    assert fake.user("u1").custom_events["ecommerce.order_placed"].count == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": None}, "The property '#/' did not contain a required property of 'source'"),
        ({"currency": "DOLLARS"}, "'currency' must be an ISO 4217 currency"),
        (
            {"coupon": "X"},
            "The property '#/' contains additional properties [\"coupon\"] outside of the schema when none are allowed",
        ),
        (
            {"products": [{**ORDER["products"][0], "price": "10"}]},
            "The property '#/products/0/price' of type string did not match the following type: number",
        ),
    ],
)
def test_order_placed_problems_in_brazes_words(client: Client, change: dict, message: str) -> None:
    properties = {k: v for k, v in {**ORDER, **change}.items() if v is not None}
    reply = client.track(events=[event(name="ecommerce.order_placed", properties=properties)])
    assert reply.status == 400
    assert reply.body["errors"] == [{"type": message, "input_array": "events", "index": 0}]
