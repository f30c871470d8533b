"""The dev chat server over real HTTP: page, settings, event stream, stand-in channel, guard."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.aiohttp import CloudAdapter, create_app
from microsoft_agents.hosting.aiohttp.dev import DevServer, create_dev_app, start_dev_server
from microsoft_agents.hosting.aiohttp.dev._app import is_loopback_host
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState


def chat_agent() -> AgentApplication[TurnState]:
    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=CloudAdapter())

    @app.message("stream")
    async def on_stream(context: TurnContext, _state: TurnState) -> None:
        stream = context.streaming_response
        stream.interval = 0.01
        stream.queue_informative_update("Thinking")
        for word in ("one ", "two ", "three"):
            stream.queue_text_chunk(word)
            await asyncio.sleep(0.05)
        await stream.end_stream()

    @app.activity("message")
    async def on_message(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(f"You said: {context.activity.text}")

    return app


@pytest.fixture
async def server() -> AsyncIterator[DevServer]:
    running = await start_dev_server(chat_agent(), port=0)
    yield running
    await running.close()


class EventStream:
    """Reads a text/event-stream response event by event."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response

    async def next(self, timeout: float = 5.0) -> dict[str, Any]:
        fields: dict[str, str] = {}
        while True:
            raw = await asyncio.wait_for(self.response.content.readline(), timeout)
            if not raw:
                raise EOFError("the event stream ended")
            line = raw.decode().rstrip("\n")
            if not line:
                if "data" in fields:
                    return {**fields, "data": json.loads(fields["data"])}
                continue
            name, _, value = line.partition(":")
            if name:  # lines starting with ':' are comments
                fields[name] = value.lstrip(" ")

    async def activities(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while len(found) < count:
            event = await self.next(timeout)
            if event["event"] == "activity":
                found.append(event["data"])
        return found


Open = Callable[..., Awaitable[EventStream]]


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def open_events(server: DevServer, session: aiohttp.ClientSession) -> Open:
    async def open_stream(conversation: str, **headers: str) -> EventStream:
        response = await session.get(
            server.url + "_dev/events", params={"conversation": conversation}, headers=headers
        )
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        stream = EventStream(response)
        assert (await stream.next())["event"] == "ready"
        return stream

    return open_stream


async def page_settings(server: DevServer, session: aiohttp.ClientSession) -> dict[str, Any]:
    async with session.get(server.url + "_dev/config") as response:
        assert response.status == 200
        body: dict[str, Any] = await response.json()
        return body


def user_message(settings: dict[str, Any], conversation: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"user-{text}",
        "text": text,
        "channelId": settings["channelId"],
        "serviceUrl": settings["serviceUrl"],
        "conversation": {"id": conversation},
        "from": settings["user"],
        "recipient": settings["agent"],
    }


async def test_the_page_and_its_assets_are_served_with_a_strict_policy(
    server: DevServer, session: aiohttp.ClientSession
) -> None:
    async with session.get(server.url) as response:
        page = await response.text()
        assert response.status == 200
        policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for asset in ("chat.js", "markdown.js", "adaptive.js", "cards.js", "chat.css"):
        assert f"/_dev/static/{asset}" in page
        async with session.get(server.url + "_dev/static/" + asset) as response:
            assert response.status == 200, asset
            assert len(await response.read()) > 1000
    async with session.get(server.url + "_dev/static/..%2F_app.py") as response:
        assert response.status == 404


async def test_the_settings_point_the_page_at_the_stand_in_channel(
    server: DevServer, session: aiohttp.ClientSession
) -> None:
    settings = await page_settings(server, session)
    assert settings["serviceUrl"] == f"http://127.0.0.1:{server.port}/_dev/channel/"
    assert settings["channelId"] == "webchat"
    assert settings["messagesUrl"] == "/api/messages"
    assert settings["user"]["id"] != settings["agent"]["id"]


async def test_a_message_to_the_real_endpoint_comes_back_on_the_event_stream(
    server: DevServer, session: aiohttp.ClientSession, open_events: Open
) -> None:
    settings = await page_settings(server, session)
    events = await open_events("c-echo")
    activity = user_message(settings, "c-echo", "hello there")
    async with session.post(server.messages_url, json=activity) as response:
        assert response.status == 202
    (event,) = await events.activities(1)
    reply = event["activity"]
    assert event["op"] == "post"
    assert reply["text"] == "You said: hello there"
    assert reply["replyToId"] == "user-hello there"
    assert reply["from"]["id"] == settings["agent"]["id"]
    assert reply["conversation"]["id"] == "c-echo"
    assert reply["id"].startswith("dev-")


async def test_a_streamed_reply_arrives_as_typing_updates_then_one_final_message(
    server: DevServer, session: aiohttp.ClientSession, open_events: Open
) -> None:
    settings = await page_settings(server, session)
    events = await open_events("c-stream")
    async with session.post(
        server.messages_url, json=user_message(settings, "c-stream", "stream")
    ) as response:
        assert response.status == 202
    received: list[dict[str, Any]] = []
    while not received or received[-1]["type"] != "message":
        received.extend(e["activity"] for e in await events.activities(1))
    stream_ids = set()
    for activity in received:
        (info,) = [e for e in activity["entities"] if e["type"] == "streaminfo"]
        stream_ids.add(info["streamId"])
    updates = [a for a in received if a["type"] == "typing"]
    assert len(stream_ids) == 1
    assert updates[0]["text"] == "Thinking"
    assert received[-1]["text"] == "one two three"
    texts = [a["text"] for a in updates[1:]]
    assert texts and all("one two three".startswith(t) for t in texts)


async def test_updates_and_deletions_reach_the_page_and_members_are_answered(
    server: DevServer, session: aiohttp.ClientSession, open_events: Open
) -> None:
    events = await open_events("c-edit")
    base = server.url + "_dev/channel/v3/conversations/c-edit/activities"
    async with session.post(base, json={"type": "message", "text": "v1"}) as response:
        activity_id = (await response.json())["id"]
    async with session.put(f"{base}/{activity_id}", json={"type": "message", "text": "v2"}) as r:
        assert (await r.json()) == {"id": activity_id}
    async with session.delete(f"{base}/{activity_id}") as response:
        assert response.status == 200
    posted, updated, deleted = await events.activities(3)
    assert (posted["op"], posted["activity"]["text"]) == ("post", "v1")
    assert updated["op"] == "update"
    assert updated["activity"] == {"type": "message", "text": "v2", "id": activity_id}
    assert (deleted["op"], deleted["activity"]) == ("delete", {"id": activity_id})
    members_url = server.url + "_dev/channel/v3/conversations/c-edit/members"
    async with session.get(members_url) as response:
        assert [m["id"] for m in await response.json()] == ["dev-user", "dev-agent"]
    async with session.post(base, data=b"not json") as response:
        assert response.status == 400
    async with session.get(server.url + "_dev/channel/v3/conversations/c-edit/nothing") as r:
        assert r.status == 404
        assert "does not implement GET" in (await r.json())["error"]["message"]


async def test_a_reconnecting_page_gets_only_what_it_missed(
    server: DevServer, session: aiohttp.ClientSession, open_events: Open
) -> None:
    base = server.url + "_dev/channel/v3/conversations/c-replay/activities"
    for text in ("a", "b", "c"):
        async with session.post(base, json={"type": "message", "text": text}) as response:
            assert response.status == 200
    first = await open_events("c-replay")
    replayed = [await first.next() for _ in range(3)]
    assert [e["data"]["activity"]["text"] for e in replayed] == ["a", "b", "c"]
    after_b = await open_events("c-replay", **{"Last-Event-ID": replayed[1]["id"]})
    assert (await after_b.next())["data"]["activity"]["text"] == "c"
    boot, _, _ = replayed[1]["id"].partition(".")
    other_server = await open_events("c-replay", **{"Last-Event-ID": "0" + boot + ".2"})
    assert (await other_server.next())["data"]["activity"]["text"] == "a"


async def test_shutdown_ends_open_event_streams_promptly(session: aiohttp.ClientSession) -> None:
    running = await start_dev_server(chat_agent(), port=0)
    response = await session.get(running.url + "_dev/events", params={"conversation": "c"})
    assert response.status == 200
    started = time.monotonic()
    await running.close()
    assert time.monotonic() - started < 3
    response.close()


async def test_the_production_app_serves_no_dev_route(session: aiohttp.ClientSession) -> None:
    runner = web.AppRunner(create_app(chat_agent()))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        for path in ("/", "/_dev/config", "/_dev/events?conversation=c", "/_dev/static/chat.js"):
            async with session.get(base + path) as response:
                assert response.status == 404, path
        channel = base + "/_dev/channel/v3/conversations/c/activities"
        async with session.post(channel, json={"type": "message"}) as response:
            assert response.status == 404
    finally:
        await runner.cleanup()


async def serve_behind(app: web.Application, remote: str) -> tuple[web.AppRunner, str]:
    """Serve ``app`` as if every request came from ``remote`` (a real proxy would set it)."""

    @web.middleware
    async def pretend(request: web.Request, handler: Any) -> web.StreamResponse:
        return await handler(request.clone(remote=remote))

    app.middlewares.insert(0, pretend)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def test_other_machines_are_refused_unless_allowed(session: aiohttp.ClientSession) -> None:
    refused, refused_url = await serve_behind(create_dev_app(chat_agent()), "192.0.2.7")
    allowed, allowed_url = await serve_behind(
        create_dev_app(chat_agent(), allow_remote=True), "192.0.2.7"
    )
    try:
        for path in ("/", "/api/messages", "/_dev/channel/v3/conversations/c/members"):
            async with session.get(refused_url + path) as response:
                assert response.status == 403, path
                assert "192.0.2.7" in (await response.json())["error"]
        async with session.get(allowed_url + "/_dev/config") as response:
            assert response.status == 200
    finally:
        await refused.cleanup()
        await allowed.cleanup()


async def test_a_foreign_host_name_is_refused(
    server: DevServer, session: aiohttp.ClientSession
) -> None:
    async with session.get(server.url, headers={"Host": "attacker.example:3978"}) as response:
        assert response.status == 403
        assert "attacker.example" in (await response.json())["error"]
    async with session.get(server.url, headers={"Host": f"localhost:{server.port}"}) as response:
        assert response.status == 200


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("app.localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("localhost.example", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_hosts(host: str | None, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


async def test_an_agent_without_adapter_is_served_with_an_anonymous_one(
    session: aiohttp.ClientSession,
) -> None:
    class Bare:
        async def on_turn(self, context: TurnContext) -> None:
            if context.activity.type == ActivityTypes.message:
                await context.send_activity(Activity(type="message", text="bare"))

    running = await start_dev_server(Bare(), port=0)
    try:
        activity = {
            "type": "message",
            "text": "x",
            "channelId": "webchat",
            "deliveryMode": "expectReplies",
            "conversation": {"id": "c"},
            "from": {"id": "u"},
            "recipient": {"id": "a"},
        }
        async with session.post(running.messages_url, json=activity) as response:
            assert response.status == 200
            assert [a["text"] for a in (await response.json())["activities"]] == ["bare"]
    finally:
        await running.close()
