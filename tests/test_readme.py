"""The README is the user's first screen: its examples must stay true."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.testing.test_plugin_pytester import README_EXAMPLE

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_the_pytest_example_is_the_one_the_plugin_tests_run() -> None:
    assert README_EXAMPLE.strip() in [block.strip() for block in python_blocks()]


def test_the_translate_example_prints_what_it_says() -> None:
    [block] = [b for b in python_blocks() if "from harness.translate import translate" in b]
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    request = namespace["result"].requests[0]
    assert repr(request.path) in block
    assert repr(request.body) in block
    assert namespace["result"].error is None


def test_ci_runs_the_readme_test_command() -> None:
    root = Path(__file__).resolve().parent.parent
    script = (root / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"<!-- test-command -->\n```sh\n(.*?)\n```", README, flags=re.S)
    assert command, "README.md lost its test command"
    extracted = subprocess.run(
        [
            "awk",
            "/<!-- test-command -->/{found=1; next} found && /^```sh/{inblock=1; next} inblock && /^```/{exit} "
            "inblock{print}",
            "README.md",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert extracted == command.group(1).strip()
    assert "README.md" in script and "test-command" in script


def replay_table() -> list[tuple[str, list[str]]]:
    """(diagnosis, argv) for every command of the README's replay table."""
    rows = re.findall(r"^\| `(\w+)`[^|]*\| (.*) \|$", README, flags=re.M)
    found = []
    for diagnosis, cell in rows:
        for command in re.findall(r"`([^`]+)`", cell):
            command = command if command.startswith("replay ") else f"replay {command}"
            command = command.replace("$F", "fixtures/segment").replace("$R", "fixtures/replay")
            found.append((diagnosis, command.split()))
    return found


def test_the_replay_table_lists_every_diagnosis_with_a_command_that_shows_it() -> None:
    import json

    from click.testing import CliRunner

    from harness.cli import main

    root = Path(__file__).resolve().parent.parent
    table = replay_table()
    assert len({d for d, _ in table}) >= 15
    for diagnosis, argv in table:
        argv = [str(root / a) if a.startswith("fixtures/") else a for a in argv]
        result = CliRunner().invoke(main, [*argv, "--json"])
        codes = {
            d["code"]
            for line in result.output.splitlines()
            if line.startswith("{")
            for d in json.loads(line)["diagnoses"]
        }
        assert diagnosis in codes, (argv, result.output[-600:])
