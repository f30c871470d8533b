"""The agents-dev command: finding the agent, readable start-up errors, serving and --reload."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import microsoft_agents.hosting.aiohttp as host
from microsoft_agents.hosting.aiohttp.dev import AgentLoadError, load_agent
from microsoft_agents.hosting.aiohttp.dev._cli import main
from microsoft_agents.hosting.aiohttp.dev._loader import Target
from microsoft_agents.hosting.aiohttp.dev._reload import changed_files, snapshot

AGENT = """
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState

{name} = AgentApplication[TurnState](storage=MemoryStorage(), adapter=CloudAdapter())


@{name}.activity("message")
async def on_message(context: TurnContext, _state: TurnState) -> None:
    await context.send_activity("{reply}")
"""


def agent_source(reply: str = "hi", name: str = "AGENT_APP") -> str:
    return AGENT.format(name=name, reply=reply)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    """A folder for agent modules; the modules and path entries it adds are removed after."""
    modules, path = set(sys.modules), list(sys.path)
    yield tmp_path
    for name in set(sys.modules) - modules:
        del sys.modules[name]
    sys.path[:] = path


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def write(folder: Path, relative: str, source: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


def package_module(folder: Path, source: str) -> str:
    package = unique("pkg")
    write(folder, f"{package}/__init__.py", "")
    write(folder, f"{package}/bot.py", source)
    return f"{package}.bot"


def load_error(target: str, cwd: Path) -> str:
    with pytest.raises(AgentLoadError) as caught:
        load_agent(target, cwd=cwd)
    return str(caught.value)


# -- finding the agent ------------------------------------------------------------------------


def test_a_dotted_module_is_imported_from_the_working_folder(workspace: Path) -> None:
    module = package_module(workspace, agent_source())
    loaded = load_agent(module, cwd=workspace)
    assert loaded.found_as == f"{module}:AGENT_APP"
    assert loaded.agent is importlib.import_module(module).AGENT_APP
    assert loaded.adapter is loaded.agent.adapter


def test_without_a_name_agent_app_comes_before_app(workspace: Path) -> None:
    source = agent_source(name="app") + "\nagent_app = app\napp = object()\n"
    path = write(workspace, "two.py", source)
    loaded = load_agent(str(path))
    assert loaded.found_as.endswith("two.py:agent_app")


def test_an_aiohttp_app_named_app_is_served_through_its_agent_app_entry(
    workspace: Path,
) -> None:
    source = agent_source(name="AGENT") + (
        "\nimport warnings\nfrom aiohttp import web\nwarnings.simplefilter('ignore')\n"
        "app = web.Application()\napp['agent_app'] = AGENT\napp['adapter'] = AGENT.adapter\n"
    )
    loaded = load_agent(str(write(workspace, "served_app.py", source)))
    assert loaded.found_as.endswith("served_app.py:app")
    assert type(loaded.agent).__name__ == "AgentApplication"
    assert loaded.adapter is loaded.agent.adapter


def test_the_first_default_name_that_is_not_an_agent_is_explained(workspace: Path) -> None:
    path = write(workspace, "odd.py", "app = 'not an agent'\n")
    assert "odd.py:app is a str" in load_error(str(path), workspace)


def test_a_file_path_with_a_dotted_name(workspace: Path) -> None:
    write(workspace, "holder.py", agent_source() + "\nclass Holder:\n    agent = AGENT_APP\n")
    loaded = load_agent("holder.py:Holder.agent", cwd=workspace)
    assert loaded.found_as == "holder.py:Holder.agent"
    assert type(loaded.agent).__name__ == "AgentApplication"


def test_a_missing_module_says_which_part_is_missing(workspace: Path) -> None:
    message = load_error("nosuchpkg_x.bot:AGENT_APP", workspace)
    assert "there is no module 'nosuchpkg_x'" in message
    assert "path/to/module.py" in message
    module = package_module(workspace, agent_source())
    package = module.split(".")[0]
    message = load_error(f"{package}.other", workspace)
    assert f"there is no module '{package}.other'" in message


def test_a_missing_dependency_is_told_apart_from_a_missing_module(workspace: Path) -> None:
    module = package_module(workspace, "import not_installed_dep_x\n")
    message = load_error(module, workspace)
    assert "it imports 'not_installed_dep_x', which is not installed" in message
    assert "bot.py" in message and "line 1" in message


def test_a_syntax_error_names_the_file_and_line(workspace: Path) -> None:
    path = write(workspace, "broken.py", "x = 1\n\ndef f(:\n    pass\n")
    message = load_error(str(path), workspace)
    assert f"syntax error at {path}:3" in message


def test_an_exception_while_importing_shows_where(workspace: Path) -> None:
    path = write(workspace, "boom.py", "VALUE = 1\nraise RuntimeError('no config')\n")
    message = load_error(str(path), workspace)
    assert "raised RuntimeError: no config" in message
    assert 'boom.py", line 2' in message
    assert "importlib" not in message


def test_sys_exit_while_importing_is_reported(workspace: Path) -> None:
    path = write(workspace, "leaves.py", "import sys\nsys.exit('set CLIENTID first')\n")
    assert "stopped with sys.exit: set CLIENTID first" in load_error(str(path), workspace)


def test_a_missing_attribute_lists_the_agents_found(workspace: Path) -> None:
    module = package_module(workspace, agent_source())
    message = load_error(f"{module}:NOPE", workspace)
    assert f"has no attribute 'NOPE'; agents found in it: {module}:AGENT_APP" in message


def test_a_module_without_the_usual_names_suggests_the_agents_it_has(workspace: Path) -> None:
    path = write(workspace, "custom.py", agent_source(name="my_bot"))
    message = load_error(str(path), workspace)
    assert "has none of AGENT_APP, agent_app, app" in message
    assert "custom.py:my_bot" in message


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ("from aiohttp import web\nAPP = web.Application()", "an aiohttp Application without"),
        ("class APP:\n    pass", "the class APP; name an instance of it"),
        ("def APP():\n    pass", "a function; name the agent it builds"),
        ("APP = 42", "a int, which has no on_turn(context) method"),
    ],
)
def test_things_that_are_not_agents_are_explained(
    workspace: Path, definition: str, expected: str
) -> None:
    path = write(workspace, f"{unique('thing')}.py", definition + "\n")
    message = load_error(f"{path}:APP", workspace)
    assert expected in message


def test_a_module_that_starts_serving_on_import_hands_over_its_agent(workspace: Path) -> None:
    original = host.start_server
    source = agent_source() + (
        "\nfrom microsoft_agents.hosting.aiohttp import start_server\n"
        "start_server(AGENT_APP, auth_configuration=None)\n"
        "raise AssertionError('start_server must not return')\n"
    )
    path = write(workspace, "serves.py", source)
    loaded = load_agent(str(path))
    assert type(loaded.agent).__name__ == "AgentApplication"
    assert "start_server(...)" in loaded.found_as
    assert host.start_server is original


def test_a_module_that_calls_run_app_hands_over_app_agent_app(workspace: Path) -> None:
    source = agent_source(name="AGENT") + (
        "\nfrom aiohttp.web import Application, run_app\n"
        "import warnings\nwarnings.simplefilter('ignore')\n"
        "APP = Application()\nAPP['agent_app'] = AGENT\nAPP['adapter'] = AGENT.adapter\n"
        "run_app(APP, host='localhost', port=3978)\n"
    )
    path = write(workspace, "runs.py", source)
    loaded = load_agent(str(path))
    assert loaded.adapter is loaded.agent.adapter
    assert "run_app" in loaded.found_as
    source = "from aiohttp import web\nweb.run_app(web.Application())\n"
    empty = write(workspace, "runs_empty.py", source)
    assert "started a server (aiohttp run_app(...))" in load_error(str(empty), workspace)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("my-agent", "'my-agent' is not a module name"),
        ("missing_file.py", "file 'missing_file.py' not found"),
        ("sub", None),
        ("mod:", "ends with ':'"),
        ("  ", "no target given"),
    ],
)
def test_targets_that_cannot_be_parsed(workspace: Path, target: str, expected: str | None) -> None:
    (workspace / "sub").mkdir()
    if expected is None:  # a folder given as a path
        target, expected = "sub/", "'sub/' is a folder"
    with pytest.raises(AgentLoadError, match=expected):
        Target.parse(target, workspace)


def test_the_watched_folder_is_the_module_s_own(workspace: Path) -> None:
    module = package_module(workspace, agent_source())
    package = module.split(".")[0]
    assert Target.parse(module).watch_dir(workspace) == (workspace / package).resolve()
    path = write(workspace, "deep/er/agent.py", agent_source())
    assert Target.parse(str(path)).watch_dir() == path.parent


# -- the command line -------------------------------------------------------------------------


def test_the_console_script_is_declared() -> None:
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="agents-dev")
    assert script.value == "microsoft_agents.hosting.aiohttp.dev._cli:main"
    assert script.load() is main


def test_a_bad_target_exits_1_with_the_reason(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "nosuchpkg_y.agent", "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("agents-dev: error: cannot import 'nosuchpkg_y.agent'")


def test_a_port_in_use_exits_3_and_says_which_flag_fixes_it(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(workspace, "busy.py", agent_source())
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert main(["run", str(path), "--port", str(port), "--no-browser"]) == 3
    err = capsys.readouterr().err
    assert f"port {port} is in use; pass --port N (for example --port {port + 1})" in err


def test_a_port_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["run", "x:y", "--port", "70000"])
    assert caught.value.code == 2
    assert "70000 is not a port number" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ask(port: int, text: str, timeout: float = 1.0) -> str:
    """The agent's reply to ``text`` (expectReplies); raises OSError while it is down."""
    activity = {
        "type": "message",
        "text": text,
        "channelId": "test",
        "deliveryMode": "expectReplies",
        "conversation": {"id": "c"},
        "from": {"id": "u"},
        "recipient": {"id": "a"},
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/messages",
        data=json.dumps(activity).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: dict[str, Any] = json.loads(response.read())
    return str(body["activities"][0]["text"])


def wait_for_reply(port: int, expected: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            last = ask(port, "ping")
            if last == expected:
                return
        except (OSError, urllib.error.URLError, KeyError, ValueError) as error:
            last = error
        time.sleep(0.2)
    raise AssertionError(f"the agent never answered {expected!r}; last: {last!r}")


def dev_command(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PORT", None)
    return subprocess.Popen(
        [sys.executable, "-m", "microsoft_agents.hosting.aiohttp.dev", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        raise AssertionError(f"the command ignored SIGTERM:\n{output}") from None
    return output


def test_the_command_serves_the_page_and_the_agent(workspace: Path) -> None:
    write(workspace, "served.py", agent_source(reply="served"))
    port = free_port()
    process = dev_command("run", "served.py", "--port", str(port), "--no-browser", cwd=workspace)
    try:
        wait_for_reply(port, "served")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert b"/_dev/static/chat.js" in response.read()
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert f"Chat with it:  http://127.0.0.1:{port}/" in output
    assert "served.py:AGENT_APP" in output


def test_reload_restarts_on_changes_and_survives_a_broken_save(workspace: Path) -> None:
    path = write(workspace, "live.py", agent_source(reply="v1"))
    port = free_port()
    process = dev_command(
        "run", "live.py", "--port", str(port), "--reload", "--no-browser", cwd=workspace
    )
    try:
        wait_for_reply(port, "v1")
        path.write_text(agent_source(reply="v2"))
        wait_for_reply(port, "v2")
        path.write_text("def broken(:\n")
        time.sleep(2.5)
        path.write_text(agent_source(reply="v3"))
        wait_for_reply(port, "v3")
    finally:
        output = stop(process)
    assert "live.py changed; restarting" in output
    assert "syntax error at" in output
    assert "it starts again when a .py file changes" in output


def test_reload_gives_up_when_the_port_is_taken(workspace: Path) -> None:
    write(workspace, "taken.py", agent_source())
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = dev_command(
            "run", "taken.py", "--port", str(port), "--reload", "--no-browser", cwd=workspace
        )
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 3
    assert f"port {port} is in use" in output


def test_the_watcher_sees_python_files_only_outside_hidden_and_virtualenv_folders(
    tmp_path: Path,
) -> None:
    write(tmp_path, "a.py", "x = 1\n")
    write(tmp_path, "pkg/b.py", "")
    write(tmp_path, "notes.txt", "")
    write(tmp_path, ".git/c.py", "")
    write(tmp_path, "venv/lib/d.py", "")
    write(tmp_path, "pkg/__pycache__/e.py", "")
    before = snapshot(tmp_path)
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in before) == ["a.py", "pkg/b.py"]
    write(tmp_path, "a.py", "x = 22\n")
    write(tmp_path, ".git/c.py", "changed")
    (tmp_path / "pkg" / "b.py").unlink()
    after = snapshot(tmp_path)
    assert changed_files(before, after) == [str(tmp_path / "a.py"), str(tmp_path / "pkg" / "b.py")]
    assert changed_files(after, snapshot(tmp_path)) == []


def test_the_browser_is_opened_only_where_someone_can_see_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from microsoft_agents.hosting.aiohttp.dev._serve import browser_available

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert browser_available() is False  # a server without a screen
    monkeypatch.setenv("DISPLAY", ":0")
    assert browser_available() is True
    monkeypatch.setenv("CI", "true")
    assert browser_available() is False
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("DISPLAY")
    assert browser_available() is True
