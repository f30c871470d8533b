"""Compare Activity JSON speed and memory of this repository with the published 1.9.0 release.

Usage::

    python3 benchmarks/activity_bench.py            # full run (5 rounds per package)
    python3 benchmarks/activity_bench.py --quick    # fewer rounds, shorter measurements
    python3 benchmarks/activity_bench.py --json     # machine-readable results on stdout

Two virtual environments are kept under ``<repo>/.bench/``: ``ours`` gets the distribution
built from ``libraries/microsoft-agents-activity`` (a regular, non-editable install, so the
figures are those a user gets) and ``published`` gets ``microsoft-agents-activity==1.9.0``.
Both are pinned to the same pydantic. ``_activity_worker.py`` is then run in each of them in
turn and the best figures are compared. Only the standard library is needed to run this file.

Exit status: 0 when the round-trip speed-up reaches the target, 1 when it does not (or when
our round trip is not lossless), 2 when the environments could not be set up or a worker
failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
STATE_DIR = REPO / ".bench"
WORKER = BENCH_DIR / "_activity_worker.py"
DEFAULT_DATA = BENCH_DIR / "data" / "teams_message.json"
OUR_DIST = REPO / "libraries" / "microsoft-agents-activity"
PUBLISHED_VERSION = "1.9.0"
TARGET = 1.5
OPERATIONS = ("validate_json", "dump_json", "roundtrip")
STATE_FILE = "bench-state.json"
RUNNER_PYTHON = "{}.{}".format(*sys.version_info[:2])


class SetupError(Exception):
    """The benchmark environments could not be prepared or a worker failed."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- virtual environments --------------------------------------------------------------------


def venv_python(env: Path) -> Path:
    if os.name == "nt":
        return env / "Scripts" / "python.exe"
    return env / "bin" / "python"


def run_checked(command: list[str], what: str) -> str:
    """Run ``command``; on failure raise :class:`SetupError` with its output's tail."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SetupError(f"{what}: could not start {command[0]}: {error}") from error
    if done.returncode != 0:
        tail = "\n".join((done.stdout + "\n" + done.stderr).strip().splitlines()[-40:])
        hint = ""
        if "pip" in command:
            hint = (
                "\nhint: pip needs access to the Python package index (or a configured mirror);"
                " check the network, proxy settings and PIP_INDEX_URL, then run again."
                " Use --rebuild to start from fresh environments."
            )
        raise SetupError(
            f"{what} failed (exit {done.returncode}).\n"
            f"command: {' '.join(command)}\n"
            f"--- last lines of its output ---\n{tail}{hint}"
        )
    return done.stdout


def pip_install(env: Path, args: list[str], what: str) -> None:
    command = [str(venv_python(env)), "-m", "pip", "install", "--disable-pip-version-check"]
    log(f"  pip install {' '.join(args)}")
    run_checked([*command, *args], what)


def probe(env: Path) -> dict[str, Any] | None:
    """Versions installed in ``env``, or ``None`` when it is missing or broken."""
    python = venv_python(env)
    if not python.exists():
        return None
    code = (
        "import json, sys, importlib.metadata as m\n"
        "import pydantic, microsoft_agents.activity\n"
        "print(json.dumps({'pydantic': pydantic.VERSION,"
        " 'activity': m.version('microsoft-agents-activity'),"
        " 'python': '%d.%d' % sys.version_info[:2]}))"
    )
    done = subprocess.run(
        [str(python), "-I", "-c", code], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return None
    try:
        found = json.loads(done.stdout)
    except ValueError:
        return None
    if not isinstance(found, dict) or found.pop("python", None) != RUNNER_PYTHON:
        return None  # broken, or made by another interpreter than the one running us
    return found


def read_state(env: Path) -> dict[str, Any]:
    try:
        state = json.loads((env / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def write_state(env: Path, state: dict[str, Any]) -> None:
    (env / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")


def create_venv(env: Path) -> None:
    log(f"  creating {env.relative_to(REPO)} with {sys.executable}")
    if env.exists():
        shutil.rmtree(env)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    except Exception as error:  # venv raises CalledProcessError, OSError, ...
        raise SetupError(
            f"could not create the virtual environment {env}: {error}\n"
            "hint: on Debian/Ubuntu install the python3-venv package"
            " (it provides ensurepip), then run again."
        ) from error


def source_digest() -> str:
    """A hash of our distribution's sources, to know when ``ours`` must be reinstalled."""
    digest = hashlib.sha256()
    files = [OUR_DIST / "pyproject.toml", *sorted((OUR_DIST / "src").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(OUR_DIST)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare_ours(env: Path, rebuild: bool) -> str:
    """Install our distribution (non-editable) into ``env``; return its pydantic version."""
    log("[ours] checking the environment")
    digest = source_digest()
    found = None if rebuild else probe(env)
    if found is not None and read_state(env).get("source") == digest:
        log(f"  reusing it (pydantic {found['pydantic']})")
        return str(found["pydantic"])
    if found is None:
        create_venv(env)
        pip_install(env, [str(OUR_DIST)], "installing our distribution into .bench/ours")
    else:
        log("  sources changed since the last install: reinstalling")
        pip_install(
            env,
            ["--force-reinstall", "--no-deps", str(OUR_DIST)],
            "reinstalling our distribution into .bench/ours",
        )
        pip_install(env, [str(OUR_DIST)], "updating the dependencies of .bench/ours")
    found = probe(env)
    if found is None:
        raise SetupError(
            "our distribution was installed into .bench/ours but microsoft_agents.activity"
            " does not import there; run it by hand to see why:\n"
            f"  {venv_python(env)} -c 'import microsoft_agents.activity'"
        )
    write_state(env, {"source": digest})
    return str(found["pydantic"])


def prepare_published(env: Path, pydantic_version: str, rebuild: bool) -> None:
    """Install the published release into ``env``, pinned to ``pydantic_version``."""
    log(f"[published] checking the environment (microsoft-agents-activity=={PUBLISHED_VERSION})")
    found = None if rebuild else probe(env)
    wanted = {"pydantic": pydantic_version, "activity": PUBLISHED_VERSION}
    if found == wanted:
        log("  reusing it")
        return
    if found is None:
        create_venv(env)
    # The release imports ``jwt`` without declaring PyJWT as a dependency.
    pip_install(
        env,
        [
            f"microsoft-agents-activity=={PUBLISHED_VERSION}",
            "pyjwt",
            f"pydantic=={pydantic_version}",
        ],
        f"installing microsoft-agents-activity=={PUBLISHED_VERSION} into .bench/published",
    )
    found = probe(env)
    if found != wanted:
        raise SetupError(
            f"after installing, .bench/published reports {found}, expected {wanted};"
            " run again with --rebuild"
        )
    write_state(env, wanted)


# -- measuring -------------------------------------------------------------------------------


def run_worker(env: Path, data: Path, budget: float) -> dict[str, Any]:
    command = [
        str(venv_python(env)),
        "-I",  # no PYTHONPATH, no current directory: the installed package only
        str(WORKER),
        "--data",
        str(data),
        "--budget",
        str(budget),
    ]
    output = run_checked(command, f"the benchmark worker in {env.relative_to(REPO)}")
    try:
        result = json.loads(output.strip().splitlines()[-1])
    except (ValueError, IndexError) as error:
        raise SetupError(f"the worker in {env} printed no JSON result:\n{output}") from error
    package_file = Path(result["package"]["file"])
    if REPO / "libraries" in package_file.parents:
        raise SetupError(
            f"the worker in {env} imported the repository sources ({package_file})"
            " instead of the installed distribution"
        )
    return dict(result)


def measure(envs: dict[str, Path], data: Path, rounds: int, budget: float) -> dict[str, Any]:
    """Run the workers ``rounds`` times each, alternating which package goes first."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in envs}
    names = list(envs)
    for index in range(rounds):
        order = names if index % 2 == 0 else names[::-1]
        for name in order:
            result = run_worker(envs[name], data, budget)
            runs[name].append(result)
            timings = result["timings_us"]
            log(
                f"  round {index + 1}/{rounds} {name:<9}"
                + "".join(f"  {op} {timings[op]:7.2f} µs" for op in OPERATIONS)
            )
    summary: dict[str, Any] = {}
    for name, results in runs.items():
        first = results[0]
        memory = sorted(result["memory_bytes_per_instance"] for result in results)
        summary[name] = {
            "version": first["package"]["version"],
            "python": first["python"],
            "pydantic": first["pydantic"],
            "pydantic_core": first["pydantic_core"],
            "payload_bytes": first["payload_bytes"],
            "best_us": {op: min(r["timings_us"][op] for r in results) for op in OPERATIONS},
            "rounds_us": {op: [r["timings_us"][op] for r in results] for op in OPERATIONS},
            "memory_bytes_per_instance": memory[len(memory) // 2],
            "roundtrip_ok": all(result["roundtrip_ok"] for result in results),
            "roundtrip_diff": first["roundtrip_diff"],
        }
    return summary


# -- reporting -------------------------------------------------------------------------------


def ratios(summary: dict[str, Any]) -> dict[str, float]:
    ours, theirs = summary["ours"], summary["published"]
    out = {op: theirs["best_us"][op] / ours["best_us"][op] for op in OPERATIONS}
    out["memory"] = theirs["memory_bytes_per_instance"] / ours["memory_bytes_per_instance"]
    return out


def print_table(summary: dict[str, Any], ratio: dict[str, float], rounds: int) -> None:
    ours, theirs = summary["ours"], summary["published"]
    print(
        f"Activity JSON benchmark: {ours['payload_bytes']} byte Teams message,"
        f" best of {rounds} round{'s' if rounds != 1 else ''} per package"
    )
    print(
        f"python {ours['python']}, pydantic {ours['pydantic']}"
        f" (pydantic-core {ours['pydantic_core']}) in both environments"
    )
    print(f"ours: {ours['version']} (built from {OUR_DIST.relative_to(REPO)})")
    print(f"published: microsoft-agents-activity {theirs['version']}")
    print()
    header = f"{'measure':<28}{'ours':>12}{'published':>12}{'published/ours':>17}"
    print(header)
    print("-" * len(header))
    labels = {
        "validate_json": "model_validate_json (µs/op)",
        "dump_json": "model_dump_json (µs/op)",
        "roundtrip": "round trip (µs/op)",
    }
    for op in OPERATIONS:
        print(
            f"{labels[op]:<28}{ours['best_us'][op]:>12.2f}{theirs['best_us'][op]:>12.2f}"
            f"{ratio[op]:>16.2f}x"
        )
    print(
        f"{'retained bytes / activity':<28}{ours['memory_bytes_per_instance']:>12.0f}"
        f"{theirs['memory_bytes_per_instance']:>12.0f}{ratio['memory']:>16.2f}x"
    )
    print()
    print("ratios above 1 mean ours is faster (or smaller); figures are only comparable")
    print("with each other, within this run on this machine.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare Activity JSON speed with the published release."
    )
    parser.add_argument("--quick", action="store_true", help="2 rounds of 0.15 s measurements")
    parser.add_argument("--rounds", type=int, help="rounds per package (default 5, quick 2)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--rebuild", action="store_true", help="recreate both environments")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="activity JSON file")
    args = parser.parse_args(argv)

    if sys.version_info < (3, 10):  # noqa: UP036 - a clear message for older interpreters
        log("this benchmark needs Python 3.10 or newer")
        return 2
    rounds = args.rounds or (2 if args.quick else 5)
    budget = 0.15 if args.quick else 0.3
    envs = {"ours": STATE_DIR / "ours", "published": STATE_DIR / "published"}

    try:
        STATE_DIR.mkdir(exist_ok=True)
        pydantic_version = prepare_ours(envs["ours"], args.rebuild)
        log(f"pydantic resolved for ours: {pydantic_version} (pinned in both environments)")
        prepare_published(envs["published"], pydantic_version, args.rebuild)
        log(f"measuring: {rounds} round(s) per package, ~{budget} s per measurement")
        summary = measure(envs, args.data.resolve(), rounds, budget)
    except SetupError as error:
        log(f"error: {error}")
        return 2

    ratio = ratios(summary)
    speedup = ratio["roundtrip"]
    met = speedup >= TARGET and summary["ours"]["roundtrip_ok"]
    if args.json:
        document = {
            "data": str(args.data),
            "rounds": rounds,
            "budget_seconds": budget,
            "results": summary,
            "ratios_published_over_ours": ratio,
            "roundtrip_speedup": speedup,
            "target": TARGET,
            "target_met": met,
        }
        print(json.dumps(document, indent=2))
    else:
        print_table(summary, ratio, rounds)
    for name in ("ours", "published"):
        if not summary[name]["roundtrip_ok"]:
            log(f"warning: the {name} round trip is not lossless:")
            for line in summary[name]["roundtrip_diff"]:
                log(f"  {line}")
    if not summary["ours"]["roundtrip_ok"]:
        log("our figures do not count while our round trip loses or changes data")
    verdict = f"round-trip speed-up: {speedup:.2f}x (target >= {TARGET}x)"
    if args.json:
        log(verdict)
    else:
        print(verdict)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
