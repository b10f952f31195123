"""`braze-harness serve --partner-key ... --data-import-key ...` over real HTTP."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner

from harness.cli.serve import serve
from tests.braze.contract_check import assert_conforms

BODY = {"cohort_id": "aud_1", "name": "dormant_shopper", "created_at": "2024-03-01T12:00:00.000Z"}


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    command = [
        sys.executable,
        "-c",
        "from harness.cli import main; main()",
        "serve",
        "--port=0",
        "--partner-key=US=pk-us",
        "--partner-key=EU=pk-eu",
        "--data-import-key=dik",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        yield line.split("listening on ", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("host", "partner_key", "secret", "status", "message"),
    [
        ("rest.iad-01.braze.com", "pk-us", "dik", 201, "success"),
        ("rest.iad-01.braze.com", "pk-eu", "dik", 401, "Invalid Partner API key"),
        ("rest.fra-01.braze.eu", "pk-eu", "dik", 401, "Invalid client secret"),  # the workspace is on US-01
        ("127.0.0.1", "pk-us", "other", 401, "Invalid client secret"),
    ],
)
def test_serve_takes_partner_and_data_import_keys(
    server_url: str, host: str, partner_key: str, secret: str, status: int, message: str
) -> None:
    body = {**BODY, "partner_api_key": partner_key, "client_secret": secret}
    response = httpx.post(f"{server_url}/partners/segment/cohorts", json=body, headers={"Host": host})
    assert (response.status_code, response.json()["message"]) == (status, message)
    assert_conforms(None, "POST", "/partners/segment/cohorts", response.status_code, response.json())


def test_serve_refuses_an_empty_partner_key() -> None:
    result = CliRunner().invoke(serve, ["--partner-key", "EU="])
    assert result.exit_code == 2
    assert "--partner-key" in result.output and "empty" in result.output
