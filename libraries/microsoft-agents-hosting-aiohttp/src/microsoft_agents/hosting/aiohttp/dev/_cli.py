"""The ``agents-dev`` command: serve an agent with the dev chat page.

    agents-dev run TARGET [--port N] [--host HOST] [--reload] [--no-browser]

``TARGET`` is ``package.module[:NAME]`` or ``path/to/file.py[:NAME]`` (see
:mod:`._loader` for how the agent is found). Exit codes: 0 after Ctrl+C, 1 when the target
does not lead to an agent, 2 for a command-line mistake, 3 when the server cannot listen.
"""

from __future__ import annotations

import argparse
import os
import sys
import webbrowser
from collections.abc import Sequence
from pathlib import Path

from ._loader import AGENT_NAMES, AgentLoadError, DevServerError, Target, load_agent
from ._reload import EXIT_CANNOT_LISTEN, Supervisor
from ._serve import DEFAULT_HOST, DEFAULT_PORT, browser_available, chat_url, run_dev_server

__all__ = ["main"]

PROG = "agents-dev"
EXIT_LOAD_FAILED = 1

_DESCRIPTION = f"""\
Serve an agent locally with a chat page: no Azure registration, no emulator.

  {PROG} run package.module:AGENT_APP
  {PROG} run path/to/agent.py --reload

The page (http://127.0.0.1:3978/ by default) talks to the agent through its real
/api/messages endpoint and shows replies, cards, suggested actions and streamed text.
Without :NAME the module's {", ".join(AGENT_NAMES)} is served (the first one found).
"""


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0-65535)")
    return value


def _default_port() -> int:
    try:
        return _port(os.environ.get("PORT", str(DEFAULT_PORT)))
    except argparse.ArgumentTypeError:
        return DEFAULT_PORT


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = commands.add_parser("run", help="serve an agent with the dev chat page")
    run.add_argument(
        "target",
        metavar="TARGET",
        help="package.module[:NAME] or path/to/file.py[:NAME]; NAME defaults to "
        + " / ".join(AGENT_NAMES),
    )
    run.add_argument(
        "--port",
        type=_port,
        default=_default_port(),
        help=f"port to listen on (default: $PORT or {DEFAULT_PORT})",
    )
    run.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this computer only; any other "
        "address lets other machines talk to the agent without authentication)",
    )
    run.add_argument(
        "--reload",
        action="store_true",
        help="restart when a .py file in the agent's folder changes",
    )
    run.add_argument(
        "--no-browser", action="store_true", help="do not open the chat page in a browser"
    )
    return parser


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {message}\n")
    sys.stderr.flush()


def _title(target: Target) -> str:
    if target.path is not None:
        return target.path.stem
    assert target.module is not None
    return target.module.rsplit(".", 1)[-1]


def _run_with_reload(args: argparse.Namespace) -> int:
    try:
        target = Target.parse(args.target)
    except AgentLoadError as error:
        _error(str(error))
        return EXIT_LOAD_FAILED
    command = [
        sys.executable,
        "-m",
        "microsoft_agents.hosting.aiohttp.dev",
        "run",
        args.target,
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--no-browser",
    ]
    url = chat_url(args.host, args.port)
    wants_browser = not args.no_browser and browser_available()
    supervisor = Supervisor(
        command,
        target.watch_dir(Path.cwd()),
        host=args.host,
        port=args.port,
        open_url=url if wants_browser else None,
        open_browser=webbrowser.open,
    )
    code = supervisor.run()
    if code == EXIT_CANNOT_LISTEN:
        _error("stopped: the server could not listen (see above)")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.reload:
        return _run_with_reload(args)
    try:
        loaded = load_agent(args.target)
    except AgentLoadError as error:
        _error(str(error))
        return EXIT_LOAD_FAILED
    try:
        run_dev_server(
            loaded.agent,
            adapter=loaded.adapter,
            host=args.host,
            port=args.port,
            title=_title(loaded.target),
            open_browser=not args.no_browser,
            label=loaded.found_as,
        )
    except DevServerError as error:
        _error(str(error))
        return EXIT_CANNOT_LISTEN
    return 0
