"""Fake Braze: REST endpoints with Braze's rules, contracts, profiles and cohorts.

Layers, each importing only those below it: `model` (state only) <- `service` (Braze's rules, the
pipeline, `limits.py`) <- `backend.Backend` (state, `call()` and read-back, no Flask) <- `http` (Flask
routes, direct WSGI path, control plane, live server) <- `fake.FakeBraze` (the facade: a Backend with
its app). Everything other packages (testing, replay, cli) use of the fake is exported here; they import
nothing deeper, so the inside can be arranged freely.
"""

from harness.braze.backend import Backend, StateError
from harness.braze.fake import FakeBraze, create_app
from harness.braze.http.direct import DirectHttp, direct_http
from harness.braze.http.guard import (
    CONTROL_PREFIX,
    CONTROL_TOKEN_HEADER,
    SECURE_HEADERS,
    bind_hosts,
    protect,
    refusal,
    secure_headers,
    sent_token,
    session_value,
    token_matches,
)
from harness.braze.http.server import STOPPING, TRANSPORT_MAX_BODY, LiveServer
from harness.braze.model.catalogs import Catalog, CatalogConfig, CatalogField
from harness.braze.model.cohorts import CohortInfo, Members
from harness.braze.model.config import DEFAULT_WORKSPACE, FakeBrazeConfig, RateLimit, WorkspaceConfig, parse_rate_limit
from harness.braze.model.faults import Fault
from harness.braze.model.instances import INSTANCES, Instance, instance_for_host, instance_named
from harness.braze.model.journal import Journal, JournalEntry
from harness.braze.model.messaging import Delivery, TriggerConfig, TriggeredSend
from harness.braze.model.notes import Code, Note
from harness.braze.model.profiles import EventStats, Profile, export_time
from harness.braze.model.redaction import redact, redact_body
from harness.braze.model.store import Identifier, Workspace
from harness.braze.service.faults import FAULT_HEADER, ConnectionDropped, Faults, RequestTimedOut, parse_fault_header
from harness.braze.service.limits import RATE_LIMITS
from harness.braze.service.partner_auth import parse_partner_keys
from harness.braze.service.rules import IDENTIFIER_KEYS, STANDARD_KEYS, identifier_of
from harness.braze.service.seed import SeedError
from harness.braze.service.segments import Context, Predicate, SegmentDefinitionError, compile_definition
from harness.braze.statefile import StateFile, StateFileError

__all__ = [
    "CONTROL_PREFIX",
    "CONTROL_TOKEN_HEADER",
    "DEFAULT_WORKSPACE",
    "FAULT_HEADER",
    "IDENTIFIER_KEYS",
    "INSTANCES",
    "RATE_LIMITS",
    "SECURE_HEADERS",
    "STANDARD_KEYS",
    "STOPPING",
    "TRANSPORT_MAX_BODY",
    "Backend",
    "Catalog",
    "CatalogConfig",
    "CatalogField",
    "Code",
    "CohortInfo",
    "ConnectionDropped",
    "Context",
    "Delivery",
    "DirectHttp",
    "EventStats",
    "FakeBraze",
    "FakeBrazeConfig",
    "Fault",
    "Faults",
    "Identifier",
    "Instance",
    "Journal",
    "JournalEntry",
    "LiveServer",
    "Members",
    "Note",
    "Predicate",
    "Profile",
    "RateLimit",
    "RequestTimedOut",
    "SeedError",
    "SegmentDefinitionError",
    "StateError",
    "StateFile",
    "StateFileError",
    "TriggerConfig",
    "TriggeredSend",
    "Workspace",
    "WorkspaceConfig",
    "bind_hosts",
    "compile_definition",
    "create_app",
    "direct_http",
    "export_time",
    "identifier_of",
    "instance_for_host",
    "instance_named",
    "parse_fault_header",
    "parse_partner_keys",
    "parse_rate_limit",
    "protect",
    "redact",
    "redact_body",
    "refusal",
    "secure_headers",
    "sent_token",
    "session_value",
    "token_matches",
]
