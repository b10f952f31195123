"""`braze-harness translate`: print what Segment would send to Braze for a case or a bare event.

    braze-harness translate CASE.json            # one case object -> one JSON object
    braze-harness translate CASES.json           # a JSON array of cases -> JSON Lines, in order
    braze-harness translate --event EVENT.json   # a bare event (or an array = a batch)
        [--destination braze|braze-cohorts] [--action SLUG | --preset NAME] [--segment-version V]
        [--settings FILE] [--mapping FILE] [--state FILE] [--responses FILE]

A case is one JSON object: `destination` (`braze` | `braze-cohorts`), `action` (a slug such as
`updateUserProfile`) or `preset` (e.g. `Identify Calls`), `event` (one Segment event) or `batch` (a list),
and optional `settings`, `mapping` (merged over the action's defaults, mapping-kit syntax) and `state`
(cohorts: the saved `cohort_name`); `fixtures/golden/cases/*.json` hold hundreds of them.

Output is the reference runner's output object, serialized the way `JSON.stringify` does it.
Use `-` for standard input. Every output is printed; then the exit status is 1 when any output has an
`error` (Segment's code raised it, or the case cannot run and the error says why), 0 otherwise, and 2
for a usage error (unreadable JSON, an event where a case is expected).
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import click

from harness.js import js_json_dumps, normalize_json_numbers
from harness.translate.api import translate as translate_event
from harness.translate.case import run_case

__all__ = ["translate"]


def _load(handle: TextIO) -> Any:
    def reject(constant: str) -> Any:
        raise click.BadParameter(f"{constant} is not valid JSON")

    try:
        return normalize_json_numbers(json.load(handle, parse_constant=reject))
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"{getattr(handle, 'name', 'input')}: invalid JSON ({error})") from None


def _load_optional(handle: TextIO | None) -> Any:
    return None if handle is None else _load(handle)


def _refuse_bare_events(cases: Any) -> None:
    """A Segment event given where a case is expected: say so instead of failing the case obscurely."""
    first = cases[0] if isinstance(cases, list) and cases else cases
    if isinstance(first, dict) and "destination" not in first and "type" in first:
        raise click.UsageError(
            "this file holds a Segment event, not a case: run `braze-harness translate --event FILE` "
            "(a case has 'destination', 'action' or 'preset', and 'event' or 'batch')"
        )


EXIT_ERROR = 1


def _emit(obj: dict[str, Any], out: TextIO) -> bool:
    """Print one output object; True when it holds an error."""
    text = js_json_dumps(obj)
    out.write(text if isinstance(text, str) else "null")
    out.write("\n")
    return obj.get("error") is not None


@click.command(
    name="translate",
    epilog="Exit status: 0 when no output has an `error`; 1 when any output has one (Segment's code raised "
    "it, or the case cannot run); 2 for usage errors. Per-event failures inside a batch's `multistatus` "
    "are not errors: Segment delivers the batch.",
)
@click.argument("case_file", type=click.File("r", encoding="utf-8"), required=False)
@click.option("--event", "event_file", type=click.File("r", encoding="utf-8"), help="A Segment event (or array).")
@click.option(
    "--destination",
    type=click.Choice(["braze", "braze-cohorts"]),
    default="braze",
    show_default=True,
    help="Destination for --event.",
)
@click.option(
    "--segment-version",
    default=None,
    help="The @segment/action-destinations release to reproduce: 3.497.0 (default) or 3.387.0. "
    "For case files, a case's own `segment_version` wins.",
)
@click.option("--action", help="Action slug (default: the preset / default subscription the event matches).")
@click.option("--preset", help="A shipped preset name, e.g. 'Order Placed (beta)'.")
@click.option("--settings", "settings_file", type=click.File("r", encoding="utf-8"), help="Settings JSON.")
@click.option("--mapping", "mapping_file", type=click.File("r", encoding="utf-8"), help="Mapping overrides JSON.")
@click.option("--state", "state_file", type=click.File("r", encoding="utf-8"), help="Saved cohort state JSON.")
@click.option(
    "--responses",
    "responses_file",
    type=click.File("r", encoding="utf-8"),
    help="Scripted Braze replies JSON.",
)
def translate(
    case_file: TextIO | None,
    event_file: TextIO | None,
    destination: str,
    segment_version: str | None,
    action: str | None,
    preset: str | None,
    settings_file: TextIO | None,
    mapping_file: TextIO | None,
    state_file: TextIO | None,
    responses_file: TextIO | None,
) -> None:
    """Print the requests Segment's Braze destinations would send (case file or bare event)."""
    out = sys.stdout
    if (case_file is None) == (event_file is None):
        raise click.UsageError("give either CASE.json or --event EVENT.json")
    if case_file is not None:
        cases = _load(case_file)
        _refuse_bare_events(cases)
        failed = False
        for index, case in enumerate(cases if isinstance(cases, list) else [cases]):
            if segment_version is not None and isinstance(case, dict):
                case = {"segment_version": segment_version, **case}
            failed = _emit(run_case(case, index), out) or failed
        if failed:
            sys.exit(EXIT_ERROR)
        return
    assert event_file is not None
    event = _load(event_file)
    first = event[0] if isinstance(event, list) and event else event
    if isinstance(first, dict) and "destination" in first and ("event" in first or "batch" in first):
        raise click.UsageError("this file is a case (it has 'destination'): run `braze-harness translate FILE`")
    result = translate_event(
        event,
        destination=destination,
        action=action,
        preset=preset,
        settings=_load_optional(settings_file),
        mapping=_load_optional(mapping_file),
        state=_load_optional(state_file),
        responses=_load_optional(responses_file),
        segment_version=segment_version,
    )
    if _emit(result.to_json(), out):
        sys.exit(EXIT_ERROR)
