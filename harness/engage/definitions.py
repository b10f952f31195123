"""Audience and computed-trait definitions, with the destination connection settings Engage keeps.

A definition says what to compute (a condition or a computation), how (real-time or batch), for
whom (identified profiles, or anonymous ones too) and how to send it (identify, track or both, with
the event names of the connection's "Connection settings" panel).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from harness.engage.computations import Computation
from harness.engage.conditions import Condition
from harness.engage.ids import computation_id

__all__ = ["BRAZE_CLOUD", "Audience", "ComputedTrait", "Definition", "Destination"]

BRAZE_CLOUD = "Braze Cloud Mode (Actions)"
ComputeMode = Literal["realtime", "batch"]


@dataclass(frozen=True, slots=True)
class Destination:
    """One Engage → destination connection and its settings.

    `name` is the key Engage puts in `integrations` (`{"All": false, name: true}`). The toggles and
    event names are the "Connection settings" of an audience or trait connected to Braze: Send
    Identify, Send Track, Enter Event (default "Audience Entered"), Exit Event ("Audience Exited"),
    Compute Event ("Trait Computed") (segment-docs `src/connections/destinations/catalog/braze/`
    screenshots and `index.md`: "You can choose which method to use (or choose both)"). That Send
    Identify is on and Send Track off by default is this harness's choice; the docs show no default.
    """

    name: str = BRAZE_CLOUD
    send_identify: bool = True
    send_track: bool = False
    enter_event: str = "Audience Entered"
    exit_event: str = "Audience Exited"
    compute_event: str = "Trait Computed"

    def __post_init__(self) -> None:
        if not (self.send_identify or self.send_track):
            raise ValueError("a destination connection must send identify, track, or both")

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "send_identify": self.send_identify,
            "send_track": self.send_track,
            "enter_event": self.enter_event,
            "exit_event": self.exit_event,
            "compute_event": self.compute_event,
        }


@dataclass(frozen=True, slots=True)
class Audience:
    """An audience: profiles for which `condition` holds. Sent as `{key: true|false}`.

    Real-time unless a condition has a time window: "some conditions require batch computation"
    (segment-docs `src/engage/audiences/index.md`); time-windowed audiences are "processed on
    chronological schedules… once every eight hours" (`src/engage/product-limits.md`). `compute`
    may force batch; forcing real-time on a windowed audience is refused, as in Engage.
    """

    key: str
    condition: Condition
    name: str | None = None
    id: str | None = None
    compute: ComputeMode | None = None
    include_anonymous_users: bool = False
    destinations: tuple[Destination, ...] = field(default=(Destination(),))

    computation_class = "audience"

    def __post_init__(self) -> None:
        _check_common(self.key, self.compute, self.condition.windowed, self.destinations)

    @property
    def realtime(self) -> bool:
        return self.compute != "batch" and not self.condition.windowed

    @property
    def computation_id(self) -> str:
        return self.id or computation_id("audience", self.key)

    def to_json(self) -> dict[str, Any]:
        return _common_json(self, "audience", {"condition": self.condition.to_json()})


@dataclass(frozen=True, slots=True)
class ComputedTrait:
    """A computed trait: a value per profile from `computation`. Sent as `{key: value}`.

    "Computed traits that use sliding windows are created as batch-based computations and do not
    receive real-time updates" (segment-docs `src/unify/Traits/computed-traits.md`).
    """

    key: str
    computation: Computation
    name: str | None = None
    id: str | None = None
    compute: ComputeMode | None = None
    include_anonymous_users: bool = False
    destinations: tuple[Destination, ...] = field(default=(Destination(),))

    computation_class = "trait"

    def __post_init__(self) -> None:
        _check_common(self.key, self.compute, self.computation.windowed, self.destinations)

    @property
    def realtime(self) -> bool:
        return self.compute != "batch" and not self.computation.windowed

    @property
    def computation_id(self) -> str:
        return self.id or computation_id("trait", self.key)

    def to_json(self) -> dict[str, Any]:
        return _common_json(self, "computed_trait", {"computation": self.computation.to_json()})


Definition = Audience | ComputedTrait


def _check_common(key: str, compute: ComputeMode | None, windowed: bool, destinations: tuple[Destination, ...]) -> None:
    if not key:
        raise ValueError("a definition needs a key")
    if compute not in (None, "realtime", "batch"):
        raise ValueError(f"compute must be 'realtime' or 'batch', not {compute!r}")
    if compute == "realtime" and windowed:
        raise ValueError(f"{key!r} has a time window, so Engage computes it in batch; it cannot be realtime")
    if not destinations:
        raise ValueError(f"{key!r} is connected to no destination")


def _common_json(definition: Audience | ComputedTrait, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": kind, "key": definition.key, **body}
    if definition.name is not None:
        out["name"] = definition.name
    if definition.id is not None:
        out["id"] = definition.id
    if definition.compute is not None:
        out["compute"] = definition.compute
    if definition.include_anonymous_users:
        out["include_anonymous_users"] = True
    out["destinations"] = [d.to_json() for d in definition.destinations]
    return out
