"""`braze-harness serve` as a process (loopback, URL printed, clean stop) and `validate` as CI uses it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from harness.cli import main


def start_serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    process, url, _ = start_serve_with_banner(*args)
    return process, url


def start_serve_with_banner(*args: str) -> tuple[subprocess.Popen[str], str, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()  # type: ignore[union-attr]
    if "listening on http://127.0.0." not in line:
        process.kill()
        raise AssertionError(line + process.communicate()[1])
    return process, line.split("listening on ")[1].split()[0], line


def test_serve_binds_loopback_answers_and_stops_on_sigterm() -> None:
    process, url = start_serve("--api-key", "k1", "--instance", "EU-01")
    try:
        assert httpx.get(f"{url}/_harness/health").json()["instance"] == "EU-01"
        ok = httpx.post(
            f"{url}/users/track",
            headers={"Authorization": "Bearer k1"},
            json={"events": [{"external_id": "u1", "name": "E", "time": "2024-03-01T00:00:00Z"}]},
        )
        assert ok.status_code == 201 and ok.headers["x-ratelimit-limit"] == "3000"
        assert httpx.post(f"{url}/users/track", headers={"Authorization": "Bearer nope"}, json={}).status_code == 401
        assert httpx.get(f"{url}/_harness/users/u1").json()["custom_events"]["E"]["count"] == 1
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "fake Braze stopped" in out


def test_serve_rate_limit_flag() -> None:
    process, url = start_serve("--rate-limit", "1/60")
    try:
        body = {"events": [{"external_id": "u1", "name": "E", "time": "2024-03-01T00:00:00Z"}]}
        headers = {"Authorization": "Bearer k"}
        assert httpx.post(f"{url}/users/track", headers=headers, json=body).status_code == 201
        assert httpx.post(f"{url}/users/track", headers=headers, json=body).status_code == 429
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_serve_refuses_a_bad_rate_limit() -> None:
    result = CliRunner().invoke(main, ["serve", "--rate-limit", "fast"])
    assert result.exit_code == 2 and "3000/3" in result.output


def test_validate_reports_violations_and_fails(tmp_path: Path) -> None:
    good = {"events": [{"external_id": "u1", "name": "E", "time": "2024-03-01T00:00:00Z"}]}
    bad = {
        "purchases": [{"external_id": "u1", "product_id": "p", "price": 1, "currency": "EURO", "time": "2024-03-01"}]
    }
    event = {"type": "track", "event": "Signed Up", "userId": "u1"}
    path = tmp_path / "payloads.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in (good, bad, event)))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "FAIL" in result.output and "'currency' must be an ISO 4217 currency" in result.output
    assert f"ok   {path}:1 (braze/users-track.request)" in result.output
    assert f"ok   {path}:3 (segment)" in result.output


def test_validate_passes_valid_files(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"type": "identify", "userId": "u1", "traits": {"plan": "pro"}}))
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0


def test_serve_security_journal_and_fault_flags() -> None:
    token, key = "tok-0123456789-secret", "rest-key-0123456789"
    process, url, banner = start_serve_with_banner(
        "--host", "127.0.0.2", "--api-key", key, "--control-token", token, "--journal-max-entries", "2",
        "--rate-limit", "cohorts=5/1h", "--fault", '{"kind": "status", "status": 503, "times": 1}',
    )  # fmt: skip
    try:
        body = {"events": [{"external_id": "u1", "name": "E", "time": "2024-03-01T00:00:00Z"}]}
        headers = {"Authorization": f"Bearer {key}"}
        codes = [httpx.post(f"{url}/users/track", headers=headers, json=body).status_code for _ in range(3)]
        assert codes == [503, 201, 201]
        assert httpx.get(f"{url}/_harness/health").status_code == 401
        journal = httpx.get(f"{url}/_harness/requests", headers={"X-Harness-Control-Token": token}).json()
        assert (journal["count"], journal["dropped"]) == (2, 1)
        cohorts = httpx.post(f"{url}/partners/segment/cohorts", json={}).headers["X-RateLimit-Limit"]
        assert cohorts == "5"
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert "warning: bound to 127.0.0.2" in err and "--control-token" not in err
    assert token not in banner + out + err and key not in banner + out + err
    assert "(token)" in banner


def test_serve_options_build_the_config() -> None:
    from harness.cli.serve import options_config, parse_byte_size

    config = options_config(journal_max_entries=50, journal_max_bytes="1M", control_token="t", control_plane=True)
    assert (config.journal_max_entries, config.journal_max_bytes, config.control_token) == (50, 1024**2, "t")
    assert options_config(control_plane=False).control_plane is False  # FakeBraze(control_plane=False): 404s
    assert parse_byte_size("64MB") == parse_byte_size("64m") == 64 * 1024**2 and parse_byte_size("512") == 512
    bad = CliRunner().invoke(main, ["serve", "--journal-max-bytes", "lots"])
    assert bad.exit_code == 2 and "512k" in bad.output
    bad = CliRunner().invoke(main, ["serve", "--fault", '{"kind": "boom"}'])
    assert bad.exit_code == 2 and "kind must be one of" in bad.output


def test_translate_says_which_input_it_expected() -> None:
    from harness.resources import fixtures_dir

    event = fixtures_dir() / "segment" / "dropped-traits.json"
    cases = fixtures_dir() / "golden" / "cases" / "identify.json"
    as_case = CliRunner().invoke(main, ["translate", str(event)])
    assert as_case.exit_code == 2 and "translate --event FILE" in as_case.output
    as_event = CliRunner().invoke(main, ["translate", "--event", str(cases)])
    assert as_event.exit_code == 2 and "this file is a case" in as_event.output
    ok = CliRunner().invoke(main, ["translate", "--event", str(event)])
    assert ok.exit_code == 0 and '"path":"/users/track"' in ok.output
