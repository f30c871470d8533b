"""A tiny fake monorepo, built fresh in tmp_path, for exercising the tooling scripts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent
COPIED_SCRIPTS = ("monorepo.py", "check_layout.py", "release.py", "isolation_guard.py")

ACTIVITY_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "microsoft-agents-activity"
# the version line below is the only one release.py may touch
version = "0.1.0"  # keep in sync with changelog.md
description = "Fake activity distribution."
requires-python = ">=3.10"
dependencies = ["pydantic>=2.10,<3"]

[project.optional-dependencies]
test = ["pytest>=8"]

[tool.hatch.build.targets.wheel]
packages = ["src/microsoft_agents"]

[tool.example]
version = "9.9.9"
"""

HOSTING_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "microsoft-agents-hosting-core"
version = "0.3.2"
requires-python = ">=3.10"
dependencies = [
    "microsoft-agents-activity>=0.1.0,<0.2",
]

[project.optional-dependencies]
test = ["pytest>=8"]

[tool.hatch.build.targets.wheel]
packages = ["src/microsoft_agents"]
"""

CHANGELOG = """\
# Changelog

Conventions are described here; an example heading inside a code block is not a section:

```
## [Unreleased]
```

## [Unreleased]

### microsoft-agents-activity

#### Added

- Message activities.
- Typing activities.

#### Fixed

- Timestamps keep their offset.

### microsoft-agents-hosting-core

#### Added

- Turn context.

## [microsoft-agents-activity 0.1.0] - 2024-05-01

### Added

- First models.
"""


@dataclass
class FakeRepo:
    root: Path

    def dist(self, short: str) -> Path:
        return self.root / "libraries" / f"microsoft-agents-{short}"

    def pyproject(self, short: str) -> Path:
        return self.dist(short) / "pyproject.toml"

    @property
    def changelog(self) -> Path:
        return self.root / "changelog.md"

    def run(self, script: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(self.root / "scripts" / script), *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _make_distribution(root: Path, name: str, leaf: tuple[str, ...], pyproject: str) -> None:
    base = root / "libraries" / name
    _write(base / "pyproject.toml", pyproject)
    _write(base / "README.md", f"# {name}\n")
    _write(base / "tests" / "test_smoke.py", "def test_smoke() -> None:\n    assert 1 + 1 == 2\n")
    package = base.joinpath("src", "microsoft_agents", *leaf)
    _write(package / "__init__.py", '"""Fake leaf package."""\n\nVALUE = 1\n')
    _write(package / "py.typed", "")


@pytest.fixture
def fake_repo(tmp_path: Path) -> FakeRepo:
    root = tmp_path / "repo"
    _make_distribution(root, "microsoft-agents-activity", ("activity",), ACTIVITY_PYPROJECT)
    _make_distribution(
        root, "microsoft-agents-hosting-core", ("hosting", "core"), HOSTING_PYPROJECT
    )
    _write(root / "changelog.md", CHANGELOG)
    (root / "scripts").mkdir()
    for script in COPIED_SCRIPTS:
        shutil.copy2(SCRIPTS / script, root / "scripts" / script)
    return FakeRepo(root)
