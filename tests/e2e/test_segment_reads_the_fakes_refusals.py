"""Segment's code reads the fake's error answers the way it reads Braze's: status and message per event.

Segment's `handleBrazeAPIResponse` files each `errors[]` item under `errors[i].index`; an item without an
index makes it throw a TypeError. So every whole-request refusal of the fake must carry `errors: []`, and
the batch's multistatus must then show Braze's status and message for every event.
"""

from __future__ import annotations

import pytest

from harness.braze import FakeBraze, FakeBrazeConfig, Fault, RateLimit
from harness.translate import translate

EVENTS = [
    {
        "type": "track",
        "event": name,
        "userId": f"u{n}",
        "properties": {},
        "messageId": f"m{n}",
        "timestamp": "2024-03-01T12:00:00.000Z",
        "receivedAt": "2024-03-01T12:00:01.000Z",
    }
    for n, name in enumerate(["Played", "Paused"])
]


def refusal(kind: str) -> tuple[int, dict]:
    body = translate(EVENTS, action="trackEvent").requests[0].body
    if kind == "unknown key":
        reply = FakeBraze(api_keys=("right",)).call("/users/track", body, api_key="wrong")
    elif kind == "rate limit":
        fake = FakeBraze(FakeBrazeConfig(rate_limits={"users.track": RateLimit(1, 60)}))
        fake.call("/users/track", body, api_key="k")
        reply = fake.call("/users/track", body, api_key="k")
    elif kind in ("fault 503", "fault 429"):
        fake = FakeBraze(faults=(Fault.error(int(kind[-3:])),))
        reply = fake.call("/users/track", body, api_key="k")
    elif kind == "too many objects":
        reply = FakeBraze().call("/users/track", {"events": body["events"] * 40}, api_key="k")
    else:
        reply = FakeBraze().call("/users/trak", body, api_key="k")
    return reply.status, reply.body


@pytest.mark.parametrize(
    "kind", ["unknown key", "rate limit", "too many objects", "unknown path", "fault 503", "fault 429"]
)
def test_segment_reports_the_fakes_refusal_for_every_event(kind: str) -> None:
    status, body = refusal(kind)
    assert status >= 400 and body["errors"] == []
    result = translate(EVENTS, action="trackEvent", responses=[{"status": status, "body": body}])
    assert result.error is None
    assert [(s["status"], s["errormessage"]) for s in result.multistatus] == [(status, body["message"])] * 2
