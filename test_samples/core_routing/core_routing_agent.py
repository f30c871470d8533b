"""Routing by text, regex and activity type, a welcome, an error handler and a sign-in route.

    python test_samples/core_routing/core_routing_agent.py [message ...]

Configuration comes from the environment the same way as in a hosted agent
(``load_configuration_from_env``); this sample adds a ``GRAPH`` sign-in handler so that the
``/me`` route has a handler to ask for. Routes are tried in registration order within a rank,
and only the first match runs, which is why the catch-all ``message`` route comes last.
"""

from __future__ import annotations

import asyncio
import re
import sys
from os import environ

from microsoft_agents.activity import Activity, ActivityTypes, load_configuration_from_env
from microsoft_agents.hosting.core import (
    AgentApplication,
    Authorization,
    MemoryStorage,
    MessageFactory,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.testing import TestAdapter

# What a .env file would hold for this sample; real environment variables win.
SAMPLE_SETTINGS = {
    "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__GRAPH__SETTINGS__AZUREBOTOAUTHCONNECTIONNAME": (
        "graph-connection"
    ),
    "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__GRAPH__SETTINGS__SCOPES": "User.Read",
}

agents_sdk_config = load_configuration_from_env({**SAMPLE_SETTINGS, **environ})

STORAGE = MemoryStorage()
# A hosted agent passes MsalConnectionManager(**agents_sdk_config) here; reading the
# configuration and registering sign-in routes needs no connection yet.
CONNECTION_MANAGER = None
AUTHORIZATION = Authorization(STORAGE, CONNECTION_MANAGER, **agents_sdk_config)

AGENT_APP = AgentApplication[TurnState](
    storage=STORAGE, authorization=AUTHORIZATION, **agents_sdk_config
)


# Welcome handler
@AGENT_APP.conversation_update("membersAdded")
async def on_members_added(context: TurnContext, _state: TurnState):
    await context.send_activity("Welcome!")


# Regex-based message handler
@AGENT_APP.message(re.compile(r"^hello$", re.IGNORECASE))
async def on_hello(context: TurnContext, _state: TurnState):
    await context.send_activity("Hello!")


# Simple string message handler
@AGENT_APP.message("/status")
async def on_status(context: TurnContext, _state: TurnState):
    await context.send_activity("Status: OK")


# Auth-protected message handler
@AGENT_APP.message("/me", auth_handlers=["GRAPH"])
async def on_profile(context: TurnContext, state: TurnState):
    token_response = await AGENT_APP.auth.get_token(context, "GRAPH")
    if token_response and token_response.token:
        # Use token to call Graph API
        await context.send_activity("Profile retrieved")


@AGENT_APP.message("/logout")
async def logout(context: TurnContext, state: TurnState):
    await AGENT_APP.auth.sign_out(context, "GRAPH")
    await context.send_activity(MessageFactory.text("You have been logged out."))


# Invoke activity handler
@AGENT_APP.activity(ActivityTypes.invoke)
async def on_invoke(context: TurnContext, _state: TurnState):
    invoke_response = Activity(type=ActivityTypes.invoke_response, value={"status": 200})
    await context.send_activity(invoke_response)


# Fallback message handler
@AGENT_APP.activity("message")
async def on_message(context: TurnContext, _state: TurnState):
    await context.send_activity(f"Echo: {context.activity.text}")


# Error handler
@AGENT_APP.error
async def on_error(context: TurnContext, error: Exception):
    await context.send_activity("An error occurred.")


async def talk(messages: list[str]) -> list[str]:
    """Send ``messages`` one turn each through a test channel; return the answers."""
    adapter = TestAdapter(AGENT_APP)
    answers: list[str] = []
    for text in messages:
        replies = await adapter.process_activity(text)
        answers.extend(reply.text or "" for reply in replies)
    return answers


def main(argv: list[str] | None = None) -> int:
    messages = argv if argv else ["hello", "/status", "anything else"]
    for answer in asyncio.run(talk(messages)):
        print(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
