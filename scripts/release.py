"""Cut a release of one distribution: bump its version, date its changelog entries, build it.

Usage::

    python scripts/release.py DIST (--bump {major,minor,patch} | --version X.Y.Z)
                              [--date YYYY-MM-DD] [--allow-empty] [--no-build] [--root PATH]

Steps, in order; nothing is written unless every check passes:

1. read ``version`` from ``libraries/DIST/pyproject.toml`` and compute the new one (it must be
   greater than the current one);
2. take the ``### DIST`` block out of the ``## [Unreleased]`` section of ``changelog.md`` and
   put its entries under a new ``## [DIST X.Y.Z] - DATE`` heading placed right below
   Unreleased (``#### Added`` etc. become ``### Added``). Refuses when the block has no list
   entries, unless ``--allow-empty``;
3. rewrite only the version line of pyproject.toml, keeping the rest of the file as it was;
4. warn about sibling distributions whose declared range for DIST no longer admits the new
   version (their ranges are not edited);
5. build the sdist and wheel into ``dist/`` with ``python -m build`` unless ``--no-build``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from monorepo import (
    REPO_ROOT,
    Distribution,
    Version,
    discover,
    find_distribution,
    load_toml,
    normalize_name,
    tomllib,
)

CHANGELOG = "changelog.md"
_PLAIN_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*[-*+]\s+\S")
_LINK_DEFINITION = re.compile(r"^\[[^\]]+\]:\s")


class ReleaseError(Exception):
    """A check failed; the message says which and nothing was written."""


# --------------------------------------------------------------------------------------------
# Versions


def next_version(current: str, bump: str | None, explicit: str | None) -> str:
    if explicit is not None:
        if not _PLAIN_VERSION.match(explicit):
            raise ReleaseError(f"--version must look like X.Y.Z, got {explicit!r}")
        if not Version.parse(explicit) > Version.parse(current):
            raise ReleaseError(f"--version {explicit} is not greater than current {current}")
        return explicit
    if not _PLAIN_VERSION.match(current):
        raise ReleaseError(f"current version {current!r} is not X.Y.Z; pass --version instead")
    major, minor, patch = (int(p) for p in current.split("."))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def set_project_version(text: str, new_version: str) -> str:
    """Replace ``version = "..."`` in the ``[project]`` table, leaving every other byte alone."""
    lines = text.splitlines(keepends=True)
    table: str | None = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[["):
            table = None
            continue
        header = re.match(r"^\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", stripped)
        if header:
            table = header[1].replace(" ", "").replace('"', "")
            continue
        if table != "project":
            continue
        match = re.match(r"^(\s*version\s*=\s*)([\"'])([^\"']*)\2(.*)$", line, re.DOTALL)
        if match:
            lines[index] = f"{match[1]}{match[2]}{new_version}{match[2]}{match[4]}"
            updated = "".join(lines)
            _verify_version_edit(text, updated, new_version)
            return updated
    raise ReleaseError('pyproject.toml: no static version = "..." line in [project]')


def _verify_version_edit(before: str, after: str, new_version: str) -> None:
    old = tomllib.loads(before)
    new = tomllib.loads(after)
    old["project"]["version"] = new_version
    if old != new:
        raise ReleaseError("pyproject.toml: editing the version line changed other values")


# --------------------------------------------------------------------------------------------
# Changelog


@dataclass
class Heading:
    index: int
    level: int
    title: str


def _headings(lines: list[str]) -> list[Heading]:
    """Markdown ATX headings outside fenced code blocks."""
    found: list[Heading] = []
    fenced = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        match = _HEADING.match(line.rstrip("\n"))
        if match:
            found.append(Heading(index, len(match[1]), match[2]))
    return found


def _section_end(lines: list[str], heads: list[Heading], start: Heading) -> int:
    """Index just past the section opened by ``start`` (next heading of same or higher rank)."""
    end = len(lines)
    for head in heads:
        if head.index > start.index and head.level <= start.level:
            end = head.index
            break
    if start.level == 2:
        # link reference definitions at the bottom of the file belong to no section
        for index in range(start.index + 1, end):
            if _LINK_DEFINITION.match(lines[index]):
                return index
    return end


def _trim_blank(block: list[str]) -> list[str]:
    while block and not block[0].strip():
        block = block[1:]
    while block and not block[-1].strip():
        block = block[:-1]
    return block


def move_unreleased(text: str, dist: str, version: str, date: str, allow_empty: bool) -> str:
    """Move the ``### dist`` block of ``## [Unreleased]`` under ``## [dist version] - date``."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    heads = _headings(lines)
    unreleased = next(
        (h for h in heads if h.level == 2 and h.title.lower() == "[unreleased]"), None
    )
    if unreleased is None:
        raise ReleaseError(f"{CHANGELOG}: no '## [Unreleased]' section")
    title = f"[{dist} {version}]"
    if any(h.level == 2 and h.title.startswith(title) for h in heads):
        raise ReleaseError(f"{CHANGELOG}: a '## {title}' section already exists")

    section_end = _section_end(lines, heads, unreleased)
    block = next(
        (
            h
            for h in heads
            if unreleased.index < h.index < section_end and h.level == 3 and h.title == dist
        ),
        None,
    )
    body: list[str] = []
    if block is not None:
        block_end = min(_section_end(lines, heads, block), section_end)
        body = _trim_blank(lines[block.index + 1 : block_end])
    if not any(_LIST_ITEM.match(line) for line in body):
        if not allow_empty:
            raise ReleaseError(
                f"{CHANGELOG}: '## [Unreleased]' has no entries under '### {dist}'; "
                "record the changes first or pass --allow-empty"
            )
        body = ["- No recorded changes.\n"]

    demoted = []
    for line in body:
        match = _HEADING.match(line.rstrip("\n"))
        if match and len(match[1]) > 3:
            line = "#" * (len(match[1]) - 1) + " " + match[2] + "\n"
        demoted.append(line)
    release = [f"## {title} - {date}\n", "\n", *demoted, "\n"]

    if block is not None:
        del lines[block.index : block_end]
        section_end -= block_end - block.index
    # keep exactly one blank line between the Unreleased section and the new release
    remaining = _trim_blank(lines[unreleased.index + 1 : section_end])
    unreleased_part = [lines[unreleased.index], "\n", *remaining]
    if remaining:
        unreleased_part.append("\n")
    result = "".join(lines[: unreleased.index] + unreleased_part + release + lines[section_end:])
    return result.rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# Siblings and build


def stale_sibling_ranges(dists: list[Distribution], name: str, version: str) -> list[str]:
    """Human-readable notes for siblings whose range for ``name`` rejects ``version``."""
    notes: list[str] = []
    candidate = Version.parse(version)
    for other in dists:
        if normalize_name(other.name) == normalize_name(name):
            continue
        for req in other.sibling_requirements():
            if normalize_name(req.name) != normalize_name(name) or not req.specifiers:
                continue
            try:
                admitted = req.admits(candidate)
            except ValueError:
                admitted = False
            if not admitted:
                notes.append(
                    f"{other.name} requires {req.name}{req.specifier_text}, "
                    f"which does not admit {version}"
                )
    return notes


def build(root: Path, dist: Distribution) -> None:
    out = root / "dist"
    command = [sys.executable, "-m", "build", "--outdir", str(out), str(dist.path)]
    print("+ " + " ".join(command), flush=True)
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        raise ReleaseError(
            f"build failed (exit {result.returncode}); pyproject.toml and {CHANGELOG} "
            "were already updated"
        )


# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dist", metavar="DIST", help="distribution, e.g. microsoft-agents-activity")
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument("--bump", choices=("major", "minor", "patch"))
    how.add_argument("--version", dest="explicit_version", metavar="X.Y.Z")
    parser.add_argument("--date", help="release date, YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="release even when Unreleased has no entries for DIST",
    )
    parser.add_argument("--no-build", action="store_true", help="skip python -m build")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root")
    return parser.parse_args(argv)


def release(args: argparse.Namespace) -> None:
    root: Path = args.root.resolve()
    try:
        dist = find_distribution(root, args.dist)
    except LookupError as exc:
        raise ReleaseError(str(exc)) from exc
    date = args.date or dt.date.today().isoformat()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            raise ValueError(date)
        dt.date.fromisoformat(date)
    except ValueError as exc:
        raise ReleaseError(f"--date must be a YYYY-MM-DD date, got {date!r}") from exc

    pyproject = dist.path / "pyproject.toml"
    current = load_toml(pyproject).get("project", {}).get("version")
    if not isinstance(current, str):
        raise ReleaseError(f"{pyproject}: [project] has no static version")
    new = next_version(current, args.bump, args.explicit_version)

    changelog = root / CHANGELOG
    if not changelog.is_file():
        raise ReleaseError(f"{CHANGELOG} not found at the repository root")
    new_changelog = move_unreleased(
        changelog.read_text(encoding="utf-8"), dist.name, new, date, args.allow_empty
    )
    new_pyproject = set_project_version(pyproject.read_text(encoding="utf-8"), new)

    pyproject.write_text(new_pyproject, encoding="utf-8")
    changelog.write_text(new_changelog, encoding="utf-8")
    print(f"{dist.name}: {current} -> {new}")
    print(f"{CHANGELOG}: added '## [{dist.name} {new}] - {date}'")

    for note in stale_sibling_ranges(discover(root), dist.name, new):
        print(f"warning: {note}; update that range", file=sys.stderr)

    if not args.no_build:
        build(root, dist)
        print(f"built {dist.name} {new} into {root / 'dist'}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        release(args)
    except ReleaseError as exc:
        print(f"release: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
