"""End to end: an agent with ``TranscriptLoggerMiddleware`` answers over real HTTP on 127.0.0.1
(an aiohttp server in front of the adapter, replies going to a loopback channel service), and
the transcript is read back from a ``FileTranscriptStore``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import HttpAdapterBase, TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.http import parse_activity
from microsoft_agents.hosting.core.storage import FileTranscriptStore, TranscriptLoggerMiddleware
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn

CONVERSATION = "19:e2e conversation@thread"


class EditingAgent:
    """Answers, corrects its answer, and takes back a second one."""

    async def on_turn(self, context: TurnContext) -> None:
        first = await context.send_activity(f"echo: {context.activity.text}")
        await context.update_activity(
            Activity(type="message", id=first.id, text=f"echo (edited): {context.activity.text}")
        )
        second = await context.send_activity("oops")
        await context.delete_activity(second.id)


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as stand_in:
        yield stand_in


@pytest.fixture
async def agent_url(tmp_path: Path) -> AsyncIterator[str]:
    adapter = HttpAdapterBase()
    adapter.use(TranscriptLoggerMiddleware(FileTranscriptStore(tmp_path / "transcripts")))
    agent = EditingAgent()

    async def messages(request: web.Request) -> web.Response:
        # an anonymous caller: a local test without tokens
        activity = parse_activity(await request.json())
        result = await adapter.process_activity(ClaimsIdentity(), activity, agent.on_turn)
        return web.Response(status=202 if result is None else result.status or 200)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
    finally:
        await runner.cleanup()
        await adapter.close()


async def test_a_conversation_over_http_is_read_back_from_the_file_store(
    tmp_path: Path, channel: ChannelServiceStandIn, agent_url: str
) -> None:
    async with aiohttp.ClientSession() as session:
        for number, text in enumerate(["hello", "again"], start=1):
            incoming = {
                "type": "message",
                "id": f"in-{number}",
                "timestamp": f"2024-03-01T09:0{number}:00Z",
                "channelId": "msteams",
                "serviceUrl": channel.url,
                "from": {"id": "user-1", "name": "User"},
                "recipient": {"id": "agent-1"},
                "conversation": {"id": CONVERSATION},
                "text": text,
            }
            async with session.post(agent_url, json=incoming) as response:
                assert response.status == 202

    store = FileTranscriptStore(tmp_path / "transcripts")
    [info] = (await store.list_transcripts("msteams")).items
    assert info.conversation_id == CONVERSATION
    page = await store.get_transcript_activities("msteams", CONVERSATION)
    assert page.continuation_token is None

    # ids the channel gave: kept replies are still stored, deleted ones are in the DELETE paths
    kept = iter(a["id"] for a in channel.activities(CONVERSATION) if not a.get("updated"))
    deleted = iter(r.segments[-1] for r in channel.requests if r.method == "DELETE")
    expected: list[tuple[str, str | None, str | None]] = []
    for number, text in enumerate(["hello", "again"], start=1):
        first, second = next(kept), next(deleted)
        expected += [
            ("message", f"in-{number}", text),
            ("message", first, f"echo: {text}"),
            ("messageUpdate", first, f"echo (edited): {text}"),
            ("message", second, "oops"),
            ("messageDelete", second, None),
        ]
    assert [(a.type, a.id, a.text) for a in page.items] == expected
    incoming_logged, reply = page.items[0], page.items[1]
    assert incoming_logged.from_property.role == "user"
    assert reply.recipient.id == "user-1" and reply.reply_to_id == "in-1"
    assert all(a.timestamp is not None for a in page.items)
    # the incoming activities carry the channel's 2024 timestamps, the rest were stamped now
    since = page.items[6].timestamp
    later = await store.get_transcript_activities("msteams", CONVERSATION, start_date=since)
    later_ids = [a.id for a in later.items]
    assert later_ids[-4:] == [a.id for a in page.items[6:]]
    assert "in-1" not in later_ids and "in-2" not in later_ids
