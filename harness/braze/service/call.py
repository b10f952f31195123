"""One endpoint as data (path, rate-limit group, contracts, service) and one request as a service sees it.

Each service module (`track`, `users`, `cohorts`, `catalogs`, `catalog_items`, `messaging`) declares its own
`ENDPOINTS`; `endpoints` puts them together. Services know nothing of HTTP: they get a `Call` and return an
`Outcome` or raise a `BrazeError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
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
    params: dict[str, str] = field(default_factory=dict)
    """The path's parameters (`/catalogs/{catalog_name}/items/{item_id}` -> catalog_name, item_id)."""

    @property
    def keyed_workspace(self) -> Workspace:
        """The workspace of a bearer-authenticated call (the pipeline found it before calling the service)."""
        if self.workspace is None:
            raise RuntimeError("a bearer-authenticated service was called without its workspace")
        return self.workspace


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str
    """Braze's path; `{name}` segments are parameters (`/catalogs/{catalog_name}/items`)."""
    group: str
    """The rate-limit group (`limits.RATE_LIMITS`)."""
    contract: str | None
    """The request body's contract; None: the endpoint reads no body (a GET)."""
    service: Callable[[Call], Outcome]
    auth: Literal["bearer", "body"] = "bearer"
    """`bearer`: REST API key header; `body`: the service authenticates from the body (partner keys)."""
    response_contract: str | None = None
    method: str = "POST"
    success: int = 201
    """The status of the endpoint's normal success (202 for Braze's asynchronous endpoints)."""
    error_contract: str = ERROR_CONTRACT
    body: Literal["required", "optional", "none"] = "required"
    """`optional`: an empty body is read as none (Braze documents none, clients may send one); `none`: any body
    is ignored (journaled as sent, never parsed)."""
    group_for: Callable[[Any], str] | None = None
    """The rate-limit group chosen from the parsed body, for endpoints whose limit depends on it (a triggered
    send to a segment counts against another limit than one to listed recipients); the body is then read
    before the limiter counts the request."""
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path.rstrip("/")))
        object.__setattr__(self, "_pattern", re.compile(f"{regex}/?"))

    @property
    def templated(self) -> bool:
        return "{" in self.path

    def match(self, path: str) -> dict[str, str] | None:
        """The path's parameters when `path` is this endpoint's (a trailing slash allowed), else None."""
        found = self._pattern.fullmatch(path)
        return found.groupdict() if found else None

    def contract_for(self, status: int) -> str | None:
        """The contract an answer with `status` meets: the endpoint's success body, Braze's maintenance
        202 `queued`, or the endpoint's fatal error shape."""
        if status == self.success:
            return self.response_contract
        if status == 202:
            return QUEUED_CONTRACT
        if 200 <= status < 300:
            return self.response_contract
        return self.error_contract


def strict(call: Call) -> None:
    """Endpoints without per-object errors refuse a body that breaks its contract as a whole."""
    if call.violations:
        raise ContractViolation(call.violations)
