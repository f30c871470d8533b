"""The called agent of the two-agent sample: a "flight agent" served over ASGI.

    .venv/bin/python test_samples/two_agents/callee_agent.py        # http://localhost:3979

It is an ordinary agent: it answers at the ``serviceUrl`` of each activity it receives, which
for activities from the calling agent is the caller's ``/api/agents`` endpoint. It proposes
flights for whatever it is told, ends the conversation on ``bye`` (``endOfConversation``),
and answers ``500`` when its turn fails (say ``fail``), so the caller knows.

With ``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*`` set (and
``microsoft-agents-authentication-msal`` installed) it only accepts callers with valid tokens
and signs its answers; without them it runs in anonymous mode, for local testing.
"""

from __future__ import annotations

import logging
import re
from os import environ
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, load_configuration_from_env
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    Connections,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.fastapi import CloudAdapter, create_app, start_server

logger = logging.getLogger("two_agents.callee")
DEFAULT_PORT = 3979


def create_callee(
    connection_manager: Connections | None,
) -> tuple[AgentApplication[TurnState], AgentAuthConfiguration]:
    """The flight agent and the auth configuration its web app checks tokens with."""
    adapter = CloudAdapter(connection_manager=connection_manager)
    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=adapter)

    @app.message(re.compile(r"^\s*bye\s*$", re.IGNORECASE))
    async def on_bye(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity("Goodbye from the flight agent.")
        # Ends the delegation: the caller takes the conversation back.
        await context.send_activity(
            Activity(type=ActivityTypes.end_of_conversation, code="completedSuccessfully")
        )

    @app.message(re.compile(r"^\s*fail\s*$", re.IGNORECASE))
    async def on_fail(_context: TurnContext, _state: TurnState) -> None:
        raise RuntimeError("the flight agent failed (on purpose)")

    @app.activity(ActivityTypes.message)
    async def on_message(context: TurnContext, state: TurnState) -> None:
        asked = state.conversation.get_value("asked", lambda: 0) + 1
        state.conversation.set_value("asked", asked)
        await context.send_activity(f"Flights to {context.activity.text}: AF123 at 09:40.")

    async def on_turn_error(_context: TurnContext, error: Exception) -> None:
        # Answer 500 instead of chatting about the error: the caller decides what its user
        # hears (AgentChannelError on its side).
        logger.error("turn failed: %s", error)
        raise error

    adapter.on_turn_error = on_turn_error
    if connection_manager is not None:
        auth_configuration = connection_manager.get_default_connection_configuration()
    else:
        auth_configuration = AgentAuthConfiguration(anonymous_allowed=True)
    return app, auth_configuration


def _connection_manager_from_env(config: dict[str, Any]) -> Connections | None:
    if not environ.get("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"):
        return None  # anonymous mode, for local testing only
    from microsoft_agents.authentication.msal import MsalConnectionManager

    return MsalConnectionManager(**config)


CONNECTION_MANAGER = _connection_manager_from_env(load_configuration_from_env(environ))
AGENT_APP, AUTH_CONFIGURATION = create_callee(CONNECTION_MANAGER)
app = create_app(AGENT_APP, AUTH_CONFIGURATION)  # any ASGI server can serve this


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    port = int(environ.get("PORT", str(DEFAULT_PORT)))
    start_server(AGENT_APP, AUTH_CONFIGURATION, port=port)


if __name__ == "__main__":
    main()
