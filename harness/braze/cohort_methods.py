"""`FakeBraze`'s Python face for cohorts, segment filters and data import keys (a mixin, kept apart from fake.py).

```python
fake.cohorts()                                   # [CohortInfo(cohort_id, name, created_at, members)]
fake.in_cohort("user-1", "dormant_shopper")      # by cohort name, as Braze's "Segment Cohorts" filter
fake.segment_members({"custom_attribute": "dormant_shopper", "op": "equals", "value": True})
fake.save_segment("dormant", definition); fake.segment_members("dormant")
fake.regenerate_data_import_key(); fake.invalidate_data_import_key()
```
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from harness.braze.cohort_store import CohortInfo, Members, cohort_book, cohort_info, members_of
from harness.braze.config import DEFAULT_WORKSPACE
from harness.braze.partner_auth import data_import_key, invalidate_data_import_key, regenerate_data_import_key
from harness.braze.profiles import Profile
from harness.braze.segments import compile_definition, matching
from harness.braze.store import Identifier

if TYPE_CHECKING:
    from harness.braze.config import FakeBrazeConfig
    from harness.braze.store import Store

__all__ = ["CohortMethods"]

_SAVED_KEY = "segments"


class CohortMethods:
    """Cohorts, segment filters and data import keys of a fake Braze, per workspace."""

    store: Store
    config: FakeBrazeConfig

    # -- cohorts -----------------------------------------------------------------------------------
    def cohorts(self, workspace: str = DEFAULT_WORKSPACE) -> list[CohortInfo]:
        """Every cohort of the workspace, oldest first, with its current members."""
        with self.store.lock:
            ws = self.store.workspace(workspace)
            return [cohort_info(ws, c) for c in cohort_book(ws).values()]

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
                c.name == cohort_name and braze_id in {p.braze_id for p in c.members(ws)}
                for c in cohort_book(ws).values()
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
            self._saved(workspace)[name] = copy.deepcopy(definition)

    def saved_segment(self, name: str, workspace: str = DEFAULT_WORKSPACE) -> Any:
        """A saved definition; KeyError naming the saved ones if there is none called `name`."""
        with self.store.lock:
            saved = self._saved(workspace)
            if name not in saved:
                raise KeyError(f"no saved segment {name!r}; saved: {', '.join(sorted(saved)) or 'none'}")
            return copy.deepcopy(saved[name])

    def saved_segments(self, workspace: str = DEFAULT_WORKSPACE) -> dict[str, Any]:
        with self.store.lock:
            return copy.deepcopy(self._saved(workspace))

    def delete_segment(self, name: str, workspace: str = DEFAULT_WORKSPACE) -> bool:
        with self.store.lock:
            return self._saved(workspace).pop(name, None) is not None

    def _saved(self, workspace: str) -> dict[str, Any]:
        saved = self.store.workspace(workspace).extensions.setdefault(_SAVED_KEY, {})
        assert isinstance(saved, dict)
        return saved

    # -- data import keys --------------------------------------------------------------------------
    def data_import_key(self, workspace: str = DEFAULT_WORKSPACE) -> str | None:
        """The workspace's current data import key (None: none configured, or invalidated)."""
        with self.store.lock:
            return data_import_key(self.store.workspace(workspace)).current

    def regenerate_data_import_key(self, workspace: str = DEFAULT_WORKSPACE) -> str:
        """A new data import key, as the dashboard's "create a new key"; the old one gets 401 from now on."""
        return regenerate_data_import_key(self.store, self.store.workspace(workspace))

    def invalidate_data_import_key(self, workspace: str = DEFAULT_WORKSPACE) -> str | None:
        """Invalidate the workspace's key (401 `Invalid client secret` from now on); returns the old key."""
        return invalidate_data_import_key(self.store, self.store.workspace(workspace))
