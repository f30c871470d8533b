"""The quickstart agent: echo every message and welcome new members, served over HTTP.

    bash scripts/run.sh     # agents-dev: the agent plus a chat page at http://127.0.0.1:3978/
    .venv/bin/python test_samples/quickstart/quickstart_agent.py   # the agent alone

It listens on http://localhost:3978/api/messages (``PORT`` changes the port). The code is the
quickstart of the SDK's documentation. With ``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*``
set (and ``microsoft-agents-authentication-msal`` installed) it authenticates callers and its
replies like a production agent; without them it runs in anonymous mode, for local testing.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from os import environ

from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.hosting.aiohttp import CloudAdapter, start_server
from microsoft_agents.hosting.core import (
    AgentApplication,
    Authorization,
    MemoryStorage,
    TurnContext,
    TurnState,
)

try:  # optional: read a .env file when python-dotenv is installed
    from dotenv import load_dotenv
except ImportError:  # pragma: no cover - depends on the environment
    load_dotenv = None

# Enable logging
ms_agents_logger = logging.getLogger("microsoft_agents")
ms_agents_logger.addHandler(logging.StreamHandler())
ms_agents_logger.setLevel(logging.INFO)

if load_dotenv is not None:
    load_dotenv()
agents_sdk_config = load_configuration_from_env(environ)

STORAGE = MemoryStorage()

if environ.get("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"):
    # Credentials are configured: the documented setup.
    try:
        from microsoft_agents.authentication.msal import MsalConnectionManager
    except ImportError:
        sys.exit(
            "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID is set, so this sample needs "
            "microsoft-agents-authentication-msal to get tokens; install it, or unset the "
            "CONNECTIONS__* variables to run in anonymous mode."
        )
    CONNECTION_MANAGER = MsalConnectionManager(**agents_sdk_config)
    ADAPTER = CloudAdapter(connection_manager=CONNECTION_MANAGER)
    AUTHORIZATION = Authorization(STORAGE, CONNECTION_MANAGER, **agents_sdk_config)
    AUTH_CONFIGURATION = CONNECTION_MANAGER.get_default_connection_configuration()
else:
    # No credentials: anonymous mode, for local testing only.
    CONNECTION_MANAGER = None
    ADAPTER = CloudAdapter()
    AUTHORIZATION = None
    AUTH_CONFIGURATION = None

AGENT_APP = AgentApplication[TurnState](
    storage=STORAGE, adapter=ADAPTER, authorization=AUTHORIZATION, **agents_sdk_config
)


@AGENT_APP.conversation_update("membersAdded")
async def on_members_added(context: TurnContext, _state: TurnState):
    await context.send_activity("Welcome to the agent! Say something and I will echo it.")


@AGENT_APP.message(re.compile(r"^hello$", re.IGNORECASE))
async def on_hello(context: TurnContext, _state: TurnState):
    await context.send_activity("Hello!")


@AGENT_APP.activity("message")
async def on_message(context: TurnContext, _state: TurnState):
    await context.send_activity(f"You said: {context.activity.text}")


@AGENT_APP.error
async def on_error(context: TurnContext, error: Exception):
    # This check writes out errors to console log
    # NOTE: In production environment, you should consider logging this to Azure
    #       application insights.
    print(f"\n [on_turn_error] unhandled error: {error}", file=sys.stderr)
    traceback.print_exc()

    # Send a message to the user
    await context.send_activity("The agent encountered an error or bug.")


def main() -> None:
    port = environ.get("PORT", "3978")
    print(
        "Talk to the agent with, for example:\n"
        f"  curl -s -X POST http://localhost:{port}/api/messages \\\n"
        "    -H 'Content-Type: application/json' \\\n"
        '    -d \'{"type": "message", "text": "hi", "deliveryMode": "expectReplies", '
        '"conversation": {"id": "c1"}, "from": {"id": "user"}, "recipient": {"id": "agent"}, '
        '"channelId": "test"}\'\n'
        "(expectReplies puts the agent's replies in the HTTP answer.)",
        flush=True,
    )
    start_server(agent_application=AGENT_APP, auth_configuration=AUTH_CONFIGURATION)


if __name__ == "__main__":
    main()
