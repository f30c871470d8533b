"""Accounts, conversations and the small response envelopes of the Connector API."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, Field

from ._channel_id import ChannelId, FullChannelId
from ._model import AgentsModel, NonEmptyString

if TYPE_CHECKING:
    from ._activity import Activity

__all__ = [
    "ChannelAccount",
    "ConversationAccount",
    "ConversationMembers",
    "ConversationParameters",
    "ConversationReference",
    "ConversationResourceResponse",
    "ConversationsResult",
    "ExpectedReplies",
    "InvokeResponse",
    "PagedMembersResult",
    "ResourceResponse",
    "Transcript",
]


class ChannelAccount(AgentsModel):
    """A user or agent on a channel. Unknown keys are kept (see :attr:`properties`)."""

    model_config = ConfigDict(extra="allow")

    id: NonEmptyString | None = None
    name: str | None = None
    aad_object_id: NonEmptyString | None = None
    role: NonEmptyString | None = None
    agentic_user_id: NonEmptyString | None = None
    agentic_app_id: NonEmptyString | None = None
    tenant_id: NonEmptyString | None = None

    @property
    def properties(self) -> dict[str, Any]:
        """The keys of this account that are not declared fields."""
        extra = self.model_extra
        return extra if extra is not None else {}


class ConversationAccount(AgentsModel):
    """The conversation an activity belongs to."""

    is_group: bool | None = None
    conversation_type: NonEmptyString | None = None
    id: NonEmptyString
    name: NonEmptyString | None = None
    aad_object_id: NonEmptyString | None = None
    role: NonEmptyString | None = None
    tenant_id: NonEmptyString | None = None
    properties: Any = None


class ConversationReference(AgentsModel):
    """Everything needed to address a conversation again later (proactive messages)."""

    activity_id: NonEmptyString | None = None
    user: ChannelAccount | None = None
    agent: ChannelAccount | None = Field(default=None, alias="bot")
    conversation: ConversationAccount
    channel_id: FullChannelId | None = None
    locale: NonEmptyString | None = None
    service_url: NonEmptyString | None = None
    request_id: str | None = Field(default=None, exclude=True)

    def get_continuation_activity(self) -> Activity:
        """An ``event`` activity named ``ContinueConversation`` addressed by this reference."""
        from ._activity import Activity
        from ._enums import ActivityEventNames, ActivityTypes

        data: dict[str, Any] = {
            "type": ActivityTypes.event,
            "name": ActivityEventNames.continue_conversation,
            "id": str(uuid.uuid4()),
            "conversation": self.conversation,
            "relates_to": self,
        }
        if self.channel_id is not None:
            data["channel_id"] = ChannelId(self.channel_id)
        if self.service_url is not None:
            data["service_url"] = self.service_url
        if self.agent is not None:
            data["recipient"] = self.agent
        if self.user is not None:
            data["from_property"] = self.user
        return Activity(**data)


class ConversationParameters(AgentsModel):
    """Parameters for creating a new conversation."""

    is_group: bool | None = None
    agent: ChannelAccount | None = Field(default=None, alias="bot")
    members: list[ChannelAccount] | None = None
    topic_name: NonEmptyString | None = None
    activity: Activity | None = None
    channel_data: Any = None
    tenant_id: NonEmptyString | None = None
    conversation: ConversationAccount | None = None


class ConversationResourceResponse(AgentsModel):
    activity_id: NonEmptyString | None = None
    service_url: NonEmptyString | None = None
    id: NonEmptyString | None = None


class ConversationMembers(AgentsModel):
    id: NonEmptyString | None = None
    members: list[ChannelAccount] | None = None


class ConversationsResult(AgentsModel):
    continuation_token: NonEmptyString | None = None
    conversations: list[ConversationMembers] | None = None


class PagedMembersResult(AgentsModel):
    continuation_token: NonEmptyString | None = None
    members: list[ChannelAccount] | None = None


class ResourceResponse(AgentsModel):
    """The id the channel gave to an activity that was sent."""

    id: str | None = None


class ExpectedReplies(AgentsModel):
    """The body of a ``200`` answer to an ``expectReplies`` request."""

    activities: list[Activity] | None = None


class Transcript(AgentsModel):
    activities: list[Activity] | None = None


class InvokeResponse(AgentsModel):
    """Status and body returned to the channel for an ``invoke`` activity."""

    status: int | None = None
    body: Any = None

    def is_successful_status_code(self) -> bool:
        return self.status is not None and 200 <= self.status <= 299
