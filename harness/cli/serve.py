"""`braze-harness serve`: the fake Braze over HTTP, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import signal
import sys
from types import FrameType

import click

from harness.braze.config import FakeBrazeConfig, parse_rate_limit
from harness.braze.fake import FakeBraze
from harness.braze.instances import INSTANCES
from harness.braze.partner_auth import parse_partner_keys
from harness.braze.server import LiveServer

__all__ = ["serve"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback by default).")
@click.option("--port", default=4567, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--api-key", "api_keys", multiple=True, help="Accept only these REST API keys (repeatable).")
@click.option(
    "--instance",
    default="US-01",
    show_default=True,
    type=click.Choice([i.name for i in INSTANCES], case_sensitive=False),
    help="Instance a request belongs to when its Host is not a Braze REST host.",
)
@click.option(
    "--rate-limit",
    default="3000/3",
    show_default=True,
    help="/users/track limit as REQUESTS/SECONDS, or 'off' for load tests (turns every limit off).",
)
@click.option(
    "--limits",
    "track_limits",
    default="legacy-75",
    show_default=True,
    type=click.Choice(["legacy-75", "combined-75", "combined-50"]),
    help="Objects allowed per /users/track request.",
)
@click.option(
    "--partner-key",
    "partner_keys",
    multiple=True,
    help="Cohort partner API key (repeatable): US=KEY, EU=KEY, or a bare KEY for both regions. Default: any.",
)
@click.option(
    "--data-import-key",
    default=None,
    help="The default workspace's data import key (cohort client_secret). Default: any non-empty value.",
)
@click.option("--threads", default=8, show_default=True, type=int, help="waitress worker threads.")
def serve(
    host: str,
    port: int,
    api_keys: tuple[str, ...],
    instance: str,
    rate_limit: str,
    track_limits: str,
    partner_keys: tuple[str, ...],
    data_import_key: str | None,
    threads: int,
) -> None:
    """Serve a fake Braze over HTTP until Ctrl-C or SIGTERM."""
    try:
        limit = parse_rate_limit(rate_limit)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--rate-limit") from None
    try:
        partners = parse_partner_keys(partner_keys)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--partner-key") from None
    config = FakeBrazeConfig(
        instance=instance.upper(),
        api_keys=api_keys,
        track_limits=track_limits,  # type: ignore[arg-type]
        partner_keys=partners,
        data_import_keys=(data_import_key,) if data_import_key else (),
    )
    if limit is None:
        config.rate_limits = {}
    else:
        config.rate_limits["users.track"] = limit
    server = LiveServer(FakeBraze(config), host=host, port=port, threads=threads)
    if host not in LOOPBACK:
        click.echo(f"warning: bound to {host}, reachable from other machines; the fake has no real security", err=True)
    click.echo(
        f"fake Braze ({config.instance}) listening on {server.url}  (control plane: {server.url}/_harness/health)"
    )
    sys.stdout.flush()

    def stop(signum: int, frame: FrameType | None) -> None:
        server.stop()  # the serving loop sees the flag within 50 ms and closes its sockets

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        click.echo("fake Braze stopped")
