"""Load-test the quickstart echo agent on this repository's host and on the published 1.9.0 one.

Usage::

    python3 benchmarks/echo_bench.py             # 2 rounds, 10 s measured per scenario
    python3 benchmarks/echo_bench.py --quick     # 1 round, 3 s measured per scenario
    python3 benchmarks/echo_bench.py --json      # machine-readable results on stdout
    python3 benchmarks/echo_bench.py --profile   # also sample the servers with py-spy

The same agent (``_echo_server.py``) runs on both stacks, each in its own virtual
environment under ``<repo>/.bench/``: ``echo-ours`` gets the distributions built from
``libraries/`` (regular, non-editable installs) and ``echo-published`` gets
``microsoft-agents-hosting-aiohttp==1.9.0`` with ``microsoft-agents-authentication-msal==1.9.0``,
pinned to the same pydantic and aiohttp. The server is pinned to CPU 0; the load generator
(``_load.py``) and the loopback connector stand-in (``_connector_standin.py``) run in their
own processes on CPU 1. Two scenarios are measured:

* S1: message activities with ``deliveryMode: expectReplies`` (the reply comes back in the
  ``200`` response body);
* S2: normal delivery (``202``; the reply is posted to the stand-in, which counts it).

Only the standard library is needed to run this file.

Exit status: 0 when both scenarios reach the target speed-up, 1 when one does not (or when
our stack gave a wrong answer), 2 when the environments could not be set up or a process
failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import venv
from collections import Counter
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
STATE_DIR = REPO / ".bench"
PROFILE_DIR = STATE_DIR / "profiles"
SERVER = BENCH_DIR / "_echo_server.py"
LOAD = BENCH_DIR / "_load.py"
STANDIN = BENCH_DIR / "_connector_standin.py"
OUR_DISTS = [
    REPO / "libraries" / name
    for name in (
        "microsoft-agents-activity",
        "microsoft-agents-hosting-core",
        "microsoft-agents-hosting-aiohttp",
    )
]
PUBLISHED_VERSION = "1.9.0"
PUBLISHED_REQUIREMENTS = [
    f"microsoft-agents-hosting-aiohttp=={PUBLISHED_VERSION}",
    f"microsoft-agents-authentication-msal=={PUBLISHED_VERSION}",
    "pyjwt",  # imported by the release without being declared everywhere
]
STACKS = ("ours", "published")
SCENARIOS = {
    "S1": ("expect-replies", "expectReplies (200, replies in the body)"),
    "S2": ("normal", "normal delivery (202, reply posted to the connector stand-in)"),
}
TARGET = 5.0
SERVER_CPU = 0
CLIENT_CPU = 1
STATE_FILE = "bench-state.json"
RUNNER_PYTHON = "{}.{}".format(*sys.version_info[:2])
READY_TIMEOUT = 60.0

# Imports that must work in each environment (the anonymous CloudAdapter() is ours only).
PROBES = {
    "ours": (
        "from microsoft_agents.hosting.aiohttp import CloudAdapter, start_agent_process,"
        " jwt_authorization_middleware\n"
        "from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnState\n"
        "CloudAdapter()\n"
    ),
    "published": (
        "from microsoft_agents.hosting.aiohttp import CloudAdapter, start_agent_process,"
        " jwt_authorization_middleware\n"
        "from microsoft_agents.authentication.msal import MsalConnectionManager\n"
        "from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnState\n"
    ),
}
VERSIONS_CODE = (
    "import json, sys, importlib.metadata as m\n"
    "names = ['aiohttp', 'pydantic', 'microsoft-agents-activity',"
    " 'microsoft-agents-hosting-core', 'microsoft-agents-hosting-aiohttp']\n"
    "out = {n: m.version(n) for n in names}\n"
    "out['python'] = '%d.%d' % sys.version_info[:2]\n"
    "print(json.dumps(out))\n"
)


class SetupError(Exception):
    """The environments could not be prepared or a benchmark process failed."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- virtual environments --------------------------------------------------------------------


def venv_python(env: Path) -> Path:
    if os.name == "nt":
        return env / "Scripts" / "python.exe"
    return env / "bin" / "python"


def venv_script(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / name


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


def probe(env: Path, stack: str) -> dict[str, Any] | None:
    """Versions installed in ``env`` when the stack imports there, else ``None``."""
    python = venv_python(env)
    if not python.exists():
        return None
    done = subprocess.run(
        [str(python), "-I", "-c", PROBES[stack] + VERSIONS_CODE],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    try:
        found = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    if not isinstance(found, dict) or found.pop("python", None) != RUNNER_PYTHON:
        return None  # broken, or made by another interpreter than the one running us
    return found


def probe_error(env: Path, stack: str) -> str:
    done = subprocess.run(
        [str(venv_python(env)), "-I", "-c", PROBES[stack]],
        capture_output=True,
        text=True,
        check=False,
    )
    return "\n".join(done.stderr.strip().splitlines()[-15:])


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
    """A hash of our distributions' sources, to know when ``echo-ours`` must be reinstalled."""
    digest = hashlib.sha256()
    for dist in OUR_DISTS:
        files = [dist / "pyproject.toml", *sorted((dist / "src").rglob("*"))]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare_ours(env: Path, rebuild: bool) -> dict[str, Any]:
    """Install our distributions (non-editable) into ``env``; return the versions found."""
    log("[ours] checking the environment")
    missing = [dist for dist in OUR_DISTS if not (dist / "pyproject.toml").exists()]
    if missing:
        raise SetupError(f"missing distributions: {', '.join(str(d) for d in missing)}")
    digest = source_digest()
    found = None if rebuild else probe(env, "ours")
    if found is not None and read_state(env).get("source") == digest:
        log(f"  reusing it (aiohttp {found['aiohttp']}, pydantic {found['pydantic']})")
    else:
        if not venv_python(env).exists() or rebuild:
            create_venv(env)
        else:
            log("  sources changed since the last install (or it did not import): reinstalling")
        dists = [str(dist) for dist in OUR_DISTS]
        pip_install(
            env,
            ["--force-reinstall", "--no-deps", *dists],
            "installing our distributions into .bench/echo-ours",
        )
        pip_install(env, dists, "installing the dependencies of .bench/echo-ours")
        found = probe(env, "ours")
        if found is None:
            raise SetupError(
                "our distributions were installed into .bench/echo-ours but the echo server's"
                " imports fail there (an anonymous CloudAdapter() is needed):\n"
                + probe_error(env, "ours")
            )
        write_state(env, {"source": digest})
    return found


def prepare_py_spy(env: Path) -> Path:
    """Install py-spy (a native sampling profiler shipped as a wheel) into ``env``."""
    py_spy = venv_script(env, "py-spy")
    if not py_spy.exists():
        pip_install(env, ["py-spy"], f"installing py-spy into {env.relative_to(REPO)}")
    return py_spy


def prepare_published(env: Path, pins: dict[str, str], rebuild: bool) -> dict[str, Any]:
    """Install the published release into ``env`` with the same aiohttp and pydantic."""
    log(f"[published] checking the environment (hosting-aiohttp=={PUBLISHED_VERSION})")
    found = None if rebuild else probe(env, "published")
    wanted = {
        "microsoft-agents-hosting-aiohttp": PUBLISHED_VERSION,
        **{name: version for name, version in pins.items()},
    }
    if found is not None and all(found.get(k) == v for k, v in wanted.items()):
        log("  reusing it")
        return found
    if found is None and (rebuild or not venv_python(env).exists()):
        create_venv(env)
    pip_install(
        env,
        [*PUBLISHED_REQUIREMENTS, *(f"{name}=={version}" for name, version in pins.items())],
        f"installing the {PUBLISHED_VERSION} packages into .bench/echo-published",
    )
    found = probe(env, "published")
    if found is None or not all(found.get(k) == v for k, v in wanted.items()):
        detail = probe_error(env, "published") if found is None else str(found)
        raise SetupError(
            f"after installing, .bench/echo-published does not match {wanted}:\n{detail}\n"
            "run again with --rebuild"
        )
    write_state(env, wanted)
    return found


# -- processes -------------------------------------------------------------------------------


def pinned(command: list[str], cpu: int) -> list[str]:
    """Prefix ``command`` with ``taskset`` when available; else the script pins itself."""
    if shutil.which("taskset"):
        return ["taskset", "-c", str(cpu), *command]
    return [*command, "--cpu", str(cpu)]


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


class Background:
    """A long-running helper process that prints a JSON ``ready`` line when listening."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        self.log_path = STATE_DIR / f"{name}.log"
        self.log_file = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=self.log_file, text=True
            )
        except OSError as error:
            self.log_file.close()
            raise SetupError(f"could not start the {name}: {error}") from error
        self.pid = self.wait_ready()

    def wait_ready(self) -> int:
        lines: list[str] = []
        reader = threading.Thread(
            target=lambda: lines.append(
                self.process.stdout.readline() if self.process.stdout else ""
            ),
            daemon=True,
        )
        reader.start()
        reader.join(READY_TIMEOUT)
        line = lines[0] if lines else ""
        try:
            ready = json.loads(line)
            return int(ready["pid"])
        except (ValueError, KeyError, TypeError):
            try:  # stdout closed: give the process a moment to report its exit status
                exited: int | None = self.process.wait(1) if lines else None
            except subprocess.TimeoutExpired:
                exited = None
            self.stop()
            why = (
                f"exited with status {exited}"
                if exited is not None
                else f"printed no ready line within {READY_TIMEOUT:.0f} s"
            )
            tail = "\n".join(self.log_path.read_text(encoding="utf-8").splitlines()[-30:])
            raise SetupError(
                f"the {self.name} did not start ({why}); last lines of {self.log_path}:\n{tail}"
            ) from None

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            tail = "\n".join(self.log_path.read_text(encoding="utf-8").splitlines()[-30:])
            raise SetupError(f"the {self.name} exited ({self.process.returncode}):\n{tail}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def standin_stats(port: int) -> dict[str, int]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=10) as answer:
        return dict(json.loads(answer.read()))


def run_load(
    scenario: str,
    server_port: int,
    server_pid: int,
    standin_port: int,
    options: argparse.Namespace,
    duration: float,
) -> dict[str, Any]:
    command = pinned(
        [
            sys.executable,
            "-I",
            str(LOAD),
            "--scenario",
            SCENARIOS[scenario][0],
            "--port",
            str(server_port),
            "--service-url",
            f"http://127.0.0.1:{standin_port}/",
            "--concurrency",
            str(options.concurrency),
            "--warmup",
            str(options.warmup),
            "--duration",
            str(duration),
            "--server-pid",
            str(server_pid),
            "--server-cpu",
            str(SERVER_CPU),
        ],
        CLIENT_CPU,
    )
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        result = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise SetupError(
            f"the load generator printed no result (exit {done.returncode}):\n"
            + "\n".join(done.stderr.strip().splitlines()[-20:])
        ) from None
    return dict(result)


def check_deliveries(
    standin_port: int, before: dict[str, int], responses: int, result: dict[str, Any]
) -> str | None:
    """S2: the stand-in must have received one echo reply per answered request."""
    deadline = time.monotonic() + 5.0
    while True:
        after = standin_stats(standin_port)
        replies = after["replies"] - before["replies"]
        echoes = after["echo_replies"] - before["echo_replies"]
        bad = after["bad"] - before["bad"]
        if replies >= responses or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    result["connector_replies"] = replies
    result["connector_connections"] = after["connections"] - before["connections"]
    if replies == responses and echoes == responses and bad == 0:
        return None
    return (
        f"the connector stand-in received {replies} replies ({echoes} with the echo text,"
        f" {bad} other requests) for {responses} answered requests"
    )


# -- profiling -------------------------------------------------------------------------------


def profile_scenario(
    py_spy: Path,
    stack: str,
    scenario: str,
    server: Background,
    server_port: int,
    standin_port: int,
    options: argparse.Namespace,
) -> dict[str, Any]:
    """Sample the server with py-spy during a load run; summarise the collapsed stacks."""
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    raw = PROFILE_DIR / f"{stack}-{scenario}.txt"
    seconds = options.warmup + options.profile_seconds
    command = [str(py_spy), "record", "--pid", str(server.pid), "--rate", "250"]
    command += ["--duration", str(int(seconds) + 1), "--full-filenames", "--format", "raw"]
    command += ["--output", str(raw)]
    sampler = subprocess.Popen(
        pinned(command, CLIENT_CPU),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)  # let py-spy attach before the load starts
    run_load(scenario, server_port, server.pid, standin_port, options, options.profile_seconds)
    _out, err = sampler.communicate(timeout=seconds + 60)
    if sampler.returncode != 0 or not raw.exists():
        raise SetupError(
            f"py-spy failed (exit {sampler.returncode}):\n{err.strip()[-2000:]}\n"
            "hint: py-spy needs permission to read another process's memory"
            " (root, or CAP_SYS_PTRACE and kernel.yama.ptrace_scope=0)."
        )
    return summarise_profile(raw)


def frame_name(frame: str) -> str:
    """``func (path/to/module.py:12)`` -> ``func (module path, without the line)``."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            if marker == "lib/python3":
                path = "stdlib/" + path.split("/", 1)[-1]
            break
    return f"{name} ({path})" if path else name


def area(frame: str) -> str:
    """Which library a frame belongs to, for the per-area shares."""
    text = frame_name(frame)
    for needle, label in (
        ("microsoft_agents/hosting/aiohttp", "microsoft_agents.hosting.aiohttp"),
        ("microsoft_agents/hosting/core", "microsoft_agents.hosting.core"),
        ("microsoft_agents/activity", "microsoft_agents.activity"),
        ("microsoft_agents/", "microsoft_agents (other)"),
        ("_echo_server.py", "the echo agent itself"),
        ("pydantic", "pydantic"),
        ("opentelemetry/", "opentelemetry"),
        ("aiohttp/", "aiohttp"),
        ("multidict", "aiohttp"),
        ("yarl", "aiohttp"),
    ):
        if needle in text:
            return label
    if "(stdlib/" in text:  # the standard library, by top-level module
        module = text.split("(stdlib/", 1)[1].split("/", 1)[0].split(".py", 1)[0]
        return f"stdlib {module}"
    return "other"


def summarise_profile(raw: Path) -> dict[str, Any]:
    self_time: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame for frame in stack.split(";") if frame and " (" in frame]
        if not frames:
            continue
        total += count
        leaf = frames[-1]
        self_time[frame_name(leaf)] += count
        areas[area(leaf)] += count
        for name in {frame_name(frame) for frame in frames}:
            if "microsoft_agents/" in name:  # the SDK's own functions
                inclusive[name] += count
    if not total:
        raise SetupError(f"py-spy recorded no samples in {raw}")

    def shares(counter: Counter[str], limit: int) -> list[dict[str, Any]]:
        return [
            {"frame": name, "samples": count, "share": count / total}
            for name, count in counter.most_common(limit)
        ]

    return {
        "samples": total,
        "collapsed_stacks": str(raw),
        "top_self": shares(self_time, 15),
        "areas_self": shares(areas, 20),
        "top_inclusive_sdk": shares(inclusive, 15),
    }


# -- measuring -------------------------------------------------------------------------------


def measure(
    envs: dict[str, Path], options: argparse.Namespace, py_spy: Path | None
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Alternate the stacks for each round; return per-stack results, profiles, problems."""
    rounds: dict[str, dict[str, list[dict[str, Any]]]] = {
        stack: {scenario: [] for scenario in SCENARIOS} for stack in envs
    }
    profiles: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    STATE_DIR.mkdir(exist_ok=True)
    standin_port = free_port()
    standin = Background(
        "connector-standin",
        pinned(
            [sys.executable, "-I", str(STANDIN), "--port", str(standin_port)],
            CLIENT_CPU,
        ),
    )
    try:
        names = list(envs)
        for index in range(options.rounds):
            order = names if index % 2 == 0 else names[::-1]
            for stack in order:
                server_port = free_port()
                command = [
                    str(venv_python(envs[stack])),
                    "-I",
                    str(SERVER),
                    "--stack",
                    stack,
                    "--port",
                    str(server_port),
                ]
                server = Background(f"{stack}-server", pinned(command, SERVER_CPU))
                try:
                    for scenario in SCENARIOS:
                        before = standin_stats(standin_port)
                        result = run_load(
                            scenario,
                            server_port,
                            server.pid,
                            standin_port,
                            options,
                            options.duration,
                        )
                        server.check_alive()
                        wrong = list(result["error_samples"]) if result["errors"] else []
                        if scenario == "S2":
                            delivery = check_deliveries(
                                standin_port, before, int(result["responses_total"]), result
                            )
                            if delivery:
                                wrong.append(delivery)
                        if not result["requests_in_window"]:
                            wrong.append("no request completed in the measured window")
                        for message in wrong:
                            problems.append(f"{stack} {scenario}: {message}")
                        result["correct"] = not wrong
                        window = result["window_s"]
                        own = result.get("server_cpu_s") or 0.0
                        result["server_cpu_share"] = own / window
                        busy = result.get("server_cpu_busy_s")
                        result["foreign_cpu_share"] = (
                            max(0.0, busy - own) / window if busy is not None else None
                        )
                        rounds[stack][scenario].append(result)
                        log(
                            f"  round {index + 1}/{options.rounds} {stack:<9} {scenario}"
                            f"  {result['rps']:8.0f} req/s  p50 {result['p50_ms'] or 0:7.2f} ms"
                            f"  p99 {result['p99_ms'] or 0:7.2f} ms"
                            f"  cpu {result.get('cpu_us_per_request') or 0:7.0f} µs/req"
                            f"  server busy {100 * result['server_cpu_share']:3.0f}%"
                            f"  others on its cpu {100 * (result['foreign_cpu_share'] or 0):3.0f}%"
                            f"  load generator {100 * (result['client_cpu_share'] or 0):3.0f}%"
                            + (
                                f"  {result['connector_connections']} connector connections"
                                if "connector_connections" in result
                                else ""
                            )
                            + ("" if not wrong else "  WRONG ANSWERS")
                        )
                    if py_spy is not None and stack != "bare" and index == options.rounds - 1:
                        for scenario in SCENARIOS:
                            log(f"  profiling {stack} {scenario} with py-spy")
                            profiles.setdefault(stack, {})[scenario] = profile_scenario(
                                py_spy,
                                stack,
                                scenario,
                                server,
                                server_port,
                                standin_port,
                                options,
                            )
                finally:
                    server.stop()
    finally:
        standin.stop()

    summary: dict[str, Any] = {}
    for stack, by_scenario in rounds.items():
        summary[stack] = {}
        for scenario, results in by_scenario.items():
            best = max(results, key=lambda r: r["rps"])
            summary[stack][scenario] = {
                **best,
                "rounds_rps": [r["rps"] for r in results],
                "correct": all(r["correct"] for r in results),
            }
    return summary, profiles, problems


# -- reporting -------------------------------------------------------------------------------


def ratios(summary: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    out: dict[str, dict[str, float | None]] = {}
    for scenario in SCENARIOS:
        ours, theirs = summary["ours"][scenario], summary["published"][scenario]

        def divide(a: float | None, b: float | None) -> float | None:
            return a / b if a and b else None

        out[scenario] = {
            "rps": divide(ours["rps"], theirs["rps"]),
            "p50": divide(theirs["p50_ms"], ours["p50_ms"]),
            "p99": divide(theirs["p99_ms"], ours["p99_ms"]),
            "cpu": divide(theirs.get("cpu_us_per_request"), ours.get("cpu_us_per_request")),
        }
    return out


def fmt(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def print_tables(
    summary: dict[str, Any],
    ratio: dict[str, dict[str, float | None]] | None,
    versions: dict[str, dict[str, Any]],
    options: argparse.Namespace,
) -> None:
    stacks = list(summary)
    print(
        f"Echo agent benchmark: concurrency {options.concurrency}, {options.warmup:g} s warm-up,"
        f" best of {options.rounds} x {options.duration:g} s per scenario and stack"
    )
    print(
        f"python {RUNNER_PYTHON}; server on CPU {SERVER_CPU}; load generator and connector"
        f" stand-in on CPU {CLIENT_CPU}"
    )
    for stack in stacks:
        found = versions[stack]
        if stack == "bare":
            print(f"bare: aiohttp {found['aiohttp']} alone, no SDK (a floor, not compared)")
            continue
        print(
            f"{stack}: hosting-aiohttp {found['microsoft-agents-hosting-aiohttp']},"
            f" hosting-core {found['microsoft-agents-hosting-core']},"
            f" aiohttp {found['aiohttp']}, pydantic {found['pydantic']}"
        )
    rows = (
        ("requests/s", "rps", 0, "rps"),
        ("p50 latency (ms)", "p50_ms", 2, "p50"),
        ("p99 latency (ms)", "p99_ms", 2, "p99"),
        ("server CPU µs / request", "cpu_us_per_request", 0, "cpu"),
    )
    for scenario, (_name, label) in SCENARIOS.items():
        print()
        print(f"{scenario}: {label}")
        header = f"{'measure':<26}" + "".join(f"{stack:>12}" for stack in stacks)
        if ratio:
            header += f"{'ratio':>10}"
        print(header)
        print("-" * len(header))
        for title, key, digits, ratio_key in rows:
            line = f"{title:<26}" + "".join(
                f"{fmt(summary[stack][scenario].get(key), digits):>12}" for stack in stacks
            )
            if ratio:
                value = ratio[scenario][ratio_key]
                line += f"{fmt(value, 2) + 'x':>10}"
            print(line)
        if scenario == "S2":
            per_connection = [
                summary[stack][scenario].get("connector_replies", 0)
                / max(1, summary[stack][scenario].get("connector_connections", 0))
                for stack in stacks
            ]
            print(
                f"{'replies per connection':<26}"
                + "".join(f"{value:>12.0f}" for value in per_connection)
            )
    if ratio:
        print()
        print("ratio: ours/published for requests/s; published/ours for latencies and CPU,")
        print("so above 1 always means ours is better. Figures only compare within this run.")


def print_profiles(profiles: dict[str, dict[str, Any]]) -> None:
    for stack, scenario, profile in (
        (stack, scenario, profile)
        for stack, by_scenario in sorted(profiles.items())
        for scenario, profile in by_scenario.items()
    ):
        if stack != "ours" and len(profiles) > 1:
            continue  # the other stack's summary is in --json and in the files
        print()
        print(
            f"py-spy, {stack} {scenario}: {profile['samples']} samples"
            f" (collapsed stacks: {profile['collapsed_stacks']})"
        )
        print("  self time by area:")
        for entry in profile["areas_self"]:
            print(f"    {100 * entry['share']:5.1f}%  {entry['frame']}")
        print("  top 15 functions by self time:")
        for entry in profile["top_self"]:
            print(f"    {100 * entry['share']:5.1f}%  {entry['frame']}")
        print("  SDK functions by inclusive time:")
        for entry in profile["top_inclusive_sdk"]:
            print(f"    {100 * entry['share']:5.1f}%  {entry['frame']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Load-test the echo agent on our host and on the published one."
    )
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s per scenario")
    parser.add_argument("--rounds", type=int, help="rounds per stack (default 2, quick 1)")
    parser.add_argument("--duration", type=float, help="measured seconds (default 10, quick 3)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds (default 3, quick 1)")
    parser.add_argument("--concurrency", type=int, default=32, help="in-flight requests")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--rebuild", action="store_true", help="recreate both environments")
    parser.add_argument(
        "--stack", choices=("both", *STACKS), default="both", help="measure one stack only"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure the same HTTP contract served by aiohttp alone (no SDK)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="sample both servers with py-spy (S1 and S2)"
    )
    parser.add_argument(
        "--profile-seconds", type=float, default=10.0, help="seconds of load while sampling"
    )
    args = parser.parse_args(argv)

    if sys.version_info < (3, 10):  # noqa: UP036 - a clear message for older interpreters
        log("this benchmark needs Python 3.10 or newer")
        return 2
    if not sys.platform.startswith("linux"):
        log("this benchmark reads /proc and pins CPUs: it needs Linux")
        return 2
    if len(os.sched_getaffinity(0)) < 2:
        log("this benchmark needs at least 2 CPUs (server on one, load on another)")
        return 2
    args.rounds = args.rounds or (1 if args.quick else 2)
    args.duration = args.duration or (3.0 if args.quick else 10.0)
    args.warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 3.0)
    stacks = STACKS if args.stack == "both" else (args.stack,)
    envs = {stack: STATE_DIR / f"echo-{stack}" for stack in stacks}
    if args.floor:
        # aiohttp alone, run by the interpreter of the first environment (same aiohttp).
        envs["bare"] = next(iter(envs.values()))

    versions: dict[str, dict[str, Any]] = {}
    try:
        STATE_DIR.mkdir(exist_ok=True)
        if "ours" in envs:
            versions["ours"] = prepare_ours(envs["ours"], args.rebuild)
            pins = {k: versions["ours"][k] for k in ("aiohttp", "pydantic")}
        else:
            pins = {}
        if "published" in envs:
            versions["published"] = prepare_published(envs["published"], pins, args.rebuild)
        py_spy = prepare_py_spy(next(iter(envs.values()))) if args.profile else None
        if "bare" in envs:
            versions["bare"] = dict(versions[stacks[0]])
        if pins:
            log(f"pinned in both environments: {', '.join(f'{k} {v}' for k, v in pins.items())}")
        log(
            f"measuring: {args.rounds} round(s), {args.warmup:g} s warm-up +"
            f" {args.duration:g} s per scenario, concurrency {args.concurrency}"
        )
        summary, profiles, problems = measure(envs, args, py_spy)
    except SetupError as error:
        log(f"error: {error}")
        return 2

    both = "ours" in summary and "published" in summary
    ratio = ratios(summary) if both else None
    speedups = {s: (ratio[s]["rps"] or 0.0) for s in SCENARIOS} if ratio else {}
    ours_correct = (
        all(summary["ours"][s]["correct"] for s in SCENARIOS) if "ours" in summary else True
    )
    met = both and ours_correct and all(value >= TARGET for value in speedups.values())
    if args.json:
        document = {
            "concurrency": args.concurrency,
            "warmup_seconds": args.warmup,
            "duration_seconds": args.duration,
            "rounds": args.rounds,
            "versions": versions,
            "results": summary,
            "ratios": ratio,
            "speedups": speedups,
            "target": TARGET,
            "target_met": met,
            "problems": problems,
            "profiles": profiles,
        }
        print(json.dumps(document, indent=2))
    else:
        print_tables(summary, ratio, versions, args)
        print_profiles(profiles)
    for problem in problems:
        log(f"warning: wrong answer: {problem}")
    for stack, by_scenario in summary.items():
        for scenario, result in by_scenario.items():
            share, foreign = result["server_cpu_share"], result["foreign_cpu_share"] or 0.0
            if foreign > 0.1:
                log(
                    f"note: other processes took {100 * foreign:.0f}% of CPU {SERVER_CPU} during"
                    f" the reported {stack} {scenario} window; its requests/s and latencies are"
                    " understated (CPU µs per request is less affected). Run on an idle machine."
                )
            elif share < 0.9:
                log(
                    f"note: the {stack} server used {100 * share:.0f}% of its CPU in {scenario};"
                    " the load generator or the stand-in may be the limit, so compare CPU µs"
                    " per request as well"
                )
    if not ours_correct:
        log("our figures do not count while our server gives wrong answers")
    if not both:
        return 0 if not problems else 1
    for scenario in SCENARIOS:
        line = f"{scenario} speed-up: {speedups[scenario]:.2f}x (target >= {TARGET:g}x)"
        print(line, file=sys.stderr if args.json else sys.stdout)
    published_wrong = any(p.startswith("published") for p in problems)
    if published_wrong:
        log("the published stack gave wrong answers: its figures are not a valid baseline")
        return 2
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
