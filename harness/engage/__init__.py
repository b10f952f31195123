"""Engage simulator: audiences and computed traits computed from a Segment event stream.

Define what to compute (`Audience` with a `Condition`, `ComputedTrait` with a `Computation`, or a
JSON file through `load_definitions`), run `simulate` / `EngageSimulator` over identify and track
events, and get back the Segment events Engage would send to a Braze destination. `engage` imports
only `harness.segment`.
"""

from __future__ import annotations

from harness.engage.clock import SimulatedClock, parse_duration
from harness.engage.computations import (
    Aggregation,
    Computation,
    EventCounter,
    FirstValue,
    LastValue,
    MostFrequent,
    UniqueList,
    UniqueListCount,
    computation_from_json,
)
from harness.engage.conditions import (
    And,
    Condition,
    Not,
    Or,
    Performed,
    TraitContains,
    TraitEquals,
    TraitExists,
    condition_from_json,
)
from harness.engage.definitions import BRAZE_CLOUD, Audience, ComputedTrait, Definition, Destination
from harness.engage.emit import Identity
from harness.engage.identity import DEFAULT_LIMITS, IdentityGraph
from harness.engage.loading import DefinitionError, EngageSpace, load_definitions
from harness.engage.profiles import PerformedEvent, Profile, ProfileView
from harness.engage.simulator import DEFAULT_SYNC_INTERVAL, EngageSimulator, simulate

__all__ = [
    "BRAZE_CLOUD",
    "DEFAULT_LIMITS",
    "DEFAULT_SYNC_INTERVAL",
    "Aggregation",
    "And",
    "Audience",
    "Computation",
    "ComputedTrait",
    "Condition",
    "Definition",
    "DefinitionError",
    "Destination",
    "EngageSimulator",
    "EngageSpace",
    "EventCounter",
    "FirstValue",
    "Identity",
    "IdentityGraph",
    "LastValue",
    "MostFrequent",
    "Not",
    "Or",
    "Performed",
    "PerformedEvent",
    "Profile",
    "ProfileView",
    "SimulatedClock",
    "TraitContains",
    "TraitEquals",
    "TraitExists",
    "UniqueList",
    "UniqueListCount",
    "computation_from_json",
    "condition_from_json",
    "load_definitions",
    "parse_duration",
    "simulate",
]
