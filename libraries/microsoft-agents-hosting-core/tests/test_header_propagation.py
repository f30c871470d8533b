"""Header propagation: the providers of a turn add headers to its outbound requests.

Turns are posted over real HTTP to an ``AgentApplication`` served on 127.0.0.1; its replies
go over real HTTP to a loopback channel service, whose recorded requests show the headers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgenticHeaderProvider,
    HeaderPropagationContext,
    HeaderValueProvider,
    HttpAdapterBase,
    MemoryStorage,
    TurnContext,
    TurnState,
    UserTokenClient,
    header_propagation,
)
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    ClaimsIdentity,
    ConnectionManager,
)
from microsoft_agents.hosting.core.testing import LoopbackServer
from microsoft_agents.hosting.core.testing._recording_server import RecordedRequest
from microsoft_agents.hosting.core.testing.host_contract import OUTGOING_TOKEN, StaticTokenProvider
from microsoft_agents.hosting.core.testing.loopback import (
    ChannelServiceStandIn,
    TokenServiceStandIn,
)

AGENTIC_HEADERS = ("AgentRegistrar", "AgentID", "AgentName", "Agent-Referrer")
INSTANCE_TOKEN = "agentic-instance-token"
CLAIMS = {"aud": "app", "iss": "https://sts.windows.net/t/"}

Handler = Callable[[TurnContext, TurnState], Awaitable[None]]


class AgenticTokenProvider(StaticTokenProvider):
    """Fixed tokens for channel replies, including those of agentic requests."""

    async def get_agentic_instance_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> tuple[str, str]:
        return INSTANCE_TOKEN, "agentic-app-token"

    async def get_agentic_user_token(
        self, tenant_id: str, agent_app_instance_id: str, agentic_user_id: str, scopes: list[str]
    ) -> str:
        return "agentic-user-token"


def provider_for(config: AgentAuthConfiguration) -> AgenticTokenProvider:
    return AgenticTokenProvider(config)


class AgentHost(LoopbackServer):
    """Serves ``POST /api/messages`` for an application, every caller authenticated."""

    def __init__(self, app: AgentApplication[TurnState], adapter: HttpAdapterBase) -> None:
        super().__init__()
        self.app = app
        self.adapter = adapter

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_post("/api/messages", self._messages)

    async def _messages(self, request: web.Request) -> web.Response:
        activity = Activity.model_validate(await request.json())
        claims = ClaimsIdentity(dict(CLAIMS))
        await self.adapter.process_activity(claims, activity, self.app.on_turn)
        return web.Response(status=202)


@dataclass
class Setup:
    channel: ChannelServiceStandIn
    adapter: HttpAdapterBase
    app: AgentApplication[TurnState]
    host: AgentHost
    http: aiohttp.ClientSession
    handlers: dict[str, Handler] = field(default_factory=dict)

    def activity(self, text: str, *, agentic: bool = False, **changes: Any) -> dict[str, Any]:
        recipient: dict[str, Any] = {"id": "agent-1", "name": "Agent"}
        if agentic:
            recipient.update(
                role="agenticAppInstance", agenticAppId="instance-7", tenantId="tenant-1"
            )
        data: dict[str, Any] = {
            "type": "message",
            "id": f"in-{text}",
            "channelId": "msteams",
            "serviceUrl": self.channel.url,
            "from": {"id": "user-1"},
            "recipient": recipient,
            "conversation": {"id": f"conv-{text}"},
            "text": text,
        }
        data.update(changes)
        return data

    async def post(self, data: dict[str, Any]) -> None:
        async with self.http.post(f"{self.host.url}/api/messages", json=data) as response:
            assert response.status == 202, await response.text()

    def reply_to(self, text: str) -> RecordedRequest:
        """The single request the channel received for the turn of ``text``."""
        found = [r for r in self.channel.requests if r.segments[2:3] == [f"conv-{text}"]]
        assert len(found) == 1, [r.path for r in self.channel.requests]
        return found[0]


def make_app(**kwargs: Any) -> tuple[AgentApplication[TurnState], HttpAdapterBase]:
    manager = ConnectionManager(
        provider_for, CONNECTIONS={"SERVICE_CONNECTION": {"SETTINGS": {"CLIENTID": "app"}}}
    )
    adapter = HttpAdapterBase(
        connection_manager=manager,
        channel_service_client_factory_options={"retry_policy": {"max_attempts": 1}},
    )
    app = AgentApplication[TurnState](storage=MemoryStorage(), start_typing_timer=False, **kwargs)
    return app, adapter


@pytest.fixture
async def setup() -> AsyncIterator[Setup]:
    app, adapter = make_app(agent_name="Flight Agent")
    async with ChannelServiceStandIn() as channel, AgentHost(app, adapter) as host:
        async with aiohttp.ClientSession() as http:
            made = Setup(channel, adapter, app, host, http)

            @app.activity("message")
            async def on_message(context: TurnContext, state: TurnState) -> None:
                handler = made.handlers.get(context.activity.text or "")
                if handler is not None:
                    await handler(context, state)
                await context.send_activity(f"echo {context.activity.text}")

            yield made
        await adapter.close()


class StaticHeaders(HeaderValueProvider):
    def __init__(self, headers: Any) -> None:
        self.headers = headers
        self.calls = 0

    def get_headers(self) -> dict[str, str]:
        self.calls += 1
        return self.headers  # type: ignore[no-any-return]


class FailingHeaders(HeaderValueProvider):
    def get_headers(self) -> dict[str, str]:
        raise RuntimeError("password=hunter2")


def registering(provider: HeaderValueProvider) -> Handler:
    async def handler(context: TurnContext, state: TurnState) -> None:
        HeaderPropagationContext.register(provider)

    return handler


# -- agentic identity headers ---------------------------------------------------------------------


async def test_an_agentic_turn_names_the_agent_on_its_replies(setup: Setup) -> None:
    await setup.post(setup.activity("agentic", agentic=True))

    reply = setup.reply_to("agentic")
    assert reply.json["text"] == "echo agentic"
    assert reply.authorization == f"Bearer {INSTANCE_TOKEN}"
    assert {name: reply.headers.get(name) for name in AGENTIC_HEADERS} == {
        "AgentRegistrar": "A365",
        "AgentID": "instance-7",
        "AgentName": "Flight Agent",
        "Agent-Referrer": "msteams",
    }


async def test_a_non_agentic_turn_carries_no_agent_headers(setup: Setup) -> None:
    await setup.post(setup.activity("agentic", agentic=True))
    await setup.post(setup.activity("plain"))

    reply = setup.reply_to("plain")
    assert reply.authorization == f"Bearer {OUTGOING_TOKEN}"
    assert [name for name in AGENTIC_HEADERS if name in reply.headers] == []
    assert "AgentID" in setup.reply_to("agentic").headers


async def test_token_service_requests_of_an_agentic_turn_carry_the_headers(setup: Setup) -> None:
    async with TokenServiceStandIn() as tokens:
        tokens.add_token("user-1", "graph", "user-token")

        async def read_token(context: TurnContext, state: TurnState) -> None:
            async with UserTokenClient(tokens.url, "agent-token", app_id="app") as client:
                found = await client.user_token.get_token("user-1", "graph", "msteams")
            assert found.token == "user-token"

        setup.handlers["token"] = read_token
        await setup.post(setup.activity("token", agentic=True))

    sent = tokens.last_request
    assert sent.authorization == "Bearer agent-token"
    assert sent.headers.get("AgentRegistrar") == "A365"
    assert sent.headers.get("AgentID") == "instance-7"


@pytest.mark.parametrize(
    ("agent_name", "expected"),
    [
        (None, "NamedAgent"),
        ("Flight <Bot>\r\nX-Injected: 1", "Flight BotX-Injected 1"),
        ("  \n<>", "NamedAgent"),
    ],
)
async def test_the_agent_name_is_sanitised_and_defaults_to_the_class_name(
    agent_name: str | None, expected: str
) -> None:
    class NamedAgent(AgentApplication[TurnState]):
        pass

    kwargs = {} if agent_name is None else {"agent_name": agent_name}
    app = NamedAgent(storage=MemoryStorage(), start_typing_timer=False, **kwargs)
    captured: list[dict[str, str]] = []

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        captured.append(HeaderPropagationContext.collect_headers())

    _, adapter = make_app()
    async with ChannelServiceStandIn() as channel:
        activity = Activity.model_validate(
            {
                "type": "message",
                "channelId": "msteams",
                "serviceUrl": channel.url,
                "from": {"id": "user-1"},
                "recipient": {
                    "id": "a",
                    "role": "agenticUser",
                    "agenticAppId": "i",
                    "agenticUserId": "u",
                    "tenantId": "t",
                },
                "conversation": {"id": "c"},
            }
        )
        await adapter.process_activity(ClaimsIdentity(dict(CLAIMS)), activity, app.on_turn)
    await adapter.close()
    assert captured == [
        {
            "AgentRegistrar": "A365",
            "AgentID": "i",
            "AgentName": expected,
            "Agent-Referrer": "msteams",
        }
    ]


async def test_line_breaks_in_activity_fields_cannot_add_headers(setup: Setup) -> None:
    hostile = setup.activity("hostile", agentic=True)
    hostile["recipient"]["agenticAppId"] = "instance-7\r\nX-Injected: yes"
    setup.handlers["hostile"] = registering(
        StaticHeaders({"X-Trace": "t-1\r\nX-Smuggled: 1\n", "Bad Name": "v", "X\r\nY": "v"})
    )
    await setup.post(hostile)

    reply = setup.reply_to("hostile")
    assert reply.headers.get("AgentID") == "instance-7X-Injected: yes"
    assert reply.headers.get("X-Trace") == "t-1X-Smuggled: 1"
    for injected in ("X-Injected", "X-Smuggled", "Bad Name", "Y"):
        assert injected not in reply.headers


def test_agentic_header_values_lose_control_characters() -> None:
    activity = Activity.model_validate(
        {
            "type": "message",
            "channelId": "msteams",
            "recipient": {"id": "a", "role": "agenticAppInstance", "agenticAppId": " i\r\n\x00"},
        }
    )
    headers = AgenticHeaderProvider(activity, "Name\r\n").get_headers()
    assert headers == {
        "AgentRegistrar": header_propagation.AGENT_REGISTRAR,
        "AgentID": "i",
        "AgentName": "Name",
        "Agent-Referrer": "msteams",
    }


def test_the_agentic_provider_gives_nothing_for_other_requests() -> None:
    activity = Activity.model_validate(
        {"type": "message", "channelId": "msteams", "recipient": {"id": "a", "role": "bot"}}
    )
    assert AgenticHeaderProvider(activity, "Agent").get_headers() == {}
    with pytest.raises(ValueError, match="needs the incoming activity"):
        AgenticHeaderProvider(None, "Agent")  # type: ignore[arg-type]


# -- custom providers -----------------------------------------------------------------------------


async def test_a_provider_registered_in_a_handler_serves_that_turn_only(setup: Setup) -> None:
    provider = StaticHeaders({"X-Correlation": "corr-1"})
    setup.handlers["first"] = registering(provider)

    await setup.post(setup.activity("first"))
    await setup.post(setup.activity("second"))

    assert setup.reply_to("first").headers.get("X-Correlation") == "corr-1"
    assert "X-Correlation" not in setup.reply_to("second").headers
    assert provider.calls == 1


async def test_an_agentic_turn_adds_registered_providers_to_the_agent_headers(
    setup: Setup,
) -> None:
    setup.handlers["both"] = registering(StaticHeaders({"X-Correlation": "corr-2"}))
    await setup.post(setup.activity("both", agentic=True))

    headers = setup.reply_to("both").headers
    assert headers.get("X-Correlation") == "corr-2"
    assert headers.get("AgentRegistrar") == "A365"


async def test_the_requests_own_headers_win(setup: Setup) -> None:
    setup.handlers["explicit"] = registering(
        StaticHeaders(
            {
                "authorization": "Bearer stolen",
                "Content-Type": "text/plain",
                "user-agent": "other",
                "X-Extra": "kept",
            }
        )
    )
    await setup.post(setup.activity("explicit"))

    reply = setup.reply_to("explicit")
    assert reply.headers.getall("Authorization") == [f"Bearer {OUTGOING_TOKEN}"]
    assert reply.headers.getall("Content-Type") == ["application/json"]
    assert reply.headers.getall("User-Agent")[0].startswith("agents-sdk-py/")
    assert len(reply.headers.getall("User-Agent")) == 1
    assert reply.headers.get("X-Extra") == "kept"


async def test_a_failing_provider_does_not_fail_the_request(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    async def register_several(context: TurnContext, state: TurnState) -> None:
        HeaderPropagationContext.register(FailingHeaders())
        HeaderPropagationContext.register(StaticHeaders(["not", "a", "mapping"]))
        HeaderPropagationContext.register(StaticHeaders({"X-Good": "yes"}))

    setup.handlers["failing"] = register_several
    with caplog.at_level(logging.WARNING, logger="microsoft_agents.hosting.core"):
        await setup.post(setup.activity("failing", agentic=True))

    reply = setup.reply_to("failing")
    assert reply.json["text"] == "echo failing"
    assert reply.headers.get("X-Good") == "yes"
    assert reply.headers.get("AgentRegistrar") == "A365"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("FailingHeaders failed (RuntimeError)" in w for w in warnings), warnings
    assert any("instead of a mapping" in w for w in warnings), warnings
    assert "hunter2" not in caplog.text


async def test_concurrent_turns_see_only_their_own_providers(setup: Setup) -> None:
    a_registered, b_registered = asyncio.Event(), asyncio.Event()

    def rendezvous(name: str, mine: asyncio.Event, theirs: asyncio.Event) -> Handler:
        async def handler(context: TurnContext, state: TurnState) -> None:
            HeaderPropagationContext.register(StaticHeaders({"X-Turn": name}))
            mine.set()
            await asyncio.wait_for(theirs.wait(), 30)  # both turns hold a provider now
            registered = HeaderPropagationContext.providers()
            own = [p.headers for p in registered if isinstance(p, StaticHeaders)]
            assert own == [{"X-Turn": name}]

        return handler

    setup.handlers["a"] = rendezvous("a", a_registered, b_registered)
    setup.handlers["b"] = rendezvous("b", b_registered, a_registered)
    await asyncio.gather(
        setup.post(setup.activity("a", agentic=True)), setup.post(setup.activity("b"))
    )

    first, second = setup.reply_to("a"), setup.reply_to("b")
    assert first.headers.getall("X-Turn") == ["a"]
    assert second.headers.getall("X-Turn") == ["b"]
    assert first.headers.get("AgentID") == "instance-7"
    assert "AgentID" not in second.headers


@pytest.mark.parametrize("registered_before", [False, True])
async def test_sequential_turns_in_one_task_do_not_share_providers(
    registered_before: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whether or not a provider was ever registered in the process before, a provider
    # registered by a turn is gone when the next turn of the same task starts.
    monkeypatch.setattr(HeaderPropagationContext, "_registered_any", registered_before)
    app, adapter = make_app()
    seen: list[list[HeaderValueProvider]] = []

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        seen.append(HeaderPropagationContext.providers())
        HeaderPropagationContext.register(StaticHeaders({"X-Once": context.activity.text}))

    async with ChannelServiceStandIn() as channel:
        for text in ("one", "two"):
            activity = Activity.model_validate(
                {
                    "type": "message",
                    "text": text,
                    "channelId": "test",
                    "serviceUrl": channel.url,
                    "from": {"id": "user-1"},
                    "recipient": {"id": "agent-1"},
                    "conversation": {"id": "c"},
                }
            )
            await adapter.process_activity(ClaimsIdentity(dict(CLAIMS)), activity, app.on_turn)
            assert HeaderPropagationContext.providers() == []
    await adapter.close()
    assert seen == [[], []]


# -- the registry ---------------------------------------------------------------------------------


async def test_the_registry_merges_providers_in_order_ignoring_letter_case() -> None:
    async def in_own_task() -> dict[str, str]:
        HeaderPropagationContext.register(StaticHeaders({"X-A": "1", "x-b": "first"}))
        HeaderPropagationContext.register(StaticHeaders({"X-B": "second", "X-N": 7}))
        merged = HeaderPropagationContext.collect_headers()
        HeaderPropagationContext.reset()
        assert HeaderPropagationContext.collect_headers() == {}
        return merged

    assert await asyncio.create_task(in_own_task()) == {"X-A": "1", "X-B": "second", "X-N": "7"}
    assert HeaderPropagationContext.providers() == []  # the task's registrations stayed there


def test_registering_something_that_is_not_a_provider_is_refused() -> None:
    with pytest.raises(TypeError, match=r"needs a HeaderValueProvider.*got dict"):
        HeaderPropagationContext.register({"X-A": "1"})  # type: ignore[arg-type]
    assert HeaderPropagationContext.providers() == []
