"""The FastAPI quickstart over real HTTP: uvicorn on 127.0.0.1, replies to a loopback channel."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import fastapi_quickstart_agent as sample  # type: ignore[import-not-found]
import httpx
import pytest
import uvicorn

from microsoft_agents.activity import Activity, ChannelAccount, ConversationAccount
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn

SCRIPT = Path(__file__).resolve().parent / "fastapi_quickstart_agent.py"


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as stand_in:
        yield stand_in


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """A client of the sample's FastAPI ``app``, served by uvicorn on a free loopback port."""
    listener = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(sample.app, log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:
        assert not serving.done(), "uvicorn stopped while starting"
        await asyncio.sleep(0.01)
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    async with httpx.AsyncClient(base_url=base_url) as client:
        yield client
    server.should_exit = True
    await serving


def incoming(channel: ChannelServiceStandIn, **changes: Any) -> dict[str, Any]:
    """A message from ``user-1`` in ``conversation-5`` (wire form), with ``changes`` applied."""
    activity = Activity(
        type="message",
        id="activity-3",
        channel_id="test",
        service_url=channel.url,
        conversation=ConversationAccount(id="conversation-5"),
        from_property=ChannelAccount(id="user-1"),
        recipient=ChannelAccount(id="agent-1"),
        text="hi",
    ).model_dump(mode="json", by_alias=True, exclude_unset=True)
    activity.update(changes)
    return {key: value for key, value in activity.items() if value is not None}


def test_without_credentials_it_is_anonymous() -> None:
    assert sample.CONNECTION_MANAGER is None and sample.ADAPTER.anonymous
    assert sample.app.state.agent_configuration.ANONYMOUS_ALLOWED


async def test_a_message_is_echoed_to_the_channel(
    http: httpx.AsyncClient, channel: ChannelServiceStandIn
) -> None:
    answer = await http.post("/api/messages", json=incoming(channel, text="how are you?"))

    assert (answer.status_code, answer.content) == (202, b"")
    [reply] = channel.requests
    assert reply.path == "/v3/conversations/conversation-5/activities/activity-3"
    assert reply.authorization is None  # anonymous mode sends no token
    assert (reply.json["text"], reply.json["recipient"]) == (
        "You said: how are you?",
        {"id": "user-1"},
    )


async def test_new_members_are_welcomed(
    http: httpx.AsyncClient, channel: ChannelServiceStandIn
) -> None:
    added = incoming(channel, type="conversationUpdate", text=None, membersAdded=[{"id": "u"}])
    answer = await http.post("/api/messages", json=added)

    assert answer.status_code == 202
    assert [request.json["text"] for request in channel.requests] == [
        "Welcome to the agent! Say something and I will echo it."
    ]


async def test_expect_replies_and_the_health_check(
    http: httpx.AsyncClient, channel: ChannelServiceStandIn
) -> None:
    answer = await http.post("/api/messages", json=incoming(channel, deliveryMode="expectReplies"))
    health = await http.get("/api/messages")
    bad = await http.post(
        "/api/messages", content=b"{", headers={"Content-Type": "application/json"}
    )

    assert answer.status_code == 200
    assert [activity["text"] for activity in answer.json()["activities"]] == ["You said: hi"]
    assert channel.requests == []
    assert (health.status_code, health.json()) == (200, {"status": "OK"})
    assert (bad.status_code, bad.json()) == (
        400,
        {"error": "Invalid JSON or unsupported Content-Type"},
    )


async def test_the_script_serves_on_the_port_it_prints() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        name: value for name, value in os.environ.items() if not name.startswith("CONNECTIONS__")
    }
    env["PORT"] = str(port)
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(SCRIPT), env=env, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        banner = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        assert f"http://localhost:{port}/api/messages".encode() in banner
        async with httpx.AsyncClient(base_url=f"http://localhost:{port}") as client:
            for _attempt in range(100):  # uvicorn opens its socket just after the banner
                try:
                    health = await client.get("/api/messages")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            else:
                pytest.fail("the script never accepted a connection")
        assert health.json() == {"status": "OK"}
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=20)
