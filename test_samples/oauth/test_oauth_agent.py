"""The OAuth sample end to end over real HTTP on 127.0.0.1.

The sample runs as written; around it, loopback stand-ins play the channel, the user-token
service, Microsoft Graph and the identity provider that signs the channel's requests. The
one thing swapped is the connection manager: instead of MSAL (which would ask Entra ID for
the agent's tokens) a manager built on the same configuration hands out a fixed agent token.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import sys
import types
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider, ConnectionManager
from microsoft_agents.hosting.core.authorization.jwt import jwks_cache
from microsoft_agents.hosting.core.testing._recording_server import RecordingServer
from microsoft_agents.hosting.core.testing.loopback import (
    ChannelServiceStandIn,
    OpenIdProvider,
    TokenServiceStandIn,
)

SAMPLE = Path(__file__).resolve().parent / "oauth_agent.py"
APP_ID = "oauth-sample-app"
AGENT_TOKEN = "agent-token-from-the-connection"
OAUTH_CARD = "application/vnd.microsoft.card.oauth"
SETTINGS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
GRAPH_HANDLER = "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__GRAPH__SETTINGS__"


class FixedTokenProvider(AnonymousTokenProvider):
    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return AGENT_TOKEN


class LoopbackConnectionManager(ConnectionManager):
    """Takes ``MsalConnectionManager(**config)``'s place for the test."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(FixedTokenProvider, **kwargs)


@dataclass
class Conversation:
    sample: types.ModuleType
    url: str
    idp: OpenIdProvider
    channel: ChannelServiceStandIn
    tokens: TokenServiceStandIn
    graph: RecordingServer
    ids: int = 0

    async def say(self, text: str, user: str = "user-1", **fields: Any) -> None:
        self.ids += 1
        activity = {
            "type": "message",
            "id": f"activity-{self.ids}",
            "channelId": "msteams",
            "serviceUrl": self.channel.url,
            "conversation": {"id": "conversation-1"},
            "from": {"id": user},
            "recipient": {"id": "agent-1"},
            "text": text,
            **fields,
        }
        token = self.idp.bot_framework_token(APP_ID, service_url=self.channel.url)
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                self.url, json=activity, headers={"Authorization": f"Bearer {token}"}
            ) as response,
        ):
            assert response.status == 202, await response.text()
        await self.settle()

    async def settle(self) -> None:
        """Let the background replay of a request that waited for a sign-in finish."""
        while self.sample.AUTHORIZATION._continuations:
            await asyncio.gather(*self.sample.AUTHORIZATION._continuations)

    def replies(self) -> list[str | None]:
        shown: list[str | None] = []
        for activity in self.channel.activities("conversation-1"):
            if activity.get("type") != "message":
                continue  # typing indicators
            kinds = [a.get("contentType") for a in activity.get("attachments") or []]
            shown.append("[sign-in card]" if kinds == [OAUTH_CARD] else activity.get("text"))
        return shown


Start = Callable[..., Any]


@pytest.fixture
async def start(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Start]:
    logger = logging.getLogger("microsoft_agents")
    handlers, level = list(logger.handlers), logger.level
    runners: list[web.AppRunner] = []
    samples: list[types.ModuleType] = []
    # Signing keys are cached per URL for the whole process, and a loopback port of an earlier
    # test's identity provider may be reused by this one: start from an empty cache.
    jwks_cache.clear()
    async with (
        OpenIdProvider() as idp,
        ChannelServiceStandIn(expected_token=AGENT_TOKEN) as channel,
        TokenServiceStandIn(expected_token=AGENT_TOKEN) as tokens,
        RecordingServer() as graph,
    ):
        graph.stub("GET", "/v1.0/me", json={"displayName": "Ada Lovelace", "id": "ada"})

        async def begin(**env: str) -> Conversation:
            for name in list(os.environ):
                if name.startswith(("CONNECTIONS", "AGENTAPPLICATION__")):
                    monkeypatch.delenv(name)
            settings = {
                f"{SETTINGS}CLIENTID": APP_ID,
                f"{SETTINGS}CLIENTSECRET": "not-used-by-the-stand-in",
                f"{SETTINGS}TENANTID": "tenant-1",
                f"{SETTINGS}AZUREBOTSERVICEOPENIDMETADATAURL": idp.metadata_url,
                f"{SETTINGS}OPENIDMETADATAURL": idp.metadata_url,
                f"{GRAPH_HANDLER}AZUREBOTOAUTHCONNECTIONNAME": "graph-connection",
                "GRAPH_BASE_URL": f"{graph.url}v1.0",
                "TOKEN_SERVICE_URL": tokens.url,
                **env,
            }
            for name, value in settings.items():
                monkeypatch.setenv(name, value)
            msal = types.ModuleType("microsoft_agents.authentication.msal")
            msal.MsalConnectionManager = LoopbackConnectionManager  # type: ignore[attr-defined]
            monkeypatch.setitem(sys.modules, "microsoft_agents.authentication.msal", msal)
            spec = importlib.util.spec_from_file_location(f"oauth_agent_{len(samples)}", SAMPLE)
            assert spec is not None and spec.loader is not None
            sample = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(sample)
            samples.append(sample)
            runner = web.AppRunner(sample.APP, access_log=None)
            await runner.setup()
            runners.append(runner)
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
            return Conversation(sample, url, idp, channel, tokens, graph)

        yield begin
        for runner in runners:
            await runner.cleanup()
        for sample in samples:
            await sample.ADAPTER.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)


async def test_me_signs_the_user_in_and_greets_them_by_their_graph_name(start: Start) -> None:
    conversation: Conversation = await start()
    assert isinstance(conversation.sample.CONNECTION_MANAGER, LoopbackConnectionManager)
    assert not conversation.sample.AUTHORIZATION.auto_sign_in

    await conversation.say("hello")
    await conversation.say("/me")
    assert conversation.replies() == ["You said: hello", "[sign-in card]"]
    [card] = [
        attachment["content"]
        for activity in conversation.channel.activities("conversation-1")
        for attachment in activity.get("attachments") or []
    ]
    assert card["connectionName"] == "graph-connection"
    assert card["buttons"][0]["type"] == "signin"
    assert conversation.graph.requests == []

    # The user signs in with the link and types the code the sign-in page showed.
    conversation.tokens.add_magic_code("user-1", "graph-connection", "123456", "ada-graph-token")
    await conversation.say("123456")

    assert conversation.replies()[-1] == "Hello, Ada Lovelace!"
    [graph_call] = conversation.graph.requests
    assert graph_call.authorization == "Bearer ada-graph-token"
    assert conversation.channel.activities("conversation-1")[-1]["replyToId"] == "activity-2"

    await conversation.say("/me")  # signed in: straight to Graph
    assert conversation.replies()[-1] == "Hello, Ada Lovelace!"
    assert len(conversation.graph.requests) == 2

    await conversation.say("/logout")
    assert conversation.replies()[-1] == "You have been logged out."
    assert conversation.tokens.sign_outs == [("user-1", "graph-connection", "msteams")]
    await conversation.say("/me")
    assert conversation.replies()[-1] == "[sign-in card]"


async def test_a_wrong_code_is_refused(start: Start) -> None:
    conversation: Conversation = await start()
    await conversation.say("/me")
    conversation.tokens.add_magic_code("user-1", "graph-connection", "123456", "token")

    await conversation.say("654321")

    assert conversation.replies()[-1] == (
        "That sign-in code is not valid. Please try again (2 attempt(s) left)."
    )
    assert conversation.graph.requests == []


async def test_auto_sign_in_asks_before_any_message_is_answered(start: Start) -> None:
    conversation: Conversation = await start(
        AGENTAPPLICATION__USERAUTHORIZATION__AUTO_SIGN_IN="true"
    )
    assert conversation.sample.AUTHORIZATION.auto_sign_in
    conversation.tokens.add_magic_code("user-1", "graph-connection", "777777", "auto-token")

    await conversation.say("hi there")
    assert conversation.replies() == ["[sign-in card]"]
    await conversation.say("777777")
    assert conversation.replies()[-1] == "You said: hi there"

    await conversation.say("/me")
    assert conversation.replies()[-1] == "Hello, Ada Lovelace!"
    assert conversation.graph.last_request.authorization == "Bearer auto-token"


async def test_the_welcome_needs_no_sign_in(start: Start) -> None:
    conversation: Conversation = await start()
    await conversation.say("", type="conversationUpdate", membersAdded=[{"id": "user-1"}])
    assert conversation.replies() == ["Welcome to the agent!"]
    assert conversation.tokens.requests == []
