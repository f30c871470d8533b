"""Two agents, two aiohttp servers on 127.0.0.1: one delegates the user's messages to the other.

The user's channel is a loopback stand-in; every request between the parties carries a real
JWT minted by a loopback OpenID provider and validated by the receiving agent.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import jwt
import pytest
from aiohttp import web

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import (
    CloudAdapter,
    channel_service_route_table,
    create_app,
)
from microsoft_agents.hosting.core import (
    AgentApplication,
    ChannelAdapter,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.client import (
    AgentChannelError,
    AgentResponseHandler,
    ChannelHostConfiguration,
    ChannelInfo,
    ConfigurationChannelHost,
    ConversationIdFactory,
    ConversationIdFactoryOptions,
    HttpAgentChannelFactory,
)
from microsoft_agents.hosting.core.testing.loopback import (
    ChannelServiceStandIn,
    LoopbackTokenProvider,
    OpenIdProvider,
    loopback_connection_manager,
)

CALLER = "caller-app-id"
CALLEE = "callee-app-id"
USER_CONVERSATION = "user-conversation"
DELEGATION = "flight_agent_conversation"
UNAVAILABLE = "The flight agent is unavailable right now; please try again later."


async def serve(app: web.Application, runners: list[web.AppRunner]) -> str:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    runners.append(runner)
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return f"http://127.0.0.1:{runner.addresses[0][1]}"


@dataclass
class Scenario:
    idp: OpenIdProvider
    channel: ChannelServiceStandIn
    caller_url: str
    callee_url: str
    ids: ConversationIdFactory
    callee_turns: list[Activity] = field(default_factory=list)
    caller_errors: list[AgentChannelError] = field(default_factory=list)
    callee_runner: web.AppRunner | None = None
    callee_tokens: LoopbackTokenProvider | None = None
    caller_tokens: LoopbackTokenProvider | None = None

    async def user_says(self, text: str, activity_id: str) -> int:
        """The channel posts a user message to the caller; the HTTP status of the answer."""
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
        token = self.idp.bot_framework_token(CALLER, service_url=self.channel.url)
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{self.caller_url}/api/messages", json=activity, headers=headers
            ) as response,
        ):
            return response.status

    def user_heard(self) -> list[str]:
        return [a.get("text", "") for a in self.channel.activities(USER_CONVERSATION)]


def build_callee(adapter: CloudAdapter, turns: list[Activity]) -> AgentApplication[TurnState]:
    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=adapter)

    @app.message(re.compile(r"^bye$", re.IGNORECASE))
    async def on_bye(context: TurnContext, state: TurnState) -> None:
        turns.append(context.activity)
        await context.send_activity("Goodbye from the flight agent.")
        await context.send_activity(
            Activity(type="endOfConversation", code="completedSuccessfully")
        )

    @app.message("fail")
    async def on_fail(context: TurnContext, state: TurnState) -> None:
        turns.append(context.activity)
        raise RuntimeError("the flight agent crashed")

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        turns.append(context.activity)
        await context.send_activity(f"Flights for: {context.activity.text}")

    async def crash(context: TurnContext, error: Exception) -> None:
        raise error  # let the web server answer 500

    adapter.on_turn_error = crash
    return app


def build_caller(
    adapter: CloudAdapter,
    storage: MemoryStorage,
    ids: ConversationIdFactory,
    host: ConfigurationChannelHost,
    errors: list[AgentChannelError],
) -> AgentApplication[TurnState]:
    app = AgentApplication[TurnState](storage=storage, adapter=adapter)

    @app.activity("message")
    async def delegate(context: TurnContext, state: TurnState) -> None:
        flights = host.channels["flights"]
        conversation_id = state.conversation.get_value(DELEGATION)
        if conversation_id is None:
            options = ConversationIdFactoryOptions(
                from_oauth_scope=context.turn_state[ChannelAdapter.OAUTH_SCOPE_KEY],
                from_agent_id=host.host_app_id or "",
                activity=context.activity,
                agent=flights,
            )
            conversation_id = await ids.create_conversation_id(options)
            state.conversation.set_value(DELEGATION, conversation_id)
            # Saved now: the answers (an endOfConversation, say) arrive before this turn ends.
            await state.save(context)
        try:
            await host.get_channel_from_channel_info(flights).post_activity(
                flights.app_id or "",
                flights.resource_url or "",
                flights.endpoint or "",
                host.host_endpoint or "",
                conversation_id,
                context.activity,
            )
        except AgentChannelError as error:
            errors.append(error)
            state.conversation.delete_value(DELEGATION)
            await ids.delete_conversation_reference(conversation_id)
            await context.send_activity(UNAVAILABLE)

    @app.activity("endOfConversation")
    async def on_end(context: TurnContext, state: TurnState) -> None:
        state.conversation.delete_value(DELEGATION)
        await context.send_activity(f"The flight agent is done ({context.activity.code}).")

    return app


@pytest.fixture
async def scenario() -> AsyncIterator[Scenario]:
    runners: list[web.AppRunner] = []
    async with OpenIdProvider() as idp, ChannelServiceStandIn() as channel:
        callee_connections = loopback_connection_manager(idp, CALLEE)
        callee_adapter = CloudAdapter(connection_manager=callee_connections)
        callee_turns: list[Activity] = []
        callee_app = build_callee(callee_adapter, callee_turns)
        callee_url = await serve(
            create_app(callee_app, callee_connections.get_default_connection_configuration()),
            runners,
        )
        callee_runner = runners[-1]

        caller_connections = loopback_connection_manager(idp, CALLER)
        caller_adapter = CloudAdapter(connection_manager=caller_connections)
        storage = MemoryStorage()
        ids = ConversationIdFactory(storage)
        errors: list[AgentChannelError] = []
        configuration = ChannelHostConfiguration(
            CHANNELS=[
                ChannelInfo(id="flights", app_id=CALLEE, endpoint=f"{callee_url}/api/messages")
            ],
            HOST_APP_ID=CALLER,
        )
        host = ConfigurationChannelHost(
            HttpAgentChannelFactory(), caller_connections, configuration, "HttpAgentChannel"
        )
        caller_app = build_caller(caller_adapter, storage, ids, host, errors)
        web_app = create_app(caller_app, caller_connections.get_default_connection_configuration())
        handler = AgentResponseHandler(caller_adapter, caller_app, ids)
        web_app.router.add_routes(channel_service_route_table(handler, "/api/agents"))
        caller_url = await serve(web_app, runners)
        host.host_endpoint = f"{caller_url}/api/agents"

        made = Scenario(idp, channel, caller_url, callee_url, ids, callee_turns, errors)
        made.callee_runner = callee_runner
        made.callee_tokens = callee_connections.get_default_connection()  # type: ignore[assignment]
        made.caller_tokens = caller_connections.get_default_connection()  # type: ignore[assignment]
        try:
            yield made
        finally:
            for runner in reversed(runners):
                await runner.cleanup()


async def test_the_callee_answers_the_user_through_the_caller(scenario: Scenario) -> None:
    status = await scenario.user_says("Paris", "activity-1")

    assert status == 202
    assert scenario.user_heard() == ["Flights for: Paris"]
    [relayed] = scenario.channel.activities(USER_CONVERSATION)
    assert relayed["replyToId"] == "activity-1"
    assert relayed["from"] == {"id": "caller-bot", "name": "Caller"}
    assert relayed["recipient"] == {"id": "user-1", "name": "Ada"}
    token = scenario.channel.last_request.authorization.removeprefix("Bearer ")  # type: ignore[union-attr]
    assert jwt.decode(token, options={"verify_signature": False})["azp"] == CALLER

    [received] = scenario.callee_turns
    assert received.caller_id == f"urn:botframework:aadappid:{CALLER}"
    assert received.service_url == f"{scenario.caller_url}/api/agents"
    assert received.conversation is not None
    assert received.conversation.id != USER_CONVERSATION
    assert received.relates_to is not None
    assert received.relates_to.conversation.id == USER_CONVERSATION
    assert received.recipient is not None and received.recipient.role == "skill"
    # caller → callee: scope of the callee's app; callee → caller: scope of the caller's app
    assert scenario.caller_tokens is not None and scenario.callee_tokens is not None
    assert (f"app://{CALLEE}", [f"{CALLEE}/.default"]) in scenario.caller_tokens.requests
    assert scenario.callee_tokens.requests == [(f"app://{CALLER}", [f"{CALLER}/.default"])]


async def test_the_delegation_keeps_its_conversation_until_the_callee_ends_it(
    scenario: Scenario,
) -> None:
    await scenario.user_says("Paris", "activity-1")
    await scenario.user_says("bye", "activity-2")
    await scenario.user_says("Rome", "activity-3")

    assert scenario.user_heard() == [
        "Flights for: Paris",
        "Goodbye from the flight agent.",
        "The flight agent is done (completedSuccessfully).",
        "Flights for: Rome",
    ]
    first, second, third = (
        turn.conversation.id if turn.conversation else "" for turn in scenario.callee_turns
    )
    assert first == second  # one agent conversation for the whole delegation
    assert third != first  # ended by endOfConversation: the next message starts a new one
    assert await scenario.ids.get_agent_conversation_reference(first) is None

    # an answer under the ended conversation is refused, even with a valid token
    token = scenario.idp.entra_token(CALLER, "8d2e6b32-5f0a-4c0e-9a55-0c1d2e3f4a5b", caller=CALLEE)
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{scenario.caller_url}/api/agents/v3/conversations/{first}/activities",
            json={"type": "message", "text": "too late"},
            headers={"Authorization": f"Bearer {token}"},
        ) as late,
    ):
        assert late.status == 401
    assert "too late" not in scenario.user_heard()


async def test_a_callee_server_error_gives_the_caller_an_error_and_the_user_a_reply(
    scenario: Scenario,
) -> None:
    status = await scenario.user_says("fail", "activity-1")

    assert status == 202
    assert scenario.user_heard() == [UNAVAILABLE]
    [error] = scenario.caller_errors
    assert (error.status, error.agent_id) == (500, CALLEE)
    assert "HTTP 500" in str(error)


async def test_a_callee_that_is_down_gives_the_user_a_reply(scenario: Scenario) -> None:
    assert scenario.callee_runner is not None
    await scenario.callee_runner.cleanup()

    status = await scenario.user_says("Paris", "activity-1")

    assert status == 202
    assert scenario.user_heard() == [UNAVAILABLE]
    [error] = scenario.caller_errors
    assert error.status is None
    assert "Could not reach agent 'callee-app-id'" in str(error)
    assert scenario.callee_turns == []


async def test_the_callback_routes_require_a_token(scenario: Scenario) -> None:
    await scenario.user_says("Paris", "activity-1")
    conversation_id = scenario.callee_turns[0].conversation.id  # type: ignore[union-attr]
    url = f"{scenario.caller_url}/api/agents/v3/conversations/{conversation_id}/activities"

    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"type": "message", "text": "forged"}) as anonymous:
            assert anonymous.status == 401
        channel_token = scenario.idp.bot_framework_token(CALLER)  # not an agent's token
        headers = {"Authorization": f"Bearer {channel_token}"}
        async with session.post(url, json={"type": "message", "text": "x"}, headers=headers) as r:
            assert r.status == 401  # the conversation belongs to the callee's app

    assert scenario.user_heard() == ["Flights for: Paris"]
