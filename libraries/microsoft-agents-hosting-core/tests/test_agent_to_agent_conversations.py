"""``ConversationIdFactory``: agent conversation ids and the user conversations they stand for."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import ChannelAdapter
from microsoft_agents.hosting.core.client import (
    AgentConversationReference,
    ChannelInfo,
    ConversationConstants,
    ConversationIdFactory,
    ConversationIdFactoryOptions,
    ConversationIdFactoryProtocol,
)
from microsoft_agents.hosting.core.storage import MemoryStorage, StoreItem


def user_message(**changes: Any) -> Activity:
    data: dict[str, Any] = {
        "type": "message",
        "id": "user-activity-1",
        "channelId": "msteams",
        "serviceUrl": "https://smba.example.com/teams/",
        "conversation": {"id": "user-conversation"},
        "from": {"id": "user-1"},
        "recipient": {"id": "caller-bot"},
        "text": "hi",
    }
    data.update(changes)
    return Activity.model_validate(data)


def options(activity: Activity | None = None, **changes: Any) -> ConversationIdFactoryOptions:
    values: dict[str, Any] = {
        "from_oauth_scope": "https://api.botframework.com",
        "from_agent_id": "caller-app-id",
        "activity": activity or user_message(),
        "agent": ChannelInfo(id="flights", app_id="callee-app-id"),
    }
    values.update(changes)
    return ConversationIdFactoryOptions(**values)


def test_the_header_name_is_the_published_one() -> None:
    assert ConversationConstants.CONVERSATION_ID_HTTP_HEADER_NAME == "x-ms-conversation-id"


async def test_each_call_gets_a_new_uuid_standing_for_the_user_conversation() -> None:
    factory = ConversationIdFactory(MemoryStorage())

    first = await factory.create_conversation_id(options())
    second = await factory.create_conversation_id(options())

    assert first != second
    assert str(uuid.UUID(first)) == first
    reference = await factory.get_agent_conversation_reference(first)
    assert isinstance(reference, AgentConversationReference)
    assert reference.oauth_scope == "https://api.botframework.com"
    assert reference.agent_app_id == "callee-app-id"
    conversation = reference.conversation_reference
    assert conversation.conversation.id == "user-conversation"
    assert (conversation.activity_id, conversation.service_url) == (
        "user-activity-1",
        "https://smba.example.com/teams/",
    )
    assert conversation.user is not None and conversation.user.id == "user-1"
    assert conversation.agent is not None and conversation.agent.id == "caller-bot"


async def test_the_stored_document_uses_wire_names() -> None:
    storage = MemoryStorage()
    factory = ConversationIdFactory(storage)
    conversation_id = await factory.create_conversation_id(options(agent=None))

    class Raw(StoreItem):
        def __init__(self, data: dict[str, Any]) -> None:
            self.data = data

        def store_item_to_json(self) -> dict[str, Any]:
            return self.data

        @staticmethod
        def from_json_to_store_item(json_data: Any) -> Raw:
            return Raw(dict(json_data))

    stored = (await storage.read([conversation_id], target_cls=Raw))[conversation_id].data
    assert set(stored) == {"conversationReference", "oauthScope"}
    assert stored["conversationReference"]["conversation"] == {"id": "user-conversation"}
    assert stored["conversationReference"]["bot"] == {"id": "caller-bot"}


async def test_deleted_and_unknown_ids_resolve_to_none() -> None:
    factory = ConversationIdFactory(MemoryStorage())
    conversation_id = await factory.create_conversation_id(options())

    await factory.delete_conversation_reference(conversation_id)
    await factory.delete_conversation_reference("never-issued")  # ignored

    assert await factory.get_agent_conversation_reference(conversation_id) is None
    assert await factory.get_agent_conversation_reference("never-issued") is None


async def test_the_scope_of_an_agent_caller_is_kept() -> None:
    factory = ConversationIdFactory(MemoryStorage())
    conversation_id = await factory.create_conversation_id(
        options(from_oauth_scope="app://root-agent")
    )
    reference = await factory.get_agent_conversation_reference(conversation_id)
    assert reference is not None and reference.oauth_scope == "app://root-agent"


async def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        ConversationIdFactory(None)  # type: ignore[arg-type]
    factory = ConversationIdFactory(MemoryStorage())
    with pytest.raises(ValueError):
        await factory.get_agent_conversation_reference("")
    with pytest.raises(ValueError):
        await factory.delete_conversation_reference(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="activity"):
        await factory.create_conversation_id(None)  # type: ignore[arg-type]
    without_conversation = Activity(type="message", text="hi")
    with pytest.raises(ValueError, match="conversation"):
        await factory.create_conversation_id(options(without_conversation))


def test_the_factory_meets_its_protocol_and_options_name_the_turn_scope() -> None:
    assert isinstance(ConversationIdFactory(MemoryStorage()), ConversationIdFactoryProtocol)
    made = options()
    assert made.from_agent_id == "caller-app-id"
    assert "flights" in repr(made)
    # the scope callers pass comes from the turn, under the adapter's published key
    assert ChannelAdapter.OAUTH_SCOPE_KEY == "Microsoft.Agents.Builder.ChannelAdapter.OAuthScope"
