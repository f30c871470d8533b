"""check_layout.py against a fake monorepo, run as a subprocess."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import FakeRepo


def problems(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_clean_repository_passes(fake_repo: FakeRepo) -> None:
    result = fake_repo.run("check_layout.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK (2 distribution(s))" in result.stdout


def test_namespace_init_files_are_reported(fake_repo: FakeRepo) -> None:
    top = fake_repo.dist("hosting-core") / "src" / "microsoft_agents" / "__init__.py"
    mid = fake_repo.dist("hosting-core") / "src" / "microsoft_agents" / "hosting" / "__init__.py"
    top.write_text("")
    mid.write_text("")
    result = fake_repo.run("check_layout.py")
    assert result.returncode == 1
    lines = problems(result)
    assert lines == [
        "libraries/microsoft-agents-hosting-core/src/microsoft_agents/__init__.py: "
        "namespace-level directory must not have __init__.py",
        "libraries/microsoft-agents-hosting-core/src/microsoft_agents/hosting/__init__.py: "
        "namespace-level directory must not have __init__.py",
    ]


def test_stray_file_outside_leaf_is_reported(fake_repo: FakeRepo) -> None:
    stray = fake_repo.dist("activity") / "src" / "microsoft_agents" / "hosting" / "extra.py"
    stray.parent.mkdir()
    stray.write_text("X = 1\n")
    result = fake_repo.run("check_layout.py")
    assert result.returncode == 1
    assert any(
        "hosting/extra.py: file outside the leaf package microsoft_agents.activity" in line
        for line in problems(result)
    )


def test_missing_py_typed_readme_and_tests_are_reported(fake_repo: FakeRepo) -> None:
    dist = fake_repo.dist("activity")
    (dist / "src" / "microsoft_agents" / "activity" / "py.typed").unlink()
    (dist / "README.md").unlink()
    (dist / "tests" / "test_smoke.py").unlink()
    (dist / "tests").rmdir()
    result = fake_repo.run("check_layout.py")
    assert result.returncode == 1
    assert problems(result) == [
        "libraries/microsoft-agents-activity: missing README.md",
        "libraries/microsoft-agents-activity: missing tests/ directory",
        "libraries/microsoft-agents-activity/src/microsoft_agents/activity: "
        "leaf package microsoft_agents.activity lacks py.typed",
    ]


def test_tests_folder_rules(fake_repo: FakeRepo) -> None:
    tests = fake_repo.dist("activity") / "tests"
    (tests / "test_smoke.py").rename(tests / "smoke.py")
    (tests / "__init__.py").write_text("")
    lines = problems(fake_repo.run("check_layout.py"))
    assert "libraries/microsoft-agents-activity/tests: contains no test_*.py files" in lines
    assert any(
        line.startswith("libraries/microsoft-agents-activity/tests/__init__.py:") for line in lines
    )


def test_directory_without_pyproject_is_reported(fake_repo: FakeRepo) -> None:
    (fake_repo.root / "libraries" / "microsoft-agents-storage-blob").mkdir()
    lines = problems(fake_repo.run("check_layout.py"))
    assert "libraries/microsoft-agents-storage-blob: missing pyproject.toml" in lines


def test_hatch_packages_must_be_the_namespace_root(fake_repo: FakeRepo) -> None:
    path = fake_repo.pyproject("activity")
    path.write_text(
        path.read_text().replace(
            'packages = ["src/microsoft_agents"]', 'packages = ["src/microsoft_agents/activity"]'
        )
    )
    result = fake_repo.run("check_layout.py")
    assert result.returncode == 1
    assert problems(result) == [
        "libraries/microsoft-agents-activity/pyproject.toml: "
        "[tool.hatch.build.targets.wheel] packages is ['src/microsoft_agents/activity'], "
        "expected ['src/microsoft_agents']"
    ]


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        ("microsoft-agents-activity==0.1.0", "is pinned with '=='"),
        ("microsoft-agents-activity", "has no version range"),
        ("microsoft-agents-activity>=0.1.0", "lacks an upper bound (<)"),
        ("microsoft-agents-activity<0.2", "lacks a lower bound (>=)"),
        ("microsoft-agents-activity>=0.2.0,<0.3", "does not admit microsoft-agents-activity 0.1.0"),
        ("microsoft-agents-storage>=1.0,<2", "names a distribution not found under libraries/"),
    ],
)
def test_sibling_requirement_must_be_a_bounded_range(
    fake_repo: FakeRepo, requirement: str, expected: str
) -> None:
    path = fake_repo.pyproject("hosting-core")
    path.write_text(path.read_text().replace("microsoft-agents-activity>=0.1.0,<0.2", requirement))
    result = fake_repo.run("check_layout.py")
    assert result.returncode == 1
    lines = problems(result)
    assert len(lines) == 1
    assert lines[0].startswith(
        "libraries/microsoft-agents-hosting-core/pyproject.toml: dependencies: "
        f"sibling requirement {requirement!r}"
    )
    assert expected in lines[0]


@pytest.mark.parametrize(
    "requirement",
    [
        "microsoft-agents-activity~=0.1.0",
        "microsoft-agents-activity[extra] >= 0.1, < 1 ; python_version >= '3.10'",
        "pydantic==2.10.0",  # pins on third-party packages are not this check's business
    ],
)
def test_accepted_requirements(fake_repo: FakeRepo, requirement: str) -> None:
    path = fake_repo.pyproject("hosting-core")
    path.write_text(
        path.read_text().replace('"microsoft-agents-activity>=0.1.0,<0.2"', repr(requirement))
    )
    result = fake_repo.run("check_layout.py")
    assert result.returncode == 0, result.stdout


def test_selected_distribution_limits_the_check(fake_repo: FakeRepo) -> None:
    (fake_repo.dist("hosting-core") / "README.md").unlink()
    assert fake_repo.run("check_layout.py", "microsoft-agents-activity").returncode == 0
    assert fake_repo.run("check_layout.py", "hosting-core").returncode == 1
    unknown = fake_repo.run("check_layout.py", "microsoft-agents-nothing")
    assert unknown.returncode == 1
    assert "unknown distribution 'microsoft-agents-nothing'" in unknown.stdout


# ---------------------------------------------------------------------------------------------
# Wheels


def make_wheel(directory: Path, filename: str, members: list[str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / filename
    with zipfile.ZipFile(path, "w") as archive:
        for member in members:
            archive.writestr(member, "")
    return path


GOOD_HOSTING = [
    "microsoft_agents/hosting/core/__init__.py",
    "microsoft_agents/hosting/core/_turn.py",
    "microsoft_agents/hosting/core/py.typed",
    "microsoft_agents_hosting_core-0.3.2.dist-info/METADATA",
    "microsoft_agents_hosting_core-0.3.2.dist-info/RECORD",
]


def test_good_wheel_passes(fake_repo: FakeRepo, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    make_wheel(wheels, "microsoft_agents_hosting_core-0.3.2-py3-none-any.whl", GOOD_HOSTING)
    result = fake_repo.run("check_layout.py", "--wheels", str(wheels))
    assert result.returncode == 0, result.stdout
    assert "1 wheel(s)" in result.stdout


def test_wheel_with_foreign_files_is_reported(fake_repo: FakeRepo, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    members = [
        *GOOD_HOSTING,
        "microsoft_agents/__init__.py",
        "microsoft_agents/hosting/__init__.py",
        "microsoft_agents/activity/__init__.py",
        "tests/test_smoke.py",
    ]
    make_wheel(wheels, "microsoft_agents_hosting_core-0.3.2-py3-none-any.whl", members)
    result = fake_repo.run("check_layout.py", "--wheels", str(wheels))
    assert result.returncode == 1
    lines = [line.split(": ", 1)[1] for line in problems(result)]
    assert lines == [
        "contains namespace-level microsoft_agents/__init__.py; namespace levels need none",
        "contains namespace-level microsoft_agents/hosting/__init__.py; namespace levels need none",
        "contains microsoft_agents/activity/__init__.py, outside its leaf package "
        "microsoft_agents/hosting/core/",
        "contains tests/test_smoke.py, outside its leaf package microsoft_agents/hosting/core/",
    ]


def test_wheel_without_py_typed_is_reported(fake_repo: FakeRepo, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    members = [m for m in GOOD_HOSTING if not m.endswith("py.typed")]
    make_wheel(wheels, "microsoft_agents_hosting_core-0.3.2-py3-none-any.whl", members)
    result = fake_repo.run("check_layout.py", "--wheels", str(wheels))
    assert result.returncode == 1
    assert problems(result) == [
        f"{wheels / 'microsoft_agents_hosting_core-0.3.2-py3-none-any.whl'}: "
        "lacks microsoft_agents/hosting/core/py.typed"
    ]


def test_empty_wheel_directory_is_reported(fake_repo: FakeRepo, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = fake_repo.run("check_layout.py", "--wheels", str(tmp_path / "empty"))
    assert result.returncode == 1
    assert problems(result)[-1].endswith("empty: no wheels found")


def build_wheel(source: Path, out: Path) -> None:
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)]
    done = subprocess.run([*command, str(source)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_wheel_built_by_hatchling_passes(fake_repo: FakeRepo, tmp_path: Path) -> None:
    pytest.importorskip("build")
    pytest.importorskip("hatchling")
    build_wheel(fake_repo.dist("hosting-core"), tmp_path / "good")
    result = fake_repo.run("check_layout.py", "--wheels", str(tmp_path / "good"))
    assert result.returncode == 0, result.stdout
    assert "1 wheel(s)" in result.stdout

    # the same wheel fails once a namespace __init__.py sneaks into the sources
    (fake_repo.dist("hosting-core") / "src" / "microsoft_agents" / "__init__.py").write_text("")
    build_wheel(fake_repo.dist("hosting-core"), tmp_path / "bad")
    result = fake_repo.run("check_layout.py", "activity", "--wheels", str(tmp_path / "bad"))
    assert result.returncode == 1
    assert [line.split(": ", 1)[1] for line in problems(result)] == [
        "contains namespace-level microsoft_agents/__init__.py; namespace levels need none"
    ]
