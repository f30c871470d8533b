"""``ChannelApiHandlerProtocol``: what an agent implements to act as a channel for others.

When this agent calls another agent, the other agent answers through the channel-service API
(``/v3/conversations/...``) that this agent hosts; each route of that API ends in one method
here (see ``ChannelServiceRoutes`` in ``microsoft_agents.hosting.core.http``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from microsoft_agents.activity import (
        Activity,
        AttachmentData,
        ChannelAccount,
        ConversationParameters,
        ConversationResourceResponse,
        ConversationsResult,
        PagedMembersResult,
        ResourceResponse,
        Transcript,
    )

    from .authorization import ClaimsIdentity

__all__ = ["ChannelApiHandlerProtocol"]


class ChannelApiHandlerProtocol(Protocol):
    """Handlers of the channel-service API; each receives the caller's claims first."""

    async def on_get_conversations(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str | None,
        continuation_token: str | None = None,
    ) -> ConversationsResult:
        """List the conversations the caller may see."""
        ...

    async def on_create_conversation(
        self, claims_identity: ClaimsIdentity, parameters: ConversationParameters
    ) -> ConversationResourceResponse:
        """Start a conversation."""
        ...

    async def on_send_to_conversation(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity: Activity
    ) -> ResourceResponse:
        """Post ``activity`` at the end of a conversation."""
        ...

    async def on_send_conversation_history(
        self, claims_identity: ClaimsIdentity, conversation_id: str, transcript: Transcript
    ) -> ResourceResponse:
        """Upload past activities of a conversation."""
        ...

    async def on_update_activity(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str,
        activity_id: str,
        activity: Activity,
    ) -> ResourceResponse:
        """Replace an activity that was sent earlier."""
        ...

    async def on_reply_to_activity(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str,
        activity_id: str,
        activity: Activity,
    ) -> ResourceResponse:
        """Post ``activity`` as a reply to activity ``activity_id``."""
        ...

    async def on_delete_activity(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity_id: str
    ) -> None:
        """Delete an activity that was sent earlier."""
        ...

    async def on_get_conversation_members(
        self, claims_identity: ClaimsIdentity, conversation_id: str
    ) -> list[ChannelAccount]:
        """The members of a conversation."""
        ...

    async def on_get_conversation_member(
        self, claims_identity: ClaimsIdentity, user_id: str, conversation_id: str
    ) -> ChannelAccount:
        """One member of a conversation (note: the user id comes before the conversation)."""
        ...

    async def on_get_conversation_paged_members(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> PagedMembersResult:
        """One page of the members of a conversation."""
        ...

    async def on_delete_conversation_member(
        self, claims_identity: ClaimsIdentity, conversation_id: str, member_id: str
    ) -> Any:
        """Remove a member from a conversation."""
        ...

    async def on_get_activity_members(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity_id: str
    ) -> list[ChannelAccount]:
        """The members involved in one activity."""
        ...

    async def on_upload_attachment(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str,
        attachment_upload: AttachmentData,
    ) -> ResourceResponse:
        """Store an attachment for a conversation."""
        ...
