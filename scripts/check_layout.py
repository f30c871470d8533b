"""Check that every distribution under libraries/ follows the monorepo layout rules.

Usage::

    python scripts/check_layout.py [DIST ...] [--wheels DIR ...] [--root PATH]

With no DIST every ``libraries/*/`` directory is checked. Each problem is printed on one line
as ``<where>: <what>``; the exit status is 1 when any problem was found.

Rules for a distribution ``libraries/microsoft-agents-<a>-<b>/``:

* it has ``pyproject.toml``, ``README.md`` and a ``tests/`` folder holding ``test_*.py`` files
  (and no ``__init__.py``, tests are collected with ``--import-mode=importlib``);
* its project name equals the directory name;
* it builds with hatchling and ``[tool.hatch.build.targets.wheel] packages`` is exactly
  ``["src/microsoft_agents"]``;
* its code lives in the leaf package ``src/microsoft_agents/<a>/<b>/``, which has
  ``__init__.py`` and ``py.typed``; the levels above it (``microsoft_agents``, ``<a>``) are
  namespace packages and hold no ``__init__.py`` or any other file;
* requirements on other ``microsoft-agents-*`` distributions are version ranges with a lower
  and an upper bound (``>=0.1.0,<0.2``), never pins or bare names, and the range admits the
  version of that sibling currently in the repository.

``--wheels DIR`` also inspects every ``*.whl`` in DIR: a wheel may only contain files under its
own leaf package plus its ``.dist-info`` folder, and must ship the leaf's ``py.typed``.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

from monorepo import (
    DIST_PREFIX,
    NAMESPACE,
    REPO_ROOT,
    Distribution,
    Version,
    leaf_parts,
    library_dirs,
    load_toml,
    normalize_name,
    parse_requirement,
    range_problem,
)

HATCH_PACKAGES = [f"src/{NAMESPACE}"]
HATCH_BACKEND = "hatchling.build"
_WHEEL_RE = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


class Report:
    """Collects problems as ``<where>: <what>`` lines."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[str] = []

    def add(self, where: Path | str, what: str) -> None:
        label = where
        if isinstance(where, Path):
            try:
                label = where.relative_to(self.root).as_posix()
            except ValueError:
                label = where.as_posix()
        self.problems.append(f"{label}: {what}")


def _source_files(base: Path) -> Iterator[Path]:
    for path in sorted(base.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if any(part.endswith(".egg-info") for part in path.relative_to(base).parts):
            continue
        yield path


# --------------------------------------------------------------------------------------------
# Source tree checks


def check_files(directory: Path, report: Report) -> None:
    """(c) pyproject.toml, README.md and tests/ with test files, no __init__.py in tests."""
    for required in ("pyproject.toml", "README.md"):
        if not (directory / required).is_file():
            report.add(directory, f"missing {required}")
    tests = directory / "tests"
    if not tests.is_dir():
        report.add(directory, "missing tests/ directory")
        return
    if not any(tests.rglob("test_*.py")):
        report.add(tests, "contains no test_*.py files")
    for init in sorted(tests.rglob("__init__.py")):
        report.add(init, "tests are collected with --import-mode=importlib; remove __init__.py")


def check_project(dist: Distribution, report: Report) -> bool:
    """Project name, build backend and (e) hatchling wheel packages. False if name unusable."""
    pyproject = dist.path / "pyproject.toml"
    project = dist.pyproject.get("project")
    name = project.get("name") if isinstance(project, dict) else None
    if not isinstance(name, str):
        report.add(pyproject, "[project] has no name")
        return False
    if not normalize_name(name).startswith(DIST_PREFIX) or normalize_name(name) == DIST_PREFIX:
        report.add(pyproject, f"project name {name!r} must look like {DIST_PREFIX}<name>")
        return False
    if name != dist.path.name:
        report.add(pyproject, f"project name {name!r} differs from directory {dist.path.name!r}")
    if not isinstance(project, dict) or not isinstance(project.get("version"), str):
        report.add(pyproject, "[project] needs a static version string")

    build_system = dist.pyproject.get("build-system", {})
    backend = build_system.get("build-backend") if isinstance(build_system, dict) else None
    if backend != HATCH_BACKEND:
        report.add(pyproject, f"build-backend is {backend!r}, expected {HATCH_BACKEND!r}")
    tool = dist.pyproject.get("tool", {})
    wheel: object = tool
    for key in ("hatch", "build", "targets", "wheel"):
        wheel = wheel.get(key, {}) if isinstance(wheel, dict) else {}
    packages = wheel.get("packages") if isinstance(wheel, dict) else None
    if packages != HATCH_PACKAGES:
        report.add(
            pyproject,
            f"[tool.hatch.build.targets.wheel] packages is {packages!r}, "
            f"expected {HATCH_PACKAGES!r}",
        )
    return True


def check_sources(dist: Distribution, report: Report) -> None:
    """(a) no namespace __init__.py, (b) leaf has py.typed and __init__.py, no stray files."""
    src = dist.path / "src"
    leaf = dist.leaf_dir
    dotted = ".".join(leaf_parts(dist.name))
    if not leaf.is_dir():
        report.add(dist.path, f"missing leaf package directory {leaf.relative_to(dist.path)}")
    else:
        if not (leaf / "py.typed").is_file():
            report.add(leaf, f"leaf package {dotted} lacks py.typed")
        if not (leaf / "__init__.py").is_file():
            report.add(leaf, f"leaf package {dotted} lacks __init__.py")
    if not src.is_dir():
        return
    for path in _source_files(src):
        if leaf in path.parents:
            continue
        if path.name == "__init__.py":
            report.add(path, "namespace-level directory must not have __init__.py")
        else:
            report.add(path, f"file outside the leaf package {dotted}")


def check_dependencies(dist: Distribution, versions: dict[str, str | None], report: Report) -> None:
    """(f) sibling requirements are bounded ranges that admit the sibling's current version."""
    pyproject = dist.path / "pyproject.toml"
    for where, text in dist.requirement_strings():
        try:
            req = parse_requirement(text)
        except ValueError as exc:
            report.add(pyproject, f"{where}: {exc}")
            continue
        if not req.is_sibling:
            continue
        label = f"{where}: sibling requirement {text!r}"
        problem = range_problem(req)
        if problem is not None:
            report.add(pyproject, f"{label} {problem}")
            continue
        key = normalize_name(req.name)
        if key not in versions:
            report.add(pyproject, f"{label} names a distribution not found under libraries/")
            continue
        current = versions[key]
        if current is None:
            continue
        try:
            admitted = req.admits(Version.parse(current))
        except ValueError as exc:
            report.add(pyproject, f"{label}: {exc}")
            continue
        if not admitted:
            report.add(
                pyproject,
                f"{label} does not admit {req.name} {current} found in the repository",
            )


def _load(directory: Path, report: Report) -> Distribution | None:
    pyproject = directory / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        return Distribution(directory, load_toml(pyproject))
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        report.add(pyproject, f"cannot parse: {exc}")
        return None


def check_repository(root: Path, selected: list[str], report: Report) -> int:
    """Run the source-tree checks; returns how many distributions were checked."""
    directories = library_dirs(root)
    if not directories:
        report.add(root / "libraries", "no distributions found")
        return 0
    quiet = Report(root)  # parse errors are reported below, for the selected ones only
    loaded = {d: _load(d, quiet) for d in directories}
    versions = {normalize_name(d.name): d.version for d in loaded.values() if d is not None}
    if selected:
        wanted = {normalize_name(s) for s in selected}
        wanted |= {DIST_PREFIX + w for w in wanted if not w.startswith(DIST_PREFIX)}
        chosen = [d for d in directories if normalize_name(d.name) in wanted]
        if not chosen or len(chosen) < len(selected):
            found = {normalize_name(d.name) for d in chosen}
            for name in selected:
                key = normalize_name(name)
                if key not in found and DIST_PREFIX + key not in found:
                    report.add(root / "libraries", f"unknown distribution {name!r}")
        directories = chosen
    for directory in directories:
        check_files(directory, report)
        dist = _load(directory, report)
        if dist is not None and check_project(dist, report):
            check_sources(dist, report)
            check_dependencies(dist, versions, report)
    return len(directories)


# --------------------------------------------------------------------------------------------
# Wheel checks


def check_wheel(wheel: Path, known: dict[str, str], report: Report) -> None:
    """(d) the wheel holds only its leaf package and its .dist-info, and ships py.typed."""
    match = _WHEEL_RE.match(wheel.name)
    if match is None:
        report.add(wheel, "file name is not a valid wheel name")
        return
    dist_name = known.get(normalize_name(match["name"]), normalize_name(match["name"]))
    try:
        leaf = "/".join(leaf_parts(dist_name))
    except ValueError as exc:
        report.add(wheel, str(exc))
        return
    dist_info = f"{match['name']}-{match['version']}.dist-info"
    try:
        with zipfile.ZipFile(wheel) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
    except (OSError, zipfile.BadZipFile) as exc:
        report.add(wheel, f"cannot read wheel: {exc}")
        return
    namespace_inits = {"/".join(p) + "/__init__.py" for p in _namespaces(leaf)}
    if not any(n.startswith(dist_info + "/") for n in names):
        report.add(wheel, f"has no {dist_info}/ folder")
    for name in names:
        if name.startswith((leaf + "/", dist_info + "/")):
            continue
        if name in namespace_inits:
            report.add(wheel, f"contains namespace-level {name}; namespace levels need none")
        else:
            report.add(wheel, f"contains {name}, outside its leaf package {leaf}/")
    for required in ("py.typed", "__init__.py"):
        if f"{leaf}/{required}" not in names:
            report.add(wheel, f"lacks {leaf}/{required}")


def _namespaces(leaf: str) -> list[tuple[str, ...]]:
    parts = tuple(leaf.split("/"))
    return [parts[:i] for i in range(1, len(parts))]


def check_wheels(directory: Path, root: Path, report: Report) -> int:
    wheels = sorted(directory.glob("*.whl"))
    if not wheels:
        report.add(directory, "no wheels found")
        return 0
    known: dict[str, str] = {}
    for lib in library_dirs(root):
        dist = _load(lib, Report(root))
        if dist is not None:
            known[normalize_name(dist.name)] = dist.name
    for wheel in wheels:
        check_wheel(wheel, known, report)
    return len(wheels)


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dists", nargs="*", metavar="DIST", help="distributions to check")
    parser.add_argument(
        "--wheels",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="also check the wheels in DIR (may be repeated)",
    )
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    report = Report(root)

    checked = check_repository(root, args.dists, report)
    wheel_count = sum(check_wheels(d.resolve(), root, report) for d in args.wheels)

    for line in report.problems:
        print(line)
    if report.problems:
        print(f"check_layout: {len(report.problems)} problem(s)", file=sys.stderr)
        return 1
    summary = f"check_layout: OK ({checked} distribution(s)"
    if args.wheels:
        summary += f", {wheel_count} wheel(s)"
    print(summary + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
