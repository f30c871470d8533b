"""Finding the agent a target names: ``package.module[:name]`` or ``path/to/file.py[:name]``.

Without ``:name`` the module's ``AGENT_APP``, ``agent_app`` or ``app`` is used (the first of them
that is an agent). ``name`` may be dotted (``module:holder.agent``). Whatever is named must be
an agent (an ``AgentApplication`` or any other object with ``async on_turn(context)``) or an
aiohttp ``Application`` holding one as ``APP["agent_app"]`` (served with ``APP["adapter"]``).

A module that starts serving when imported (``start_server(AGENT_APP)`` or aiohttp's
``run_app(APP)`` at module level) does not block the load: the call is intercepted and the
agent application handed to it is served instead (``APP["agent_app"]`` for ``run_app``).

Every failure raises :class:`AgentLoadError` with a message that says which part of the target
failed and how to fix it.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import re
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from aiohttp import web
from microsoft_agents.hosting.core.errors import HostingError

from ._app import resolve_adapter

__all__ = ["AGENT_NAMES", "AgentLoadError", "DevServerError", "LoadedAgent", "Target", "load_agent"]

AGENT_NAMES = ("AGENT_APP", "agent_app", "app")
"""Names looked up, in order, when the target names no attribute."""

_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
"""A dotted name: ``package.module`` or ``holder.agent``."""


class DevServerError(HostingError):
    """The dev server cannot start; the message says what failed and what to do."""


class AgentLoadError(DevServerError):
    """The target does not lead to an agent (bad module path, attribute, or import error)."""


@dataclass(frozen=True)
class Target:
    """A parsed target: a dotted ``module`` or a file ``path``, plus an optional ``attr``."""

    text: str
    module: str | None = None
    path: Path | None = None
    attr: str | None = None

    @property
    def where(self) -> str:
        """The module part as the user wrote it."""
        return self.text.rsplit(":", 1)[0] if self.attr else self.text

    @classmethod
    def parse(cls, text: str, cwd: Path | None = None) -> Target:
        """Split ``text`` into its parts; :class:`AgentLoadError` when it cannot be a target."""
        text = text.strip()
        if not text:
            raise AgentLoadError("no target given; name the agent like package.module:AGENT_APP")
        where, attr = text, None
        head, sep, tail = text.rpartition(":")
        if sep and head and _DOTTED.match(tail):
            where, attr = head, tail
        elif sep and head and not tail:
            raise AgentLoadError(f"{text!r} ends with ':'; add the agent's name, or drop the ':'")
        if where.endswith(".py") or "/" in where or "\\" in where:
            path = (cwd or Path.cwd()) / where
            if path.is_dir():
                raise AgentLoadError(
                    f"{where!r} is a folder; name the .py file that defines the agent"
                )
            if not path.is_file():
                raise AgentLoadError(
                    f"file {where!r} not found (looked from {cwd or Path.cwd()}); "
                    "check the path, or give a module name like package.module:AGENT_APP"
                )
            return cls(text=text, path=path.resolve(), attr=attr)
        if not _DOTTED.match(where):
            raise AgentLoadError(
                f"{where!r} is not a module name; write package.module:NAME "
                "(dots between the parts) or a path to a .py file"
            )
        return cls(text=text, module=where, attr=attr)

    def watch_dir(self, cwd: Path | None = None) -> Path:
        """The folder to watch for changes: the module's own folder, else ``cwd``."""
        if self.path is not None:
            return self.path.parent
        assert self.module is not None
        _add_to_path(cwd or Path.cwd())
        try:
            spec = importlib.util.find_spec(self.module)
        except Exception:  # a parent package failing to import: watch the working folder
            spec = None
        if spec is not None and spec.origin and spec.has_location:
            return Path(spec.origin).resolve().parent
        return (cwd or Path.cwd()).resolve()


@dataclass
class LoadedAgent:
    """An agent found by :func:`load_agent` and how it was found."""

    agent: Any
    adapter: Any | None
    target: Target
    found_as: str
    """``module:NAME`` of the agent, or the serving call that handed it over."""


class _ServeCalled(BaseException):
    """Raised in place of a serving call made while the module was imported."""

    def __init__(self, agent: Any, adapter: Any, how: str) -> None:
        super().__init__(how)
        self.agent = agent
        self.adapter = adapter
        self.how = how


def _add_to_path(folder: Path) -> None:
    """Make ``folder`` importable (first on ``sys.path``), as ``python -m`` does; it stays."""
    entry = str(folder.resolve())
    if entry not in sys.path:
        sys.path.insert(0, entry)


@contextlib.contextmanager
def _intercept_serving() -> Iterator[None]:
    package = importlib.import_module("microsoft_agents.hosting.aiohttp")
    original_start, original_run = package.start_server, web.run_app

    def start_server(agent_application: Any = None, *args: Any, **kwargs: Any) -> None:
        raise _ServeCalled(agent_application, None, "start_server(...)")

    def run_app(app: Any, *args: Any, **kwargs: Any) -> None:
        agent = app.get("agent_app") if isinstance(app, web.Application) else None
        adapter = app.get("adapter") if isinstance(app, web.Application) else None
        raise _ServeCalled(agent, adapter, "aiohttp run_app(...)")

    setattr(package, "start_server", start_server)  # noqa: B010 - patched for the import only
    setattr(web, "run_app", run_app)  # noqa: B010
    try:
        yield
    finally:
        setattr(package, "start_server", original_start)  # noqa: B010
        setattr(web, "run_app", original_run)  # noqa: B010


def _user_traceback(error: BaseException) -> str:
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith("<frozen") and frame.filename != __file__
    ]
    lines = "".join(traceback.format_list(frames))
    return f"Traceback (most recent call last):\n{lines}" if lines else ""


def _import_error(target: Target, error: BaseException) -> AgentLoadError:
    where = target.where
    if isinstance(error, SyntaxError):
        place = f"{error.filename}:{error.lineno}" if error.filename else where
        code = f"\n    {error.text.strip()}" if error.text else ""
        return AgentLoadError(
            f"cannot import {where!r}: syntax error at {place}: {error.msg}{code}"
        )
    if isinstance(error, ModuleNotFoundError) and error.name and target.module:
        missing = error.name
        if target.module == missing or target.module.startswith(missing + "."):
            return AgentLoadError(
                f"cannot import {where!r}: there is no module {missing!r} (looked in "
                f"{Path.cwd()} and the installed packages); check the spelling, run "
                "agents-dev from the folder that holds the package, or give the file path "
                "instead (path/to/module.py:NAME)"
            )
    if isinstance(error, ModuleNotFoundError) and error.name:
        return AgentLoadError(
            f"importing {where!r} failed: it imports {error.name!r}, which is not installed; "
            f"install the package that provides it\n{_user_traceback(error)}"
        )
    if isinstance(error, SystemExit):
        return AgentLoadError(f"importing {where!r} stopped with sys.exit: {error.code}")
    return AgentLoadError(
        f"importing {where!r} raised {type(error).__name__}: {error}\n{_user_traceback(error)}"
    )


def _import_file(path: Path) -> ModuleType:
    name = path.stem if path.stem.isidentifier() else "agents_dev_target"
    existing = sys.modules.get(name)
    if existing is not None:
        if getattr(existing, "__file__", None) == str(path):
            return existing  # already imported from this very file: do not run it twice
        name = f"agents_dev_target_{path.stem}".replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise AgentLoadError(f"{path} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _is_agent(value: Any) -> bool:
    return not isinstance(value, type) and callable(getattr(value, "on_turn", None))


def _agents_in(module: ModuleType) -> list[str]:
    names = [n for n, v in vars(module).items() if not n.startswith("_") and _is_agent(v)]
    return sorted(names)


def _hint(module: ModuleType, where: str) -> str:
    found = _agents_in(module)
    if not found:
        return f"{where!r} defines no agent at module level"
    listed = ", ".join(f"{where}:{name}" for name in found)
    return f"agents found in it: {listed}"


def _not_an_agent(value: Any, label: str) -> AgentLoadError:
    if isinstance(value, web.Application):
        what = (
            "an aiohttp Application without an 'agent_app' entry; name the AgentApplication "
            "it serves instead"
        )
    elif isinstance(value, type):
        what = f"the class {value.__name__}; name an instance of it"
    elif callable(value):
        what = "a function; name the agent it builds (e.g. AGENT_APP = build_agent())"
    else:
        what = f"a {type(value).__name__}, which has no on_turn(context) method"
    return AgentLoadError(f"{label} is {what}")


def _served_by(value: Any) -> tuple[Any, Any] | None:
    """``(agent, adapter)`` when ``value`` is an agent, or an aiohttp app with ``agent_app``."""
    if _is_agent(value):
        return value, None
    if isinstance(value, web.Application) and _is_agent(value.get("agent_app")):
        return value.get("agent_app"), value.get("adapter")
    return None


def _pick(module: ModuleType, target: Target) -> tuple[Any, Any, str]:
    where = target.where
    if target.attr is None:
        rejected: list[tuple[str, Any]] = []
        for name in AGENT_NAMES:
            if not hasattr(module, name):
                continue
            served = _served_by(getattr(module, name))
            if served is not None:
                return served[0], served[1], f"{where}:{name}"
            rejected.append((name, getattr(module, name)))
        if rejected:
            raise _not_an_agent(rejected[0][1], f"{where}:{rejected[0][0]}")
        raise AgentLoadError(
            f"{where!r} has none of {', '.join(AGENT_NAMES)}; name the agent after a colon "
            f"({where}:NAME); {_hint(module, where)}"
        )
    value: Any = module
    for part in target.attr.split("."):
        if not hasattr(value, part):
            raise AgentLoadError(
                f"{where!r} has no attribute {target.attr!r}; {_hint(module, where)}"
            )
        value = getattr(value, part)
    served = _served_by(value)
    if served is None:
        raise _not_an_agent(value, f"{where}:{target.attr}")
    return served[0], served[1], f"{where}:{target.attr}"


def _module_adapter(module: ModuleType) -> Any | None:
    for name in ("ADAPTER", "adapter"):
        value = getattr(module, name, None)
        if value is not None and callable(getattr(value, "process", None)):
            return value
    return None


def load_agent(target: str | Target, *, cwd: Path | None = None) -> LoadedAgent:
    """Import the module ``target`` names and return the agent in it (see the module doc)."""
    parsed = target if isinstance(target, Target) else Target.parse(target, cwd)
    try:
        with _intercept_serving():
            if parsed.path is not None:
                _add_to_path(parsed.path.parent)
                module = _import_file(parsed.path)
            else:
                assert parsed.module is not None
                _add_to_path(cwd or Path.cwd())
                module = importlib.import_module(parsed.module)
    except _ServeCalled as called:
        if not _is_agent(called.agent):
            raise AgentLoadError(
                f"importing {parsed.where!r} started a server ({called.how}) with no agent "
                "application agents-dev can find; expose it at module level as AGENT_APP and "
                "start the server only under  if __name__ == '__main__':"
            ) from None
        adapter = called.adapter if called.adapter is not None else resolve_adapter(called.agent)
        return LoadedAgent(called.agent, adapter, parsed, f"{parsed.where} ({called.how})")
    except AgentLoadError:
        raise
    except Exception as error:
        raise _import_error(parsed, error) from error
    except SystemExit as error:
        raise _import_error(parsed, error) from None
    agent, adapter, found_as = _pick(module, parsed)
    adapter = adapter or resolve_adapter(agent) or _module_adapter(module)
    return LoadedAgent(agent, adapter, parsed, found_as)
