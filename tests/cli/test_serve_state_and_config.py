"""`serve --state FILE` keeps data across restarts, `--load` starts from a snapshot, `--config` is a TOML file."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
from click.testing import CliRunner

from harness.cli import main

from .test_serve_and_validate import start_serve, start_serve_with_banner

TRACK = {"attributes": [{"external_id": "u1", "plan": "pro"}]}
HEADERS = {"Authorization": "Bearer k"}


def _stop(process: object) -> None:
    process.send_signal(signal.SIGTERM)  # type: ignore[attr-defined]
    process.communicate(timeout=10)  # type: ignore[attr-defined]


def test_a_restarted_serve_with_the_same_state_file_finds_its_users(tmp_path: Path) -> None:
    state = tmp_path / "fake.db"
    process, url = start_serve("--state", str(state))
    try:
        assert httpx.post(f"{url}/users/track", headers=HEADERS, json=TRACK).status_code == 201
    finally:
        _stop(process)
    process, url = start_serve("--state", str(state))
    try:
        assert httpx.get(f"{url}/_harness/users/u1").json()["custom_attributes"] == {"plan": "pro"}
        assert [e["path"] for e in httpx.get(f"{url}/_harness/requests").json()["requests"]] == ["/users/track"]
    finally:
        _stop(process)


def test_load_starts_from_a_snapshot(tmp_path: Path) -> None:
    process, url = start_serve()
    try:
        httpx.post(f"{url}/users/track", headers=HEADERS, json=TRACK)
        snapshot = tmp_path / "snapshot.json"
        snapshot.write_text(httpx.get(f"{url}/_harness/state").text)
    finally:
        _stop(process)
    process, url = start_serve("--load", str(snapshot))
    try:
        assert httpx.get(f"{url}/_harness/users/u1").status_code == 200
    finally:
        _stop(process)


def test_a_foreign_state_file_stops_serve_with_one_line(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("my notes\n")
    result = CliRunner().invoke(main, ["serve", "--state", str(other), "--port", "0"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {other} is not a braze-harness state file (not SQLite); left untouched"
    ]
    assert other.read_text() == "my notes\n"


def test_config_gives_every_option_and_the_command_line_wins(tmp_path: Path) -> None:
    config = tmp_path / "serve.toml"
    config.write_text('instance = "EU-01"\napi-key = ["from-file"]\nrate_limit = ["users.track=5/1"]\n')
    process, url, banner = start_serve_with_banner("--config", str(config))
    try:
        assert "(EU-01)" in banner
        reply = httpx.post(f"{url}/users/track", headers={"Authorization": "Bearer from-file"}, json=TRACK)
        assert reply.status_code == 201 and reply.headers["x-ratelimit-limit"] == "5"
    finally:
        _stop(process)
    process, _, banner = start_serve_with_banner("--config", str(config), "--instance", "US-02")
    _stop(process)
    assert "(US-02)" in banner


def test_config_names_an_unknown_option(tmp_path: Path) -> None:
    config = tmp_path / "serve.toml"
    config.write_text('instanse = "EU-01"\n')
    result = CliRunner().invoke(main, ["serve", "--config", str(config)])
    assert result.exit_code == 2 and "unknown option 'instanse'" in result.output
