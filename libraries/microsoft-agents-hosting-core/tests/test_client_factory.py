"""RestChannelServiceClientFactory: tokens per caller, client kinds, one lazily created session."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from microsoft_agents.activity import Activity, ChannelAccount, ConversationAccount
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectionManager,
)
from microsoft_agents.hosting.core.connector import (
    ChannelServiceClientFactoryBase,
    ConnectorClient,
    MCSConnectorClient,
    RestChannelServiceClientFactory,
    RetryPolicy,
    TeamsConnectorClient,
    UserTokenClient,
)
from microsoft_agents.hosting.core.testing import TestAdapter
from microsoft_agents.hosting.core.testing._channel_service import ChannelServiceStandIn
from microsoft_agents.hosting.core.testing._token_service import TokenServiceStandIn

BOT_FRAMEWORK = AuthenticationConstants.AGENTS_SDK_SCOPE


class RecordingProvider(AccessTokenProviderBase):
    """A token provider that hands out ``<client id>-token`` and records what was asked."""

    def __init__(self, configuration: AgentAuthConfiguration, *, agentic: bool = True) -> None:
        self._configuration = configuration
        self.agentic = agentic
        self.calls: list[tuple[Any, ...]] = []

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._configuration

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        self.calls.append(("access", resource_url, list(scopes)))
        return (
            ""
            if self._configuration.CLIENT_ID == "empty"
            else f"{self._configuration.CLIENT_ID}-token"
        )

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        raise NotImplementedError()

    async def get_agentic_application_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> str | None:
        raise NotImplementedError()

    def get_token_credential(self) -> Any:
        raise NotImplementedError()

    async def get_agentic_instance_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> tuple[str, str]:
        if not self.agentic:
            raise NotImplementedError()
        self.calls.append(("instance", tenant_id, agent_app_instance_id))
        return f"instance-token-{agent_app_instance_id}", "app-token"

    async def get_agentic_user_token(
        self,
        tenant_id: str,
        agent_app_instance_id: str,
        agentic_user_id: str,
        scopes: list[str],
    ) -> str | None:
        if not self.agentic:
            raise NotImplementedError()
        self.calls.append(("user", tenant_id, agent_app_instance_id, agentic_user_id, scopes))
        return f"user-token-{agentic_user_id}"


def manager(
    client_id: str = "agent-app", *, agentic: bool = True, **extra: Any
) -> ConnectionManager:
    configurations = {
        "SERVICE_CONNECTION": AgentAuthConfiguration(client_id=client_id, tenant_id="t", **extra)
    }
    if "alt_blueprint" in client_id:
        configurations["BLUEPRINT"] = AgentAuthConfiguration(
            client_id="blueprint-app", tenant_id="t"
        )
    return ConnectionManager(
        lambda config: RecordingProvider(config, agentic=agentic), configurations
    )


def provider(connections: ConnectionManager, name: str | None = None) -> RecordingProvider:
    found = connections.get_connection(name)
    assert isinstance(found, RecordingProvider)
    return found


def channel_claims() -> ClaimsIdentity:
    return ClaimsIdentity({"aud": "agent-app", "iss": BOT_FRAMEWORK}, authentication_type="Bearer")


def context_for(
    recipient: ChannelAccount, service_url: str = "https://smba.example/"
) -> TurnContext:
    activity = Activity(
        type="message",
        channel_id="msteams",
        service_url=service_url,
        from_property=ChannelAccount(id="user-1"),
        recipient=recipient,
        conversation=ConversationAccount(id="conv-1", tenant_id="tenant-9"),
    )
    return TurnContext(TestAdapter(), activity, channel_claims())


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as service:
        yield service


@pytest.fixture
async def tokens() -> AsyncIterator[TokenServiceStandIn]:
    async with TokenServiceStandIn() as service:
        yield service


# -- connector clients --------------------------------------------------------------------------


async def test_connector_client_gets_the_connection_token(channel: ChannelServiceStandIn) -> None:
    connections = manager()
    async with RestChannelServiceClientFactory(connections) as factory:
        assert isinstance(factory, ChannelServiceClientFactoryBase)
        client = await factory.create_connector_client(
            None, channel_claims(), channel.url, BOT_FRAMEWORK
        )
        assert isinstance(client, TeamsConnectorClient)
        assert client.base_uri == channel.url
        await client.conversations.send_to_conversation("c", Activity(type="message"))
        await client.close()
    assert channel.last_request.authorization == "Bearer agent-app-token"
    assert provider(connections).calls == [("access", BOT_FRAMEWORK, [f"{BOT_FRAMEWORK}/.default"])]


async def test_explicit_scopes_win(channel: ChannelServiceStandIn) -> None:
    connections = manager()
    async with RestChannelServiceClientFactory(connections) as factory:
        await factory.create_connector_client(
            None, channel_claims(), channel.url, "app://other", scopes=["other/.default"]
        )
    assert provider(connections).calls == [("access", "app://other", ["other/.default"])]


@pytest.mark.parametrize(("service_url", "audience"), [("", "aud"), (None, "aud"), ("u", "")])
async def test_service_url_and_audience_are_required(
    service_url: str | None, audience: str
) -> None:
    factory = RestChannelServiceClientFactory(manager())
    with pytest.raises(TypeError):
        await factory.create_connector_client(None, channel_claims(), service_url, audience)


async def test_anonymous_clients_send_no_authorization(channel: ChannelServiceStandIn) -> None:
    connections = manager()
    async with RestChannelServiceClientFactory(connections) as factory:
        client = await factory.create_connector_client(
            None, ClaimsIdentity(), channel.url, BOT_FRAMEWORK, use_anonymous=True
        )
        await client.conversations.get_conversation_members("c")
    assert "Authorization" not in channel.last_request.headers
    assert provider(connections).calls == []


async def test_without_connection_manager_only_anonymous_works(
    channel: ChannelServiceStandIn,
) -> None:
    async with RestChannelServiceClientFactory(None) as factory:
        client = await factory.create_connector_client(
            None, ClaimsIdentity(), channel.url, BOT_FRAMEWORK, use_anonymous=True
        )
        await client.conversations.get_conversation_members("c")
        with pytest.raises(ValueError, match="connection manager"):
            await factory.create_connector_client(None, channel_claims(), channel.url, "aud")


async def test_connector_user_recipient_gets_the_mcs_client(channel: ChannelServiceStandIn) -> None:
    connections = manager()
    callback = f"{channel.url}mcs/callback"
    channel.stub("POST", "/mcs/callback", json={"id": "done"})
    context = context_for(ChannelAccount(id="agent", role="connectoruser"), callback)
    async with RestChannelServiceClientFactory(connections) as factory:
        client = await factory.create_connector_client(
            context, channel_claims(), callback, BOT_FRAMEWORK
        )
        assert isinstance(client, MCSConnectorClient)
        response = await client.conversations.send_to_conversation("c", Activity(type="message"))
    assert response.id == "done"
    assert provider(connections).calls == []  # no token is fetched for a connector request


async def test_agentic_instance_gets_the_instance_token(channel: ChannelServiceStandIn) -> None:
    connections = manager()
    recipient = ChannelAccount(id="agent", role="agenticAppInstance", agentic_app_id="instance-1")
    async with RestChannelServiceClientFactory(connections) as factory:
        client = await factory.create_connector_client(
            context_for(recipient), channel_claims(), channel.url, BOT_FRAMEWORK
        )
        await client.conversations.get_conversation_members("c")
    assert channel.last_request.authorization == "Bearer instance-token-instance-1"
    assert provider(connections).calls == [("instance", "tenant-9", "instance-1")]


async def test_agentic_user_gets_a_user_token_for_the_apx_scope(
    channel: ChannelServiceStandIn,
) -> None:
    connections = manager()
    recipient = ChannelAccount(
        id="agent",
        role="agenticUser",
        agentic_app_id="instance-1",
        agentic_user_id="auser-1",
        tenant_id="tenant-1",
    )
    async with RestChannelServiceClientFactory(connections) as factory:
        client = await factory.create_connector_client(
            context_for(recipient), channel_claims(), channel.url, BOT_FRAMEWORK
        )
        await client.conversations.get_conversation_members("c")
    assert channel.last_request.authorization == "Bearer user-token-auser-1"
    assert provider(connections).calls == [
        (
            "user",
            "tenant-1",
            "instance-1",
            "auser-1",
            [AuthenticationConstants.APX_PRODUCTION_SCOPE],
        )
    ]


async def test_agentic_requests_use_the_alternate_blueprint_connection() -> None:
    connections = manager("alt_blueprint-app", ALT_BLUEPRINT_NAME="BLUEPRINT")
    recipient = ChannelAccount(id="agent", role="agenticAppInstance", agentic_app_id="i-1")
    factory = RestChannelServiceClientFactory(connections)
    await factory.create_connector_client(
        context_for(recipient), channel_claims(), "https://smba.example/", BOT_FRAMEWORK
    )
    assert provider(connections, "BLUEPRINT").calls == [("instance", "tenant-9", "i-1")]
    assert provider(connections).calls == []


async def test_agentic_requests_need_ids_and_a_capable_provider() -> None:
    factory = RestChannelServiceClientFactory(manager())
    no_instance = ChannelAccount(id="agent", role="agenticAppInstance")
    with pytest.raises(ValueError, match="instance id"):
        await factory.create_connector_client(
            context_for(no_instance), channel_claims(), "https://s.example/", BOT_FRAMEWORK
        )
    no_user = ChannelAccount(id="agent", role="agenticUser", agentic_app_id="i")
    with pytest.raises(ValueError, match="agentic user id"):
        await factory.create_connector_client(
            context_for(no_user), channel_claims(), "https://s.example/", BOT_FRAMEWORK
        )
    plain = RestChannelServiceClientFactory(manager(agentic=False))
    instance = ChannelAccount(id="agent", role="agenticAppInstance", agentic_app_id="i")
    with pytest.raises(NotImplementedError, match="agentic tokens"):
        await plain.create_connector_client(
            context_for(instance), channel_claims(), "https://s.example/", BOT_FRAMEWORK
        )


# -- user-token clients ----------------------------------------------------------------------------


async def test_user_token_client_uses_the_token_service_settings(
    tokens: TokenServiceStandIn,
) -> None:
    connections = manager()
    tokens.add_token("user-1", "graph", "user-token")
    context = context_for(ChannelAccount(id="agent-app"))
    async with RestChannelServiceClientFactory(
        connections, token_service_endpoint=tokens.url, token_service_audience="https://tokens"
    ) as factory:
        client = await factory.create_user_token_client(context, channel_claims())
        assert isinstance(client, UserTokenClient)
        assert client.app_id == "agent-app"
        assert client.base_uri == tokens.url
        assert (await client.get_user_token("user-1", "graph", "msteams")).token == "user-token"
    assert tokens.last_request.authorization == "Bearer agent-app-token"
    assert provider(connections).calls == [
        ("access", "https://tokens", [f"{BOT_FRAMEWORK}/.default"])
    ]


async def test_user_token_client_defaults_to_the_public_service() -> None:
    factory = RestChannelServiceClientFactory(manager())
    client = await factory.create_user_token_client(
        context_for(ChannelAccount(id="a")), channel_claims()
    )
    assert client.base_uri == "https://api.botframework.com/"
    assert provider(factory.connection_manager).calls == [  # type: ignore[arg-type]
        ("access", BOT_FRAMEWORK, [f"{BOT_FRAMEWORK}/.default"])
    ]


async def test_user_token_client_rejects_an_empty_token() -> None:
    factory = RestChannelServiceClientFactory(manager("empty"))
    with pytest.raises(ValueError, match="no token"):
        await factory.create_user_token_client(
            context_for(ChannelAccount(id="a")), channel_claims()
        )


async def test_anonymous_user_token_client(tokens: TokenServiceStandIn) -> None:
    connections = manager()
    async with RestChannelServiceClientFactory(connections, tokens.url) as factory:
        client = await factory.create_user_token_client(
            context_for(ChannelAccount(id="a")), ClaimsIdentity(), use_anonymous=True
        )
        await client.get_user_token("u", "c", "msteams")
    assert "Authorization" not in tokens.last_request.headers
    assert provider(connections).calls == []


async def test_agentic_user_token_client_uses_the_agentic_token(
    tokens: TokenServiceStandIn,
) -> None:
    connections = manager()
    recipient = ChannelAccount(id="agent", role="agenticAppInstance", agentic_app_id="i-2")
    async with RestChannelServiceClientFactory(connections, tokens.url) as factory:
        client = await factory.create_user_token_client(context_for(recipient), channel_claims())
        await client.get_user_token("u", "c", "msteams")
    assert tokens.last_request.authorization == "Bearer instance-token-i-2"


# -- the shared session ----------------------------------------------------------------------------


async def test_session_is_created_lazily_and_shared(
    channel: ChannelServiceStandIn, tokens: TokenServiceStandIn
) -> None:
    factory = RestChannelServiceClientFactory(manager(), tokens.url)
    shared = factory.shared_session
    connector = await factory.create_connector_client(
        None, channel_claims(), channel.url, BOT_FRAMEWORK
    )
    user_tokens = await factory.create_user_token_client(
        context_for(ChannelAccount(id="a")), channel_claims()
    )
    assert shared.session is None and shared.sessions_created == 0  # nothing sent yet

    await connector.conversations.get_conversation_members("c")
    session = shared.session
    assert session is not None and shared.sessions_created == 1
    await user_tokens.get_user_token("u", "c", "msteams")
    assert shared.session is session and shared.sessions_created == 1

    # Closing per-turn clients leaves the shared session open.
    await connector.close()
    await user_tokens.close()
    assert not session.closed
    await factory.close()
    assert session.closed


async def test_many_turns_reuse_one_session_and_one_connection(
    channel: ChannelServiceStandIn,
) -> None:
    async with RestChannelServiceClientFactory(manager()) as factory:
        for turn in range(25):
            client = await factory.create_connector_client(
                None, channel_claims(), channel.url, BOT_FRAMEWORK
            )
            await client.conversations.send_to_conversation(
                f"conv-{turn}", Activity(type="message", text=str(turn))
            )
            await client.close()
        assert factory.shared_session.sessions_created == 1
    assert len(channel.requests) == 25
    assert len(channel.peers) == 1  # every request went over the same kept-alive connection


async def test_concurrent_turns_share_the_pool(channel: ChannelServiceStandIn) -> None:
    async with RestChannelServiceClientFactory(manager()) as factory:

        async def turn(n: int) -> None:
            client = await factory.create_connector_client(
                None, channel_claims(), channel.url, BOT_FRAMEWORK
            )
            await client.conversations.send_to_conversation(
                "c", Activity(type="message", text=str(n))
            )
            await client.close()

        await asyncio.gather(*(turn(n) for n in range(20)))
        await asyncio.gather(*(turn(n) for n in range(20)))
        assert factory.shared_session.sessions_created == 1
    assert len(channel.activities("c")) == 40
    assert len(channel.peers) <= 20  # the second wave reused the first wave's connections


async def test_a_session_handed_in_is_used_and_left_open(channel: ChannelServiceStandIn) -> None:
    async with aiohttp.ClientSession() as session:
        factory = RestChannelServiceClientFactory(manager(), session=session)
        client = await factory.create_connector_client(
            None, channel_claims(), channel.url, BOT_FRAMEWORK
        )
        await client.conversations.get_conversation_members("c")
        assert factory.shared_session.session is session
        assert factory.shared_session.sessions_created == 0
        await factory.close()
        assert not session.closed


async def test_retry_policy_reaches_the_clients(channel: ChannelServiceStandIn) -> None:
    channel.fail_next(5, 503)
    options = {"max_attempts": 2, "base_delay": 0.001, "max_delay": 0.01}
    async with RestChannelServiceClientFactory(manager(), retry_policy=options) as factory:
        assert factory.retry_policy == RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.01)
        client = await factory.create_connector_client(
            None, channel_claims(), channel.url, BOT_FRAMEWORK
        )
        with pytest.raises(aiohttp.ClientResponseError):
            await client.conversations.get_conversation_members("c")
    assert len(channel.requests) == 2


def test_a_new_event_loop_gets_a_new_session() -> None:
    factory = RestChannelServiceClientFactory(None)

    async def one_turn() -> aiohttp.ClientSession:
        async with ChannelServiceStandIn() as channel:
            client = await factory.create_connector_client(
                None, ClaimsIdentity(), channel.url, BOT_FRAMEWORK, use_anonymous=True
            )
            await client.conversations.get_conversation_members("c")
        session = factory.shared_session.session
        assert session is not None
        return session

    async def last_turn() -> None:
        await one_turn()
        await factory.close()

    first = asyncio.run(one_turn())
    asyncio.run(last_turn())
    assert factory.shared_session.sessions_created == 2
    assert first.closed  # the session of the finished loop was released, not leaked


async def test_own_session_of_a_standalone_client_is_closed_with_it(
    channel: ChannelServiceStandIn,
) -> None:
    client = ConnectorClient(channel.url, "t")
    await client.conversations.get_conversation_members("c")
    session = client.endpoint.shared_session.session
    assert session is not None and not session.closed
    await client.close()
    assert session.closed


async def test_cookies_set_by_a_channel_are_never_sent_back(
    channel: ChannelServiceStandIn,
) -> None:
    # As a load balancer might: every answer sets an affinity cookie.
    for conversation in ("conv-a", "conv-b"):
        channel.stub(
            "POST",
            f"/v3/conversations/{conversation}/activities",
            json={"id": f"r-{conversation}"},
            headers={"Set-Cookie": f"affinity={conversation}; Path=/"},
        )
    # A host name, not an IP address: a cookie jar would keep cookies for it.
    url = channel.url.replace("127.0.0.1", "localhost")
    async with RestChannelServiceClientFactory(manager()) as factory:
        for conversation in ("conv-a", "conv-b"):
            client = await factory.create_connector_client(
                None, channel_claims(), url, BOT_FRAMEWORK
            )
            answer = await client.conversations.send_to_conversation(
                conversation, Activity(type="message", text="hi")
            )
            assert answer is not None and answer.id == f"r-{conversation}"
            await client.close()
    cookies = [request.headers.get("Cookie") for request in channel.requests]
    assert cookies == [None, None]  # the first answer's cookie did not travel with the second


async def test_only_clients_on_the_shared_session_skip_closing(
    channel: ChannelServiceStandIn,
) -> None:
    from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

    async with RestChannelServiceClientFactory(manager()) as factory:
        shared = await factory.create_connector_client(
            None, channel_claims(), channel.url, BOT_FRAMEWORK
        )
        assert shared._close_is_noop  # type: ignore[attr-defined]
        await shared.conversations.send_to_conversation("c", Activity(type="message"))
        await shared.close()  # releases nothing: the factory's session stays usable
        assert factory.shared_session.session is not None
        assert not factory.shared_session.session.closed
    own = TeamsConnectorClient(channel.url, "")
    assert not own._close_is_noop  # its own session: the turn must close it
    await own.conversations.send_to_conversation("c", Activity(type="message"))
    session = own._endpoint.shared_session.session
    assert session is not None and not session.closed
    await own.close()
    assert session.closed
