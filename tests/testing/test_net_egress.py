"""What counts as loopback, how allow-list entries read, and that odd input is read, never raised on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.testing.net.egress import AllowList, is_loopback, parse_host_port


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("LOCALHOST.", True),
        ("api.localhost", True),
        ("10.0.0.1", False),
        ("192.0.2.1", False),
        ("localhost.example.com", False),
        ("", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("entry", "parsed"),
    [
        ("Example.COM", ("example.com", None)),
        ("example.com:8080", ("example.com", 8080)),
        ("[::1]:8080", ("::1", 8080)),
        ("::1", ("::1", None)),
        ("https://user@example.com:8443/path?q", ("example.com", 8443)),
        ("http://example.com", ("example.com", None)),
        ("host:not-a-port", ("host:not-a-port", None)),
    ],
)
def test_allow_entries(entry: str, parsed: tuple[str, int | None]) -> None:
    assert parse_host_port(entry) == parsed


@given(entry=st.text(max_size=40))
def test_any_entry_is_read_without_raising(entry: str) -> None:
    allowed = AllowList([entry])
    host, port = parse_host_port(entry)
    assert allowed.allows(host, port) or not host.strip("[]").rstrip(".")
