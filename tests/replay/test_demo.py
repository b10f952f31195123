"""`braze-harness demo`: the story in about twenty lines, exit status 0, from the packaged fixtures."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from harness.cli import main
from harness.replay.demo import demo_events


def test_demo_tells_the_story_and_exits_0() -> None:
    result = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert 15 <= len(lines) <= 26
    out = result.stdout
    assert "attributes plan='pro', email='ada@example.com', first_name='Ada'" in out
    assert 'custom event "Article Viewed" (count 1)' in out and 'custom event "Article Viewed" (count 2)' in out
    assert 'ecommerce event "ecommerce.order_placed" (count 1)' in out
    assert "attributes first_time_shopper=true" in out
    assert 'custom event "Audience Entered" (count 1)' in out
    assert 'cohort "first_time_shopper": member' in out
    assert "✗ no_identifier" in out and "✗ invalid_currency" in out and "· device_mode" in out
    assert "Braze segment 'First-time shoppers (cohort)': user-ada" in out
    assert "10 events: 7 delivered, 2 would fail in production (#8, #9), 1 not sent" in out


def test_demo_data_ships_in_the_wheel() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped["fixtures"] == "harness/_data/fixtures"
    path = demo_events()
    assert path.is_file() and path.parent.name == "segment" and path.parents[1].name == "fixtures"
