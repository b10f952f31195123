"""`harness.translate` is the subpackage, whichever way and in whichever order it is reached.

Each scenario runs in a fresh interpreter: the bug this guards against (a lazily exported function
that the submodule import then replaced) only shows on the first and second reads in one process.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys, types
module = sys.modules["harness.translate"]
assert isinstance(module, types.ModuleType) and module.__name__ == "harness.translate", module
assert callable(module.translate) and module.translate.__module__ == "harness.translate.api"
"""

SCENARIOS = {
    "attribute read twice": "import harness\nfirst = harness.translate\nsecond = harness.translate\n"
    "assert first is second is sys.modules['harness.translate']",
    "from-import, then attribute": "from harness import translate\nimport harness\n"
    "assert translate is harness.translate is sys.modules['harness.translate']",
    "attribute, then from-import": "import harness\nfirst = harness.translate\nfrom harness import translate\n"
    "assert translate is first is sys.modules['harness.translate']",
    "submodule import, then attribute": "import harness.translate\nimport harness\n"
    "assert harness.translate is sys.modules['harness.translate']",
    "the function by its full name": "from harness.translate import translate\n"
    "assert translate({'type': 'identify', 'userId': 'u'}).requests[0].path == '/users/track'",
    "run_case from the top": "import harness\nassert harness.run_case.__module__ == 'harness.translate.case'",
}


@pytest.mark.parametrize("code", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_harness_translate_means_the_subpackage(code: str) -> None:
    program = "import sys\n" + code + "\n" + CHECK
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_it_is_listed_and_star_imports_the_subpackage() -> None:
    program = "import harness\nassert 'translate' in harness.__all__ and 'translate' in dir(harness)\n"
    program += "ns = {}\nexec('from harness import *', ns)\nimport types\n"
    program += "assert isinstance(ns['translate'], types.ModuleType)\n"
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
