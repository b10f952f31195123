"""Fake Braze: REST endpoints with Braze's rules, contracts, profiles and cohorts."""

from harness.braze.app import create_app
from harness.braze.cohort_store import CohortInfo, Members
from harness.braze.config import FakeBrazeConfig, RateLimit, WorkspaceConfig, parse_rate_limit
from harness.braze.fake import FakeBraze
from harness.braze.faults import ConnectionDropped, Fault, Faults, RequestTimedOut
from harness.braze.instances import INSTANCES, Instance, instance_for_host, instance_named
from harness.braze.profiles import EventStats, Profile
from harness.braze.seed import SeedError
from harness.braze.segments import SegmentDefinitionError
from harness.braze.server import LiveServer
from harness.braze.store import Identifier

__all__ = [
    "INSTANCES",
    "CohortInfo",
    "ConnectionDropped",
    "EventStats",
    "FakeBraze",
    "FakeBrazeConfig",
    "Fault",
    "Faults",
    "Identifier",
    "Instance",
    "LiveServer",
    "Members",
    "Profile",
    "RateLimit",
    "RequestTimedOut",
    "SeedError",
    "SegmentDefinitionError",
    "WorkspaceConfig",
    "create_app",
    "instance_for_host",
    "instance_named",
    "parse_rate_limit",
]
