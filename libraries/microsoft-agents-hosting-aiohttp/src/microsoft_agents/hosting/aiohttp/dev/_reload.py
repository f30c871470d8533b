"""``--reload``: serve from a child process and start a new one whenever a ``.py`` file changes.

The watcher polls file times and sizes (no extra dependency, works on every platform): every
half second it lists the ``.py`` files under the watched folder, skipping hidden folders,
virtual environments and caches. When the list or any file changed it stops the child
(``SIGTERM``, then kill after a few seconds) and starts a new one. A child that exits by
itself, for example because the module no longer imports, is started again after the next
change; a child that could not listen (port in use) ends the watcher with its exit code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

__all__ = ["EXIT_CANNOT_LISTEN", "Supervisor", "changed_files", "snapshot"]

EXIT_CANNOT_LISTEN = 3
"""Exit code of a dev server that could not listen; the watcher gives up on it."""

_SKIP_DIRS = frozenset(
    {"__pycache__", "node_modules", "venv", "env", "build", "dist", "site-packages"}
)
_MAX_FILES = 20_000

Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """``{path: (mtime_ns, size)}`` of the ``.py`` files under ``root``."""
    files: Snapshot = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS]
        for name in names:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                stat = os.stat(path)
                files[path] = (stat.st_mtime_ns, stat.st_size)
            if len(files) >= _MAX_FILES:
                return files
    return files


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """The paths added, removed or modified between two snapshots, sorted."""
    keys = set(before) | set(after)
    return sorted(k for k in keys if before.get(k) != after.get(k))


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _listening(host: str, port: int) -> bool:
    probe = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host.strip("[]")
    try:
        with socket.create_connection((probe, port), timeout=0.2):
            return True
    except OSError:
        return False


class Supervisor:
    """Runs ``command`` and restarts it when the ``.py`` files under ``watch_dir`` change.

    ``open_url`` is opened in a browser once the child listens on ``host``:``port`` (pass
    ``None`` for no browser). ``poll`` is the seconds between two looks at the files.
    """

    def __init__(
        self,
        command: list[str],
        watch_dir: Path,
        *,
        host: str,
        port: int,
        open_url: str | None = None,
        poll: float = 0.5,
        open_browser: Callable[[str], object] = webbrowser.open,
    ) -> None:
        self.command = command
        self.watch_dir = watch_dir
        self.host = host
        self.port = port
        self.open_url = open_url
        self.poll = poll
        self._open_browser = open_browser
        self._child: subprocess.Popen[bytes] | None = None

    def _start(self) -> None:
        self._child = subprocess.Popen(self.command)

    def _stop(self) -> None:
        child, self._child = self._child, None
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()

    def run(self) -> int:
        """Watch until Ctrl+C or SIGTERM (returns 0), or until the child cannot listen (its
        exit code). The child is stopped in every case."""
        _say(f"agents-dev: reloading when a .py file under {self.watch_dir} changes")
        with contextlib.suppress(ValueError):  # not the main thread: no handler, no harm
            signal.signal(signal.SIGTERM, _interrupt)
        files = snapshot(self.watch_dir)
        self._start()
        waiting = False
        try:
            while True:
                time.sleep(self.poll)
                child = self._child
                code = child.poll() if child is not None else None
                if code is None and self.open_url and _listening(self.host, self.port):
                    self._open_browser(self.open_url)
                    self.open_url = None
                if code is not None and not waiting:
                    if code == EXIT_CANNOT_LISTEN:
                        return code
                    _say(
                        f"agents-dev: the agent stopped (exit code {code}); "
                        "it starts again when a .py file changes"
                    )
                    waiting = True
                current = snapshot(self.watch_dir)
                if current == files:
                    continue
                time.sleep(0.1)  # let an editor finish writing
                current = snapshot(self.watch_dir)
                names = changed_files(files, current)
                files = current
                first = os.path.relpath(names[0], self.watch_dir) if names else "a file"
                more = f" (and {len(names) - 1} more)" if len(names) > 1 else ""
                _say(f"agents-dev: {first}{more} changed; restarting")
                self._stop()
                self._start()
                waiting = False
        except KeyboardInterrupt:
            return 0
        finally:
            self._stop()
