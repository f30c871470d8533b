"""The two-agent sample: an aiohttp caller delegating to an ASGI callee, both on 127.0.0.1.

In-process tests serve the sample's agents with real JWTs from a loopback OpenID provider and
a loopback channel for the user; the last test runs the three scripts as they are documented.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import callee_agent  # type: ignore[import-not-found]
import caller_agent  # type: ignore[import-not-found]
import jwt
import pytest
import two_agents_chat  # type: ignore[import-not-found]
import uvicorn
from aiohttp import web

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core._middleware import FunctionMiddleware
from microsoft_agents.hosting.core.testing.loopback import (
    LOOPBACK_TENANT_ID,
    ChannelServiceStandIn,
    LoopbackTokenProvider,
    OpenIdProvider,
    loopback_connection_manager,
)
from microsoft_agents.hosting.fastapi import create_app as create_asgi_app

HERE = Path(__file__).resolve().parent
CALLER_ID = "caller-app-id"
CALLEE_ID = "flight-agent-app-id"
USER_CONVERSATION = "user-conversation"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class TwoAgents:
    idp: OpenIdProvider
    channel: ChannelServiceStandIn
    caller: Any  # caller_agent.CallerAgent
    caller_url: str
    callee_server: uvicorn.Server
    callee_serving: asyncio.Task[None]
    callee_tokens: LoopbackTokenProvider
    callee_turns: list[Activity] = field(default_factory=list)

    async def user_says(self, text: str, activity_id: str) -> int:
        activity = {
            "type": "message",
            "id": activity_id,
            "channelId": "msteams",
            "serviceUrl": self.channel.url,
            "conversation": {"id": USER_CONVERSATION},
            "from": {"id": "user-1", "name": "Ada"},
            "recipient": {"id": "caller-bot", "name": "Caller"},
            "text": text,
        }
        token = self.idp.bot_framework_token(CALLER_ID, service_url=self.channel.url)
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{self.caller_url}/api/messages",
                json=activity,
                headers={"Authorization": f"Bearer {token}"},
            ) as response,
        ):
            return response.status

    def user_heard(self) -> list[str]:
        return [a.get("text", "") for a in self.channel.activities(USER_CONVERSATION)]

    def agent_conversations(self) -> list[str]:
        return [t.conversation.id if t.conversation else "" for t in self.callee_turns]

    async def stop_callee(self) -> None:
        self.callee_server.should_exit = True
        await self.callee_serving


@pytest.fixture
async def two_agents() -> AsyncIterator[TwoAgents]:
    async with OpenIdProvider() as idp, ChannelServiceStandIn() as channel:
        # The callee: the sample's flight agent, served by uvicorn.
        callee_connections = loopback_connection_manager(idp, CALLEE_ID)
        callee_tokens = callee_connections.get_default_connection()
        assert isinstance(callee_tokens, LoopbackTokenProvider)
        callee_app, callee_auth = callee_agent.create_callee(callee_connections)
        turns: list[Activity] = []

        async def record(context: TurnContext, logic: Any) -> None:
            turns.append(context.activity)
            await logic()

        callee_app.adapter.use(FunctionMiddleware(record))
        listener = socket.create_server(("127.0.0.1", 0))
        callee_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        config = uvicorn.Config(
            create_asgi_app(callee_app, callee_auth), log_level="critical", lifespan="off"
        )
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve(sockets=[listener]))
        while not server.started:
            assert not serving.done(), "uvicorn stopped while starting"
            await asyncio.sleep(0.01)

        # The caller: the sample's aiohttp agent.
        caller = caller_agent.create_caller(
            loopback_connection_manager(idp, CALLER_ID),
            callee_app_id=CALLEE_ID,
            callee_endpoint=f"{callee_url}/api/messages",
            host_endpoint="set below, once the port is known",
        )
        runner = web.AppRunner(caller.web_app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        caller_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        caller.channel_host.host_endpoint = f"{caller_url}/api/agents"
        try:
            yield TwoAgents(idp, channel, caller, caller_url, server, serving, callee_tokens, turns)
        finally:
            await runner.cleanup()
            if not serving.done():
                server.should_exit = True
                await serving
            await callee_app.adapter.close()  # lifespan is off: close its REST session here


async def test_the_flight_agent_answers_the_user_through_the_caller(
    two_agents: TwoAgents,
) -> None:
    status = await two_agents.user_says("Paris", "activity-1")

    assert status == 202
    assert two_agents.user_heard() == ["Flights to Paris: AF123 at 09:40."]
    relayed = two_agents.channel.last_request
    assert relayed.path == f"/v3/conversations/{USER_CONVERSATION}/activities/activity-1"
    assert relayed.json["from"] == {"id": "caller-bot", "name": "Caller"}
    token = (relayed.authorization or "").removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["aud"], claims["azp"]) == ("https://api.botframework.com", CALLER_ID)

    [received] = two_agents.callee_turns
    assert received.caller_id == f"urn:botframework:aadappid:{CALLER_ID}"  # a validated JWT
    assert received.service_url == f"{two_agents.caller_url}/api/agents"
    assert received.relates_to is not None
    assert received.relates_to.conversation.id == USER_CONVERSATION
    assert received.conversation is not None and received.conversation.id != USER_CONVERSATION
    assert two_agents.callee_tokens.requests == [(f"app://{CALLER_ID}", [f"{CALLER_ID}/.default"])]


async def test_end_of_conversation_hands_the_user_back_to_the_caller(
    two_agents: TwoAgents,
) -> None:
    await two_agents.user_says("Paris", "activity-1")
    await two_agents.user_says("Rome", "activity-2")
    await two_agents.user_says("bye", "activity-3")
    await two_agents.user_says("Oslo", "activity-4")

    assert two_agents.user_heard() == [
        "Flights to Paris: AF123 at 09:40.",
        "Flights to Rome: AF123 at 09:40.",
        "Goodbye from the flight agent.",
        "The flight agent is done. Anything else?",
        "Flights to Oslo: AF123 at 09:40.",
    ]
    paris, rome, bye, oslo = two_agents.agent_conversations()
    assert paris == rome == bye != oslo
    ids = two_agents.caller.conversation_ids
    assert await ids.get_agent_conversation_reference(paris) is None
    assert await ids.get_agent_conversation_reference(oslo) is not None


async def test_a_failing_flight_agent_leaves_the_user_with_an_answer(
    two_agents: TwoAgents,
) -> None:
    await two_agents.user_says("Paris", "activity-1")
    status = await two_agents.user_says("fail", "activity-2")
    await two_agents.user_says("Rome", "activity-3")

    assert status == 202
    assert two_agents.user_heard() == [
        "Flights to Paris: AF123 at 09:40.",
        caller_agent.UNAVAILABLE,
        "Flights to Rome: AF123 at 09:40.",
    ]
    paris, failed, rome = two_agents.agent_conversations()
    assert paris == failed != rome  # the failed delegation was dropped
    assert await two_agents.caller.conversation_ids.get_agent_conversation_reference(paris) is None


async def test_a_flight_agent_that_is_down_leaves_the_user_with_an_answer(
    two_agents: TwoAgents,
) -> None:
    await two_agents.stop_callee()

    status = await two_agents.user_says("Paris", "activity-1")

    assert status == 202
    assert two_agents.user_heard() == [caller_agent.UNAVAILABLE]
    assert two_agents.callee_turns == []


async def test_answers_need_a_token_from_the_flight_agent(two_agents: TwoAgents) -> None:
    await two_agents.user_says("Paris", "activity-1")
    [conversation_id] = two_agents.agent_conversations()
    url = f"{two_agents.caller_url}/api/agents/v3/conversations/{conversation_id}/activities"
    other_agent = two_agents.idp.entra_token(CALLER_ID, LOOPBACK_TENANT_ID, caller="someone-else")

    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"type": "message", "text": "x"}) as anonymous:
            assert anonymous.status == 401
        headers = {"Authorization": f"Bearer {other_agent}"}
        async with session.post(url, json={"type": "message", "text": "x"}, headers=headers) as r:
            assert r.status == 401

    assert two_agents.user_heard() == ["Flights to Paris: AF123 at 09:40."]


def test_without_credentials_both_agents_are_anonymous() -> None:
    assert caller_agent.CONNECTION_MANAGER is None and callee_agent.CONNECTION_MANAGER is None
    assert caller_agent.CALLER.adapter.anonymous and callee_agent.AGENT_APP.adapter.anonymous
    assert caller_agent.CALLER.auth_configuration.ANONYMOUS_ALLOWED
    flights = caller_agent.CALLER.channel_host.channels[caller_agent.FLIGHTS]
    assert flights.endpoint == "http://localhost:3979/api/messages"


# -- the scripts, as the README runs them --------------------------------------------------


async def _wait_until_serving(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        for _attempt in range(150):
            assert process.returncode is None, f"{url}: the script exited early"
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail(f"{url} never answered")


async def test_the_scripts_talk_to_each_other() -> None:
    caller_port, callee_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS__")}
    callee_env = {**env, "PORT": str(callee_port)}
    caller_env = {
        **env,
        "PORT": str(caller_port),
        "CALLEE_ENDPOINT": f"http://localhost:{callee_port}/api/messages",
    }
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(HERE / script),
            env=script_env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        for script, script_env in (
            ("callee_agent.py", callee_env),
            ("caller_agent.py", caller_env),
        )
    ]
    try:
        for port, process in zip((callee_port, caller_port), processes, strict=True):
            await _wait_until_serving(f"http://localhost:{port}/api/messages", process)

        lines = await two_agents_chat.chat(
            f"http://localhost:{caller_port}/api/messages", ["Paris", "bye"]
        )

        assert lines == [
            ("you", "Paris"),
            ("agent", "Flights to Paris: AF123 at 09:40."),
            ("you", "bye"),
            ("agent", "Goodbye from the flight agent."),
            ("agent", "The flight agent is done. Anything else?"),
        ]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            await asyncio.wait_for(process.wait(), timeout=20)
