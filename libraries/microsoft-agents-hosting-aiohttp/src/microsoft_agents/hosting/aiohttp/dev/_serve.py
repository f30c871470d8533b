"""Running the dev chat: :func:`start_dev_server` (async, for tests) and :func:`run_dev_server`.

Both listen on ``127.0.0.1`` unless told otherwise. A host that is not a loopback address lets
other machines in (with a warning): the page and the agent then answer anyone who can reach
the port, without authentication. Failures to listen become :class:`DevServerError` with the
fix in the message (``port 3978 is in use; pass --port N``).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import sys
import webbrowser
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ._app import create_dev_app, is_loopback_host
from ._loader import DevServerError

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DevServer",
    "browser_available",
    "chat_url",
    "run_dev_server",
    "start_dev_server",
]

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3978


def chat_url(host: str, port: int) -> str:
    """The chat page's URL for a server on ``host``:``port``, as a browser here opens it."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host.strip('[]')}]"
    return f"http://{host}:{port}/"


@dataclass
class DevServer:
    """A running dev chat server; :meth:`close` stops it."""

    app: web.Application
    runner: web.AppRunner
    host: str
    port: int

    @property
    def url(self) -> str:
        """The chat page's URL (on ``127.0.0.1`` when listening on every address)."""
        return chat_url(self.host, self.port)

    @property
    def messages_url(self) -> str:
        """The agent's messaging endpoint."""
        return self.url + "api/messages"

    async def close(self) -> None:
        await self.runner.cleanup()


def _listen_error(error: OSError, host: str, port: int) -> DevServerError:
    if isinstance(error, socket.gaierror):
        return DevServerError(
            f"cannot listen on {host!r}: the name does not resolve; use --host 127.0.0.1"
        )
    if error.errno == errno.EADDRINUSE:
        return DevServerError(
            f"port {port} is in use; pass --port N (for example --port {port + 1}), "
            "or stop the program that uses it"
        )
    if error.errno == errno.EACCES:
        return DevServerError(
            f"not allowed to listen on port {port} (ports below 1024 need administrator "
            "rights); pass --port N"
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return DevServerError(
            f"cannot listen on {host}: it is not an address of this computer; use --host 127.0.0.1"
        )
    return DevServerError(f"cannot listen on {host}:{port}: {error.strerror or error}")


async def start_dev_server(
    agent: Any,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    adapter: Any | None = None,
    title: str | None = None,
    allow_remote: bool | None = None,
) -> DevServer:
    """Serve ``agent`` with the dev chat page on ``host``:``port`` (``0``: any free port).

    ``allow_remote`` defaults to whether ``host`` is not a loopback address.
    """
    remote = allow_remote if allow_remote is not None else not is_loopback_host(host)
    if remote:
        logger.warning(
            "the dev chat listens on %s: every machine that reaches it can talk to the agent, "
            "without authentication",
            host,
        )
    app = create_dev_app(agent, adapter=adapter, allow_remote=remote, title=title)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        await runner.cleanup()
        raise _listen_error(error, host, port) from error
    actual_port = int(runner.addresses[0][1]) if runner.addresses else port
    return DevServer(app=app, runner=runner, host=host, port=actual_port)


def browser_available() -> bool:
    """Whether opening a browser makes sense: not in CI, and a screen on Linux."""
    if os.environ.get("CI"):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _banner(server: DevServer, label: str | None) -> None:
    lines = [f"agents-dev: serving {label}" if label else "agents-dev: serving the agent"]
    lines.append(f"  Chat with it:  {server.url}")
    lines.append(f"  Endpoint:      {server.messages_url}")
    lines.append(
        f"  From a shell:  curl -s -X POST {server.messages_url} "
        '-H \'Content-Type: application/json\' -d \'{"type": "message", "text": "hi", '
        '"deliveryMode": "expectReplies", "channelId": "test", "conversation": {"id": "c1"}, '
        '"from": {"id": "user"}, "recipient": {"id": "agent"}}\''
    )
    if is_loopback_host(server.host):
        lines.append("  Only this computer can connect. Ctrl+C stops.")
    else:
        lines.append(f"  Listening on {server.host}: other machines can connect. Ctrl+C stops.")
    _say("\n".join(lines))


async def _serve_until_stopped(
    agent: Any, *, host: str, port: int, open_browser: bool, label: str | None, **options: Any
) -> None:
    server = await start_dev_server(agent, host=host, port=port, **options)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    try:
        _banner(server, label)
        if open_browser and browser_available():
            loop.run_in_executor(None, webbrowser.open, server.url)
        await stop.wait()
    finally:
        await server.close()


def run_dev_server(
    agent: Any,
    *,
    host: str = DEFAULT_HOST,
    port: int | None = None,
    adapter: Any | None = None,
    title: str | None = None,
    open_browser: bool = False,
    allow_remote: bool | None = None,
    label: str | None = None,
) -> None:
    """Serve ``agent`` with the dev chat page until Ctrl+C (blocking); the explicit opt-in.

    ``port`` defaults to the ``PORT`` environment variable, else 3978. ``open_browser``
    opens the chat page when a browser can be shown (never under ``CI``).

    :raises DevServerError: when the server cannot listen (port in use, bad host).
    """
    if port is None:
        port = int(os.environ.get("PORT", str(DEFAULT_PORT)))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            _serve_until_stopped(
                agent,
                host=host,
                port=port,
                open_browser=open_browser,
                label=label,
                adapter=adapter,
                title=title,
                allow_remote=allow_remote,
            )
        )
