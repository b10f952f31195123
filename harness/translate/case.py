"""The case format shared with the reference runner (DESIGN.md section 5), both ways.

A case is `{destination, action | preset, event | batch, settings?, mapping?, state?, responses?,
subscribe?, useDefaultMappings?, name?, segment_version?}`; its output is `{case, destination,
action, preset?, name?, subscribed, multistatus?, requests, state_set?, error}`, key for key what
`node ../shared/oracle/run.js` prints, so the two can be compared directly. `segment_version` is the
harness's own field (which release to reproduce); the reference runner takes the release from its
work directory.
"""

from __future__ import annotations

from typing import Any

from harness.js import MISSING, normalize_json_numbers
from harness.translate.engine import Outcome, run
from harness.translate.errors import CaseError

__all__ = ["outcome_to_json", "run_case"]


def outcome_to_json(outcome: Outcome, *, index: int = 0, name: Any = None) -> dict[str, Any]:
    """The reference runner's output object for one case."""
    if isinstance(outcome.error, CaseError):
        return {"case": index, "requests": [], "error": outcome.error.to_json()}
    out: dict[str, Any] = {"case": index, "destination": outcome.destination, "action": outcome.action}
    if outcome.preset:
        out["preset"] = outcome.preset
    if name:
        out["name"] = name
    out["subscribed"] = outcome.subscribed
    if outcome.multistatus is not None:
        out["multistatus"] = outcome.multistatus
    out["requests"] = [request.to_json() for request in outcome.requests]
    if outcome.state_set:
        out["state_set"] = outcome.state_set
    out["error"] = outcome.error.to_json() if outcome.error is not None else None
    return out


def run_case(case: dict[str, Any], index: int = 0) -> dict[str, Any]:
    """Run one case and return the output object the reference runner would print for it.

    Numbers are read the way `JSON.parse` reads them (integers past 2**53 lose precision).
    """
    if type(case) is not dict:
        error = CaseError(f"a case is a JSON object (destination, action or preset, event or batch), not {case!r}")
        return {"case": index, "requests": [], "error": error.to_json()}
    case = normalize_json_numbers(case)
    batch = case.get("batch")
    outcome = run(
        case.get("destination", ""),
        action=case.get("action"),
        preset=case.get("preset"),
        event=case.get("event", MISSING),
        batch=batch if isinstance(batch, list) else None,
        settings=case.get("settings"),
        mapping=case.get("mapping"),
        use_default_mappings=case.get("useDefaultMappings") is not False,
        state=case.get("state"),
        responses=case.get("responses") if isinstance(case.get("responses"), list) else None,
        subscribe=case.get("subscribe", MISSING),
        segment_version=case.get("segment_version"),
    )
    return outcome_to_json(outcome, index=index, name=case.get("name"))
