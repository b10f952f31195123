"""Fake Braze: REST endpoints with Braze's rules, contracts, profiles and cohorts.

Everything other packages (testing, replay, cli) use of the fake is exported here; they import
nothing deeper, so the package's inside can be arranged freely.
"""

from harness.braze.app import create_app
from harness.braze.cohort_store import CohortInfo, Members, cohort_book
from harness.braze.config import DEFAULT_WORKSPACE, FakeBrazeConfig, RateLimit, WorkspaceConfig, parse_rate_limit
from harness.braze.fake import FakeBraze
from harness.braze.faults import (
    FAULT_HEADER,
    ConnectionDropped,
    Fault,
    Faults,
    RequestTimedOut,
    parse_fault_header,
)
from harness.braze.instances import INSTANCES, Instance, instance_for_host, instance_named
from harness.braze.journal import Journal, JournalEntry
from harness.braze.partner_auth import parse_partner_keys
from harness.braze.profiles import EventStats, Profile, export_time
from harness.braze.redaction import redact, redact_body
from harness.braze.rules import IDENTIFIER_KEYS, STANDARD_KEYS, identifier_of
from harness.braze.seed import SeedError
from harness.braze.segments import Context, Predicate, SegmentDefinitionError, compile_definition
from harness.braze.server import LiveServer
from harness.braze.store import Identifier, Workspace

__all__ = [
    "DEFAULT_WORKSPACE",
    "FAULT_HEADER",
    "IDENTIFIER_KEYS",
    "INSTANCES",
    "STANDARD_KEYS",
    "CohortInfo",
    "ConnectionDropped",
    "Context",
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
    "Predicate",
    "Profile",
    "RateLimit",
    "RequestTimedOut",
    "SeedError",
    "SegmentDefinitionError",
    "Workspace",
    "WorkspaceConfig",
    "cohort_book",
    "compile_definition",
    "create_app",
    "export_time",
    "identifier_of",
    "instance_for_host",
    "instance_named",
    "parse_fault_header",
    "parse_partner_keys",
    "parse_rate_limit",
    "redact",
    "redact_body",
]
