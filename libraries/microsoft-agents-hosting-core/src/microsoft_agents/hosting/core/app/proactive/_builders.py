"""Fluent builders for conversation references and stored conversations.

They help start proactive conversations the agent has never seen a turn of, for example
from a user id known from elsewhere.
"""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import (
    ChannelAccount,
    ChannelId,
    ConversationAccount,
    ConversationReference,
    RoleTypes,
)

from ...authorization import ClaimsIdentity
from ._conversation import Conversation

__all__ = ["ConversationBuilder", "ConversationReferenceBuilder"]

_TEAMS = "msteams"
_TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/teams/"
_TEAMS_AGENT_PREFIX = "28:"


def default_service_url(channel_id: str) -> str:
    """The public service URL of a channel."""
    channel = ChannelId(channel_id).channel
    if channel == _TEAMS:
        return _TEAMS_SERVICE_URL
    return f"https://{channel}.botframework.com/"


def _agent_id(channel_id: str, agent_id: str) -> str:
    if ChannelId(channel_id).channel == _TEAMS and not agent_id.startswith(_TEAMS_AGENT_PREFIX):
        return f"{_TEAMS_AGENT_PREFIX}{agent_id}"
    return agent_id


class ConversationReferenceBuilder:
    """Builds a ``ConversationReference`` step by step.

    The service URL defaults to the channel's public one (Teams:
    ``https://smba.trafficmanager.net/teams/``, others ``https://{channel}.botframework.com/``)
    and Teams agent ids get their ``28:`` prefix.
    """

    def __init__(self) -> None:
        self._channel_id = ""
        self._conversation: dict[str, Any] = {}
        self._agent: ChannelAccount | None = None
        self._user: ChannelAccount | None = None
        self._service_url: str | None = None
        self._activity_id: str | None = None
        self._locale: str | None = None

    @classmethod
    def create(cls, channel_id: str, conversation_id: str) -> ConversationReferenceBuilder:
        """Start a reference to ``conversation_id`` in ``channel_id``."""
        builder = cls()
        builder._channel_id = channel_id
        builder._conversation = {"id": conversation_id}
        return builder

    @classmethod
    def create_for_agent(
        cls, agent_client_id: str, channel_id: str, service_url: str | None = None
    ) -> ConversationReferenceBuilder:
        """Start a reference in which the agent ``agent_client_id`` speaks in ``channel_id``."""
        builder = cls()
        builder._channel_id = channel_id
        builder._service_url = service_url
        return builder.with_agent(agent_client_id)

    def with_agent(
        self, agent_id: str, agent_name: str | None = None
    ) -> ConversationReferenceBuilder:
        self._agent = ChannelAccount(
            id=_agent_id(self._channel_id, agent_id), name=agent_name, role=RoleTypes.agent
        )
        return self

    def with_user(self, user_id: str, user_name: str | None = None) -> ConversationReferenceBuilder:
        self._user = ChannelAccount(id=user_id, name=user_name, role=RoleTypes.user)
        return self

    def with_conversation(
        self,
        conversation_id: str,
        conversation_name: str | None = None,
        tenant_id: str | None = None,
    ) -> ConversationReferenceBuilder:
        values = {"id": conversation_id, "name": conversation_name, "tenant_id": tenant_id}
        self._conversation = {key: value for key, value in values.items() if value is not None}
        return self

    def with_service_url(self, service_url: str) -> ConversationReferenceBuilder:
        self._service_url = service_url
        return self

    def with_activity_id(self, activity_id: str) -> ConversationReferenceBuilder:
        self._activity_id = activity_id
        return self

    def with_locale(self, locale: str) -> ConversationReferenceBuilder:
        self._locale = locale
        return self

    def build(self) -> ConversationReference:
        """The reference. :raises ValueError: without a channel or a conversation id."""
        if not self._channel_id:
            raise ValueError("a channel id is required")
        if not self._conversation.get("id"):
            raise ValueError("a conversation id is required (with_conversation)")
        values: dict[str, Any] = {
            "channel_id": self._channel_id,
            "conversation": ConversationAccount(**self._conversation),
            "service_url": self._service_url or default_service_url(self._channel_id),
            "agent": self._agent,
            "user": self._user,
            "activity_id": self._activity_id,
            "locale": self._locale,
        }
        return ConversationReference(**{k: v for k, v in values.items() if v is not None})


class ConversationBuilder:
    """Builds a :class:`Conversation` (claims plus reference) for proactive messaging."""

    def __init__(self) -> None:
        self._claims: dict[str, Any] = {}
        self._reference = ConversationReferenceBuilder()

    @classmethod
    def create(
        cls,
        agent_client_id: str,
        channel_id: str,
        service_url: str | None = None,
        requestor_id: str | None = None,
    ) -> ConversationBuilder:
        """Start a conversation of agent ``agent_client_id`` in ``channel_id``.

        ``requestor_id`` is the app id of whoever asks the agent to act (``appid`` claim).
        """
        builder = cls()
        builder._claims = {"aud": agent_client_id}
        if requestor_id:
            builder._claims["appid"] = requestor_id
        builder._reference = ConversationReferenceBuilder.create_for_agent(
            agent_client_id, channel_id, service_url
        )
        return builder

    @classmethod
    def create_from_identity(
        cls, identity: ClaimsIdentity, channel_id: str, service_url: str | None = None
    ) -> ConversationBuilder:
        """Start a conversation acting with the claims of ``identity``."""
        builder = cls()
        builder._claims = Conversation.claims_from_identity(identity)
        builder._reference = ConversationReferenceBuilder.create_for_agent(
            identity.get_app_id() or "", channel_id, service_url
        )
        return builder

    def with_user(self, user_id: str, user_name: str | None = None) -> ConversationBuilder:
        self._reference.with_user(user_id, user_name)
        return self

    def with_conversation(
        self,
        conversation_id: str,
        conversation_name: str | None = None,
        tenant_id: str | None = None,
    ) -> ConversationBuilder:
        self._reference.with_conversation(conversation_id, conversation_name, tenant_id)
        return self

    def with_activity_id(self, activity_id: str) -> ConversationBuilder:
        self._reference.with_activity_id(activity_id)
        return self

    def build(self) -> Conversation:
        """The conversation. :raises ValueError: without a conversation id."""
        return Conversation(dict(self._claims), self._reference.build())
