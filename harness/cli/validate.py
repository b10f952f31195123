"""`braze-harness validate`: check payloads against the contracts, for CI contract checks.

Each input file holds one JSON value, a JSON array of payloads, or JSON Lines. A payload's contract
is guessed (a Segment event by its `type`; a Braze `/users/track` body by its arrays) unless
`--contract` names one. Exit status 1 when any payload breaks its contract.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import orjson

from harness.contracts import Violation, contract, contract_names
from harness.segment import validate_event

__all__ = ["validate"]

TRACK_KEYS = frozenset({"attributes", "events", "purchases"})


def payloads(path: Path) -> Iterator[tuple[str, Any]]:
    """(label, payload) for every payload in a file: a JSON value, a JSON array, or JSON Lines."""
    text = path.read_bytes()
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    yield f"{path}:{number}", orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    yield f"{path}:{number}", exc
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield f"{path}[{index}]", item
    else:
        yield str(path), value


def check(payload: Any, contract_name: str | None) -> tuple[str, list[Violation]]:
    if isinstance(payload, Exception):
        return "json", [Violation("$", f"not valid JSON: {payload}")]
    if contract_name:
        return contract_name, contract(contract_name).violations(payload)
    if isinstance(payload, dict) and TRACK_KEYS.intersection(payload) and "type" not in payload:
        return "braze/users-track.request", contract("braze/users-track.request").violations(payload)
    return "segment", validate_event(payload)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--contract", "contract_name", type=click.Choice(contract_names()), help="Check against this contract.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the payloads that fail.")
def validate(files: tuple[Path, ...], contract_name: str | None, quiet: bool) -> None:
    """Check Segment events or Braze request bodies against their JSON Schema contracts."""
    failed = total = 0
    for path in files:
        for label, payload in payloads(path):
            total += 1
            name, violations = check(payload, contract_name)
            if violations:
                failed += 1
                click.echo(f"FAIL {label} ({name})")
                for violation in violations:
                    click.echo(f"  {violation.path}: {violation.braze_message or violation.reason}")
            elif not quiet:
                click.echo(f"ok   {label} ({name})")
    click.echo(f"{total - failed} of {total} payloads valid", err=True)
    sys.exit(1 if failed else 0)
