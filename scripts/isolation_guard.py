"""Proof that a test run uses the installed wheel and not the repository sources.

``check_isolated.sh`` copies this file into an empty working directory and uses it twice:

* ``python isolation_guard.py`` imports the leaf package and fails unless it is loaded from
  the virtual environment;
* ``python -m pytest -p isolation_guard ...`` repeats that check when pytest starts and again
  after collection, covering every ``microsoft_agents`` module the tests imported. A violation
  stops the run with exit status ``EXIT_NOT_ISOLATED``.

Both read ``ISOLATION_PREFIX`` (the venv directory) and ``ISOLATION_LEAF`` (dotted leaf
package, e.g. ``microsoft_agents.activity``) from the environment.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

EXIT_NOT_ISOLATED = 86
NAMESPACE = "microsoft_agents"


def _locations(module: Any) -> list[str]:
    """Files or directories a module was loaded from (namespace packages have only a path)."""
    found: list[str] = []
    file = getattr(module, "__file__", None)
    if isinstance(file, str):
        found.append(file)
    else:
        found.extend(str(p) for p in getattr(module, "__path__", []) or [])
    return found


def violations(prefix: Path, names: Iterable[str]) -> list[str]:
    """Modules among ``names`` (already imported) that were loaded from outside ``prefix``."""
    problems: list[str] = []
    for name in sorted(names):
        module = sys.modules.get(name)
        if module is None:
            continue
        for location in _locations(module):
            resolved = Path(location).resolve()
            if resolved != prefix and prefix not in resolved.parents:
                problems.append(f"{name} loaded from {resolved}, outside {prefix}")
    return problems


def check(stage: str) -> list[str]:
    prefix = Path(os.environ["ISOLATION_PREFIX"]).resolve()
    leaf = os.environ["ISOLATION_LEAF"]
    try:
        module = importlib.import_module(leaf)
    except ImportError as exc:
        return [f"{stage}: cannot import {leaf}: {exc}"]
    if not isinstance(getattr(module, "__file__", None), str):
        return [f"{stage}: {leaf} has no __file__ (is its __init__.py missing from the wheel?)"]
    loaded = [n for n in sys.modules if n == NAMESPACE or n.startswith(NAMESPACE + ".")]
    return [f"{stage}: {p}" for p in violations(prefix, loaded)]


def _stop(problems: list[str]) -> None:
    import pytest

    pytest.exit("not isolated from the repository:\n  " + "\n  ".join(problems), EXIT_NOT_ISOLATED)


# pytest-asyncio's settings in the repository's shared pytest configuration; a distribution
# whose tests need no event loop does not install the plugin, so they are declared here to
# keep pytest from warning about unknown options.
_ASYNCIO_INI_KEYS = ("asyncio_mode", "asyncio_default_fixture_loop_scope")


def pytest_addoption(parser: Any) -> None:
    if importlib.util.find_spec("pytest_asyncio") is None:
        for key in _ASYNCIO_INI_KEYS:
            parser.addini(key, "pytest-asyncio setting (plugin not installed here)")


def pytest_configure(config: object) -> None:
    problems = check("at start-up")
    if problems:
        _stop(problems)


def pytest_collection_finish(session: object) -> None:
    problems = check("after collection")
    if problems:
        _stop(problems)


if __name__ == "__main__":
    found = check("import check")
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        leaf_module = sys.modules[os.environ["ISOLATION_LEAF"]]
        print(f"{os.environ['ISOLATION_LEAF']} imported from {leaf_module.__file__}")
    sys.exit(EXIT_NOT_ISOLATED if found else 0)
