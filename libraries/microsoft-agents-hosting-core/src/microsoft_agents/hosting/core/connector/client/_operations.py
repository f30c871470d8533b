"""The ``v3/conversations`` and ``v3/attachments`` operations of :class:`ConnectorClient`."""

from __future__ import annotations

import re

from yarl import URL

from microsoft_agents.activity import (
    Activity,
    AttachmentData,
    AttachmentInfo,
    ChannelAccount,
    ChannelId,
    Channels,
    ConversationParameters,
    ConversationResourceResponse,
    ConversationsResult,
    PagedMembersResult,
    ResourceResponse,
    RoleTypes,
    Transcript,
)

from .._bases import AttachmentsBase, ConversationsBase
from .._rest import RestEndpoint, RestReply, dump_model, encode_model, require_args

__all__ = ["AttachmentsOperations", "ConversationsOperations"]

MAX_CONVERSATION_ID_LENGTH = 150
_AGENTIC_ROLES = frozenset({RoleTypes.agentic_identity.value, RoleTypes.agentic_user.value})
_UNSAFE_AGENTIC_ID_CHARS = re.compile(r"[/\\#?]")


_VALIDATE_RESOURCE_JSON = ResourceResponse.__pydantic_validator__.validate_json


def _resource(reply: RestReply) -> ResourceResponse:
    body = reply.body
    if body[:1] == b"{":  # the usual answer: validated straight from the bytes
        try:
            return _VALIDATE_RESOURCE_JSON(body)  # model_validate_json, minus its wrapper
        except ValueError:
            pass  # the path below gives the answer (or the error) it always gave
    data = reply.json()
    return ResourceResponse() if data is None else ResourceResponse.model_validate(data)


def _is_agentic_agents_channel(activity: Activity) -> bool:
    if ChannelId.get_channel(activity.channel_id) != Channels.agents.value:
        return False
    sender = activity.from_property
    return sender is not None and sender.role in _AGENTIC_ROLES


def _targeted_query(activity: Activity) -> dict[str, str | None] | None:
    if (
        ChannelId.get_channel(activity.channel_id) == Channels.ms_teams.value
        and activity.is_targeted_activity()
    ):
        return {"isTargetedActivity": "true"}
    return None


class ConversationsOperations(ConversationsBase):
    """Operations on conversations, their activities and members.

    Conversation ids are cut to :data:`MAX_CONVERSATION_ID_LENGTH` characters (the service
    rejects longer ones). When the activity comes from an agentic identity on the ``agents``
    channel, ``/ \\ # ?`` in the id are replaced by ``_``.
    """

    def __init__(
        self,
        endpoint: RestEndpoint,
        *,
        max_conversation_id_length: int = MAX_CONVERSATION_ID_LENGTH,
    ) -> None:
        self._endpoint = endpoint
        self._max_id_length = max_conversation_id_length

    def normalize_conversation_id(
        self, conversation_id: str, activity: Activity | None = None
    ) -> str:
        """The id as sent on the wire (truncated; sanitised for agentic ``agents`` traffic)."""
        trimmed = conversation_id[: self._max_id_length]
        if activity is not None and _is_agentic_agents_channel(activity):
            return _UNSAFE_AGENTIC_ID_CHARS.sub("_", trimmed)
        return trimmed

    def _url(
        self, conversation_id: str | None, *rest: str, activity: Activity | None = None
    ) -> URL:
        if conversation_id is None:
            return self._endpoint.url("v3", "conversations", *rest)
        cid = self.normalize_conversation_id(conversation_id, activity)
        return self._endpoint.url("v3", "conversations", cid, *rest)

    async def get_conversations(self, continuation_token: str | None = None) -> ConversationsResult:
        """``GET v3/conversations``: the conversations the agent takes part in (paged)."""
        reply = await self._endpoint.send(
            "GET", self._url(None), params={"continuationToken": continuation_token}
        )
        return ConversationsResult.model_validate(reply.json() or {})

    async def create_conversation(
        self, parameters: ConversationParameters
    ) -> ConversationResourceResponse:
        """``POST v3/conversations``: start a new conversation."""
        require_args(parameters=parameters)
        reply = await self._endpoint.send("POST", self._url(None), body=dump_model(parameters))
        return ConversationResourceResponse.model_validate(reply.json() or {})

    async def send_to_conversation(
        self, conversation_id: str, activity: Activity
    ) -> ResourceResponse:
        """``POST v3/conversations/{id}/activities``: send an activity (not as a reply)."""
        require_args(conversation_id=conversation_id, activity=activity)
        reply = await self._endpoint.send(
            "POST",
            self._url(conversation_id, "activities", activity=activity),
            params=_targeted_query(activity),
            encoded_body=encode_model(activity),
        )
        return _resource(reply)

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        """``POST v3/conversations/{id}/activities/{activityId}``: reply to an activity."""
        require_args(conversation_id=conversation_id, activity_id=activity_id, activity=activity)
        reply = await self._endpoint.send(
            "POST",
            self._url(conversation_id, "activities", activity_id, activity=activity),
            params=_targeted_query(activity),
            encoded_body=encode_model(activity, exclude_none=True),
        )
        return _resource(reply)

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        """``PUT v3/conversations/{id}/activities/{activityId}``: replace a sent activity."""
        require_args(conversation_id=conversation_id, activity_id=activity_id, activity=activity)
        reply = await self._endpoint.send(
            "PUT",
            self._url(conversation_id, "activities", activity_id, activity=activity),
            body=dump_model(activity),
        )
        return _resource(reply)

    async def delete_activity(self, conversation_id: str, activity_id: str) -> None:
        """``DELETE v3/conversations/{id}/activities/{activityId}``."""
        require_args(conversation_id=conversation_id, activity_id=activity_id)
        await self._endpoint.send("DELETE", self._url(conversation_id, "activities", activity_id))

    async def get_conversation_members(self, conversation_id: str) -> list[ChannelAccount]:
        """``GET v3/conversations/{id}/members``."""
        require_args(conversation_id=conversation_id)
        reply = await self._endpoint.send("GET", self._url(conversation_id, "members"))
        return [ChannelAccount.model_validate(m) for m in reply.json() or []]

    async def get_conversation_member(self, conversation_id: str, member_id: str) -> ChannelAccount:
        """``GET v3/conversations/{id}/members/{memberId}``."""
        require_args(conversation_id=conversation_id, member_id=member_id)
        reply = await self._endpoint.send("GET", self._url(conversation_id, "members", member_id))
        return ChannelAccount.model_validate(reply.json() or {})

    async def delete_conversation_member(self, conversation_id: str, member_id: str) -> None:
        """``DELETE v3/conversations/{id}/members/{memberId}``."""
        require_args(conversation_id=conversation_id, member_id=member_id)
        await self._endpoint.send("DELETE", self._url(conversation_id, "members", member_id))

    async def get_activity_members(
        self, conversation_id: str, activity_id: str
    ) -> list[ChannelAccount]:
        """``GET v3/conversations/{id}/activities/{activityId}/members``."""
        require_args(conversation_id=conversation_id, activity_id=activity_id)
        reply = await self._endpoint.send(
            "GET", self._url(conversation_id, "activities", activity_id, "members")
        )
        return [ChannelAccount.model_validate(m) for m in reply.json() or []]

    async def get_conversation_paged_members(
        self,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> PagedMembersResult:
        """``GET v3/conversations/{id}/pagedmembers?pageSize=&continuationToken=``."""
        require_args(conversation_id=conversation_id)
        reply = await self._endpoint.send(
            "GET",
            self._url(conversation_id, "pagedmembers"),
            params={
                "pageSize": None if page_size is None else str(page_size),
                "continuationToken": continuation_token,
            },
        )
        return PagedMembersResult.model_validate(reply.json() or {})

    async def send_conversation_history(
        self, conversation_id: str, transcript: Transcript
    ) -> ResourceResponse:
        """``POST v3/conversations/{id}/activities/history``: upload past activities."""
        require_args(conversation_id=conversation_id, transcript=transcript)
        reply = await self._endpoint.send(
            "POST",
            self._url(conversation_id, "activities", "history"),
            body=dump_model(transcript, exclude_none=True),
        )
        return _resource(reply)

    async def upload_attachment(
        self, conversation_id: str, attachment_data: AttachmentData
    ) -> ResourceResponse:
        """``POST v3/conversations/{id}/attachments``: store a file with the channel.

        The bytes of ``original_base64`` and ``thumbnail_base64`` travel as base64 text.
        """
        require_args(conversation_id=conversation_id, attachment_data=attachment_data)
        reply = await self._endpoint.send(
            "POST",
            self._url(conversation_id, "attachments"),
            body=dump_model(attachment_data),
        )
        return _resource(reply)


class AttachmentsOperations(AttachmentsBase):
    """Operations on attachments stored with the channel."""

    def __init__(self, endpoint: RestEndpoint) -> None:
        self._endpoint = endpoint

    async def get_attachment_info(self, attachment_id: str) -> AttachmentInfo:
        """``GET v3/attachments/{id}``: the name, type and views of an attachment."""
        require_args(attachment_id=attachment_id)
        reply = await self._endpoint.send(
            "GET", self._endpoint.url("v3", "attachments", attachment_id)
        )
        return AttachmentInfo.model_validate(reply.json() or {})

    async def get_attachment(self, attachment_id: str, view_id: str) -> bytes:
        """``GET v3/attachments/{id}/views/{viewId}``: the content of one view.

        A redirect answer is not followed and gives empty content.
        """
        require_args(attachment_id=attachment_id, view_id=view_id)
        reply = await self._endpoint.send(
            "GET",
            self._endpoint.url("v3", "attachments", attachment_id, "views", view_id),
            accept=(301, 302, 303, 307, 308),
        )
        return b"" if 300 <= reply.status <= 399 else reply.body

    def get_attachment_uri(self, attachment_id: str, view_id: str = "original") -> str:
        """The absolute URL of a view of an attachment."""
        require_args(attachment_id=attachment_id, view_id=view_id)
        return str(self._endpoint.url("v3", "attachments", attachment_id, "views", view_id))
