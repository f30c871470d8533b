"""Two agent processes share one Cosmos DB container; concurrent turns of one conversation lose no
update (see scale_out_host.py for the agent and how it retries a conflicting turn)."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

HOST = Path(__file__).resolve().parent / "scale_out_host.py"
TURNS = 40
IN_FLIGHT = 8  # turns sent at once, spread over both replicas


async def _start_replica(env: dict[str, str]) -> tuple[asyncio.subprocess.Process, int]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(HOST),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=None,  # the replica's errors show up in the test output
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
    match = re.fullmatch(rb"LISTENING (\d+)\s*", line)
    if match is None:
        process.kill()
        await process.wait()
        pytest.fail(f"the replica did not start: {line!r}")
    return process, int(match.group(1))


@pytest.fixture
async def replica_urls(cosmos_server: Any, fresh_database: str) -> AsyncIterator[list[str]]:
    env = dict(os.environ)
    env["COSMOSDB_SERVER_ENDPOINT"] = cosmos_server.endpoint
    env["COSMOSDB_SERVER_KEY"] = cosmos_server.key
    env["SCALE_OUT_DATABASE"] = fresh_database
    replicas = await asyncio.gather(_start_replica(env), _start_replica(env))
    try:
        yield [f"http://127.0.0.1:{port}/api/messages" for _, port in replicas]
    finally:
        for process, _ in replicas:
            process.terminate()
        for process, _ in replicas:
            try:
                await asyncio.wait_for(process.wait(), timeout=10)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()


def _activity(conversation_id: str, text: str, number: int) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"activity-{number}",
        "channelId": "test",
        "serviceUrl": "http://127.0.0.1:9/unused",
        "deliveryMode": "expectReplies",
        "conversation": {"id": conversation_id},
        "from": {"id": "user-1"},
        "recipient": {"id": "agent"},
        "text": text,
    }


async def _turn(session: aiohttp.ClientSession, url: str, activity: dict[str, Any]) -> list[str]:
    async with session.post(url, json=activity) as response:
        assert response.status == 200, await response.text()
        body = await response.json()
    return [reply["text"] for reply in body["activities"] if reply.get("type") == "message"]


async def test_concurrent_turns_on_two_replicas_lose_no_update(replica_urls: list[str]) -> None:
    conversation_id = f"scale-out-{uuid.uuid4().hex}"
    gate = asyncio.Semaphore(IN_FLIGHT)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:

        async def increment(number: int) -> list[str]:
            async with gate:
                url = replica_urls[number % len(replica_urls)]
                return await _turn(session, url, _activity(conversation_id, "increment", number))

        replies = await asyncio.gather(*(increment(n) for n in range(TURNS)))
        final = [
            await _turn(session, url, _activity(conversation_id, "read", -1))
            for url in replica_urls
        ]

    # Every turn answered exactly once, and together they counted 1..TURNS: no two turns built
    # on the same stored count, so no increment was lost.
    assert all(len(turn_replies) == 1 for turn_replies in replies), replies
    counts = sorted(int(turn_replies[0].removeprefix("count=")) for turn_replies in replies)
    assert counts == list(range(1, TURNS + 1))
    [[first], [second]] = final
    assert first.startswith(f"count={TURNS} ") and second.startswith(f"count={TURNS} ")
    # The turns did collide (and were retried), so the test exercised the conflict path.
    retried = sum(int(reply.rsplit("retried=", 1)[1]) for reply in (first, second))
    assert retried > 0
