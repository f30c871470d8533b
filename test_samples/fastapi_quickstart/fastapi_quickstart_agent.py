"""The quickstart agent on FastAPI: echo every message and welcome new members.

    .venv/bin/python test_samples/fastapi_quickstart/fastapi_quickstart_agent.py
    .venv/bin/uvicorn --app-dir test_samples/fastapi_quickstart fastapi_quickstart_agent:app

Either way it serves http://localhost:3978/api/messages (``PORT`` changes the port of the
first form). The agent code is the SDK documentation's quickstart; only the web framework
differs from ``test_samples/quickstart``: a FastAPI ``app`` with the JWT middleware and one
route calling ``start_agent_process``. With ``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*``
set (and ``microsoft-agents-authentication-msal`` installed) callers must send valid tokens;
without them it runs in anonymous mode, for local testing.
"""

from __future__ import annotations

import logging
import sys
import traceback
from contextlib import asynccontextmanager
from os import environ

from fastapi import FastAPI, Request

from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    Authorization,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.fastapi import (
    CloudAdapter,
    JwtAuthorizationMiddleware,
    start_agent_process,
)

logging.getLogger("microsoft_agents").addHandler(logging.StreamHandler())
logging.getLogger("microsoft_agents").setLevel(logging.INFO)

agents_sdk_config = load_configuration_from_env(environ)
STORAGE = MemoryStorage()

if environ.get("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"):
    # The documented setup: tokens are checked, replies carry the agent's own token.
    from microsoft_agents.authentication.msal import MsalConnectionManager

    CONNECTION_MANAGER = MsalConnectionManager(**agents_sdk_config)
    ADAPTER = CloudAdapter(connection_manager=CONNECTION_MANAGER)
    AUTHORIZATION = Authorization(STORAGE, CONNECTION_MANAGER, **agents_sdk_config)
    AUTH_CONFIGURATION = CONNECTION_MANAGER.get_default_connection_configuration()
else:  # anonymous mode, for local testing only
    CONNECTION_MANAGER, AUTHORIZATION = None, None
    ADAPTER = CloudAdapter()
    AUTH_CONFIGURATION = AgentAuthConfiguration(anonymous_allowed=True)

AGENT_APP = AgentApplication[TurnState](
    storage=STORAGE, adapter=ADAPTER, authorization=AUTHORIZATION, **agents_sdk_config
)


@AGENT_APP.conversation_update("membersAdded")
async def on_members_added(context: TurnContext, _state: TurnState):
    await context.send_activity("Welcome to the agent! Say something and I will echo it.")


@AGENT_APP.activity("message")
async def on_message(context: TurnContext, _state: TurnState):
    await context.send_activity(f"You said: {context.activity.text}")


@AGENT_APP.error
async def on_error(context: TurnContext, error: Exception):
    # Printed for the developer; a production agent would send it to its telemetry.
    print(f"\n [on_turn_error] unhandled error: {error}", file=sys.stderr)
    traceback.print_exc()
    await context.send_activity("The agent encountered an error or bug.")


# The web side: FastAPI, with every request checked by the JWT middleware.
@asynccontextmanager
async def lifespan(_app: FastAPI):
    yield
    await ADAPTER.close()  # its pooled connections to the channel


app = FastAPI(title="Quickstart agent", lifespan=lifespan)
app.add_middleware(JwtAuthorizationMiddleware)
app.state.agent_configuration = AUTH_CONFIGURATION


@app.post("/api/messages")
async def messages(request: Request):
    return await start_agent_process(request, AGENT_APP, ADAPTER)


@app.get("/api/messages")
async def health():
    return {"status": "OK"}


def main() -> None:
    import uvicorn

    port = int(environ.get("PORT", "3978"))
    print(f"Agent listening on http://localhost:{port}/api/messages (Ctrl+C to stop)", flush=True)
    uvicorn.run(app, host="localhost", port=port, log_level="warning")


if __name__ == "__main__":
    main()
