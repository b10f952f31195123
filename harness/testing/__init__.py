"""Test-side tools: the pytest plugin, in-process routing, a live server, Hypothesis strategies.

Names are exported lazily (PEP 562): the pytest plugin imports this package at every pytest start,
and the fake (Flask, jsonschema, ...) should only load when a test uses it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.testing.calls import Requests
    from harness.testing.factory import FakeBrazeFactory
    from harness.testing.live import SessionServer
    from harness.testing.mock import BrazeMock, BrazeServer
    from harness.testing.net.routes import Route, RouteTable
    from harness.testing.net.session import NetworkSession
    from harness.testing.routing import Blocked, BrazeRouting, EgressBlocked
    from harness.testing.segment_factory import FakeSegmentFactory
    from harness.testing.segment_mock import SegmentMock
    from harness.testing.views import UnknownUser, UserView

__all__ = [
    "Blocked",
    "BrazeMock",
    "BrazeRouting",
    "BrazeServer",
    "EgressBlocked",
    "FakeBrazeFactory",
    "FakeSegmentFactory",
    "NetworkSession",
    "Requests",
    "Route",
    "RouteTable",
    "SegmentMock",
    "SessionServer",
    "UnknownUser",
    "UserView",
]

_HOMES = {
    "Blocked": "routing",
    "BrazeMock": "mock",
    "BrazeServer": "mock",
    "BrazeRouting": "routing",
    "EgressBlocked": "routing",
    "FakeBrazeFactory": "factory",
    "FakeSegmentFactory": "segment_factory",
    "NetworkSession": "net.session",
    "Route": "net.routes",
    "RouteTable": "net.routes",
    "Requests": "calls",
    "SegmentMock": "segment_mock",
    "SessionServer": "live",
    "UnknownUser": "views",
    "UserView": "views",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"harness.testing.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'harness.testing' has no attribute {name!r}")
