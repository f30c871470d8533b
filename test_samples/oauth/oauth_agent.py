"""The OAuth sample: ``/me`` signs the user in and greets them with their Microsoft Graph name.

    .venv/bin/python test_samples/oauth/oauth_agent.py

It is the documentation's aiohttp agent with its "OAuth / Auto Sign-In" routes:

* ``/me`` needs the ``GRAPH`` sign-in handler. The first time, the user gets a sign-in card;
  once signed in, the agent calls ``GET {GRAPH_BASE_URL}/me`` with the user's token and
  answers ``Hello, <displayName>!``;
* ``/logout`` signs the user out of ``GRAPH``;
* any other message is echoed.

Configuration (environment or a ``.env`` file)::

    CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=<client-id>
    CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET=<client-secret>
    CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID=<tenant-id>
    AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__GRAPH__SETTINGS__AZUREBOTOAUTHCONNECTIONNAME=<connection-name>
    # optional: every message needs the sign-in, not only /me
    AGENTAPPLICATION__USERAUTHORIZATION__AUTO_SIGN_IN=true

User sign-in needs a real app registration (``microsoft-agents-authentication-msal``) and an
Azure Bot with an OAuth connection. Two settings exist for testing against local stand-ins
and default to the real services: ``GRAPH_BASE_URL`` (``https://graph.microsoft.com/v1.0``)
and ``TOKEN_SERVICE_URL`` (the user-token service, ``https://api.botframework.com``).
"""

import logging
import sys
from os import environ

import aiohttp
from aiohttp.web import Application, Request, Response, run_app

from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.hosting.aiohttp import (
    CloudAdapter,
    jwt_authorization_middleware,
    start_agent_process,
)
from microsoft_agents.hosting.core import (
    AgentApplication,
    Authorization,
    MemoryStorage,
    MessageFactory,
    TurnContext,
    TurnState,
)

try:  # optional: read a .env file when python-dotenv is installed
    from dotenv import load_dotenv
except ImportError:  # pragma: no cover - depends on the environment
    load_dotenv = None

try:
    from microsoft_agents.authentication.msal import MsalConnectionManager
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit(
        "The OAuth sample signs users in with the agent's app registration: install "
        "microsoft-agents-authentication-msal and set CONNECTIONS__SERVICE_CONNECTION__*."
    )

# Enable logging
ms_agents_logger = logging.getLogger("microsoft_agents")
ms_agents_logger.addHandler(logging.StreamHandler())
ms_agents_logger.setLevel(logging.INFO)

# Load configuration
if load_dotenv is not None:
    load_dotenv()
agents_sdk_config = load_configuration_from_env(environ)

# The services the sample talks to (the real ones unless overridden, e.g. by tests).
GRAPH_BASE_URL = environ.get("GRAPH_BASE_URL", "https://graph.microsoft.com/v1.0")
TOKEN_SERVICE_URL = environ.get("TOKEN_SERVICE_URL", "https://api.botframework.com")

# Create storage and connection manager
STORAGE = MemoryStorage()
CONNECTION_MANAGER = MsalConnectionManager(**agents_sdk_config)
ADAPTER = CloudAdapter(
    connection_manager=CONNECTION_MANAGER,
    channel_service_client_factory_options={"token_service_endpoint": TOKEN_SERVICE_URL},
)
AUTHORIZATION = Authorization(STORAGE, CONNECTION_MANAGER, **agents_sdk_config)

# Create AgentApplication
AGENT_APP = AgentApplication[TurnState](
    storage=STORAGE, adapter=ADAPTER, authorization=AUTHORIZATION, **agents_sdk_config
)


@AGENT_APP.conversation_update("membersAdded")
async def on_members_added(context: TurnContext, _state: TurnState):
    await context.send_activity("Welcome to the agent!")


@AGENT_APP.message("/logout")
async def logout(context: TurnContext, state: TurnState):
    await AGENT_APP.auth.sign_out(context, "GRAPH")
    await context.send_activity(MessageFactory.text("You have been logged out."))


@AGENT_APP.message("/me", auth_handlers=["GRAPH"])
async def profile_request(context: TurnContext, state: TurnState):
    user_token_response = await AGENT_APP.auth.get_token(context, "GRAPH")
    if user_token_response and user_token_response.token:
        # Use token to call Microsoft Graph
        async with aiohttp.ClientSession() as session:
            headers = {
                "Authorization": f"Bearer {user_token_response.token}",
                "Content-Type": "application/json",
            }
            async with session.get(f"{GRAPH_BASE_URL}/me", headers=headers) as response:
                if response.status == 200:
                    user_info = await response.json()
                    await context.send_activity(f"Hello, {user_info['displayName']}!")


@AGENT_APP.activity("message")
async def on_message(context: TurnContext, _state: TurnState):
    await context.send_activity(f"You said: {context.activity.text}")


@AGENT_APP.error
async def on_error(context: TurnContext, error: Exception):
    await context.send_activity("The agent encountered an error.")


# Server setup
async def entry_point(req: Request) -> Response:
    agent: AgentApplication = req.app["agent_app"]
    adapter: CloudAdapter = req.app["adapter"]
    return await start_agent_process(req, agent, adapter)


APP = Application(middlewares=[jwt_authorization_middleware])
APP.router.add_post("/api/messages", entry_point)
APP["agent_configuration"] = CONNECTION_MANAGER.get_default_connection_configuration()
APP["agent_app"] = AGENT_APP
APP["adapter"] = AGENT_APP.adapter

if __name__ == "__main__":
    run_app(APP, host="localhost", port=environ.get("PORT", 3978))
