"""app.proactive: stored conversations and proactive turns through the TestAdapter."""

from __future__ import annotations

from typing import Any

import pytest

from microsoft_agents.activity import (
    ActivityEventNames,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    ResourceResponse,
    TokenResponse,
)
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.app import (
    AgentApplication,
    AuthHandler,
    Conversation,
    ConversationBuilder,
    ConversationReferenceBuilder,
    CreateConversationOptions,
    Proactive,
    ProactiveOptions,
)
from microsoft_agents.hosting.core.app.state import TurnState
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.storage import MemoryStorage
from microsoft_agents.hosting.core.testing import TestAdapter

App = AgentApplication[TurnState]
KEY = "proactive/conversations/test-conversation"


class Connections:
    """Stands in for a connection manager: configuration only stores it."""


def make(**options: Any) -> tuple[App, TestAdapter, dict[str, Any]]:
    documents: dict[str, Any] = {}
    app = App(storage=MemoryStorage(documents), proactive=ProactiveOptions(**options))
    adapter = TestAdapter(app)

    @app.message("/subscribe")
    async def subscribe(context: TurnContext, state: TurnState) -> None:
        state.conversation.set_value("topic", "news")
        await app.proactive.store_conversation(context)

    return app, adapter, documents


async def test_store_conversation_keeps_the_reference_and_selected_claims() -> None:
    app, adapter, documents = make()
    assert isinstance(app.proactive, Proactive)
    await adapter.process_activity("/subscribe")
    stored = documents[KEY]
    assert set(stored) == {"claims", "conversation_reference", "_span_context"}
    assert stored["claims"] == {"aud": "agent1", "iss": "https://api.botframework.com"}
    reference = stored["conversation_reference"]
    assert reference["conversation"] == {"id": "test-conversation"}
    assert reference["serviceUrl"] == "https://test.channel.local/"
    assert reference["user"]["id"] == "user1" and reference["bot"]["id"] == "agent1"

    conversation = await app.proactive.get_conversation("test-conversation")
    assert isinstance(conversation, Conversation)
    assert conversation.claims == stored["claims"]
    assert conversation.conversation_reference.conversation.id == "test-conversation"
    assert await app.proactive.get_conversation("unknown") is None
    await app.proactive.delete_conversation("test-conversation")
    assert await app.proactive.get_conversation("test-conversation") is None
    await app.proactive.delete_conversation("test-conversation")  # missing: no error


async def test_continue_conversation_runs_with_state_and_saves_it() -> None:
    app, adapter, documents = make()
    await adapter.process_activity("/subscribe")
    seen: list[Any] = []

    async def notify(context: TurnContext, state: TurnState) -> None:
        seen.append((context.activity.type, context.activity.name, context.identity))
        seen.append(state.conversation.get_value("topic"))
        state.conversation.set_value("notified", True)
        await context.send_activity("breaking news")

    await app.proactive.continue_conversation(adapter, "test-conversation", notify)
    activity_type, name, identity = seen[0]
    assert (activity_type, name) == (ActivityTypes.event, ActivityEventNames.continue_conversation)
    assert isinstance(identity, ClaimsIdentity) and identity.claims["aud"] == "agent1"
    assert seen[1] == "news"
    assert documents["test/conversations/test-conversation"]["notified"] is True
    assert adapter.sent_activities[-1].text == "breaking news"
    assert adapter.sent_activities[-1].conversation == ConversationAccount(id="test-conversation")


async def test_continue_conversation_with_a_custom_activity_and_a_conversation_object() -> None:
    app, adapter, _ = make()
    await adapter.process_activity("/subscribe")
    conversation = await app.proactive.get_conversation("test-conversation")
    assert conversation is not None
    custom = conversation.conversation_reference.get_continuation_activity()
    custom.value = {"payload": 1}
    values: list[Any] = []

    async def handler(context: TurnContext, state: TurnState) -> None:
        values.append(context.activity.value)

    await app.proactive.continue_conversation(
        adapter, conversation, handler, continuation_activity=custom
    )
    assert values == [{"payload": 1}]


async def test_send_activity_into_a_stored_conversation() -> None:
    app, adapter, _ = make()
    await adapter.process_activity("/subscribe")
    response = await app.proactive.send_activity(adapter, "test-conversation", "ping")
    assert isinstance(response, ResourceResponse) and response.id
    assert adapter.sent_activities[-1].text == "ping"
    assert adapter.sent_activities[-1].id == response.id


async def test_unknown_conversation_ids_raise_key_error() -> None:
    app, adapter, _ = make()

    async def handler(context: TurnContext, state: TurnState) -> None:
        raise AssertionError("must not run")

    with pytest.raises(KeyError):
        await app.proactive.continue_conversation(adapter, "nope", handler)
    with pytest.raises(KeyError):
        await app.proactive.send_activity(adapter, "nope", "x")


async def test_handler_errors_are_raised_to_the_caller_and_state_is_not_saved() -> None:
    app, adapter, documents = make()
    await adapter.process_activity("/subscribe")

    async def handler(context: TurnContext, state: TurnState) -> None:
        state.conversation.set_value("topic", "changed")
        raise RuntimeError("proactive failure")

    with pytest.raises(RuntimeError, match="proactive failure"):
        await app.proactive.continue_conversation(adapter, "test-conversation", handler)
    assert documents["test/conversations/test-conversation"]["topic"] == "news"


async def test_token_handlers_without_sign_in() -> None:
    ran: list[str] = []

    async def handler(context: TurnContext, state: TurnState) -> None:
        ran.append("ran")

    for fail in (True, False):
        storage = MemoryStorage()
        app = App(
            storage=storage,
            connection_manager=Connections(),
            authorization_handlers={"GRAPH": AuthHandler(name="GRAPH")},
            proactive=ProactiveOptions(fail_on_unsigned_in_connections=fail),
        )
        adapter = TestAdapter(app)
        conversation = Conversation({"aud": "agent1"}, adapter.conversation_reference)
        if fail:
            with pytest.raises(RuntimeError, match="GRAPH"):
                await app.proactive.continue_conversation(
                    adapter, conversation, handler, token_handlers=["GRAPH"]
                )
        else:
            await app.proactive.continue_conversation(
                adapter, conversation, handler, token_handlers=["GRAPH"]
            )
    assert ran == []


async def test_token_handlers_with_a_token_run_the_handler() -> None:
    app = App(
        storage=MemoryStorage(),
        connection_manager=Connections(),
        authorization_handlers={"GRAPH": AuthHandler(name="GRAPH")},
        proactive=ProactiveOptions(),
    )
    adapter = TestAdapter(app)
    tokens: list[Any] = []

    async def handler(context: TurnContext, state: TurnState) -> None:
        tokens.append(await app.auth.get_token(context, "GRAPH"))

    original = adapter.continue_conversation_with_claims

    async def seeded(identity: Any, activity: Any, callback: Any, audience: Any = None) -> Any:
        async def with_token(context: TurnContext) -> None:
            app.auth._cache_token(context, "GRAPH", TokenResponse(token="tok"))
            await callback(context)

        return await original(identity, activity, with_token, audience)

    adapter.continue_conversation_with_claims = seeded  # type: ignore[method-assign,assignment]
    conversation = Conversation({"aud": "agent1"}, adapter.conversation_reference)
    await app.proactive.continue_conversation(
        adapter, conversation, handler, token_handlers=["GRAPH"]
    )
    assert [t.token for t in tokens] == ["tok"]


async def test_proactive_options_storage_keeps_the_conversations() -> None:
    own: dict[str, Any] = {}
    app_documents: dict[str, Any] = {}
    app = App(
        storage=MemoryStorage(app_documents),
        proactive=ProactiveOptions(storage=MemoryStorage(own)),
    )
    adapter = TestAdapter(app)

    @app.activity("message")
    async def store(context: TurnContext, state: TurnState) -> None:
        await app.proactive.store_conversation(context)

    await adapter.process_activity("x")
    assert KEY in own and KEY not in app_documents


async def test_direct_continue_conversation_runs_the_app() -> None:
    app = App(storage=MemoryStorage())
    adapter = TestAdapter(app)
    names: list[Any] = []

    @app.event(ActivityEventNames.continue_conversation)
    async def on_continue(context: TurnContext, state: TurnState) -> None:
        names.append(context.activity.name)
        await context.send_activity("resumed")

    reference = adapter.conversation_reference
    await adapter.continue_conversation(
        "agent1", reference.get_continuation_activity(), app.on_turn
    )
    assert names == [ActivityEventNames.continue_conversation]
    assert adapter.sent_activities[-1].text == "resumed"


async def test_create_conversation_runs_the_handler_and_stores_it() -> None:
    app, adapter, documents = make()
    identity = ClaimsIdentity({"aud": "agent1", "appid": "agent1", "serviceurl": "x"})
    ran: list[str] = []

    async def first_turn(context: TurnContext, state: TurnState) -> None:
        conversation = context.activity.conversation
        ran.append(conversation.id if conversation else "")
        state.conversation.set_value("created", True)
        await context.send_activity("hello there")

    options = CreateConversationOptions(
        identity=identity,
        channel_id="msteams",
        service_url="https://smba.example/",
        parameters=ConversationParameters(
            conversation=ConversationAccount(id="new-conv"),
            members=[ChannelAccount(id="user-2")],
        ),
        store_conversation=True,
    )
    conversation = await app.proactive.create_conversation(adapter, options, first_turn)
    assert conversation.conversation_id == "new-conv"
    assert conversation.claims == {"aud": "agent1", "appid": "agent1"}
    assert ran == ["new-conv"]
    assert documents["proactive/conversations/new-conv"]["claims"] == conversation.claims
    assert documents["msteams/conversations/new-conv"] == {"created": True}
    assert conversation.conversation_reference.user == ChannelAccount(id="user-2")
    assert adapter.sent_activities[-1].text == "hello there"


def test_create_conversation_options_validate() -> None:
    identity = ClaimsIdentity({"aud": "a"})
    complete = CreateConversationOptions(
        identity, "msteams", ConversationParameters(), "https://s/"
    )
    complete.validate()
    for missing in ("channel_id", "parameters", "service_url"):
        options = CreateConversationOptions(
            identity, "msteams", ConversationParameters(), "https://s/"
        )
        setattr(options, missing, None)
        with pytest.raises(ValueError, match=missing):
            options.validate()


def test_conversation_json_round_trip_and_validation() -> None:
    reference = ConversationReference(
        conversation=ConversationAccount(id="c"), service_url="https://s/", channel_id="msteams"
    )
    identity = ClaimsIdentity({"aud": "a", "tid": "t", "name": "secret person", "exp": 1})
    conversation = Conversation(identity, reference)
    assert conversation.claims == {"aud": "a", "tid": "t"}
    copy = Conversation.from_json_to_store_item(conversation.store_item_to_json())
    assert copy.claims == conversation.claims
    assert copy.conversation_reference == reference
    assert Conversation.identity_from_claims({}).claims == {}
    assert Conversation.identity_from_claims({"aud": "a"}).get_app_id() == "a"
    conversation.validate()
    no_url = Conversation({}, ConversationReference(conversation=ConversationAccount(id="c")))
    with pytest.raises(ValueError):
        no_url.validate()


def test_conversation_reference_builder_defaults() -> None:
    teams = (
        ConversationReferenceBuilder.create_for_agent("app-id", "msteams")
        .with_conversation("19:abc", tenant_id="t1")
        .with_user("u1", "User")
        .build()
    )
    assert teams.service_url == "https://smba.trafficmanager.net/teams/"
    assert teams.agent is not None and teams.agent.id == "28:app-id"
    assert teams.conversation.tenant_id == "t1"
    assert teams.user is not None and teams.user.id == "u1"
    webchat = ConversationReferenceBuilder.create("webchat", "c1").with_agent("28:x").build()
    assert webchat.service_url == "https://webchat.botframework.com/"
    assert webchat.agent is not None and webchat.agent.id == "28:x"
    with pytest.raises(ValueError):
        ConversationReferenceBuilder.create_for_agent("app", "msteams").build()


def test_conversation_builder() -> None:
    conversation = (
        ConversationBuilder.create("app-id", "msteams", requestor_id="caller")
        .with_conversation("19:abc")
        .with_user("u1")
        .with_activity_id("act-1")
        .build()
    )
    assert conversation.claims == {"aud": "app-id", "appid": "caller"}
    assert conversation.conversation_reference.activity_id == "act-1"
    from_identity = (
        ConversationBuilder.create_from_identity(
            ClaimsIdentity({"aud": "app-id", "serviceurl": "x"}), "webchat", "https://w/"
        )
        .with_conversation("c")
        .build()
    )
    assert from_identity.claims == {"aud": "app-id"}
    assert from_identity.conversation_reference.service_url == "https://w/"
