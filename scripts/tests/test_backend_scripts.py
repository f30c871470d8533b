"""start-azurite.sh and start-cosmos.sh: start, reuse, refuse a foreign server, stop.

Each test runs a script on a free port with its own run directory, so it never touches the
servers scripts/test.sh started. Needs Node.js (and npm for the first install, cached in
~/.cache/agents-backends); without node the tests are skipped, except in CI.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent

# script, port variable, run-dir variable, exported variable prefix
BACKENDS = [
    ("start-azurite.sh", "AZURITE_PORT", "AZURITE_RUN_DIR", "AZURITE"),
    ("start-cosmos.sh", "COSMOSDB_SERVER_PORT", "COSMOSDB_SERVER_RUN_DIR", "COSMOSDB_SERVER"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _exports(stdout: str) -> dict[str, str]:
    """The variables of the script's `export NAME=value` lines (what `eval` would set)."""
    values: dict[str, str] = {}
    for line in stdout.splitlines():
        words = shlex.split(line)
        assert words and words[0] in ("export", "unset"), f"unexpected stdout line {line!r}"
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            values[name] = value
    return values


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Backend:
    def __init__(self, script: str, env: dict[str, str]) -> None:
        self.script = script
        self.env = env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPTS / self.script), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


@pytest.fixture(params=BACKENDS, ids=["azurite", "cosmos"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Backend, str, int]]:
    if shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Node.js 20+ for the local storage servers")
        pytest.skip("Node.js is not installed")
    script, port_variable, run_dir_variable, prefix = request.param
    port = _free_port()
    env = dict(os.environ, **{port_variable: str(port), run_dir_variable: str(tmp_path / "run")})
    runner = Backend(script, env)
    yield runner, prefix, port
    runner.run("stop")


def test_start_reuse_refuse_and_stop(backend: tuple[Backend, str, int], tmp_path: Path) -> None:
    runner, prefix, port = backend
    started = runner.run()
    assert started.returncode == 0, started.stderr
    exports = _exports(started.stdout)
    pid = int(exports[f"{prefix}_PID"])
    assert exports[f"{prefix}_REUSED"] == "0"
    assert _alive(pid)
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    assert any(str(port) in value for value in exports.values())

    again = runner.run()
    assert again.returncode == 0, again.stderr
    assert _exports(again.stdout)[f"{prefix}_REUSED"] == "1"
    assert _exports(again.stdout)[f"{prefix}_PID"] == str(pid)

    other_run_dir = {key: value for key, value in runner.env.items()}
    for name in ("AZURITE_RUN_DIR", "COSMOSDB_SERVER_RUN_DIR"):
        other_run_dir[name] = str(tmp_path / "other")
    foreign = Backend(runner.script, other_run_dir).run()
    assert foreign.returncode != 0
    assert foreign.stdout == ""
    assert "not started by this script" in foreign.stderr

    stopped = runner.run("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert not _alive(pid)
    assert runner.run("stop").returncode == 0  # stopping twice is harmless
