"""The Copilot Studio console client, run against the loopback Direct-to-Engine stand-in."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import os
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import pytest

from microsoft_agents.copilotstudio.client.testing import CopilotStudioStandIn

SAMPLE = Path(__file__).resolve().parent / "copilotstudio_client_app.py"
TOKEN = "sample-token-789"
SEED_VARIABLES = (
    "COPILOTSTUDIOAGENT__ENVIRONMENTID",
    "COPILOTSTUDIOAGENT__SCHEMANAME",
    "COPILOTSTUDIOAGENT__TENANTID",
    "COPILOTSTUDIOAGENT__AGENTAPPID",
)

# The client code of the user guide, which the sample must keep as it is.
SEED_MAIN = """
async def main():
    settings = ConnectionSettings(
        environment_id=environ.get("COPILOTSTUDIOAGENT__ENVIRONMENTID"),
        agent_identifier=environ.get("COPILOTSTUDIOAGENT__SCHEMANAME"),
    )

    token = acquire_token(
        settings,
        app_client_id=environ.get("COPILOTSTUDIOAGENT__AGENTAPPID"),
        tenant_id=environ.get("COPILOTSTUDIOAGENT__TENANTID"),
    )

    copilot_client = CopilotClient(settings, token)

    # Start conversation
    act = copilot_client.start_conversation(True)
    async for action in act:
        if action.text:
            print(action.text)

    # Ask question
    replies = copilot_client.ask_question("Hello!", action.conversation.id)
    async for reply in replies:
        if reply.type == ActivityTypes.message:
            print(reply.text)
"""


def load_sample() -> ModuleType:
    spec = importlib.util.spec_from_file_location("copilotstudio_client_app", SAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def service() -> AsyncIterator[CopilotStudioStandIn]:
    async with CopilotStudioStandIn(expected_token=TOKEN) as stand_in:
        yield stand_in


def sample_environment(**variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOTSTUDIOAGENT__")}
    env.update(variables)
    return env


async def run_sample(env: dict[str, str], *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SAMPLE),
        *args,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def test_main_is_the_guides_code_unchanged() -> None:
    source = inspect.getsource(load_sample().main)
    assert textwrap.dedent(source).strip() == SEED_MAIN.strip()


async def test_runs_against_the_loopback_service(service: CopilotStudioStandIn) -> None:
    env = sample_environment(
        COPILOTSTUDIOAGENT__DIRECTCONNECTURL=service.direct_connect_url,
        COPILOTSTUDIOAGENT__ACCESSTOKEN=TOKEN,
    )
    code, out, err = await run_sample(env)
    assert code == 0, err
    assert out.splitlines() == [service.greeting, "You said: Hello!"]
    start, turn = service.requests
    assert start.operation == "start" and start.json == {"emitStartConversationEvent": True}
    assert turn.operation == "execute" and turn.activity is not None
    assert (turn.activity["text"], turn.conversation_id) == ("Hello!", "conversation-1")
    assert all(r.authorization == f"Bearer {TOKEN}" for r in service.requests)


async def test_a_rejected_token_fails_without_printing_it(service: CopilotStudioStandIn) -> None:
    env = sample_environment(
        COPILOTSTUDIOAGENT__DIRECTCONNECTURL=service.direct_connect_url,
        COPILOTSTUDIOAGENT__ACCESSTOKEN="not-the-right-token",
    )
    code, out, err = await run_sample(env)
    assert code != 0
    assert out == ""
    assert "CopilotClientHTTPError" in err and "401 Unauthorized" in err
    assert "not-the-right-token" not in err


async def test_chat_asks_every_line_of_standard_input(service: CopilotStudioStandIn) -> None:
    env = sample_environment(
        COPILOTSTUDIOAGENT__DIRECTCONNECTURL=service.direct_connect_url,
        COPILOTSTUDIOAGENT__ACCESSTOKEN=TOKEN,
    )
    code, out, err = await run_sample(env, "--chat", stdin=b"first\nsecond\n\nignored\n")
    assert code == 0, err
    assert out.splitlines() == [
        service.greeting,
        "You said: Hello!",
        "You said: first",
        "You said: second",
    ]
    assert [r.conversation_id for r in service.requests[-2:]] == ["conversation-2"] * 2


async def test_loopback_mode_needs_no_settings_at_all() -> None:
    code, out, err = await run_sample(sample_environment(), "--loopback")
    assert code == 0, err
    assert out.splitlines() == [CopilotStudioStandIn().greeting, "You said: Hello!"]


async def test_without_settings_the_sample_explains_what_is_missing() -> None:
    code, _, err = await run_sample(sample_environment())
    assert code != 0
    assert "environment id is missing" in err


async def test_main_in_process_reads_the_seed_variables(
    service: CopilotStudioStandIn,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in SEED_VARIABLES:
        monkeypatch.setenv(name, "unused-with-a-direct-url")
    monkeypatch.setenv("COPILOTSTUDIOAGENT__SCHEMANAME", "cr123_myAgent")
    monkeypatch.setenv("COPILOTSTUDIOAGENT__DIRECTCONNECTURL", service.direct_connect_url)
    monkeypatch.setenv("COPILOTSTUDIOAGENT__ACCESSTOKEN", TOKEN)
    sample = load_sample()
    settings = sample.ConnectionSettings(environment_id="e", agent_identifier="cr123_myAgent")
    assert settings.direct_connect_url == service.direct_connect_url
    assert sample.acquire_token(settings, None, None) == TOKEN
    await sample.main()
    assert capsys.readouterr().out.splitlines() == [service.greeting, "You said: Hello!"]
    # without the override the settings name the cloud endpoint of the environment
    monkeypatch.delenv("COPILOTSTUDIOAGENT__DIRECTCONNECTURL")
    assert (
        sample.ConnectionSettings(environment_id="e", agent_identifier="a").direct_connect_url
        is None
    )
