"""One endpoint as data (path, rate-limit group, contracts, service) and one request as a service sees it.

Each service module (`track`, `users`, `cohorts`) declares its own `ENDPOINTS`; `endpoints` puts them
together. Services know nothing of HTTP: they get a `Call` and return an `Outcome` or raise a `BrazeError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from harness.braze.model.instances import Instance
from harness.braze.model.store import Store, Workspace
from harness.braze.service.errors import ContractViolation
from harness.braze.service.outcome import Outcome
from harness.contracts import Violation

__all__ = ["ERROR_CONTRACT", "QUEUED_CONTRACT", "Call", "Endpoint", "strict"]

ERROR_CONTRACT = "braze/error.response"
QUEUED_CONTRACT = "braze/queued.response"


@dataclass(slots=True)
class Call:
    """One request as a service sees it: already authenticated, parsed and contract-checked."""

    store: Store
    instance: Instance
    workspace: Workspace | None
    """The REST API key's workspace; None for endpoints that authenticate from the body."""
    body: Any
    violations: list[Violation]
    now: datetime

    @property
    def keyed_workspace(self) -> Workspace:
        """The workspace of a bearer-authenticated call (the pipeline found it before calling the service)."""
        if self.workspace is None:
            raise RuntimeError("a bearer-authenticated service was called without its workspace")
        return self.workspace


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str
    group: str
    """The rate-limit group (`limits.RATE_LIMITS`)."""
    contract: str
    service: Callable[[Call], Outcome]
    auth: Literal["bearer", "body"] = "bearer"
    """`bearer`: REST API key header; `body`: the service authenticates from the body (partner keys)."""
    response_contract: str | None = None

    def contract_for(self, status: int) -> str | None:
        """The contract an answer with `status` meets: the endpoint's success body, Braze's maintenance
        202 `queued`, or Braze's fatal error shape."""
        if status == 202:
            return QUEUED_CONTRACT
        if 200 <= status < 300:
            return self.response_contract
        return ERROR_CONTRACT


def strict(call: Call) -> None:
    """Endpoints without per-object errors refuse a body that breaks its contract as a whole."""
    if call.violations:
        raise ContractViolation(call.violations)
