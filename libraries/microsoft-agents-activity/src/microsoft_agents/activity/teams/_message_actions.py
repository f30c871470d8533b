"""The message a message-extension action was started from (``messagePayload``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .._model import AgentsModel

__all__ = [
    "MessageActionsPayload",
    "MessageActionsPayloadApp",
    "MessageActionsPayloadAttachment",
    "MessageActionsPayloadBody",
    "MessageActionsPayloadConversation",
    "MessageActionsPayloadFrom",
    "MessageActionsPayloadMention",
    "MessageActionsPayloadReaction",
    "MessageActionsPayloadUser",
]


class MessageActionsPayloadUser(AgentsModel):
    """A user who sent, mentioned or reacted to the message.

    ``user_identity_type`` is ``aadUser``, ``onPremiseAadUser``, ``anonymousGuest`` or
    ``federatedUser``.
    """

    user_identity_type: str | None = None
    id: str | None = None
    display_name: str | None = None


class MessageActionsPayloadApp(AgentsModel):
    """An application that sent the message.

    ``application_identity_type`` is ``aadApplication``, ``bot``, ``tenantBot``,
    ``office365Connector`` or ``webhook``.
    """

    application_identity_type: str | None = None
    id: str | None = None
    display_name: str | None = None


class MessageActionsPayloadConversation(AgentsModel):
    """A conversation (for example a channel) that posted the message."""

    conversation_identity_type: str | None = None
    id: str | None = None
    display_name: str | None = None


class MessageActionsPayloadFrom(AgentsModel):
    """Who a message came from; exactly one part is normally present."""

    user: MessageActionsPayloadUser | None = None
    application: MessageActionsPayloadApp | None = None
    conversation: MessageActionsPayloadConversation | None = None


class MessageActionsPayloadBody(AgentsModel):
    """Message body; ``content_type`` is ``html`` or ``text``."""

    content_type: str | None = None
    content: str | None = None


class MessageActionsPayloadAttachment(AgentsModel):
    """An attachment of the message."""

    id: str | None = None
    content_type: str | None = None
    content_url: str | None = None
    content: Any = None
    name: str | None = None
    thumbnail_url: str | None = None


class MessageActionsPayloadMention(AgentsModel):
    """A mention inside the message body; ``id`` matches the ``<at id=...>`` tag."""

    id: int | None = None
    mention_text: str | None = None
    mentioned: MessageActionsPayloadFrom | None = None


class MessageActionsPayloadReaction(AgentsModel):
    """A reaction on the message (``like``, ``heart``, ``laugh``, ...)."""

    reaction_type: str | None = None
    created_date_time: str | None = None
    user: MessageActionsPayloadFrom | None = None


class MessageActionsPayload(AgentsModel):
    """A Teams message as seen by a message action.

    ``from_property`` travels as ``from``. ``importance`` is ``normal``, ``high`` or
    ``urgent``. Date-times are kept as the strings Teams sent.
    """

    id: str | None = None
    reply_to_id: str | None = None
    message_type: str | None = None
    created_date_time: str | None = None
    last_modified_date_time: str | None = None
    deleted: bool | None = None
    subject: str | None = None
    summary: str | None = None
    importance: str | None = None
    locale: str | None = None
    link_to_message: str | None = None
    from_property: MessageActionsPayloadFrom | None = Field(default=None, alias="from")
    body: MessageActionsPayloadBody | None = None
    attachment_layout: str | None = None
    attachments: list[MessageActionsPayloadAttachment] | None = None
    mentions: list[MessageActionsPayloadMention] | None = None
    reactions: list[MessageActionsPayloadReaction] | None = None
