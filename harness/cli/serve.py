"""`braze-harness serve`: the fake Braze and the fake Segment over HTTP, on one port, 127.0.0.1 unless told otherwise.

The fake Segment (Segment's Tracking API at `/v1/*`, its debugger at `/_harness/segment/`) plays the
workspace of `--workspace FILE` (default: any write key; Braze Cloud Mode with the presets and Braze
Cohorts, both delivering into this process's fake Braze) and is put in front of the fake Braze's app by
path (`harness.workspace.by_prefix`); Braze's endpoints, its direct WSGI path and control plane are untouched.

Options map one to one onto `FakeBrazeConfig` (`options_config` builds it, testable without a socket).
Security: loopback by default with a warning otherwise; the control plane can be left out or guarded by
a token (from `--control-token` or the environment, so it stays out of `ps`); credentials never reach
the output (the journal redacts them; the token is never echoed). The console (`/_harness/ui/`) is
part of the control plane: `--no-console` leaves it out, and the control plane's guard (Host names,
cross-origin requests, framing) covers it; `--allowed-host` adds names it answers to.
"""

from __future__ import annotations

import re
import signal
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from types import FrameType
from wsgiref.types import WSGIApplication

import click
import orjson

from harness.braze import (
    INSTANCES,
    RATE_LIMITS,
    FakeBraze,
    FakeBrazeConfig,
    Fault,
    LiveServer,
    RateLimit,
    StateError,
    StateFile,
    StateFileError,
    direct_http,
    parse_partner_keys,
    parse_rate_limit,
)
from harness.console import PREFIX as CONSOLE_PREFIX
from harness.console import mount
from harness.replay.workspace import delivery_explainer
from harness.workspace import FakeSegment, WorkspaceError, by_prefix, default_workspace, load_workspace, segment_app

__all__ = ["RATE_LIMIT_GROUPS", "Served", "options_config", "parse_byte_size", "parse_rate_limits", "serve", "served"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")
RATE_LIMIT_GROUPS = tuple(RATE_LIMITS)
CONTROL_TOKEN_ENV = "BRAZE_HARNESS_CONTROL_TOKEN"
_SIZE = re.compile(r"\s*(\d+)\s*([kmg]?)i?b?\s*", re.IGNORECASE)


def parse_rate_limits(values: Iterable[str]) -> dict[str, RateLimit | None] | None:
    """`--rate-limit` values -> changes to Braze's limits; `off` alone turns every limit off (returns None).

    `3000/3` is the /users/track limit (a bare spec, as before); `cohorts=100/1m`, `default=off` set a group.
    """
    changes: dict[str, RateLimit | None] = {}
    for value in values:
        group, sep, spec = value.partition("=")
        if not sep:
            if value.strip().lower() == "off":
                return None
            group, spec = "users.track", value
        group = group.strip()
        if group not in RATE_LIMIT_GROUPS:
            raise ValueError(f"unknown rate limit group {group!r}; groups: {', '.join(RATE_LIMIT_GROUPS)}")
        changes[group] = parse_rate_limit(spec)
    return changes


def parse_byte_size(text: str) -> int:
    """`67108864`, `64M`, `64MB`, `512k` -> bytes."""
    match = _SIZE.fullmatch(text)
    if not match:
        raise ValueError(f"a size looks like 67108864, 512k or 64M, not {text!r}")
    return int(match.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]


def options_config(
    *,
    api_keys: tuple[str, ...] = (),
    instance: str = "US-01",
    rate_limits: tuple[str, ...] = (),
    track_limits: str = "legacy-75",
    partner_keys: tuple[str, ...] = (),
    data_import_key: str | None = None,
    journal_max_entries: int | None = None,
    journal_max_bytes: str | None = None,
    control_plane: bool = True,
    control_token: str | None = None,
    faults: tuple[str, ...] = (),
    allowed_hosts: tuple[str, ...] = (),
) -> FakeBrazeConfig:
    """The configuration `serve` runs with; a `click.BadParameter` names the option that is wrong."""
    try:
        limits = parse_rate_limits(rate_limits)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--rate-limit") from None
    try:
        partners = parse_partner_keys(partner_keys)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--partner-key") from None
    try:
        armed = tuple(Fault.from_json(orjson.loads(spec)) for spec in faults)
    except ValueError as exc:  # orjson.JSONDecodeError included
        example = '{"kind": "drop"}'
        raise click.BadParameter(f"{exc} (a fault is JSON like '{example}')", param_hint="--fault") from None
    journal: dict[str, int] = {}
    if journal_max_entries is not None:
        journal["journal_max_entries"] = journal_max_entries
    if journal_max_bytes is not None:
        try:
            journal["journal_max_bytes"] = parse_byte_size(journal_max_bytes)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--journal-max-bytes") from None
    config = FakeBrazeConfig(
        instance=instance.upper(),
        api_keys=api_keys,
        track_limits=track_limits,  # type: ignore[arg-type]
        partner_keys=partners,
        data_import_keys=(data_import_key,) if data_import_key else (),
        control_plane=control_plane,
        control_token=control_token or None,
        faults=armed,
        allowed_hosts=tuple(h.strip().lower() for h in allowed_hosts if h.strip()),
    ).with_changes(**journal)
    if limits is None:
        config.rate_limited = False
    else:
        config.rate_limits.update(limits)
    return config


@dataclass(frozen=True, slots=True)
class Served:
    """What the live server serves: the fake Braze's configuration (body limits) and both fakes' app."""

    config: FakeBrazeConfig
    app: WSGIApplication


def served(fake: FakeBraze, segment: FakeSegment) -> Served:
    """The fake Segment in front of the fake Braze, on one app (Segment's paths by prefix)."""
    config = fake.config
    front = segment_app(segment, control_plane=config.control_plane, control_token=config.control_token)
    return Served(config, by_prefix(front, fake.app))


def _config_file(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """`--config FILE` (TOML): every other option by its name, as the defaults the command line overrides."""
    if value is None:
        return
    try:
        with open(value, "rb") as handle:
            settings = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise click.BadParameter(f"cannot read {value}: {exc}", param_hint="--config") from None
    by_name: dict[str, click.Option] = {}
    for param in ctx.command.params:
        if isinstance(param, click.Option) and param.name and param.name != "config":
            by_name[param.name] = param
            for flag in param.opts:
                by_name[flag.lstrip("-").replace("-", "_")] = param
    defaults: dict[str, object] = {}
    for key, setting in settings.items():
        found = by_name.get(key.replace("-", "_"))
        if found is None or found.name is None:
            known = ", ".join(sorted({o.opts[0].lstrip("-") for o in by_name.values()}))
            raise click.BadParameter(f"{value}: unknown option {key!r}; known: {known}", param_hint="--config")
        if found.multiple:
            setting = list(setting) if isinstance(setting, list) else [setting]
        defaults[found.name] = setting
    ctx.default_map = {**(ctx.default_map or {}), **defaults}


@click.command()
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    is_eager=True,
    expose_value=False,
    callback=_config_file,
    help='A TOML file of these options (api-key = ["k"], port = 4567, ...); the command line overrides it.',
)
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
    "rate_limits",
    multiple=True,
    metavar="[GROUP=]REQUESTS/SECONDS|off",
    help="Rate limit of a group (users.track, cohorts, default), repeatable: 3000/3 (users.track), "
    "cohorts=250000/1h, default=off. 'off' alone turns every limit off (load tests). Default: Braze's.",
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
@click.option("--journal-max-entries", type=click.IntRange(min=0), default=None, help="Journal cap in entries [10000].")
@click.option("--journal-max-bytes", default=None, metavar="SIZE", help="Journal cap in bytes: 67108864, 64M [64M].")
@click.option(
    "--control-plane/--no-control-plane",
    default=True,
    show_default=True,
    help="Serve /_harness/ (health, reset, journal, state, faults).",
)
@click.option(
    "--control-token",
    envvar=CONTROL_TOKEN_ENV,
    default=None,
    help=f"Require this token on /_harness/ (X-Harness-Control-Token or Bearer). Env: {CONTROL_TOKEN_ENV}.",
)
@click.option(
    "--console/--no-console",
    default=True,
    show_default=True,
    help="Serve the web console at /_harness/ui/ (part of the control plane, guarded by its token).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Another Host name /_harness/ answers to (repeatable; '*' for any). Default: loopback names, "
    "Braze's REST hosts and the bound address; other names get 403 (DNS rebinding).",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="JSON",
    help='Arm a fault from the start (repeatable), e.g. \'{"kind": "status", "status": 503, "probability": 0.1}\'.',
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Keep profiles, workspaces, cohorts, keys, segments and the journal in this SQLite file across restarts.",
)
@click.option(
    "--load",
    "load_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Start from a snapshot (GET /_harness/state, FakeBraze.save) instead of an empty fake.",
)
@click.option(
    "--workspace",
    "workspace_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="The Segment workspace the fake Segment plays (contracts/segment/workspace.json). Default: any write "
    "key, Braze Cloud Mode (Actions) with the presets and Braze Cohorts, delivering into this fake Braze.",
)
@click.option("--threads", default=8, show_default=True, type=int, help="waitress worker threads.")
def serve(
    host: str,
    port: int,
    api_keys: tuple[str, ...],
    instance: str,
    rate_limits: tuple[str, ...],
    track_limits: str,
    partner_keys: tuple[str, ...],
    data_import_key: str | None,
    journal_max_entries: int | None,
    journal_max_bytes: str | None,
    control_plane: bool,
    control_token: str | None,
    console: bool,
    allowed_hosts: tuple[str, ...],
    faults: tuple[str, ...],
    state_file: str | None,
    load_file: str | None,
    workspace_file: str | None,
    threads: int,
) -> None:
    """Serve a fake Braze, and a fake Segment delivering into it, over HTTP until Ctrl-C or SIGTERM."""
    config = options_config(
        api_keys=api_keys,
        instance=instance,
        rate_limits=rate_limits,
        track_limits=track_limits,
        partner_keys=partner_keys,
        data_import_key=data_import_key,
        journal_max_entries=journal_max_entries,
        journal_max_bytes=journal_max_bytes,
        control_plane=control_plane,
        control_token=control_token,
        faults=faults,
        allowed_hosts=allowed_hosts,
    )
    try:
        workspace = load_workspace(workspace_file) if workspace_file else default_workspace()
    except WorkspaceError as exc:
        raise click.BadParameter(str(exc), param_hint="--workspace") from None
    fake = FakeBraze(config)
    if console:
        mount(fake.app, fake, max_streams=max(1, threads // 4))
    kept = _keep_state(fake, state_file, load_file)
    segment = FakeSegment(
        fake,
        workspace,
        journal_max_entries=config.journal_max_entries,
        journal_max_bytes=config.journal_max_bytes,
        max_events=max(config.journal_max_entries, 1),
    )
    segment.diagnose = delivery_explainer(segment)
    direct = direct_http(fake.app)  # the fake Segment in front: say when the fake Braze has no fault armed
    inline = direct.quick if direct is not None else None
    server = LiveServer(served(fake, segment), host=host, port=port, threads=threads, inline=inline)
    if host not in LOOPBACK:
        click.echo(f"warning: bound to {host}, reachable from other machines; the fake has no real security", err=True)
        if control_plane and not control_token:
            click.echo(
                "warning: its control plane (/_harness/: reset, state, faults) is open to them too; "
                "use --control-token or --no-control-plane",
                err=True,
            )
    control = "off" if not control_plane else f"{server.url}/_harness/health" + (" (token)" if control_token else "")
    click.echo(f"fake Braze ({config.instance}) listening on {server.url}  (control plane: {control})")
    if control_plane and console:
        login = "  (log in with the control token)" if control_token else ""
        click.echo(f"console: {server.url}{CONSOLE_PREFIX}/{login}")
    if host in ("0.0.0.0", "::") and control_plane and "*" not in config.allowed_hosts:
        click.echo(
            "note: /_harness/ answers loopback names and --allowed-host names only; other Host headers get 403",
            err=True,
        )
    keys = ", ".join(s.write_key for s in workspace.sources) or "any"
    debugger = f"debugger: {server.url}/_harness/segment/events" if control_plane else "debugger: off"
    click.echo(f"fake Segment ({workspace.name}) Tracking API on {server.url}/v1  (write keys: {keys}; {debugger})")
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
        if kept is not None:
            kept.close()
        click.echo("fake Braze stopped")


def _keep_state(fake: FakeBraze, state_file: str | None, load_file: str | None) -> StateFile | None:
    """Load `--load`, then open `--state` (which takes over: its contents win when it holds any)."""
    try:
        if load_file is not None:
            fake.load(load_file)
        if state_file is None:
            return None
        kept = StateFile(state_file, fake)
        if load_file is not None and kept.holds_state():
            raise click.UsageError(f"--load {load_file} and --state {state_file}: the state file already holds a state")
        return kept.start(load=load_file is None)
    except (StateError, StateFileError) as exc:
        raise click.ClickException(str(exc).splitlines()[0]) from None
