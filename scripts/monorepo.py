"""Shared helpers for the monorepo tooling scripts.

Distributions are discovered from ``libraries/*/pyproject.toml``; nothing here keeps a list of
them. The module also carries the small subset of PEP 440 / PEP 508 handling the scripts need
(version ordering, specifier checks, requirement parsing) so that the tooling runs on the
standard library alone.

Used as a command line tool it answers questions for shell scripts and CI::

    python scripts/monorepo.py list [--json]       # distribution names
    python scripts/monorepo.py closure DIST...     # DIST plus the siblings it needs, recursively
    python scripts/monorepo.py leaf DIST           # dotted import name of the leaf package
    python scripts/monorepo.py src-paths           # every distribution's src/ directory
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

DIST_PREFIX = "microsoft-agents-"
NAMESPACE = "microsoft_agents"
LIBRARIES = "libraries"

REPO_ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------------------------
# TOML and discovery


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file into a dict."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def normalize_name(name: str) -> str:
    """PEP 503 normalisation: lower case, runs of ``-_.`` become a single ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def leaf_parts(dist_name: str) -> tuple[str, ...]:
    """Path parts of the leaf package owned by a distribution.

    ``microsoft-agents-hosting-core`` owns ``microsoft_agents/hosting/core``;
    ``microsoft-agents-activity`` owns ``microsoft_agents/activity``.
    """
    name = normalize_name(dist_name)
    if not name.startswith(DIST_PREFIX) or len(name) == len(DIST_PREFIX):
        raise ValueError(f"{dist_name!r} is not named {DIST_PREFIX}<name>")
    rest = name[len(DIST_PREFIX) :].split("-")
    return (NAMESPACE, *rest)


def leaf_module(dist_name: str) -> str:
    """Dotted import name of a distribution's leaf package."""
    return ".".join(leaf_parts(dist_name))


def namespace_parts(dist_name: str) -> list[tuple[str, ...]]:
    """Every namespace level above the leaf, outermost first."""
    parts = leaf_parts(dist_name)
    return [parts[:i] for i in range(1, len(parts))]


@dataclass(frozen=True)
class Distribution:
    """One distribution directory under ``libraries/``."""

    path: Path
    pyproject: dict[str, Any]

    @property
    def name(self) -> str:
        project = self.pyproject.get("project", {})
        name = project.get("name") if isinstance(project, dict) else None
        return str(name) if isinstance(name, str) else self.path.name

    @property
    def version(self) -> str | None:
        project = self.pyproject.get("project", {})
        version = project.get("version") if isinstance(project, dict) else None
        return version if isinstance(version, str) else None

    @property
    def leaf_dir(self) -> Path:
        return self.path.joinpath("src", *leaf_parts(self.name))

    def requirement_strings(self, extras: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """``(where, requirement)`` pairs from dependencies and optional dependencies.

        ``extras=None`` means every extra; otherwise only the named ones are included.
        """
        project = self.pyproject.get("project", {})
        if not isinstance(project, dict):
            return []
        found: list[tuple[str, str]] = []
        for req in project.get("dependencies", []) or []:
            found.append(("dependencies", str(req)))
        optional = project.get("optional-dependencies", {}) or {}
        wanted = None if extras is None else set(extras)
        if isinstance(optional, dict):
            for extra, reqs in optional.items():
                if wanted is not None and extra not in wanted:
                    continue
                for req in reqs or []:
                    found.append((f"optional-dependencies.{extra}", str(req)))
        return found

    def sibling_requirements(self, extras: Iterable[str] | None = None) -> list[Requirement]:
        """Parsed requirements on other ``microsoft-agents-*`` distributions."""
        sibs: list[Requirement] = []
        for _where, text in self.requirement_strings(extras):
            try:
                req = parse_requirement(text)
            except ValueError:
                continue
            if req.is_sibling:
                sibs.append(req)
        return sibs


def library_dirs(root: Path) -> list[Path]:
    """Every non-hidden directory directly under ``libraries/``."""
    libs = root / LIBRARIES
    if not libs.is_dir():
        return []
    return sorted(p for p in libs.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def discover(root: Path = REPO_ROOT) -> list[Distribution]:
    """Distributions found as ``libraries/*/pyproject.toml``, sorted by directory name."""
    found: list[Distribution] = []
    for directory in library_dirs(root):
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            found.append(Distribution(directory, load_toml(pyproject)))
    return found


def find_distribution(root: Path, name: str) -> Distribution:
    """Look a distribution up by name, directory name, or short name (``activity``)."""
    dists = discover(root)
    wanted = normalize_name(name)
    for dist in dists:
        if wanted in (normalize_name(dist.name), normalize_name(dist.path.name)):
            return dist
    for dist in dists:
        if normalize_name(dist.name) == DIST_PREFIX + wanted:
            return dist
    known = ", ".join(d.name for d in dists) or "none"
    raise LookupError(f"no distribution named {name!r} under {LIBRARIES}/ (known: {known})")


def closure(root: Path, names: Iterable[str], extras: Iterable[str] = ("test",)) -> list[str]:
    """The named distributions plus every sibling they need, recursively.

    For the named distributions, ``extras`` are followed as well; for siblings reached through
    a requirement, the extras that requirement asks for are followed.
    """
    by_name = {normalize_name(d.name): d for d in discover(root)}
    order: list[str] = []
    seen: set[str] = set()
    pending: list[tuple[str, tuple[str, ...]]] = [
        (find_distribution(root, n).name, tuple(extras)) for n in names
    ]
    followed: set[tuple[str, tuple[str, ...]]] = set()
    while pending:
        name, wanted_extras = pending.pop(0)
        key = normalize_name(name)
        if (key, wanted_extras) in followed:
            continue
        followed.add((key, wanted_extras))
        dist = by_name.get(key)
        if dist is None:
            raise LookupError(f"sibling {name!r} is required but not found under {LIBRARIES}/")
        if key not in seen:
            seen.add(key)
            order.append(dist.name)
        reqs = dist.sibling_requirements(extras=wanted_extras)
        pending.extend((req.name, tuple(sorted(req.extras))) for req in reqs)
    return order


# --------------------------------------------------------------------------------------------
# Versions (a PEP 440 subset: release, aN/bN/rcN, .postN, .devN)

_VERSION_RE = re.compile(
    r"^v?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre_l>a|b|rc)[-_.]?(?P<pre_n>\d+))?"
    r"(?:[-_.]?post[-_.]?(?P<post>\d+))?"
    r"(?:[-_.]?dev[-_.]?(?P<dev>\d+))?$",
    re.IGNORECASE,
)
_PRE_RANK = {"a": 0, "b": 1, "rc": 2}

VersionKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Version:
    release: tuple[int, ...]
    pre: tuple[str, int] | None = None
    post: int | None = None
    dev: int | None = None

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _VERSION_RE.match(text.strip())
        if match is None:
            raise ValueError(f"unsupported version {text!r}")
        pre = None
        if match["pre_l"]:
            pre = (match["pre_l"].lower(), int(match["pre_n"]))
        return cls(
            release=tuple(int(p) for p in match["release"].split(".")),
            pre=pre,
            post=int(match["post"]) if match["post"] else None,
            dev=int(match["dev"]) if match["dev"] else None,
        )

    @property
    def is_final(self) -> bool:
        return self.pre is None and self.post is None and self.dev is None

    def key(self) -> VersionKey:
        release = list(self.release)
        while len(release) > 1 and release[-1] == 0:
            release.pop()
        if self.pre is not None:
            pre_key: tuple[int, ...] = (0, _PRE_RANK[self.pre[0]], self.pre[1])
        elif self.dev is not None and self.post is None:
            pre_key = (-1,)
        else:
            pre_key = (1,)
        post_key = (-1,) if self.post is None else (0, self.post)
        dev_key = (1,) if self.dev is None else (0, self.dev)
        return (tuple(release), pre_key, post_key, dev_key)

    def __lt__(self, other: Version) -> bool:
        return self.key() < other.key()

    def __le__(self, other: Version) -> bool:
        return self.key() <= other.key()

    def __gt__(self, other: Version) -> bool:
        return self.key() > other.key()

    def __ge__(self, other: Version) -> bool:
        return self.key() >= other.key()

    def same(self, other: Version) -> bool:
        return self.key() == other.key()

    def __str__(self) -> str:
        text = ".".join(str(p) for p in self.release)
        if self.pre is not None:
            text += f"{self.pre[0]}{self.pre[1]}"
        if self.post is not None:
            text += f".post{self.post}"
        if self.dev is not None:
            text += f".dev{self.dev}"
        return text


LOWER_OPS = frozenset({">=", ">", "~="})
UPPER_OPS = frozenset({"<", "<=", "~="})
PIN_OPS = frozenset({"==", "==="})


@dataclass(frozen=True)
class Specifier:
    op: str
    version: str

    def __str__(self) -> str:
        return f"{self.op}{self.version}"

    def admits(self, candidate: Version) -> bool:
        if self.op == "===":
            return str(candidate) == self.version
        if self.op in ("==", "!=") and self.version.endswith(".*"):
            prefix = Version.parse(self.version[:-2]).release
            padded = candidate.release + (0,) * max(0, len(prefix) - len(candidate.release))
            hit = padded[: len(prefix)] == prefix
            return hit if self.op == "==" else not hit
        bound = Version.parse(self.version)
        if self.op == "==":
            return candidate.same(bound)
        if self.op == "!=":
            return not candidate.same(bound)
        if self.op == ">=":
            return candidate >= bound
        if self.op == "<=":
            return candidate <= bound
        if self.op == ">":
            return candidate > bound
        if self.op == "<":
            return candidate < bound
        if self.op == "~=":
            if len(bound.release) < 2:
                raise ValueError(f"'~=' needs at least two release parts: {self}")
            prefix = bound.release[:-1]
            padded = candidate.release + (0,) * max(0, len(prefix) - len(candidate.release))
            return candidate >= bound and padded[: len(prefix)] == prefix
        raise ValueError(f"unsupported operator in {self}")


_NAME_RE = re.compile(r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*")
_SPEC_RE = re.compile(r"^\s*(?P<op>~=|===|==|!=|<=|>=|<|>)\s*(?P<version>[^\s,;]+)\s*$")


@dataclass(frozen=True)
class Requirement:
    name: str
    extras: frozenset[str]
    specifiers: tuple[Specifier, ...]
    url: str | None
    marker: str | None

    @property
    def is_sibling(self) -> bool:
        return normalize_name(self.name).startswith(DIST_PREFIX)

    def admits(self, candidate: Version) -> bool:
        return all(spec.admits(candidate) for spec in self.specifiers)

    @property
    def specifier_text(self) -> str:
        return ",".join(str(s) for s in self.specifiers)


def parse_requirement(text: str) -> Requirement:
    """Parse a PEP 508 requirement string (name, extras, specifiers or URL, marker)."""
    body, _, marker = text.partition(";")
    match = _NAME_RE.match(body)
    if match is None:
        raise ValueError(f"cannot parse requirement {text!r}")
    name = match["name"]
    rest = body[match.end() :]
    extras: frozenset[str] = frozenset()
    if rest.startswith("["):
        close = rest.find("]")
        if close < 0:
            raise ValueError(f"unterminated extras in {text!r}")
        extras = frozenset(e.strip() for e in rest[1:close].split(",") if e.strip())
        rest = rest[close + 1 :]
    rest = rest.strip()
    url = None
    specs: list[Specifier] = []
    if rest.startswith("@"):
        url = rest[1:].strip()
    elif rest:
        if rest.startswith("(") and rest.endswith(")"):
            rest = rest[1:-1]
        for part in rest.split(","):
            spec = _SPEC_RE.match(part)
            if spec is None:
                raise ValueError(f"cannot parse version specifier {part.strip()!r} in {text!r}")
            specs.append(Specifier(spec["op"], spec["version"]))
    return Requirement(
        name=name,
        extras=extras,
        specifiers=tuple(specs),
        url=url,
        marker=marker.strip() or None,
    )


def range_problem(req: Requirement) -> str | None:
    """Why a sibling requirement is not a bounded range, or ``None`` when it is one."""
    if req.url is not None:
        return "is a direct URL reference; declare a version range such as '>=0.1.0,<0.2'"
    if not req.specifiers:
        return "has no version range; declare one such as '>=0.1.0,<0.2'"
    ops = {spec.op for spec in req.specifiers}
    if ops & PIN_OPS:
        return "is pinned with '=='; declare a range such as '>=0.1.0,<0.2'"
    missing = []
    if not ops & LOWER_OPS:
        missing.append("a lower bound (>=)")
    if not ops & UPPER_OPS:
        missing.append("an upper bound (<)")
    if missing:
        return "lacks " + " and ".join(missing)
    return None


# --------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="print distribution names")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    needed = sub.add_parser("closure", help="print DIST and its sibling dependencies")
    needed.add_argument("dists", nargs="+")
    needed.add_argument(
        "--with-paths", action="store_true", help="print 'NAME<TAB>DIRECTORY' lines"
    )
    leaf = sub.add_parser("leaf", help="print the dotted leaf package of DIST")
    leaf.add_argument("dist")
    sub.add_parser("src-paths", help="print every distribution's src directory")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()

    try:
        if args.command == "list":
            names = [d.name for d in discover(root)]
            print(json.dumps(names) if args.json else "\n".join(names))
        elif args.command == "closure":
            names = closure(root, args.dists)
            if args.with_paths:
                names = [f"{n}\t{find_distribution(root, n).path}" for n in names]
            print("\n".join(names))
        elif args.command == "leaf":
            print(leaf_module(find_distribution(root, args.dist).name))
        elif args.command == "src-paths":
            print("\n".join(str(d.path / "src") for d in discover(root)))
    except (LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
