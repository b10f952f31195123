"""`serve` mounts the console (`--no-console`, `--no-control-plane` leave it out) and answers only its own
Host names on the control plane (`--allowed-host`)."""

from __future__ import annotations

import http.client
import signal
from urllib.parse import urlsplit

import httpx
import pytest

from harness.cli.serve import options_config

from .test_serve_and_validate import start_serve_with_banner


def host_status(url: str, path: str, host: str) -> int:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def stop(process: object) -> None:
    process.send_signal(signal.SIGTERM)  # type: ignore[attr-defined]
    process.communicate(timeout=10)  # type: ignore[attr-defined]


def test_serve_prints_and_serves_the_console() -> None:
    process, url, _ = start_serve_with_banner("--allowed-host", "fake-braze")
    try:
        console_line = process.stdout.readline()  # type: ignore[union-attr]
        assert console_line.strip() == f"console: {url}/_harness/ui/"
        assert "Live stream" in httpx.get(f"{url}/_harness/ui/").text
        assert host_status(url, "/_harness/ui/", "fake-braze:4567") == 200
        assert host_status(url, "/_harness/ui/", "rebound.example") == 403
    finally:
        stop(process)


@pytest.mark.parametrize("flag", ["--no-console", "--no-control-plane"])
def test_no_console_and_no_control_plane_leave_it_out(flag: str) -> None:
    process, url, _ = start_serve_with_banner(flag)
    try:
        assert httpx.get(f"{url}/_harness/ui/").status_code == 404
        expected = 200 if flag == "--no-console" else 404
        assert httpx.get(f"{url}/_harness/health").status_code == expected
    finally:
        stop(process)


def test_the_console_honours_the_control_token() -> None:
    process, url, _ = start_serve_with_banner("--control-token", "serve-t0ken-123456")
    try:
        assert "log in with the control token" in process.stdout.readline()  # type: ignore[union-attr]
        with httpx.Client() as http:
            assert http.get(f"{url}/_harness/ui/").status_code == 303
            assert (
                http.get(f"{url}/_harness/ui/", headers={"X-Harness-Control-Token": "serve-t0ken-123456"}).status_code
                == 200
            )
    finally:
        stop(process)


def test_allowed_hosts_reach_the_config() -> None:
    assert options_config(allowed_hosts=("Fake-Braze ", "")).allowed_hosts == ("fake-braze",)
