"""Processes of the echo benchmark (``echo_bench.py``): servers, load and py-spy samples.

The servers are pinned to one CPU and everything else to another (with ``taskset`` when it
is installed, else each script pins itself). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from _echo_envs import BENCH_DIR, STATE_DIR, SetupError

PROFILE_DIR = STATE_DIR / "profiles"
LOAD = BENCH_DIR / "_load.py"
SCENARIOS = {
    "S1": ("expect-replies", "expectReplies (200, replies in the body)"),
    "S2": ("normal", "normal delivery (202, reply posted to the connector stand-in)"),
}
SERVER_CPU = 0
CLIENT_CPU = 1
READY_TIMEOUT = 60.0

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
        ("microsoft_agents/hosting/fastapi", "microsoft_agents.hosting.fastapi"),
        ("microsoft_agents/hosting/core", "microsoft_agents.hosting.core"),
        ("microsoft_agents/activity", "microsoft_agents.activity"),
        ("microsoft_agents/", "microsoft_agents (other)"),
        ("_echo_server.py", "the echo agent itself"),
        ("_echo_server_asgi.py", "the echo agent itself"),
        ("pydantic", "pydantic"),
        ("opentelemetry/", "opentelemetry"),
        ("aiohttp/", "aiohttp"),
        ("multidict", "aiohttp"),
        ("yarl", "aiohttp"),
        ("fastapi/", "fastapi"),
        ("starlette/", "starlette"),
        ("uvicorn/", "uvicorn"),
        ("httptools", "uvicorn"),
        ("anyio/", "anyio"),
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
