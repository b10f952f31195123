"""Braze instances (data centers) and their REST hosts, from Braze's and Segment's endpoint lists.

Sources: braze-docs `_includes/data_centers.md` and Segment's Braze endpoint choices
(../shared/reference/braze-api.md section 5). A request's instance is taken from its Host, as real
Braze routes by host; a REST API key belongs to one instance and is refused (401) on another.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["INSTANCES", "Instance", "instance_for_host", "instance_named"]


@dataclass(frozen=True, slots=True)
class Instance:
    name: str
    rest_hosts: tuple[str, ...]

    @property
    def region(self) -> str:
        """`EU` or `US`: the partner API key family (Braze gives one key for US clusters, one for EU)."""
        return "EU" if self.name.startswith("EU") else "US"

    @property
    def rest_url(self) -> str:
        return f"https://{self.rest_hosts[0]}"


def _us(n: int) -> Instance:
    hosts = [f"rest.iad-{n:02d}.braze.com"]
    if n >= 9:  # US-09 and US-10 use the us-NN form; older docs listed rest.iad-10 too.
        hosts.insert(0, f"rest.us-{n:02d}.braze.com")
    return Instance(f"US-{n:02d}", tuple(hosts))


INSTANCES: tuple[Instance, ...] = (
    *(_us(n) for n in range(1, 11)),
    Instance("EU-01", ("rest.fra-01.braze.eu",)),
    Instance("EU-02", ("rest.fra-02.braze.eu",)),
    Instance("AU-01", ("rest.au-01.braze.com",)),
    Instance("ID-01", ("rest.id-01.braze.com",)),
    Instance("JP-01", ("rest.jp-01.braze.com",)),
    Instance("KR-01", ("rest.kr-01.braze.com",)),
)

_BY_NAME = {instance.name: instance for instance in INSTANCES}
_BY_HOST = {host: instance for instance in INSTANCES for host in instance.rest_hosts}


def instance_named(name: str) -> Instance:
    """The instance called `name` (`US-01`, `eu-01`, ...); KeyError listing the known names."""
    try:
        return _BY_NAME[name.upper()]
    except KeyError:
        raise KeyError(f"unknown Braze instance {name!r}; known: {', '.join(_BY_NAME)}") from None


def instance_for_host(host: str | None) -> Instance | None:
    """The instance a REST host belongs to (port ignored), or None for a non-Braze host."""
    if not host:
        return None
    return _BY_HOST.get(host.split(":", 1)[0].lower())
