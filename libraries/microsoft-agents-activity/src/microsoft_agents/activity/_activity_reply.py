"""Replies and conversation references: how an activity is answered and addressed again."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from typing_extensions import Self

from ._accounts import ChannelAccount, ConversationAccount, ConversationReference, ResourceResponse
from ._activity_mentions import ActivityMentionsMixin
from ._channel_id import ChannelId
from ._channels import Channels
from ._enums import ActivityTypes

if TYPE_CHECKING:
    from ._activity import Activity

__all__ = ["ActivityReplyMixin"]

_NO_REPLY_TO_CHANNELS = frozenset({Channels.direct_line.value, Channels.webchat.value})


def _id_and_name(account: ChannelAccount | None) -> ChannelAccount | None:
    if account is None:
        return None
    data = {"id": account.id, "name": account.name}
    return ChannelAccount(**{k: v for k, v in data.items() if v is not None})


def _conversation_core(conversation: ConversationAccount | None) -> ConversationAccount | None:
    if conversation is None:
        return None
    data = {"is_group": conversation.is_group, "id": conversation.id, "name": conversation.name}
    return ConversationAccount(**{k: v for k, v in data.items() if v is not None})


class ActivityReplyMixin(ActivityMentionsMixin):
    """``create_reply`` and the conversation-reference helpers of :class:`Activity`."""

    def _replies_without_reply_to(self) -> bool:
        """Direct Line and Web Chat do not accept a replyToId on a conversationUpdate."""
        return (
            self.type == ActivityTypes.conversation_update
            and self.channel_id is not None
            and self.channel_id.channel in _NO_REPLY_TO_CHANNELS
        )

    def _reply_fields(self, activity_type: str, locale: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": activity_type,
            "timestamp": datetime.now(timezone.utc),
            "from_property": _id_and_name(self.recipient),
            "recipient": _id_and_name(self.from_property),
            "reply_to_id": None if self._replies_without_reply_to() else self.id,
            "service_url": self.service_url,
            "channel_id": self.channel_id,
            "conversation": _conversation_core(self.conversation),
            "locale": locale or self.locale,
        }
        return {key: value for key, value in data.items() if value is not None}

    def create_reply(self, text: str | None = None, locale: str | None = None) -> Activity:
        """A new message addressed back to the sender of this activity, in its conversation."""
        from ._activity import Activity

        data = self._reply_fields(ActivityTypes.message, locale)
        data.update(text=text or "", attachments=[], entities=[])
        return Activity(**data)

    def create_trace(
        self,
        name: str,
        value: Any = None,
        value_type: str | None = None,
        label: str | None = None,
    ) -> Activity:
        """A ``trace`` activity addressed like a reply to this activity."""
        from ._activity import Activity

        if value_type is None and value:
            value_type = type(value).__name__
        data = self._reply_fields(ActivityTypes.trace, None)
        data["name"] = name
        extra = {"label": label, "value_type": value_type, "value": value}
        data.update({key: v for key, v in extra.items() if v is not None})
        return Activity(**data)

    def get_conversation_reference(
        self, force_base_channel: bool | None = None
    ) -> ConversationReference:
        """A reference that lets the agent reach this conversation again later."""
        channel_id: str | None = self.channel_id
        if channel_id is not None and force_base_channel:
            channel_id = ChannelId(
                channel_id.channel if isinstance(channel_id, ChannelId) else channel_id
            )
        data: dict[str, Any] = {
            "activity_id": None if self._replies_without_reply_to() else self.id,
            "user": self.from_property,
            "agent": self.recipient,
            "conversation": self.conversation,
            "channel_id": channel_id,
            "locale": self.locale,
            "service_url": self.service_url,
            "request_id": self.request_id,
        }
        return ConversationReference(**{k: v for k, v in data.items() if v is not None})

    def get_reply_conversation_reference(self, reply: ResourceResponse) -> ConversationReference:
        """The reference of this conversation pointing at the sent ``reply``."""
        reference = self.get_conversation_reference()
        reference.activity_id = reply.id
        return reference

    def apply_conversation_reference(
        self, reference: ConversationReference, is_incoming: bool = False
    ) -> Self:
        """Address this activity with ``reference``; returns ``self``.

        Outgoing (the default): sent by the reference's agent to its user, as a reply to the
        referenced activity. Incoming: sent by the user to the agent, with the referenced id.
        A targeted outgoing activity keeps the recipient it already has.
        """
        if reference.channel_id is not None:
            self.channel_id = ChannelId(reference.channel_id)
        if reference.service_url is not None:
            self.service_url = reference.service_url
        self.conversation = reference.conversation
        if reference.locale is not None:
            self.locale = reference.locale
        if is_incoming:
            if reference.user is not None:
                self.from_property = reference.user
            if reference.agent is not None:
                self.recipient = reference.agent
            if reference.activity_id is not None:
                self.id = reference.activity_id
        else:
            if reference.agent is not None:
                self.from_property = reference.agent
            keep_recipient = self.recipient is not None and self.is_targeted_activity()
            if reference.user is not None and not keep_recipient:
                self.recipient = reference.user
            if reference.activity_id is not None:
                self.reply_to_id = reference.activity_id
        return self
