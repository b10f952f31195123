"""The README's catalogs and triggered sends example does what its comments say."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = (Path(__file__).resolve().parent.parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_catalogs_and_sends_example_prints_what_it_says() -> None:
    [block] = [b for b in re.findall(r"```python\n(.*?)```", README, flags=re.S) if "catalog_items(" in b]
    namespace: dict[str, Any] = {}
    for line in block.strip().splitlines():
        code, _, comment = line.partition("  # ")
        if not code.strip():
            continue
        if code.startswith(("from ", "fake =", "fake.call")):  # the import is the README's own
            exec(code, namespace)
            continue
        shown = repr(eval(code, namespace))
        assert comment.startswith(shown), f"{code} is {shown}, the README says {comment}"
