"""Conversation ids for calls to other agents, and the conversations they stand for.

When an agent hands an activity to another agent, the other agent must not see (nor be able
to address) the user's conversation directly. The calling agent makes up a new conversation
id, remembers which user conversation it stands for (an :class:`AgentConversationReference`
in a ``Storage``) and gives the other agent only the new id. Answers that come back under that
id are forwarded into the user's conversation.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from microsoft_agents.activity import Activity, ConversationReference
from microsoft_agents.activity._model import AgentsModel

from ..storage import Storage, StoreItem
from ..storage._type_aliases import JSON

if TYPE_CHECKING:
    from ._channel_host import ChannelInfoProtocol

__all__ = [
    "AgentConversationReference",
    "ConversationConstants",
    "ConversationIdFactory",
    "ConversationIdFactoryOptions",
    "ConversationIdFactoryProtocol",
]


class ConversationConstants:
    """Names shared by the agents of an agent-to-agent call."""

    CONVERSATION_ID_HTTP_HEADER_NAME = "x-ms-conversation-id"
    """The request header carrying the conversation id of an activity posted to an agent."""


class AgentConversationReference(AgentsModel, StoreItem):
    """The user conversation an agent conversation id stands for.

    ``conversation_reference`` addresses the user's conversation; ``oauth_scope`` is the
    audience of tokens for answering there (the scope of the turn that called the other
    agent). ``agent_app_id`` (optional, an addition of this project) is the app id of the
    agent that was called: when known, only that agent may answer in the conversation.
    """

    conversation_reference: ConversationReference
    oauth_scope: str
    agent_app_id: str | None = None

    def store_item_to_json(self) -> JSON:
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    @staticmethod
    def from_json_to_store_item(json_data: JSON) -> AgentConversationReference:
        return AgentConversationReference.model_validate(json_data)


class ConversationIdFactoryOptions:
    """What :meth:`ConversationIdFactory.create_conversation_id` needs.

    ``from_oauth_scope``: the token audience of the current turn (the adapter keeps it in
    ``context.turn_state[ChannelAdapter.OAUTH_SCOPE_KEY]``); ``from_agent_id``: the calling
    agent's app id; ``activity``: the activity of the user's conversation; ``agent``: the
    agent that will be called (a ``ChannelInfo``).
    """

    def __init__(
        self,
        from_oauth_scope: str,
        from_agent_id: str,
        activity: Activity,
        agent: ChannelInfoProtocol | None = None,
    ) -> None:
        self.from_oauth_scope = from_oauth_scope
        self.from_agent_id = from_agent_id
        self.activity = activity
        self.agent = agent

    def __repr__(self) -> str:
        agent_id = getattr(self.agent, "id", None)
        return (
            f"ConversationIdFactoryOptions(from_agent_id={self.from_agent_id!r}, "
            f"from_oauth_scope={self.from_oauth_scope!r}, agent={agent_id!r})"
        )


@runtime_checkable
class ConversationIdFactoryProtocol(Protocol):
    """Makes agent conversation ids and resolves them back to user conversations."""

    async def create_conversation_id(self, options: ConversationIdFactoryOptions) -> str:
        """A new id standing for the conversation of ``options.activity``."""
        ...

    async def get_agent_conversation_reference(
        self, agent_conversation_id: str
    ) -> AgentConversationReference | None:
        """What ``agent_conversation_id`` stands for; ``None`` when unknown (or deleted)."""
        ...

    async def delete_conversation_reference(self, agent_conversation_id: str) -> None:
        """Forget ``agent_conversation_id``; unknown ids are ignored."""
        ...


def _check_id(agent_conversation_id: Any) -> str:
    if not isinstance(agent_conversation_id, str) or not agent_conversation_id:
        raise ValueError("an agent conversation id must be a non-empty string")
    return agent_conversation_id


class ConversationIdFactory(ConversationIdFactoryProtocol):
    """Conversation ids kept in a ``Storage``: a random UUID per call of another agent.

    ``ConversationIdFactory(storage)``: each id is the storage key of its
    :class:`AgentConversationReference`. Use a storage every instance of the agent shares
    (the answers may reach another instance than the one that made the call).
    """

    def __init__(self, storage: Storage) -> None:
        if storage is None:
            raise ValueError("ConversationIdFactory needs a Storage to keep the references")
        self._storage = storage

    @property
    def storage(self) -> Storage:
        return self._storage

    async def create_conversation_id(self, options: ConversationIdFactoryOptions) -> str:
        """Store the reference of ``options.activity``'s conversation under a new UUID."""
        if options is None or options.activity is None:
            raise ValueError("create_conversation_id needs options with an activity")
        if options.activity.conversation is None:
            raise ValueError("create_conversation_id needs an activity with a conversation")
        data: dict[str, Any] = {
            "conversation_reference": options.activity.get_conversation_reference(),
            "oauth_scope": options.from_oauth_scope or "",
        }
        agent_app_id = getattr(options.agent, "app_id", None)
        if agent_app_id:
            data["agent_app_id"] = agent_app_id
        reference = AgentConversationReference(**data)
        reference.e_tag = StoreItem.CREATE_ONLY  # a fresh UUID: never overwrite anything
        conversation_id = str(uuid.uuid4())
        await self._storage.write({conversation_id: reference})
        return conversation_id

    async def get_agent_conversation_reference(
        self, agent_conversation_id: str
    ) -> AgentConversationReference | None:
        key = _check_id(agent_conversation_id)
        items = await self._storage.read([key], target_cls=AgentConversationReference)
        return items.get(key)

    async def delete_conversation_reference(self, agent_conversation_id: str) -> None:
        await self._storage.delete([_check_id(agent_conversation_id)])
