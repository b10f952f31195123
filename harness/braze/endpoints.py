"""The REST endpoints the fake serves, as data: path, rate-limit group, contract, service.

Routes stay thin (parse → rules → store → response); each service below knows nothing of HTTP.
Other surfaces (the partner cohort endpoints) add their own `Endpoint`s to `ENDPOINTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from harness.braze.errors import ContractViolation
from harness.braze.instances import Instance
from harness.braze.responses import Outcome
from harness.braze.store import Workspace
from harness.braze.track import users_track
from harness.braze.users import users_alias_new, users_delete, users_export_ids, users_identify
from harness.contracts import Violation

if TYPE_CHECKING:
    from harness.braze.fake import FakeBraze

__all__ = ["ENDPOINTS", "ERROR_CONTRACT", "QUEUED_CONTRACT", "Call", "Endpoint"]

ERROR_CONTRACT = "braze/error.response"
QUEUED_CONTRACT = "braze/queued.response"


@dataclass(slots=True)
class Call:
    """One request as a service sees it: already authenticated, parsed and contract-checked."""

    fake: FakeBraze
    instance: Instance
    workspace: Workspace | None
    body: Any
    violations: list[Violation]
    now: datetime


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str
    group: str
    contract: str
    service: Callable[[Call], Outcome]
    auth: str = "bearer"
    """`bearer`: REST API key header; `body`: the service authenticates from the body (partner keys)."""
    object_errors: bool = False
    """True when the service turns per-object contract violations into Braze's minor errors."""
    response_contract: str | None = None

    def contract_for(self, status: int) -> str | None:
        """The contract an answer with `status` meets: the endpoint's success body, Braze's maintenance
        202 `queued`, or Braze's fatal error shape."""
        if status == 202:
            return QUEUED_CONTRACT
        if 200 <= status < 300:
            return self.response_contract
        return ERROR_CONTRACT


def _strict(call: Call) -> None:
    if call.violations:
        raise ContractViolation(call.violations)


def _track(call: Call) -> Outcome:
    assert call.workspace is not None
    return users_track(call.fake.store, call.workspace, call.body, call.violations, call.now)


def _export(call: Call) -> Outcome:
    _strict(call)
    assert call.workspace is not None
    return users_export_ids(call.fake.store, call.workspace, call.body)


def _identify(call: Call) -> Outcome:
    _strict(call)
    assert call.workspace is not None
    return users_identify(call.fake.store, call.workspace, call.body, call.now)


def _alias_new(call: Call) -> Outcome:
    _strict(call)
    assert call.workspace is not None
    return users_alias_new(call.fake.store, call.workspace, call.body, call.now)


def _delete(call: Call) -> Outcome:
    _strict(call)
    assert call.workspace is not None
    return users_delete(call.fake.store, call.workspace, call.body)


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "/users/track",
        "users.track",
        "braze/users-track.request",
        _track,
        object_errors=True,
        response_contract="braze/users-track.response",
    ),
    Endpoint(
        "/users/export/ids",
        "default",
        "braze/users-export-ids.request",
        _export,
        response_contract="braze/users-export-ids.response",
    ),
    Endpoint(
        "/users/identify",
        "default",
        "braze/users-identify.request",
        _identify,
        response_contract="braze/users-aliases.response",
    ),
    Endpoint(
        "/users/alias/new",
        "default",
        "braze/users-alias-new.request",
        _alias_new,
        response_contract="braze/users-aliases.response",
    ),
    Endpoint(
        "/users/delete",
        "default",
        "braze/users-delete.request",
        _delete,
        response_contract="braze/users-delete.response",
    ),
]

# Other surfaces append their endpoints to ENDPOINTS when imported (after ENDPOINTS exists).
from harness.braze import cohorts as _cohorts  # noqa: E402, F401
