"""What a fixture checks once the test passed: refusals nobody expected, and (strict) bad requests."""

from __future__ import annotations

from harness.braze import FakeBraze
from harness.testing.assertions import render
from harness.testing.net.session import NetworkSession

__all__ = ["blocked_problems", "strict_problems"]

_INJECTED = ("status", "drop", "timeout")
"""Faults a test asked for: their 5xx is not the fake failing."""


def blocked_problems(session: NetworkSession) -> list[str]:
    """Refusals the test did not expect (a client swallowed or wrapped the `EgressBlocked`)."""
    missed = session.unacknowledged()
    if not missed:
        return []
    hosts = sorted({b.host for b in missed})
    lines = [
        f"braze-harness blocked connection(s) to {', '.join(hosts)} during this test "
        "(the client may have swallowed or wrapped the error):"
    ]
    lines += [f"  {b}" for b in missed]
    lines.append(
        f"Allow them with @pytest.mark.braze(allow_hosts={hosts!r}), mock them (respx, responses, requests-mock), "
        "or, if the test expects the refusal, wrap the call in `with fake_braze.expect_blocked(...)`."
    )
    return lines


def strict_problems(fake: FakeBraze) -> list[str]:
    bad = [
        e
        for e in fake.journal.entries()
        if e.violations or (e.status >= 500 and not (e.fault and e.fault.get("kind") in _INJECTED))
    ]
    if not bad:
        return []
    return [f"strict: {len(bad)} request(s) broke their contract or got a 5xx:", *(render(e) for e in bad[:10])]
