"""``ChannelServiceAdapter`` over real HTTP: a loopback channel and token service answer it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core._channel_service_adapter import ChannelServiceAdapter
from microsoft_agents.hosting.core._turn_clients import LazyUserTokenClient, get_user_token_client
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.connector import (
    ConnectorClientBase,
    RestChannelServiceClientFactory,
    UserTokenClientBase,
)
from microsoft_agents.hosting.core.testing.loopback import (
    ChannelServiceStandIn,
    TokenServiceStandIn,
)


class Tracked:
    """A client whose ``close`` is counted; everything else goes to the real client."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.closed = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def close(self) -> None:
        self.closed += 1
        await self._client.close()


class RecordingFactory:
    """The real REST client factory, with every call and client recorded."""

    def __init__(self, token_service_url: str) -> None:
        self.real = RestChannelServiceClientFactory(None, token_service_endpoint=token_service_url)
        self.connector_calls: list[tuple[str | None, str | None, list[str] | None, bool]] = []
        self.connectors: list[Tracked] = []
        self.user_token_clients: list[Tracked] = []

    async def create_connector_client(
        self,
        context: Any,
        claims_identity: ClaimsIdentity,
        service_url: str | None,
        audience: str | None,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> Any:
        self.connector_calls.append((service_url, audience, scopes, use_anonymous))
        client = await self.real.create_connector_client(
            context, claims_identity, service_url, audience, scopes, True
        )
        self.connectors.append(Tracked(client))
        return self.connectors[-1]

    async def create_user_token_client(
        self, context: Any, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> Any:
        client = await self.real.create_user_token_client(context, claims_identity, True)
        self.user_token_clients.append(Tracked(client))
        return self.user_token_clients[-1]


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as stand_in:
        yield stand_in


@pytest.fixture
async def tokens() -> AsyncIterator[TokenServiceStandIn]:
    async with TokenServiceStandIn() as stand_in:
        yield stand_in


@pytest.fixture
async def factory(tokens: TokenServiceStandIn) -> AsyncIterator[RecordingFactory]:
    factory = RecordingFactory(tokens.url)
    yield factory
    await factory.real.close()


@pytest.fixture
def adapter(factory: RecordingFactory) -> ChannelServiceAdapter:
    return ChannelServiceAdapter(factory)


def incoming(channel: ChannelServiceStandIn, **fields: Any) -> Activity:
    data: dict[str, Any] = {
        "type": "message",
        "id": "in-1",
        "channel_id": "test",
        "service_url": channel.url,
        "from_property": ChannelAccount(id="user-1"),
        "recipient": ChannelAccount(id="agent-1"),
        "conversation": ConversationAccount(id="conv-1"),
        "text": "hi",
    }
    data.update(fields)
    return Activity(**data)


async def echo(context: TurnContext) -> None:
    await context.send_activity(f"echo: {context.activity.text}")


async def test_a_turn_replies_through_the_channel_and_closes_its_client(
    adapter: ChannelServiceAdapter, factory: RecordingFactory, channel: ChannelServiceStandIn
) -> None:
    result = await adapter.process_activity(ClaimsIdentity(), incoming(channel), echo)

    assert result is None
    [request] = channel.requests
    assert request.path == "/v3/conversations/conv-1/activities/in-1"
    assert request.json["text"] == "echo: hi"
    public = "https://api.botframework.com"
    assert factory.connector_calls == [(channel.url, public, [f"{public}/.default"], True)]
    assert factory.connectors[0].closed == 1
    session = factory.real.shared_session.session
    assert session is not None and not session.closed  # the pooled session outlives the turn


async def test_the_user_token_client_is_made_only_when_used(
    adapter: ChannelServiceAdapter,
    factory: RecordingFactory,
    channel: ChannelServiceStandIn,
    tokens: TokenServiceStandIn,
) -> None:
    seen: list[Any] = []

    async def quiet(context: TurnContext) -> None:
        seen.append(context.services.get(UserTokenClientBase))  # type: ignore[type-abstract]
        seen.append(context.turn_state[adapter.USER_TOKEN_CLIENT_KEY])

    await adapter.process_activity(ClaimsIdentity(), incoming(channel), quiet)
    assert isinstance(seen[0], LazyUserTokenClient) and seen[0] is seen[1]
    assert not seen[0].created
    assert factory.user_token_clients == []

    tokens.add_token("user-1", "graph", "the-user-token")

    async def signs_in(context: TurnContext) -> None:
        client = context.services.get(UserTokenClientBase)  # type: ignore[type-abstract]
        assert client is not None
        first = await client.get_user_token("user-1", "graph", "test")
        second = await client.user_token.get_token("user-1", "graph", "test")
        assert await get_user_token_client(context) is factory.user_token_clients[0]
        await context.send_activity(f"{first.token} {second.token}")

    await adapter.process_activity(ClaimsIdentity(), incoming(channel), signs_in)
    assert len(factory.user_token_clients) == 1
    assert factory.user_token_clients[0].closed == 1
    assert channel.requests[-1].json["text"] == "the-user-token the-user-token"


async def test_clients_are_closed_when_the_turn_fails(
    adapter: ChannelServiceAdapter, factory: RecordingFactory, channel: ChannelServiceStandIn
) -> None:
    async def fails(context: TurnContext) -> None:
        await get_user_token_client(context)
        raise RuntimeError("broken turn")

    with pytest.raises(RuntimeError, match="broken turn"):
        await adapter.process_activity(ClaimsIdentity(), incoming(channel), fails)
    assert factory.connectors[0].closed == 1
    assert factory.user_token_clients[0].closed == 1


async def test_expect_replies_are_collected_and_no_connector_is_made(
    adapter: ChannelServiceAdapter, factory: RecordingFactory, channel: ChannelServiceStandIn
) -> None:
    activity = incoming(channel, delivery_mode="expectReplies")

    async def two_replies(context: TurnContext) -> None:
        await context.send_activity("one")
        await context.send_trace_activity("debug", "dropped outside the emulator")
        await context.send_activity("two")

    result = await adapter.process_activity(ClaimsIdentity(), activity, two_replies)

    assert result is not None and result.status == 200
    replies = result.body["activities"]
    assert [reply["text"] for reply in replies] == ["one", "two"]
    assert replies[0]["id"] is None and replies[0]["replyToId"] == "in-1"
    assert factory.connector_calls == [] and channel.requests == []


async def test_an_invoke_answers_the_invoke_response_or_501(
    adapter: ChannelServiceAdapter, channel: ChannelServiceStandIn
) -> None:
    async def answers(context: TurnContext) -> None:
        value = {"status": 207, "body": {"ok": True}}
        await context.send_activity(Activity(type="invokeResponse", value=value))

    activity = incoming(channel, type="invoke", name="x")
    answered = await adapter.process_activity(ClaimsIdentity(), activity, answers)
    silent = await adapter.process_activity(ClaimsIdentity(), activity, echo)

    assert (answered.status, answered.body) == (207, {"ok": True})  # type: ignore[union-attr]
    assert (silent.status, silent.body) == (501, None)  # type: ignore[union-attr]
    assert [r.json["text"] for r in channel.requests] == ["echo: hi"]


async def test_another_agent_calling_gets_its_caller_id_and_audience(
    adapter: ChannelServiceAdapter, factory: RecordingFactory, channel: ChannelServiceStandIn
) -> None:
    claims = ClaimsIdentity({"ver": "2.0", "aud": "my-app", "azp": "caller-app"})
    activity = incoming(channel)
    seen: list[Any] = []

    async def remember(context: TurnContext) -> None:
        seen.append(context.turn_state[adapter.OAUTH_SCOPE_KEY])
        seen.append(context.turn_state[adapter.AGENT_IDENTITY_KEY])

    await adapter.process_activity(claims, activity, remember)

    assert activity.caller_id == "urn:botframework:aadappid:caller-app"
    assert seen == ["app://caller-app", claims]
    assert factory.connector_calls[0][1:] == ("app://caller-app", ["caller-app/.default"], False)


async def test_send_activities_drops_traces_except_in_the_emulator(
    adapter: ChannelServiceAdapter, channel: ChannelServiceStandIn
) -> None:
    async def traces(context: TurnContext) -> None:
        await context.send_trace_activity("debug", "value")

    await adapter.process_activity(ClaimsIdentity(), incoming(channel), traces)
    assert channel.requests == []
    emulator = incoming(channel, channel_id="emulator")
    await adapter.process_activity(ClaimsIdentity(), emulator, traces)
    assert [r.json["type"] for r in channel.requests] == ["trace"]


async def test_send_activities_needs_activities_and_a_connector(
    adapter: ChannelServiceAdapter, channel: ChannelServiceStandIn
) -> None:
    context = TurnContext(adapter, incoming(channel))
    with pytest.raises(ValueError):
        await adapter.send_activities(context, [])
    with pytest.raises(RuntimeError, match="no connector client"):
        await adapter.send_activities(context, [Activity(type="message", text="x")])


async def test_update_and_delete_go_to_the_channel(
    adapter: ChannelServiceAdapter, channel: ChannelServiceStandIn
) -> None:
    async def edits(context: TurnContext) -> None:
        sent = await context.send_activity("draft")
        update = Activity(type="message", id=sent.id, text="final")
        assert (await context.update_activity(update)).id == sent.id
        await context.delete_activity(sent.id)
        with pytest.raises(TypeError):
            await adapter.update_activity(context, Activity(type="message", text="no id"))

    await adapter.process_activity(ClaimsIdentity(), incoming(channel), edits)

    assert [(r.method, r.path) for r in channel.requests] == [
        ("POST", "/v3/conversations/conv-1/activities/in-1"),
        ("PUT", "/v3/conversations/conv-1/activities/activity-1"),
        ("DELETE", "/v3/conversations/conv-1/activities/activity-1"),
    ]
    assert channel.requests[1].json["text"] == "final"


async def test_continue_conversation_accepts_a_reference(
    adapter: ChannelServiceAdapter, factory: RecordingFactory, channel: ChannelServiceStandIn
) -> None:
    reference = ConversationReference(
        channel_id="test",
        service_url=channel.url,
        conversation=ConversationAccount(id="conv-7"),
        user=ChannelAccount(id="user-1"),
        agent=ChannelAccount(id="agent-1"),
    )
    identities: list[ClaimsIdentity | None] = []
    continuations: list[Activity] = []

    async def notify(context: TurnContext) -> None:
        identities.append(context.identity)
        continuations.append(context.activity)
        await context.send_activity("a notification")

    await adapter.continue_conversation("my-app", reference, notify)

    [request] = channel.requests
    [continuation] = continuations
    assert continuation.name == "ContinueConversation"
    assert request.path == f"/v3/conversations/conv-7/activities/{continuation.id}"
    assert request.json["text"] == "a notification"
    assert identities[0] is not None
    assert identities[0].claims == {"aud": "my-app", "appid": "my-app"}
    assert factory.connectors[0].closed == 1


async def test_continue_conversation_needs_a_conversation_and_service_url(
    adapter: ChannelServiceAdapter,
) -> None:
    activity = Activity(type="event", conversation=ConversationAccount(id="c"))
    with pytest.raises(TypeError):
        await adapter.continue_conversation("my-app", activity, echo)


async def test_create_conversation_runs_the_callback_in_the_new_conversation(
    adapter: ChannelServiceAdapter, channel: ChannelServiceStandIn
) -> None:
    parameters = ConversationParameters(
        is_group=False,
        agent=ChannelAccount(id="agent-1"),
        members=[ChannelAccount(id="user-1")],
        tenant_id="tenant-1",
        channel_data={"team": "x"},
    )
    events: list[Activity] = []

    async def greet(context: TurnContext) -> None:
        events.append(context.activity)
        await context.send_activity("hello, new conversation")

    await adapter.create_conversation(
        "my-app", "test", channel.url, "https://api.botframework.com", parameters, greet
    )

    [event] = events
    assert (event.type, event.name) == ("event", "CreateConversation")
    assert event.conversation is not None and event.conversation.tenant_id == "tenant-1"
    assert event.channel_data == {"team": "x"}
    assert event.recipient is not None and event.recipient.id == "agent-1"
    assert [(r.method, r.path) for r in channel.requests] == [
        ("POST", "/v3/conversations"),
        ("POST", f"/v3/conversations/{event.conversation.id}/activities/{event.id}"),
    ]


def test_the_adapter_needs_a_factory() -> None:
    with pytest.raises(TypeError):
        ChannelServiceAdapter(None)  # type: ignore[arg-type]


async def test_services_hold_the_connector_under_its_protocol(
    adapter: ChannelServiceAdapter, factory: RecordingFactory, channel: ChannelServiceStandIn
) -> None:
    found: list[Any] = []

    async def look(context: TurnContext) -> None:
        found.append(context.services.get(ConnectorClientBase))  # type: ignore[type-abstract]
        found.append(context.turn_state["ConnectorClient"])

    await adapter.process_activity(ClaimsIdentity(), incoming(channel), look)
    assert found == [factory.connectors[0], factory.connectors[0]]
