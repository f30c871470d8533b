"""The aiohttp host and the ASGI host, side by side, answer the same requests identically.

Both serve the same contract agent on real sockets (aiohttp's own server; uvicorn), reply
to the same loopback channel and trust the same token issuer. Each case is sent to both and
the status, ``Content-Type``, ``Allow`` header and body bytes are compared; so is what each
agent then sent to the channel.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import test_utils
from fastapi_host_testing import UvicornAsgiHost, starlette_app

from microsoft_agents.hosting import aiohttp as aiohttp_host
from microsoft_agents.hosting.core.http import CHANNEL_SERVICE_ROUTES
from microsoft_agents.hosting.core.testing.host_contract import (
    AGENT_APP_ID,
    Harness,
    RecordingChannelApiHandler,
    Reply,
    build_contract_agent,
)

# (name, method, path below the host, JSON body or raw bytes, extra headers)
Case = tuple[str, str, str, Any, dict[str, str]]


@dataclass
class Side:
    name: str
    url: str
    handler: RecordingChannelApiHandler
    turns: list[Any]


@dataclass
class Pair:
    """One harness (channel stand-in, token issuer, client); both hosts served from it."""

    harness: Harness
    servers: list[test_utils.TestServer] = field(default_factory=list)
    adapters: list[Any] = field(default_factory=list)

    async def serve(self, *, authenticated: bool = False) -> tuple[Side, Side]:
        harness = self.harness
        kwargs: dict[str, Any] = {"max_body_bytes": 1024}
        configuration = None
        if authenticated:
            kwargs["connection_manager"] = await harness.connection_manager()
            configuration = kwargs["connection_manager"].get_default_connection_configuration()
        ours, ours_handler = harness.agent(**kwargs), RecordingChannelApiHandler()
        ours_url = await harness.serve(ours, configuration, ours_handler)

        adapter = aiohttp_host.CloudAdapter(**kwargs)
        self.adapters.append(adapter)
        theirs, theirs_handler = build_contract_agent(adapter), RecordingChannelApiHandler()
        app = aiohttp_host.create_app(
            theirs.app, configuration or harness.anonymous_configuration()
        )
        channel_path = harness.host.channel_path
        app.router.add_routes(
            aiohttp_host.channel_service_route_table(theirs_handler, channel_path)
        )
        server = test_utils.TestServer(app, host="127.0.0.1")
        await server.start_server()
        self.servers.append(server)
        theirs_url = str(server.make_url("")).rstrip("/")
        return (
            Side("asgi", ours_url, ours_handler, ours.turns),
            Side("aiohttp", theirs_url, theirs_handler, theirs.turns),
        )

    async def send(self, side: Side, case: Case) -> Reply:
        _name, method, path, body, headers = case
        if isinstance(body, bytes):
            return await self.harness.request(
                method, path, data=body, headers=headers, base_url=side.url
            )
        return await self.harness.request(
            method, path, json_body=body, headers=headers, base_url=side.url
        )

    async def compare(self, cases: list[Case], ours: Side, theirs: Side) -> list[str]:
        """Every difference between the two hosts' answers, as readable lines."""
        differences = []
        channel = self.harness.channel
        for case in cases:
            answers = []
            for side in (ours, theirs):
                sent_before = len(channel.requests)
                reply = await self.send(side, case)
                outbound = [(r.method, r.path, r.json) for r in channel.requests[sent_before:]]
                answers.append(
                    (
                        reply.status,
                        reply.headers.get("Content-Type"),
                        reply.headers.get("Allow"),
                        reply.body,
                        outbound,
                    )
                )
            if answers[0] != answers[1]:
                differences.append(f"{case[0]}: asgi {answers[0]!r} != aiohttp {answers[1]!r}")
        return differences

    async def close(self) -> None:
        for server in self.servers:
            await server.close()
        for adapter in self.adapters:
            await adapter.close()


@pytest.fixture
async def pair() -> AsyncIterator[Pair]:
    async with Harness(UvicornAsgiHost(starlette_app)) as harness:
        both = Pair(harness)
        try:
            yield both
        finally:
            await both.close()


def _post(name: str, body: Any, **headers: str) -> Case:
    return (name, "POST", "/api/messages", body, headers)


async def test_messaging_answers_are_identical(pair: Pair) -> None:
    ours, theirs = await pair.serve()
    activity = pair.harness.activity
    no_service_url = activity()
    del no_service_url["serviceUrl"]
    cases = [
        _post("message", activity(text="hi")),
        _post("expectReplies", activity(deliveryMode="expectReplies")),
        _post("invoke", activity(type="invoke", name="test/echo", value={"n": [1, "é"]})),
        _post("invoke without handler", activity(type="invoke", name="nobody/home")),
        _post(
            "conversation update", activity(type="conversationUpdate", membersAdded=[{"id": "u"}])
        ),
        _post("turn error", activity(text="/fail")),
        _post("bad JSON", b"{bad", **{"Content-Type": "application/json"}),
        _post("not an object", b"[1]", **{"Content-Type": "application/json"}),
        _post("not JSON", b"{}", **{"Content-Type": "text/plain"}),
        _post("too large", activity(text="x" * 2000)),
        _post("no conversation", activity(conversation={})),
        _post("wrong field type", activity(timestamp="yesterday")),
        _post("no serviceUrl", no_service_url),
        ("PUT", "PUT", "/api/messages", activity(), {}),
        ("DELETE", "DELETE", "/api/messages", None, {}),
        ("GET liveness", "GET", "/api/messages", None, {}),
    ]

    assert await pair.compare(cases, ours, theirs) == []
    assert len(ours.turns) == len(theirs.turns) == 6
    # Each agent sent its reply, its welcome and its error message to the channel.
    assert len(pair.harness.channel.requests) == 2 * 3


async def test_authorization_answers_are_identical(pair: Pair) -> None:
    ours, theirs = await pair.serve(authenticated=True)
    idp = await pair.harness.idp()
    url = pair.harness.channel.url
    valid = idp.bot_framework_token(AGENT_APP_ID, service_url=url)
    elsewhere = idp.bot_framework_token(AGENT_APP_ID, service_url="https://elsewhere.example/")
    wrong_audience = idp.bot_framework_token("another-app", service_url=url)
    activity = pair.harness.activity()
    cases = [
        _post("no header", activity),
        _post("valid token", activity, Authorization=f"Bearer {valid}"),
        _post("padded header", activity, Authorization=f"  bearer   {valid}  "),
        _post("basic scheme", activity, Authorization="Basic dXNlcjpwYXNz"),
        _post("two tokens", activity, Authorization="Bearer one two"),
        _post("not a JWT", activity, Authorization="Bearer not.a-jwt"),
        _post("wrong audience", activity, Authorization=f"Bearer {wrong_audience}"),
        _post("other serviceUrl", activity, Authorization=f"Bearer {elsewhere}"),
        ("GET without token", "GET", "/api/messages", None, {}),
    ]

    assert await pair.compare(cases, ours, theirs) == []
    assert len(ours.turns) == len(theirs.turns) == 2


def _route_body(route_body_model: Any) -> Any:
    message = {"type": "message", "text": "hello", "conversation": {"id": "c1"}}
    bodies = {
        "Activity": message,
        "ConversationParameters": {"isGroup": True, "bot": {"id": "b"}, "activity": message},
        "Transcript": {"activities": [message, message]},
        "AttachmentData": {"type": "text/plain", "name": "notes.txt"},
    }
    return None if route_body_model is None else bodies[route_body_model.__name__]


async def test_channel_service_answers_are_identical(pair: Pair) -> None:
    ours, theirs = await pair.serve()
    base = pair.harness.host.channel_path
    ids = {"conversation_id": "c%201", "activity_id": "a1", "member_id": "m1"}
    cases: list[Case] = [
        (
            route.name,
            route.method,
            base + route.path.format(**ids),
            _route_body(route.body_model),
            {},
        )
        for route in CHANNEL_SERVICE_ROUTES
    ]
    activities = base + "/v3/conversations/c1/activities"
    cases += [
        ("not JSON", "POST", activities, b"{}", {"Content-Type": "text/plain"}),
        ("bad JSON", "POST", activities, b"{nope", {"Content-Type": "application/json"}),
        ("invalid activity", "POST", activities, {"text": "no type"}, {}),
        ("too large", "POST", activities, {"type": "message", "text": "x" * 300_000}, {}),
    ]

    assert await pair.compare(cases, ours, theirs) == []
    calls = [(name, args) for name, _claims, args in ours.handler.calls]
    assert calls == [(name, args) for name, _claims, args in theirs.handler.calls]
    # The history route is shadowed by the reply route (a transcript is no activity: 400).
    assert len(calls) == len(CHANNEL_SERVICE_ROUTES) - 1
    assert ("on_get_conversation_member", ("m1", "c 1")) in calls  # decoded the same way
