"""release.py against a fake monorepo, run as a subprocess (always with --no-build)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import FakeRepo

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]


def version_of(repo: FakeRepo, short: str) -> str:
    data = tomllib.loads(repo.pyproject(short).read_text())
    return str(data["project"]["version"])


@pytest.mark.parametrize(
    ("bump", "expected"), [("patch", "0.1.1"), ("minor", "0.2.0"), ("major", "1.0.0")]
)
def test_bump_rewrites_only_the_project_version_line(
    fake_repo: FakeRepo, bump: str, expected: str
) -> None:
    before = fake_repo.pyproject("activity").read_text()
    result = fake_repo.run(
        "release.py",
        "microsoft-agents-activity",
        "--bump",
        bump,
        "--date",
        "2025-02-03",
        "--no-build",
    )
    assert result.returncode == 0, result.stderr
    assert f"microsoft-agents-activity: 0.1.0 -> {expected}" in result.stdout
    after = fake_repo.pyproject("activity").read_text()
    assert after == before.replace(
        'version = "0.1.0"  # keep in sync', f'version = "{expected}"  # keep in sync'
    )
    assert 'version = "9.9.9"' in after  # [tool.example] untouched
    assert version_of(fake_repo, "hosting-core") == "0.3.2"


def test_explicit_version_and_short_name(fake_repo: FakeRepo) -> None:
    result = fake_repo.run("release.py", "hosting-core", "--version", "0.4.0", "--no-build")
    assert result.returncode == 0, result.stderr
    assert version_of(fake_repo, "hosting-core") == "0.4.0"


@pytest.mark.parametrize("version", ["0.1.0", "0.0.9", "0.2", "1.0.0rc1"])
def test_explicit_version_must_be_greater_plain_version(fake_repo: FakeRepo, version: str) -> None:
    changelog = fake_repo.changelog.read_text()
    pyproject = fake_repo.pyproject("activity").read_text()
    result = fake_repo.run("release.py", "activity", "--version", version, "--no-build")
    assert result.returncode == 1
    assert "--version" in result.stderr
    assert fake_repo.changelog.read_text() == changelog
    assert fake_repo.pyproject("activity").read_text() == pyproject


def test_changelog_entries_move_to_a_dated_release_heading(fake_repo: FakeRepo) -> None:
    result = fake_repo.run(
        "release.py", "activity", "--bump", "minor", "--date", "2025-02-03", "--no-build"
    )
    assert result.returncode == 0, result.stderr
    text = fake_repo.changelog.read_text()
    unreleased = text.rindex("\n## [Unreleased]\n")
    new = text.index("\n## [microsoft-agents-activity 0.2.0] - 2025-02-03\n")
    old = text.index("\n## [microsoft-agents-activity 0.1.0] - 2024-05-01\n")
    assert unreleased < new < old
    # the other distribution's pending entries stay in Unreleased
    assert text[unreleased:new] == (
        "\n## [Unreleased]\n\n### microsoft-agents-hosting-core\n\n#### Added\n\n- Turn context.\n"
    )
    # the released block has the entries, with change types promoted one level
    assert text[new:old] == (
        "\n## [microsoft-agents-activity 0.2.0] - 2025-02-03\n\n"
        "### Added\n\n- Message activities.\n- Typing activities.\n\n"
        "### Fixed\n\n- Timestamps keep their offset.\n"
    )
    # the code block in the preamble is left alone
    assert "```\n## [Unreleased]\n```" in text


def test_releasing_the_last_pending_distribution_keeps_unreleased(fake_repo: FakeRepo) -> None:
    assert fake_repo.run("release.py", "activity", "--bump", "patch", "--no-build").returncode == 0
    result = fake_repo.run(
        "release.py", "hosting-core", "--bump", "patch", "--date", "2025-03-01", "--no-build"
    )
    assert result.returncode == 0, result.stderr
    text = fake_repo.changelog.read_text()
    assert "\n## [Unreleased]\n\n## [microsoft-agents-hosting-core 0.3.3] - 2025-03-01\n" in text
    assert text.index("hosting-core 0.3.3") < text.index("activity 0.1.1")


def test_refuses_without_unreleased_entries(fake_repo: FakeRepo) -> None:
    assert fake_repo.run("release.py", "activity", "--bump", "patch", "--no-build").returncode == 0
    changelog = fake_repo.changelog.read_text()
    pyproject = fake_repo.pyproject("activity").read_text()
    result = fake_repo.run("release.py", "activity", "--bump", "patch", "--no-build")
    assert result.returncode == 1
    assert "no entries under '### microsoft-agents-activity'" in result.stderr
    assert fake_repo.changelog.read_text() == changelog
    assert fake_repo.pyproject("activity").read_text() == pyproject


def test_refuses_a_subsection_with_headings_but_no_entries(fake_repo: FakeRepo) -> None:
    text = fake_repo.changelog.read_text().replace("- Turn context.\n", "")
    fake_repo.changelog.write_text(text)
    result = fake_repo.run("release.py", "hosting-core", "--bump", "patch", "--no-build")
    assert result.returncode == 1
    assert version_of(fake_repo, "hosting-core") == "0.3.2"


def test_allow_empty_releases_anyway(fake_repo: FakeRepo) -> None:
    assert fake_repo.run("release.py", "activity", "--bump", "patch", "--no-build").returncode == 0
    result = fake_repo.run(
        "release.py",
        "activity",
        "--bump",
        "patch",
        "--allow-empty",
        "--date",
        "2025-04-04",
        "--no-build",
    )
    assert result.returncode == 0, result.stderr
    assert version_of(fake_repo, "activity") == "0.1.2"
    text = fake_repo.changelog.read_text()
    assert "## [microsoft-agents-activity 0.1.2] - 2025-04-04\n\n- No recorded changes.\n" in text


def test_warns_about_sibling_ranges_that_exclude_the_new_version(fake_repo: FakeRepo) -> None:
    hosting = fake_repo.pyproject("hosting-core").read_text()
    result = fake_repo.run("release.py", "activity", "--bump", "minor", "--no-build")
    assert result.returncode == 0, result.stderr
    assert (
        "warning: microsoft-agents-hosting-core requires "
        "microsoft-agents-activity>=0.1.0,<0.2, which does not admit 0.2.0" in result.stderr
    )
    assert fake_repo.pyproject("hosting-core").read_text() == hosting  # ranges are not edited


def test_no_warning_when_sibling_ranges_still_admit(fake_repo: FakeRepo) -> None:
    result = fake_repo.run("release.py", "activity", "--bump", "patch", "--no-build")
    assert result.returncode == 0
    assert "warning" not in result.stderr


@pytest.mark.parametrize("date", ["2025-13-01", "03/02/2025", "tomorrow"])
def test_rejects_bad_dates(fake_repo: FakeRepo, date: str) -> None:
    result = fake_repo.run(
        "release.py", "activity", "--bump", "patch", "--date", date, "--no-build"
    )
    assert result.returncode == 1
    assert "--date must be a YYYY-MM-DD date" in result.stderr
    assert version_of(fake_repo, "activity") == "0.1.0"


def test_unknown_distribution_is_refused(fake_repo: FakeRepo) -> None:
    result = fake_repo.run("release.py", "storage-blob", "--bump", "patch", "--no-build")
    assert result.returncode == 1
    assert "no distribution named 'storage-blob'" in result.stderr


def test_bump_and_version_are_mutually_exclusive(fake_repo: FakeRepo) -> None:
    result = fake_repo.run(
        "release.py", "activity", "--bump", "patch", "--version", "0.2.0", "--no-build"
    )
    assert result.returncode == 2
    assert version_of(fake_repo, "activity") == "0.1.0"


def test_first_release_goes_above_link_definitions_at_the_end(fake_repo: FakeRepo) -> None:
    fake_repo.changelog.write_text(
        "# Changelog\n\n## [Unreleased]\n\n### microsoft-agents-activity\n\n#### Changed\n\n"
        "- Renamed a field.\n\n[Unreleased]: https://example.invalid/compare\n"
    )
    result = fake_repo.run(
        "release.py", "activity", "--bump", "major", "--date", "2025-05-05", "--no-build"
    )
    assert result.returncode == 0, result.stderr
    assert fake_repo.changelog.read_text() == (
        "# Changelog\n\n## [Unreleased]\n\n"
        "## [microsoft-agents-activity 1.0.0] - 2025-05-05\n\n### Changed\n\n- Renamed a field.\n\n"
        "[Unreleased]: https://example.invalid/compare\n"
    )


def test_missing_unreleased_section_is_refused(fake_repo: FakeRepo) -> None:
    fake_repo.changelog.write_text("# Changelog\n\n## [microsoft-agents-activity 0.1.0]\n")
    result = fake_repo.run("release.py", "activity", "--bump", "patch", "--no-build")
    assert result.returncode == 1
    assert "no '## [Unreleased]' section" in result.stderr
