"""`Backend`: one fake Braze without HTTP — its runtime (state, journal, limits, faults), a way in, and read-back.

Everything a Python caller needs lives here: `call(...)` runs a request through the same pipeline as
HTTP does (contracts, rules, state, journal) with no Flask app and no socket, which is what replay, the
benchmarks and the in-process routing use; the rest reads state back (profiles, cohorts, segment
filters, data import keys). The `FakeBraze` facade adds the Flask app on top.

```python
fake.cohorts()                                   # [CohortInfo(cohort_id, name, created_at, members)]
fake.in_cohort("user-1", "dormant_shopper")      # by cohort name, as Braze's "Segment Cohorts" filter
fake.segment_members({"custom_attribute": "dormant_shopper", "op": "equals", "value": True})
fake.save_segment("dormant", definition); fake.segment_members("dormant")
fake.regenerate_data_import_key(); fake.invalidate_data_import_key()
fake.declare_catalog("products", {"Name": "string", "Price": "number"}); fake.catalog_items("products")
fake.sends(campaign_id="camp-1")[0].external_ids   # who a triggered send reached
```
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

import orjson

from harness.braze.model.catalogs import Catalog, CatalogConfig
from harness.braze.model.cohorts import CohortInfo, Members, cohort_info, members_of
from harness.braze.model.config import DEFAULT_WORKSPACE, FakeBrazeConfig
from harness.braze.model.journal import Journal, JournalEntry
from harness.braze.model.messaging import TriggeredSend
from harness.braze.model.profiles import Profile, export_time
from harness.braze.model.snapshot import dump_store, load_workspaces
from harness.braze.model.store import Identifier, Store, Workspace
from harness.braze.service.catalog_rules import declared_problems
from harness.braze.service.catalogs import declare_catalog
from harness.braze.service.endpoints import resolve
from harness.braze.service.errors import CatalogRequestError, MethodNotAllowed
from harness.braze.service.faults import ConnectionDropped, Faults, RequestTimedOut
from harness.braze.service.partner_auth import invalidate_data_import_key, regenerate_data_import_key
from harness.braze.service.pipeline import RawRequest, Reply, process, refuse
from harness.braze.service.ratelimit import RateLimiter
from harness.braze.service.runtime import Runtime
from harness.braze.service.seed import seed_profiles
from harness.braze.service.segments import compile_definition, matching
from harness.clock import Clock
from harness.contracts import Violation, contract

__all__ = ["STATE_CONTRACT", "Backend", "StateError"]

STATE_CONTRACT = "braze/harness-state"


class StateError(ValueError):
    """A snapshot that cannot be loaded: every problem as a `Violation` (path + reason)."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("not a state snapshot: " + "; ".join(map(str, violations[:10])))


class Backend:
    """A fake Braze's state and rules. `Backend(api_keys=("k",), instance="EU-01")` overrides config fields."""

    def __init__(self, config: FakeBrazeConfig | None = None, **overrides: Any) -> None:
        if config is None:
            config = FakeBrazeConfig(**overrides)
        elif overrides:
            config = config.with_changes(**overrides)
        _check_declared(config)
        self.config = config
        self.runtime = Runtime.of(config)

    # -- the runtime's parts, by name --------------------------------------------------------------
    @property
    def store(self) -> Store:
        return self.runtime.store

    @property
    def journal(self) -> Journal:
        return self.runtime.journal

    @property
    def limiter(self) -> RateLimiter:
        return self.runtime.limiter

    @property
    def faults(self) -> Faults:
        return self.runtime.faults

    @property
    def clock(self) -> Clock:
        return self.config.clock

    def reset(self) -> None:
        """Forget all state and the journal; faults go back to the configured ones (configuration stays)."""
        self.runtime.reset()

    def seed(self, export_response: Any, workspace: str = DEFAULT_WORKSPACE) -> list[Profile]:
        """Create (or update) profiles from a saved `/users/export/ids` response; see `service.seed`."""
        return seed_profiles(self.store, self.store.workspace(workspace), export_response, self.clock.now())

    # -- a way in without HTTP ---------------------------------------------------------------------
    def call(
        self,
        path: str,
        body: Any = None,
        *,
        api_key: str | None = None,
        method: str = "POST",
        host: str = "localhost",
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
        content_type: str | None = "application/json",
        query_string: str = "",
    ) -> Reply:
        """One request straight into the pipeline, no HTTP: same rules, answers and journal as over HTTP.

        `body` is sent as JSON (or `raw` as is); `api_key` becomes `Authorization: Bearer <key>`.
        A drop or timeout fault raises `ConnectionDropped` / `RequestTimedOut` (there is no answer).
        """
        sent = dict(headers or {})
        if api_key is not None:
            sent["Authorization"] = f"Bearer {api_key}"
        payload = raw if raw is not None else orjson.dumps(body)
        query = _query(query_string)
        request = RawRequest(method.upper(), path, host, sent, payload, content_type, query, query_string)
        reply = self.dispatch(request)
        if reply.fault == "drop":
            raise ConnectionDropped(f"fake Braze dropped the connection (fault) on {request.method} {path}")
        if reply.fault == "timeout":
            raise RequestTimedOut(f"fake Braze never answered (fault) {request.method} {path}")
        return reply

    def dispatch(self, request: RawRequest) -> Reply:
        """The answer to one request for a Braze path (unknown paths and other methods are refused)."""
        found = resolve(request.method, request.path)
        if isinstance(found, list):
            if not found:
                return refuse(self.runtime, request)
            allowed = ", ".join(sorted(e.method for e in found))
            detail = f"{request.method} is not allowed on {request.path} (allowed: {allowed})"
            return refuse(self.runtime, request, MethodNotAllowed(detail=detail))
        endpoint, params = found
        return process(self.runtime, endpoint, request, {k: unquote(v) for k, v in params.items()})

    # -- profiles ------------------------------------------------------------------------------------
    def workspace(self, name: str = DEFAULT_WORKSPACE) -> Workspace:
        return self.store.workspace(name)

    def user(self, external_id: str, workspace: str = DEFAULT_WORKSPACE) -> Profile | None:
        """The profile with this external_id, or None."""
        with self.store.lock:
            return self.store.workspace(workspace).find(Identifier("external_id", external_id))

    def find(self, ident: Identifier, workspace: str = DEFAULT_WORKSPACE) -> Profile | None:
        with self.store.lock:
            return self.store.workspace(workspace).find(ident)

    @property
    def requests(self) -> list[JournalEntry]:
        """The journal, oldest first."""
        return self.journal.entries()

    def profile_state(self, profile: Profile) -> dict[str, Any]:
        """A profile as stored (every field), for the control plane and reports."""
        with self.store.lock:
            return {
                **profile.export(),
                "standard": dict(profile.standard),
                "custom_events": _summaries(profile.custom_events),
                "purchases": _summaries(profile.purchases),
                "device_ids": list(profile.device_ids),
                "subscription_groups": dict(profile.subscription_groups),
                "updated_at": export_time(profile.updated_at),
            }

    def state(self) -> dict[str, Any]:
        """Everything the fake holds, exactly (`model.snapshot`; contract `braze/harness-state`): load it
        back with `load_state`, or save it to a file with `save`."""
        with self.store.lock:
            return dump_store(self.store, self.config.instance)

    def load_state(self, snapshot: Any) -> None:
        """Replace every workspace and profile with a snapshot's (`state()`'s output); StateError, and
        nothing changed, when it is not one."""
        violations = (
            contract(STATE_CONTRACT).violations(snapshot) if not contract(STATE_CONTRACT).is_valid(snapshot) else []
        )
        if violations:
            raise StateError(violations)
        try:
            workspaces, next_id = load_workspaces(snapshot)
        except (ValueError, KeyError, TypeError) as exc:
            raise StateError([Violation("$", f"not a state snapshot: {exc}")]) from None
        self.store.replace(workspaces, next_id)

    def save(self, path: str | Path) -> Path:
        """Write `state()` to a JSON file (atomically: a temporary file renamed over the target)."""
        target = Path(path)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(orjson.dumps(self.state(), option=orjson.OPT_INDENT_2))
        temporary.replace(target)
        return target

    def load(self, path: str | Path) -> Backend:
        """Load a file written by `save` (or `GET /_harness/state`); returns this fake."""
        try:
            snapshot = orjson.loads(Path(path).read_bytes())
        except orjson.JSONDecodeError as exc:
            raise StateError([Violation("$", f"{path} is not JSON: {exc}")]) from None
        self.load_state(snapshot)
        return self

    # -- catalogs ----------------------------------------------------------------------------------
    def catalogs(self, workspace: str = DEFAULT_WORKSPACE) -> list[Catalog]:
        """Every catalog of the workspace, oldest first (copies: changing them changes nothing)."""
        with self.store.lock:
            return [copy.deepcopy(c) for c in self.store.workspace(workspace).catalogs.values()]

    def catalog(self, name: str, workspace: str = DEFAULT_WORKSPACE) -> Catalog | None:
        """One catalog (a copy), or None."""
        with self.store.lock:
            found = self.store.workspace(workspace).catalogs.get(name)
            return copy.deepcopy(found) if found is not None else None

    def catalog_items(self, name: str, workspace: str = DEFAULT_WORKSPACE) -> dict[str, dict[str, Any]]:
        """A catalog's items by id, each as Braze's GET answers it (`{"id": ..., **fields}`); KeyError if none."""
        with self.store.lock:
            found = self.store.workspace(workspace).catalogs.get(name)
            if found is None:
                known = ", ".join(self.store.workspace(workspace).catalogs) or "none"
                raise KeyError(f"no catalog {name!r} in workspace {workspace!r}; catalogs: {known}")
            return {item_id: copy.deepcopy({"id": item_id, **values}) for item_id, values in found.items.items()}

    def declare_catalog(
        self,
        name: str | CatalogConfig | Mapping[str, Any],
        fields: Any = (),
        description: str = "",
        workspace: str = DEFAULT_WORKSPACE,
    ) -> Catalog:
        """Create a catalog as `POST /catalogs` would (its rules; ValueError with Braze's messages if they refuse):
        `declare_catalog("products", {"Name": "string", "Price": "number"})`, or a CatalogConfig / catalog object.
        Gone on reset, unlike the configuration's `catalogs`."""
        config = CatalogConfig(name, fields, description) if isinstance(name, str) else CatalogConfig.coerce(name)
        try:
            catalog = declare_catalog(self.store, self.store.workspace(workspace), config, self.clock.now())
        except CatalogRequestError as exc:
            raise ValueError(f"catalog {config.name!r} refused: {exc.detail}") from None
        return copy.deepcopy(catalog)

    # -- triggered sends ---------------------------------------------------------------------------
    def sends(
        self,
        workspace: str = DEFAULT_WORKSPACE,
        *,
        campaign_id: str | None = None,
        canvas_id: str | None = None,
        external_id: str | None = None,
    ) -> list[TriggeredSend]:
        """The triggered sends the workspace accepted, oldest first; filtered by campaign, Canvas, or a recipient
        reached (`external_id`)."""
        with self.store.lock:
            found = list(self.store.workspace(workspace).sends)
        if campaign_id is not None:
            found = [s for s in found if s.kind == "campaign" and s.trigger_id == campaign_id]
        if canvas_id is not None:
            found = [s for s in found if s.kind == "canvas" and s.trigger_id == canvas_id]
        if external_id is not None:
            found = [s for s in found if external_id in s.external_ids]
        return found

    # -- cohorts -----------------------------------------------------------------------------------
    def cohorts(self, workspace: str = DEFAULT_WORKSPACE) -> list[CohortInfo]:
        """Every cohort of the workspace, oldest first, with its current members."""
        with self.store.lock:
            ws = self.store.workspace(workspace)
            return [cohort_info(ws.profiles, c) for c in ws.cohorts.values()]

    def in_cohort(
        self, profile_or_external_id: Profile | str, cohort_name: str, workspace: str = DEFAULT_WORKSPACE
    ) -> bool:
        """Whether the user is in a cohort called `cohort_name` (a deleted or unknown user is in none)."""
        with self.store.lock:
            ws = self.store.workspace(workspace)
            if isinstance(profile_or_external_id, Profile):
                braze_id = profile_or_external_id.braze_id
            else:
                found = ws.find(Identifier("external_id", profile_or_external_id))
                if found is None:
                    return False
                braze_id = found.braze_id
            return any(
                c.name == cohort_name and braze_id in {p.braze_id for p in c.members(ws.profiles)}
                for c in ws.cohorts.values()
            )

    # -- segments ----------------------------------------------------------------------------------
    def segment_members(self, definition: Any, workspace: str = DEFAULT_WORKSPACE) -> Members:
        """Who matches a segment definition (or the name of a saved one) now, by the fake's clock."""
        if isinstance(definition, str):
            definition = self.saved_segment(definition, workspace)
        predicate = compile_definition(definition)
        now = self.config.clock.now()
        with self.store.lock:
            return members_of(matching(self.store.workspace(workspace), predicate, now))

    def save_segment(self, name: str, definition: Any, workspace: str = DEFAULT_WORKSPACE) -> None:
        """Keep a definition under a name (checked now; forgotten on reset)."""
        compile_definition(definition)
        with self.store.lock:
            self.store.workspace(workspace).saved_segments[name] = copy.deepcopy(definition)

    def saved_segment(self, name: str, workspace: str = DEFAULT_WORKSPACE) -> Any:
        """A saved definition; KeyError naming the saved ones if there is none called `name`."""
        with self.store.lock:
            saved = self.store.workspace(workspace).saved_segments
            if name not in saved:
                raise KeyError(f"no saved segment {name!r}; saved: {', '.join(sorted(saved)) or 'none'}")
            return copy.deepcopy(saved[name])

    def saved_segments(self, workspace: str = DEFAULT_WORKSPACE) -> dict[str, Any]:
        with self.store.lock:
            return copy.deepcopy(self.store.workspace(workspace).saved_segments)

    def delete_segment(self, name: str, workspace: str = DEFAULT_WORKSPACE) -> bool:
        with self.store.lock:
            return self.store.workspace(workspace).saved_segments.pop(name, None) is not None

    # -- data import keys --------------------------------------------------------------------------
    def data_import_key(self, workspace: str = DEFAULT_WORKSPACE) -> str | None:
        """The workspace's current data import key (None: none configured, or invalidated)."""
        with self.store.lock:
            return self.store.workspace(workspace).data_import.current

    def regenerate_data_import_key(self, workspace: str = DEFAULT_WORKSPACE) -> str:
        """A new data import key, as the dashboard's "create a new key"; the old one gets 401 from now on."""
        return regenerate_data_import_key(self.store, self.store.workspace(workspace))

    def invalidate_data_import_key(self, workspace: str = DEFAULT_WORKSPACE) -> str | None:
        """Invalidate the workspace's key (401 `Invalid client secret` from now on); returns the old key."""
        return invalidate_data_import_key(self.store, self.store.workspace(workspace))


def _check_declared(config: FakeBrazeConfig) -> None:
    """Catalogs declared in the configuration follow `POST /catalogs`'s rules (fail early, not at first use)."""
    for workspace in config.all_workspaces():
        names = [c.name for c in workspace.catalogs]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"workspace {workspace.name!r} declares catalog(s) {', '.join(twice)} more than once")
        for catalog in workspace.catalogs:
            problems = declared_problems(catalog)
            if problems:
                raise ValueError(f"catalog {catalog.name!r} of workspace {workspace.name!r}: {'; '.join(problems)}")


def _catalog_state(catalog: Catalog) -> dict[str, Any]:
    return {**catalog.to_json(), "items": [catalog.item(item_id) for item_id in catalog.items]}


def _summaries(stats: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: {"count": s.count, "first": export_time(s.first), "last": export_time(s.last)}
        for name, s in stats.items()
        if s.first and s.last
    }


def _query(query_string: str) -> dict[str, str]:
    return dict(parse_qsl(query_string, keep_blank_values=True)) if query_string else {}
