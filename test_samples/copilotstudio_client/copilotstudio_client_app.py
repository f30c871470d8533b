"""Console client for a Copilot Studio agent over the Direct-to-Engine API.

``main()`` is the "Copilot Studio Client (Direct to Engine)" code of the user guide, unchanged:
it starts a conversation, prints the greeting, asks "Hello!" and prints the answers.

Settings come from environment variables (the guide's names):

* ``COPILOTSTUDIOAGENT__ENVIRONMENTID`` — the environment the agent lives in;
* ``COPILOTSTUDIOAGENT__SCHEMANAME`` — the agent's schema name;
* ``COPILOTSTUDIOAGENT__TENANTID`` and ``COPILOTSTUDIOAGENT__AGENTAPPID`` — tenant and
  public-client app registration used to sign in with MSAL (``pip install msal``).

Two more variables point the sample elsewhere, for local runs and tests:

* ``COPILOTSTUDIOAGENT__DIRECTCONNECTURL`` — a conversations endpoint to use instead of the
  one built from the environment id (for example a loopback stand-in); the environment id and
  schema name may then be left unset;
* ``COPILOTSTUDIOAGENT__ACCESSTOKEN`` — a bearer token to send instead of signing in.

Run ``python copilotstudio_client_app.py --loopback`` to try it without any agent or account
(a loopback stand-in is started in-process), and add ``--chat`` to keep asking questions read
from standard input after the guide's flow.
"""

from __future__ import annotations

import asyncio
import sys
from os import environ
from pathlib import Path
from typing import Any

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.copilotstudio.client import ConnectionSettings as SdkConnectionSettings
from microsoft_agents.copilotstudio.client import CopilotClient

DIRECT_CONNECT_URL_VARIABLE = "COPILOTSTUDIOAGENT__DIRECTCONNECTURL"
ACCESS_TOKEN_VARIABLE = "COPILOTSTUDIOAGENT__ACCESSTOKEN"
TOKEN_CACHE_FILE = Path.home() / ".copilotstudio_client_token_cache.json"


class ConnectionSettings(SdkConnectionSettings):
    """The SDK's settings, plus this sample's switch: when
    ``COPILOTSTUDIOAGENT__DIRECTCONNECTURL`` is set (and no direct URL is passed), calls go
    to that endpoint instead of the cloud endpoint built from the environment id."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("direct_connect_url", environ.get(DIRECT_CONNECT_URL_VARIABLE) or None)
        super().__init__(**kwargs)


class LocalTokenCache:
    """An MSAL token cache kept in a local file, so the next run signs in silently."""

    def __init__(self, path: Path = TOKEN_CACHE_FILE) -> None:
        from msal import SerializableTokenCache

        self.path = path
        self.cache = SerializableTokenCache()
        if path.exists():
            self.cache.deserialize(path.read_text(encoding="utf-8"))

    def save(self) -> None:
        if self.cache.has_state_changed:
            self.path.write_text(self.cache.serialize(), encoding="utf-8")


def acquire_token(settings: SdkConnectionSettings, app_client_id: Any, tenant_id: Any) -> str:
    """A token for the Power Platform API: ``COPILOTSTUDIOAGENT__ACCESSTOKEN`` when set,
    otherwise an interactive MSAL sign-in (silent when the cached account is still valid)."""
    token = environ.get(ACCESS_TOKEN_VARIABLE)
    if token:
        return token
    try:
        from msal import PublicClientApplication
    except ImportError:
        sys.exit(f"Signing in needs msal (pip install msal), or set {ACCESS_TOKEN_VARIABLE}.")

    token_cache = LocalTokenCache()
    pca = PublicClientApplication(
        client_id=app_client_id,
        authority=f"https://login.microsoftonline.com/{tenant_id}",
        token_cache=token_cache.cache,
    )
    scopes = [CopilotClient.scope_from_settings(settings)]
    accounts = pca.get_accounts()
    response = pca.acquire_token_silent(scopes, account=accounts[0]) if accounts else None
    if not response or "access_token" not in response:
        response = pca.acquire_token_interactive(scopes=scopes)
    token_cache.save()
    if "access_token" not in response:
        sys.exit(f"Sign-in failed: {response.get('error_description') or response.get('error')}")
    return str(response["access_token"])


async def main():
    settings = ConnectionSettings(
        environment_id=environ.get("COPILOTSTUDIOAGENT__ENVIRONMENTID"),
        agent_identifier=environ.get("COPILOTSTUDIOAGENT__SCHEMANAME"),
    )

    token = acquire_token(
        settings,
        app_client_id=environ.get("COPILOTSTUDIOAGENT__AGENTAPPID"),
        tenant_id=environ.get("COPILOTSTUDIOAGENT__TENANTID"),
    )

    copilot_client = CopilotClient(settings, token)

    # Start conversation
    act = copilot_client.start_conversation(True)
    async for action in act:
        if action.text:
            print(action.text)

    # Ask question
    replies = copilot_client.ask_question("Hello!", action.conversation.id)
    async for reply in replies:
        if reply.type == ActivityTypes.message:
            print(reply.text)


async def chat(client: CopilotClient) -> None:
    """Ask every line of standard input as a question, until an empty line or end of input."""
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line.strip():
            return
        async for reply in client.ask_question(line.strip()):
            if reply.type == ActivityTypes.message and reply.text:
                print(reply.text)


async def run(args: list[str]) -> None:
    """``main()``, optionally against an in-process loopback agent and followed by a chat."""
    if "--loopback" in args:
        from microsoft_agents.copilotstudio.client.testing import CopilotStudioStandIn

        async with CopilotStudioStandIn(expected_token="loopback-token") as stand_in:
            environ[DIRECT_CONNECT_URL_VARIABLE] = stand_in.direct_connect_url
            environ[ACCESS_TOKEN_VARIABLE] = "loopback-token"
            await run([a for a in args if a != "--loopback"])
        return
    await main()
    if "--chat" in args:
        settings = ConnectionSettings(
            environment_id=environ.get("COPILOTSTUDIOAGENT__ENVIRONMENTID"),
            agent_identifier=environ.get("COPILOTSTUDIOAGENT__SCHEMANAME"),
        )
        token = acquire_token(
            settings,
            app_client_id=environ.get("COPILOTSTUDIOAGENT__AGENTAPPID"),
            tenant_id=environ.get("COPILOTSTUDIOAGENT__TENANTID"),
        )
        client = CopilotClient(settings, token)
        async for _ in client.start_conversation(False):
            pass
        await chat(client)


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1:]))
