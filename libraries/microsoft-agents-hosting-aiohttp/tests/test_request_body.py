"""How the aiohttp host reads request bodies: whole when the length is known, streamed (with
the size limit applied while reading) otherwise, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import warnings
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from microsoft_agents.hosting.aiohttp import (
    CloudAdapter,
    jwt_authorization_middleware,
    start_agent_process,
)
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration

LIMIT = 2000  # max_body_bytes of the adapter


def _activity(text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "in-1",
        "channelId": "test",
        "deliveryMode": "expectReplies",
        "from": {"id": "user-1"},
        "recipient": {"id": "agent-1"},
        "conversation": {"id": "conv-1"},
        "text": text,
    }


@pytest.fixture
async def url() -> AsyncIterator[str]:
    adapter = CloudAdapter(max_body_bytes=LIMIT)
    agent = AgentApplication[TurnState](storage=MemoryStorage(), adapter=adapter)

    @agent.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        await context.send_activity(f"{len(context.activity.text or '')} characters")

    async def messages(request: web.Request) -> web.StreamResponse:
        return await start_agent_process(request, agent, adapter)

    # aiohttp's own limit is lower than the adapter's: whole-body reads must not trip it.
    app = web.Application(middlewares=[jwt_authorization_middleware], client_max_size=1000)
    app.router.add_post("/api/messages", messages)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", web.NotAppKeyWarning)  # the published string key
        app["agent_configuration"] = AgentAuthConfiguration(anonymous_allowed=True)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
    await runner.cleanup()
    await adapter.close()


async def _post(url: str, data: Any, headers: dict[str, str]) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=data, headers=headers) as response,
    ):
        body = await response.read()
        return response.status, json.loads(body) if body else None


def _texts(answer: Any) -> list[str]:
    return [activity["text"] for activity in answer["activities"]]


async def test_a_body_of_known_length_is_read_whole(url: str) -> None:
    body = json.dumps(_activity("hello")).encode()
    status, answer = await _post(url, body, {"Content-Type": "application/json"})
    assert status == 200 and _texts(answer) == ["5 characters"]


async def test_a_body_over_aiohttps_own_limit_but_within_the_adapters_is_accepted(url: str) -> None:
    body = json.dumps(_activity("x" * 1200)).encode()
    assert 1000 < len(body) <= LIMIT
    status, answer = await _post(url, body, {"Content-Type": "application/json"})
    assert status == 200 and _texts(answer) == ["1200 characters"]


async def test_a_declared_length_over_the_limit_is_refused(url: str) -> None:
    body = json.dumps(_activity("x" * 2500)).encode()
    status, answer = await _post(url, body, {"Content-Type": "application/json"})
    assert status == 413 and str(LIMIT) in answer["error"]


async def test_a_chunked_body_over_the_limit_is_refused_while_streaming(url: str) -> None:
    body = json.dumps(_activity("x" * 2500)).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 500):
            yield body[start : start + 500]

    status, answer = await _post(url, chunks(), {"Content-Type": "application/json"})
    assert status == 413 and str(LIMIT) in answer["error"]


async def test_a_compressed_body_is_limited_by_its_decompressed_size(url: str) -> None:
    body = gzip.compress(json.dumps(_activity("x" * 5000)).encode())
    assert len(body) < LIMIT  # small on the wire, too large once decompressed
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    status, answer = await _post(url, body, headers)
    assert status == 413 and str(LIMIT) in answer["error"]
