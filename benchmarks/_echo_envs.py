"""Virtual environments of the echo benchmark (``echo_bench.py``), standard library only.

``.bench/echo-ours`` gets the distributions built from ``libraries/`` (regular, non-editable
installs, reinstalled when their sources change); ``.bench/echo-ours-asgi`` the same plus
``microsoft-agents-hosting-fastapi``, uvicorn and httptools; ``.bench/echo-published`` gets
the published 1.9.0 packages pinned to the same aiohttp and pydantic. A failed step raises
:class:`SetupError` with the command, the tail of its output and a hint.
"""

from __future__ import annotations

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
OUR_DISTS = [
    REPO / "libraries" / name
    for name in (
        "microsoft-agents-activity",
        "microsoft-agents-hosting-core",
        "microsoft-agents-hosting-aiohttp",
    )
]
# The ASGI stack: our distributions plus the FastAPI host, served by uvicorn (C HTTP parser).
OUR_ASGI_DISTS = [*OUR_DISTS, REPO / "libraries" / "microsoft-agents-hosting-fastapi"]
ASGI_SERVER_REQUIREMENTS = ["uvicorn", "httptools"]
PUBLISHED_VERSION = "1.9.0"
PUBLISHED_REQUIREMENTS = [
    f"microsoft-agents-hosting-aiohttp=={PUBLISHED_VERSION}",
    f"microsoft-agents-authentication-msal=={PUBLISHED_VERSION}",
    "pyjwt",  # imported by the release without being declared everywhere
]
STATE_FILE = "bench-state.json"
RUNNER_PYTHON = "{}.{}".format(*sys.version_info[:2])

# Imports that must work in each environment (the anonymous CloudAdapter() is ours only).
PROBES = {
    "ours": (
        "from microsoft_agents.hosting.aiohttp import CloudAdapter, start_agent_process,"
        " jwt_authorization_middleware\n"
        "from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnState\n"
        "CloudAdapter()\n"
    ),
    "ours-asgi": (
        "from microsoft_agents.hosting.fastapi import CloudAdapter, start_agent_process,"
        " JwtAuthorizationMiddleware\n"
        "import fastapi, uvicorn, httptools\n"
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
    "extra = ['microsoft-agents-hosting-fastapi', 'fastapi', 'starlette', 'uvicorn', 'httptools']\n"
    "out = {n: m.version(n) for n in names}\n"
    "for n in extra:\n"
    "    try:\n"
    "        out[n] = m.version(n)\n"
    "    except m.PackageNotFoundError:\n"
    "        pass\n"
    "out['python'] = '%d.%d' % sys.version_info[:2]\n"
    "print(json.dumps(out))\n"
)


class SetupError(Exception):
    """The environments could not be prepared or a benchmark process failed."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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


def source_digest(dists: list[Path]) -> str:
    """A hash of ``dists``' sources, to know when an environment must be reinstalled."""
    digest = hashlib.sha256()
    for dist in dists:
        files = [dist / "pyproject.toml", *sorted((dist / "src").rglob("*"))]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare_ours(
    env: Path, rebuild: bool, stack: str = "ours", pins: dict[str, str] | None = None
) -> dict[str, Any]:
    """Install our distributions (non-editable) into ``env``; return the versions found.

    ``stack`` is ``ours`` (the aiohttp host) or ``ours-asgi`` (the FastAPI host, uvicorn);
    ``pins`` fixes versions of third-party packages (the ASGI stack gets the aiohttp and
    pydantic of ``echo-ours``).
    """
    log(f"[{stack}] checking the environment")
    our_dists = OUR_ASGI_DISTS if stack == "ours-asgi" else OUR_DISTS
    extra = ASGI_SERVER_REQUIREMENTS if stack == "ours-asgi" else []
    extra = [*extra, *(f"{name}=={version}" for name, version in (pins or {}).items())]
    missing = [dist for dist in our_dists if not (dist / "pyproject.toml").exists()]
    if missing:
        raise SetupError(f"missing distributions: {', '.join(str(d) for d in missing)}")
    digest = source_digest(our_dists) + ("|" + ",".join(extra) if extra else "")
    found = None if rebuild else probe(env, stack)
    if found is not None and read_state(env).get("source") == digest:
        log(f"  reusing it (aiohttp {found['aiohttp']}, pydantic {found['pydantic']})")
    else:
        if not venv_python(env).exists() or rebuild:
            create_venv(env)
        else:
            log("  sources changed since the last install (or it did not import): reinstalling")
        dists = [str(dist) for dist in our_dists]
        where = f".bench/echo-{stack}"
        pip_install(
            env,
            ["--force-reinstall", "--no-deps", *dists],
            f"installing our distributions into {where}",
        )
        pip_install(env, [*dists, *extra], f"installing the dependencies of {where}")
        found = probe(env, stack)
        if found is None:
            raise SetupError(
                f"our distributions were installed into {where} but the echo server's"
                " imports fail there (an anonymous CloudAdapter() is needed):\n"
                + probe_error(env, stack)
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
