"""monorepo.py command line: discovery and sibling closure used by CI and check_isolated.sh."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import FakeRepo


def test_list_discovers_every_pyproject(fake_repo: FakeRepo) -> None:
    (fake_repo.root / "libraries" / "not-a-distribution-yet").mkdir()
    result = fake_repo.run("monorepo.py", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "microsoft-agents-activity",
        "microsoft-agents-hosting-core",
    ]


def test_closure_follows_sibling_dependencies(fake_repo: FakeRepo) -> None:
    result = fake_repo.run("monorepo.py", "closure", "hosting-core")
    assert result.stdout.split() == ["microsoft-agents-hosting-core", "microsoft-agents-activity"]
    alone = fake_repo.run("monorepo.py", "closure", "activity")
    assert alone.stdout.split() == ["microsoft-agents-activity"]


def test_closure_follows_the_test_extra_and_requested_extras(fake_repo: FakeRepo) -> None:
    activity = fake_repo.pyproject("activity")
    activity.write_text(
        activity.read_text().replace(
            'test = ["pytest>=8"]',
            'test = ["pytest>=8", "microsoft-agents-hosting-core[extra]>=0.3,<0.4"]',
        )
    )
    hosting = fake_repo.pyproject("hosting-core")
    hosting.write_text(
        hosting.read_text().replace(
            'dependencies = [\n    "microsoft-agents-activity>=0.1.0,<0.2",\n]',
            "dependencies = []",
        )
        + "\n[tool.placeholder]\n"
    )
    result = fake_repo.run("monorepo.py", "closure", "activity")
    assert result.stdout.split() == ["microsoft-agents-activity", "microsoft-agents-hosting-core"]


def test_closure_reports_missing_sibling(fake_repo: FakeRepo) -> None:
    hosting = fake_repo.pyproject("hosting-core")
    hosting.write_text(
        hosting.read_text().replace("microsoft-agents-activity", "microsoft-agents-storage-blob")
    )
    result = fake_repo.run("monorepo.py", "closure", "hosting-core")
    assert result.returncode == 2
    assert "microsoft-agents-storage-blob" in result.stderr


def test_leaf_module_names(fake_repo: FakeRepo) -> None:
    assert fake_repo.run("monorepo.py", "leaf", "hosting-core").stdout.strip() == (
        "microsoft_agents.hosting.core"
    )
    assert fake_repo.run("monorepo.py", "leaf", "microsoft-agents-activity").stdout.strip() == (
        "microsoft_agents.activity"
    )
