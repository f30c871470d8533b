"""``start_server``: which ASGI server runs the application, where, and that it really serves."""

from __future__ import annotations

import asyncio
import importlib
import json
import socket
import sys
import time
from typing import Any

import httpx
import hypercorn.asyncio
import pytest
import uvicorn
from fastapi_host_testing import EXPECT_REPLIES

from microsoft_agents.hosting.core.testing.host_contract import build_contract_agent
from microsoft_agents.hosting.fastapi import CloudAdapter, start_server

server_module = importlib.import_module("microsoft_agents.hosting.fastapi._server")

SERVE_SCRIPT = """
import sys
from microsoft_agents.hosting.core.testing.host_contract import build_contract_agent
from microsoft_agents.hosting.fastapi import CloudAdapter, start_server

agent = build_contract_agent(CloudAdapter()).app
start_server(agent, host="127.0.0.1", port=int(sys.argv[1]), server=sys.argv[2])
"""


def agent_app() -> Any:
    return build_contract_agent(CloudAdapter()).app


def test_uvicorn_is_the_default_and_gets_host_port_and_options(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runs: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: runs.append((app, options)))
    monkeypatch.setenv("PORT", "4567")
    agent = agent_app()

    start_server(agent_application=agent, auth_configuration=None)
    start_server(agent, None, host="0.0.0.0", port=8080, log_level="debug", workers=1)

    [(first_app, first), (_, second)] = runs
    assert first == {"host": "localhost", "port": 4567, "log_level": "warning"}
    assert second == {"host": "0.0.0.0", "port": 8080, "log_level": "debug", "workers": 1}
    assert first_app.state.agent_app is agent
    assert first_app.state.agent_configuration.ANONYMOUS_ALLOWED
    printed = capsys.readouterr().out
    assert "http://localhost:4567/api/messages (uvicorn" in printed
    assert "http://0.0.0.0:8080/api/messages" in printed


def test_hypercorn_gets_the_bind_address_and_options(monkeypatch: pytest.MonkeyPatch) -> None:
    configs: list[Any] = []

    async def serve(app: Any, config: Any) -> None:
        configs.append(config)

    monkeypatch.setattr(hypercorn.asyncio, "serve", serve)
    monkeypatch.delenv("PORT", raising=False)

    start_server(agent_app(), server="hypercorn", keep_alive_timeout=3.0)

    [config] = configs
    assert config.bind == ["localhost:3978"]
    assert config.keep_alive_timeout == 3.0


def test_an_unknown_or_missing_server_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="unknown server 'gunicorn'"):
        start_server(agent_app(), server="gunicorn")
    monkeypatch.setattr(server_module, "SERVERS", ("no_such_asgi_server_installed",))
    with pytest.raises(ImportError, match=r"microsoft-agents-hosting-fastapi\[server\]"):
        start_server(agent_app())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _post_when_listening(url: str, body: Any, deadline: float) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        while True:
            try:
                return await http.post(url, json=body)
            except httpx.ConnectError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)


@pytest.mark.parametrize("server", ["uvicorn", "hypercorn"])
async def test_a_server_process_answers_over_http(server: str) -> None:
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SERVE_SCRIPT,
        str(port),
        server,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        # Everything up to the banner's end (an early exit raises IncompleteReadError).
        banner = await asyncio.wait_for(process.stdout.readuntil(b"Ctrl+C to stop)"), 30)
        assert f"http://127.0.0.1:{port}/api/messages ({server}".encode() in banner
        url = f"http://127.0.0.1:{port}/api/messages"
        answer = await _post_when_listening(url, EXPECT_REPLIES, time.monotonic() + 20)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/json; charset=utf-8"
        assert json.loads(answer.content)["activities"][0]["text"] == "You said: ping"
    finally:
        if process.returncode is None:
            process.terminate()
        await asyncio.wait_for(process.wait(), timeout=20)
