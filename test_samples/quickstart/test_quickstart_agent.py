"""The quickstart agent, served over real HTTP on 127.0.0.1, answering a loopback channel."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import quickstart_agent as sample  # type: ignore[import-not-found]
from aiohttp import web

from microsoft_agents.hosting.aiohttp import create_app
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn

SAMPLE = Path(__file__).resolve().parent / "quickstart_agent.py"


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as stand_in:
        yield stand_in


@pytest.fixture
async def agent_url() -> AsyncIterator[str]:
    runner = web.AppRunner(create_app(sample.AGENT_APP, sample.AUTH_CONFIGURATION))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
    await runner.cleanup()


def _activity(channel: ChannelServiceStandIn, **fields: Any) -> dict[str, Any]:
    activity = {
        "type": "message",
        "id": "activity-7",
        "channelId": "test",
        "serviceUrl": channel.url,
        "conversation": {"id": "conversation-9"},
        "from": {"id": "user-1"},
        "recipient": {"id": "agent-1"},
        "text": "hi",
    }
    activity.update(fields)
    return activity


async def _post(url: str, activity: dict[str, Any]) -> tuple[int, bytes]:
    async with aiohttp.ClientSession() as session, session.post(url, json=activity) as response:
        return response.status, await response.read()


def test_runs_in_anonymous_mode_without_credentials() -> None:
    assert sample.CONNECTION_MANAGER is None
    assert sample.AUTH_CONFIGURATION is None
    assert sample.ADAPTER.anonymous
    assert sample.AGENT_APP.adapter is sample.ADAPTER


async def test_echoes_a_message_through_the_channel(
    agent_url: str, channel: ChannelServiceStandIn
) -> None:
    status, body = await _post(agent_url, _activity(channel, text="how are you?"))

    assert (status, body) == (202, b"")
    [request] = channel.requests
    assert request.path == "/v3/conversations/conversation-9/activities/activity-7"
    assert request.authorization is None
    assert request.json["text"] == "You said: how are you?"
    assert request.json["recipient"] == {"id": "user-1"}


async def test_greets_hello_and_welcomes_new_members(
    agent_url: str, channel: ChannelServiceStandIn
) -> None:
    await _post(agent_url, _activity(channel, text="HELLO"))
    update = _activity(channel, type="conversationUpdate", membersAdded=[{"id": "user-1"}])
    del update["text"]
    await _post(agent_url, update)

    texts = [r.json["text"] for r in channel.requests]
    assert texts == ["Hello!", "Welcome to the agent! Say something and I will echo it."]


async def test_expect_replies_returns_the_reply_in_the_answer(
    agent_url: str, channel: ChannelServiceStandIn
) -> None:
    status, body = await _post(agent_url, _activity(channel, deliveryMode="expectReplies"))

    assert status == 200
    assert [a["text"] for a in json.loads(body)["activities"]] == ["You said: hi"]
    assert channel.requests == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_script_serves_on_the_port_it_prints() -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS__")}
    env["PORT"] = str(port)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SAMPLE),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        output = b""
        while b"Agent listening" not in output:
            line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
            assert line, f"the sample exited early: {output.decode(errors='replace')}"
            output += line
        assert f"http://localhost:{port}/api/messages".encode() in output
        assert b"deliveryMode" in output  # the curl hint
        activity = {
            "type": "message",
            "text": "over the wire",
            "deliveryMode": "expectReplies",
            "conversation": {"id": "c1"},
            "from": {"id": "user"},
            "recipient": {"id": "agent"},
            "channelId": "test",
        }
        url = f"http://localhost:{port}/api/messages"
        for _ in range(50):  # the socket opens just after the banner is printed
            try:
                status, body = await _post(url, activity)
                break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
        else:
            pytest.fail("the sample never accepted a connection")
        assert status == 200
        assert json.loads(body)["activities"][0]["text"] == "You said: over the wire"
    finally:
        process.terminate()
        await process.wait()
