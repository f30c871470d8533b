"""The calling agent of the two-agent sample: it hands the user's messages to a flight agent.

    .venv/bin/python test_samples/two_agents/caller_agent.py        # http://localhost:3978

Served by aiohttp. ``POST /api/messages`` is where the user's channel reaches it;
``/api/agents/v3/conversations/...`` is where the flight agent answers (the channel-service
routes, answered by an ``AgentResponseHandler``, which relays the answers to the user).

The first message starts a delegation: a new agent conversation id (``ConversationIdFactory``)
kept in the conversation state. Every message is then posted to the flight agent
(``HttpAgentChannel``) until it sends ``endOfConversation``. When the flight agent is down or
fails (``AgentChannelError``), the user is told and the delegation is dropped.

Settings (environment): ``PORT`` (3978), ``CALLEE_ENDPOINT``
(``http://localhost:3979/api/messages``), ``CALLEE_APP_ID`` (``flight-agent``; with
credentials, the flight agent's app id), ``CALLER_HOST_ENDPOINT`` (where the flight agent can
reach this agent, ``http://localhost:<PORT>/api/agents``). With
``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*`` set (and
``microsoft-agents-authentication-msal`` installed) all calls carry and require tokens;
without them both agents run in anonymous mode, for local testing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from os import environ
from typing import Any

from aiohttp import web

from microsoft_agents.activity import ActivityTypes, load_configuration_from_env
from microsoft_agents.hosting.aiohttp import CloudAdapter, channel_service_route_table, create_app
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    ChannelAdapter,
    Connections,
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

logger = logging.getLogger("two_agents.caller")

DEFAULT_PORT = 3978
RESPONSES_PATH = "/api/agents"
FLIGHTS = "flights"  # the name this agent knows the flight agent by
DELEGATION = "flight_agent_conversation"  # conversation state: the agent conversation id
UNAVAILABLE = "The flight agent is unavailable right now; please try again later."


@dataclass
class CallerAgent:
    """Everything the calling agent is made of."""

    app: AgentApplication[TurnState]
    adapter: CloudAdapter
    conversation_ids: ConversationIdFactory
    channel_host: ConfigurationChannelHost
    responses: AgentResponseHandler
    auth_configuration: AgentAuthConfiguration

    def web_app(self) -> web.Application:
        """The aiohttp application: the messaging endpoint plus the answer routes."""
        web_app = create_app(self.app, self.auth_configuration)
        web_app.router.add_routes(channel_service_route_table(self.responses, RESPONSES_PATH))
        return web_app


def create_caller(
    connection_manager: Connections | None,
    *,
    callee_app_id: str,
    callee_endpoint: str,
    host_endpoint: str,
) -> CallerAgent:
    """The calling agent, delegating to the agent at ``callee_endpoint``.

    ``host_endpoint`` is where that agent sends its answers: this agent's URL plus
    ``/api/agents``. It can be changed later through ``channel_host.host_endpoint``.
    """
    if connection_manager is not None:
        auth_configuration = connection_manager.get_default_connection_configuration()
    else:
        auth_configuration = AgentAuthConfiguration(anonymous_allowed=True)
    adapter = CloudAdapter(connection_manager=connection_manager)
    storage = MemoryStorage()  # shared by the state and the agent conversation ids
    app = AgentApplication[TurnState](storage=storage, adapter=adapter)
    conversation_ids = ConversationIdFactory(storage)
    channel_host = ConfigurationChannelHost(
        HttpAgentChannelFactory(),
        connection_manager,
        ChannelHostConfiguration(
            CHANNELS=[ChannelInfo(id=FLIGHTS, app_id=callee_app_id, endpoint=callee_endpoint)],
            HOST_ENDPOINT=host_endpoint,
            HOST_APP_ID=auth_configuration.CLIENT_ID or "",
        ),
        "HttpAgentChannel",
    )
    responses = AgentResponseHandler(adapter, app, conversation_ids)

    @app.activity(ActivityTypes.message)
    async def on_message(context: TurnContext, state: TurnState) -> None:
        flights = channel_host.channels[FLIGHTS]
        conversation_id = state.conversation.get_value(DELEGATION)
        if conversation_id is None:
            conversation_id = await conversation_ids.create_conversation_id(
                ConversationIdFactoryOptions(
                    from_oauth_scope=context.turn_state[ChannelAdapter.OAUTH_SCOPE_KEY],
                    from_agent_id=channel_host.host_app_id or "",
                    activity=context.activity,
                    agent=flights,
                )
            )
            state.conversation.set_value(DELEGATION, conversation_id)
            # Saved before the call: the flight agent's answers (an endOfConversation, for
            # one) are handled in their own turns while this one is still running.
            await state.save(context)
        channel = channel_host.get_channel_from_channel_info(flights)
        try:
            await channel.post_activity(
                flights.app_id or "",
                flights.resource_url or "",
                flights.endpoint or "",
                channel_host.host_endpoint or "",
                conversation_id,
                context.activity,
            )
        except AgentChannelError as error:
            logger.warning("delegation failed: %s", str(error).splitlines()[0])
            state.conversation.delete_value(DELEGATION)
            await conversation_ids.delete_conversation_reference(conversation_id)
            await context.send_activity(UNAVAILABLE)

    @app.activity(ActivityTypes.end_of_conversation)
    async def on_end_of_conversation(context: TurnContext, state: TurnState) -> None:
        # Sent by the flight agent (context.activity.caller_id names it): the delegation is
        # over, and the AgentResponseHandler has already forgotten its conversation id.
        state.conversation.delete_value(DELEGATION)
        await context.send_activity("The flight agent is done. Anything else?")

    return CallerAgent(app, adapter, conversation_ids, channel_host, responses, auth_configuration)


def _connection_manager_from_env(config: dict[str, Any]) -> Connections | None:
    if not environ.get("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"):
        return None  # anonymous mode, for local testing only
    from microsoft_agents.authentication.msal import MsalConnectionManager

    return MsalConnectionManager(**config)


PORT = int(environ.get("PORT", str(DEFAULT_PORT)))
CONNECTION_MANAGER = _connection_manager_from_env(load_configuration_from_env(environ))
CALLER = create_caller(
    CONNECTION_MANAGER,
    callee_app_id=environ.get("CALLEE_APP_ID", "flight-agent"),
    callee_endpoint=environ.get("CALLEE_ENDPOINT", "http://localhost:3979/api/messages"),
    host_endpoint=environ.get("CALLER_HOST_ENDPOINT", f"http://localhost:{PORT}{RESPONSES_PATH}"),
)
AGENT_APP = CALLER.app


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    flights = CALLER.channel_host.channels[FLIGHTS]
    print(
        f"Agent listening on http://localhost:{PORT}/api/messages (Ctrl+C to stop); "
        f"it delegates to {flights.endpoint}",
        flush=True,
    )
    web.run_app(CALLER.web_app(), host="localhost", port=PORT, print=None)


if __name__ == "__main__":
    main()
