"""User sign-in in process: the handler kinds, the stored documents, the TestAdapter path.

The end-to-end conversations over HTTP are in the aiohttp distribution's
``test_oauth_sign_in.py``; these tests cover what needs no web host.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    TokenResponse,
)
from microsoft_agents.hosting.core import MemoryStorage, TurnContext
from microsoft_agents.hosting.core.app import AgentApplication, AuthHandler, Authorization
from microsoft_agents.hosting.core.app.oauth._state import (
    _FlowState,
    _FlowTag,
    _SignInState,
)
from microsoft_agents.hosting.core.app.state import TurnState
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ClaimsIdentity,
    ConnectionManager,
)
from microsoft_agents.hosting.core.connector import UserTokenClient, UserTokenClientBase
from microsoft_agents.hosting.core.storage import StoreItem
from microsoft_agents.hosting.core.testing import TestAdapter
from microsoft_agents.hosting.core.testing.loopback import TokenServiceStandIn

App = AgentApplication[TurnState]
USER_TOKEN_KEY: Any = UserTokenClientBase


class RecordingProvider(AnonymousTokenProvider):
    """Answers agentic and on-behalf-of requests with tokens that say what was asked."""

    calls: list[tuple[Any, ...]] = []

    async def get_agentic_user_token(
        self, tenant_id: str, agent_app_instance_id: str, agentic_user_id: str, scopes: list[str]
    ) -> str | None:
        self.calls.append(("agentic-user", tenant_id, agent_app_instance_id, agentic_user_id))
        return f"agentic:{agentic_user_id}:{' '.join(scopes)}"

    async def get_agentic_instance_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> tuple[str, str]:
        self.calls.append(("agentic-instance", tenant_id, agent_app_instance_id))
        return f"instance:{agent_app_instance_id}", "app-token"

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        self.calls.append(("obo", self.configuration.CLIENT_ID, tuple(scopes)))
        return f"obo:{' '.join(scopes)}"


@pytest.fixture
def manager() -> ConnectionManager:
    RecordingProvider.calls = []
    return ConnectionManager(
        RecordingProvider,
        connections_configurations={
            "SERVICE_CONNECTION": AgentAuthConfiguration(client_id="agent1"),
            "DOWNSTREAM": AgentAuthConfiguration(client_id="downstream-app"),
        },
    )


def protected_app(storage: MemoryStorage, auth: Authorization, handler_id: str) -> App:
    app = App(storage=storage, authorization=auth, start_typing_timer=False)

    @app.message("/token", auth_handlers=[handler_id])
    async def token(context: TurnContext, state: TurnState) -> None:
        response = await app.auth.get_token(context, handler_id)
        await context.send_activity(f"token: {response.token}")

    return app


# -- agentic users ----------------------------------------------------------------------------


async def test_agentic_user_authorization_uses_the_agent_identity(
    manager: ConnectionManager,
) -> None:
    storage = MemoryStorage()
    handlers = {"AGENTIC": AuthHandler(auth_type="AgenticUserAuthorization", scopes="a b")}
    auth = Authorization(storage, manager, auth_handlers=handlers)
    app = protected_app(storage, auth, "AGENTIC")
    agentic = ChannelAccount(
        id="agent-user",
        role="agenticUser",
        agentic_app_id="instance-7",
        agentic_user_id="agentic-user-3",
        tenant_id="tenant-1",
    )
    adapter = TestAdapter(app, template=Activity(type="message", recipient=agentic))

    replies = await adapter.process_activity("/token")

    assert [r.text for r in replies] == ["token: agentic:agentic-user-3:a b"]
    assert RecordingProvider.calls == [
        ("agentic-user", "tenant-1", "instance-7", "agentic-user-3"),  # sign-in
        ("agentic-user", "tenant-1", "instance-7", "agentic-user-3"),  # get_token refreshes
    ]
    handler: Any = auth._resolve_handler("AGENTIC")

    tokens: list[TokenResponse] = []

    async def read_instance_token(context: TurnContext) -> None:
        tokens.append(await handler.get_agentic_instance_token(context))

    await adapter.process_activity("x", read_instance_token)
    assert tokens == [TokenResponse(token="instance:instance-7")]


async def test_agentic_user_authorization_fails_for_ordinary_requests(
    manager: ConnectionManager,
) -> None:
    storage = MemoryStorage()
    handlers = {"AGENTIC": AuthHandler(auth_type="AgenticUserAuthorization")}
    app = protected_app(storage, Authorization(storage, manager, auth_handlers=handlers), "AGENTIC")

    replies = await TestAdapter(app).process_activity("/token")

    assert [r.text for r in replies] == ["Sign-in failed. Please try again."]
    assert RecordingProvider.calls == []


# -- connector users --------------------------------------------------------------------------


def _exchangeable(app_id: str) -> str:
    claims = {"aud": f"api://{app_id}", "appid": app_id, "ver": "1.0"}
    return jwt.encode(claims, "a-test-key-that-is-long-enough-for-hs256", algorithm="HS256")


async def test_connector_user_authorization_takes_the_callers_token(
    manager: ConnectionManager,
) -> None:
    storage = MemoryStorage()
    handlers = {
        "PLAIN": AuthHandler(auth_type="ConnectorUserAuthorization"),
        "OBO": AuthHandler(
            auth_type="ConnectorUserAuthorization",
            obo_connection_name="DOWNSTREAM",
            scopes="Files.Read",
        ),
    }
    auth = Authorization(storage, manager, auth_handlers=handlers)
    app = protected_app(storage, auth, "PLAIN")

    @app.message("/obo", auth_handlers=["OBO"])
    async def obo(context: TurnContext, state: TurnState) -> None:
        response = await app.auth.get_token(context, "OBO")
        await context.send_activity(f"obo token: {response.token}")

    caller_token = _exchangeable("agent1")
    identity = ClaimsIdentity({"aud": "agent1"}, security_token=caller_token)
    adapter = TestAdapter(app, identity=identity)

    assert [r.text for r in await adapter.process_activity("/token")] == [f"token: {caller_token}"]
    assert [r.text for r in await adapter.process_activity("/obo")] == ["obo token: obo:Files.Read"]
    assert ("obo", "downstream-app", ("Files.Read",)) in RecordingProvider.calls

    without_token = TestAdapter(app, identity=ClaimsIdentity({"aud": "agent1"}))
    replies = await without_token.process_activity("/token")
    assert [r.text for r in replies] == ["Sign-in failed. Please try again."]


# -- stored documents ---------------------------------------------------------------------------


def test_flow_and_sign_in_state_documents_round_trip() -> None:
    activity = Activity(type="message", text="/me", conversation=ConversationAccount(id="c"))
    flow = _FlowState(
        channel_id="msteams",
        user_id="u",
        ms_app_id="app",
        connection="graph",
        auth_handler_id="GRAPH",
        expiration=1234.5,
        continuation_activity=activity,
        attempts_remaining=2,
        tag=_FlowTag.CONTINUE,
    )
    document = flow.store_item_to_json()
    assert document["tag"] == "continue" and document["expiration"] == 1234.5
    assert document["continuation_activity"] == {
        "type": "message",
        "text": "/me",
        "conversation": {"id": "c"},
    }
    assert _FlowState.from_json_to_store_item(document) == flow
    assert isinstance(flow, StoreItem)
    sign_in = _SignInState("GRAPH", activity)
    assert _SignInState.from_json_to_store_item(sign_in.store_item_to_json()) == sign_in


def test_partial_or_damaged_documents_are_read_leniently() -> None:
    flow = _FlowState.from_json_to_store_item(
        {"tag": "nonsense", "expiration": "soon", "continuation_activity": {"type": 7}}
    )
    assert flow.tag is _FlowTag.NOT_STARTED and flow.expiration == 0.0
    assert flow.continuation_activity is None and flow.attempts_remaining == 3
    assert flow.is_expired() and not flow.is_waiting()
    assert _SignInState.from_json_to_store_item({}) == _SignInState()


# -- the intercept --------------------------------------------------------------------------


class CountingStorage(MemoryStorage):
    def __init__(self) -> None:
        super().__init__()
        self.read_keys: list[str] = []

    async def read(self, keys: list[str], *, target_cls: Any, **kwargs: Any) -> Any:
        self.read_keys.extend(keys)
        return await super().read(keys, target_cls=target_cls, **kwargs)


async def test_turns_read_no_sign_in_state_when_no_handler_is_configured() -> None:
    storage = CountingStorage()
    app = App(storage=storage, authorization=Authorization(storage, None))

    @app.activity("message")
    async def echo(context: TurnContext, state: TurnState) -> None:
        await context.send_activity("ok")

    assert [r.text for r in await TestAdapter(app).process_activity("hi")] == ["ok"]
    assert not [key for key in storage.read_keys if key.startswith("auth")]


@pytest.fixture
async def tokens() -> AsyncIterator[TokenServiceStandIn]:
    async with TokenServiceStandIn() as stand_in:
        yield stand_in


async def test_the_test_adapter_runs_a_whole_sign_in(tokens: TokenServiceStandIn) -> None:
    storage = MemoryStorage()
    handlers = {"GRAPH": AuthHandler(abs_oauth_connection_name="graph")}
    auth = Authorization(storage, None, auth_handlers=handlers)
    app = protected_app(storage, auth, "GRAPH")
    client = UserTokenClient(tokens.url, "", app_id="agent1")
    adapter = TestAdapter(app, services={USER_TOKEN_KEY: client})
    try:
        [card] = await adapter.process_activity("/token")
        assert card.attachments is not None
        assert card.attachments[0].content_type == "application/vnd.microsoft.card.oauth"
        tokens.add_magic_code("user1", "graph", "654321", "graph-token")

        assert await adapter.process_activity("654321") == []
        await asyncio.gather(*auth._continuations)

        assert adapter.sent_activities[-1].text == "token: graph-token"
        assert adapter.sent_activities[-1].reply_to_id == card.reply_to_id
    finally:
        await client.close()


async def test_a_token_can_be_read_without_asking_the_user(tokens: TokenServiceStandIn) -> None:
    storage = MemoryStorage()
    handlers = {"GRAPH": AuthHandler(abs_oauth_connection_name="graph")}
    auth = Authorization(storage, None, auth_handlers=handlers)
    client = UserTokenClient(tokens.url, "", app_id="agent1")
    adapter = TestAdapter(services={USER_TOKEN_KEY: client})
    seen: list[str | None] = []

    async def proactive_turn(context: TurnContext) -> None:
        seen.append((await auth._get_token_silently(context, "GRAPH")).token)
        seen.append((await auth.get_token(context, "GRAPH")).token)

    try:
        assert await adapter.process_activity("x", proactive_turn) == []  # no card
        tokens.add_token("user1", "graph", "stored")
        await adapter.process_activity("x", proactive_turn)
    finally:
        await client.close()
    assert seen == [None, None, "stored", "stored"]
    assert not tokens.requests_to("GET", "/api/usertoken/GetTokenOrSignInResource")
