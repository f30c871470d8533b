"""``MCSConnectorClient``: replies to a Copilot Studio (Power Platform connector) request.

When a request arrives from Copilot Studio's connector (recipient role ``connectoruser``), the
agent's replies are posted straight back to the callback URL of that request. Nothing else of
the connector API exists there.
"""

from __future__ import annotations

from typing import NoReturn

from typing_extensions import Self

from microsoft_agents.activity import (
    Activity,
    AttachmentData,
    AttachmentInfo,
    ChannelAccount,
    ConversationParameters,
    ConversationResourceResponse,
    ConversationsResult,
    PagedMembersResult,
    ResourceResponse,
    Transcript,
)

from .._bases import AttachmentsBase, ConnectorClientBase, ConversationsBase
from .._rest import RestEndpoint, SessionArg, dump_model, require_args
from .._session import RetryPolicy

__all__ = ["MCSConnectorClient"]


def _unsupported(operation: str) -> NoReturn:
    raise NotImplementedError(
        f"{operation} is not supported when replying to a Copilot Studio connector request: "
        "only send_to_conversation and reply_to_activity are available."
    )


class MCSConversations(ConversationsBase):
    """Sends and replies both post the activity to the connector's callback URL."""

    def __init__(self, endpoint: RestEndpoint, target: str) -> None:
        self._endpoint = endpoint
        self._target = target

    async def send_to_conversation(
        self, conversation_id: str, activity: Activity
    ) -> ResourceResponse:
        require_args(activity=activity)
        reply = await self._endpoint.send("POST", self._target, body=dump_model(activity))
        data = reply.json()
        return (
            ResourceResponse.model_validate(data) if isinstance(data, dict) else ResourceResponse()
        )

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        return await self.send_to_conversation(conversation_id, activity)

    async def get_conversations(self, continuation_token: str | None = None) -> ConversationsResult:
        _unsupported("get_conversations")

    async def create_conversation(
        self, parameters: ConversationParameters
    ) -> ConversationResourceResponse:
        _unsupported("create_conversation")

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        _unsupported("update_activity")

    async def delete_activity(self, conversation_id: str, activity_id: str) -> None:
        _unsupported("delete_activity")

    async def get_conversation_members(self, conversation_id: str) -> list[ChannelAccount]:
        _unsupported("get_conversation_members")

    async def get_conversation_member(self, conversation_id: str, member_id: str) -> ChannelAccount:
        _unsupported("get_conversation_member")

    async def delete_conversation_member(self, conversation_id: str, member_id: str) -> None:
        _unsupported("delete_conversation_member")

    async def get_activity_members(
        self, conversation_id: str, activity_id: str
    ) -> list[ChannelAccount]:
        _unsupported("get_activity_members")

    async def get_conversation_paged_members(
        self,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> PagedMembersResult:
        _unsupported("get_conversation_paged_members")

    async def send_conversation_history(
        self, conversation_id: str, transcript: Transcript
    ) -> ResourceResponse:
        _unsupported("send_conversation_history")

    async def upload_attachment(
        self, conversation_id: str, attachment_data: AttachmentData
    ) -> ResourceResponse:
        _unsupported("upload_attachment")


class MCSAttachments(AttachmentsBase):
    """No attachment operations exist for connector requests."""

    async def get_attachment_info(self, attachment_id: str) -> AttachmentInfo:
        _unsupported("get_attachment_info")

    async def get_attachment(self, attachment_id: str, view_id: str) -> bytes:
        _unsupported("get_attachment")

    def get_attachment_uri(self, attachment_id: str, view_id: str = "original") -> str:
        _unsupported("get_attachment_uri")


class MCSConnectorClient(ConnectorClientBase):
    """A connector client for Copilot Studio connector requests (recipient ``connectoruser``).

    ``endpoint`` is the callback URL of the request (its ``serviceUrl``); activities are posted
    to it as they are, without a bearer token. Other operations raise ``NotImplementedError``.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        session: SessionArg = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        require_args(endpoint=endpoint)
        self._target = endpoint
        self._endpoint = RestEndpoint(endpoint, "", session=session, retry_policy=retry_policy)
        self._conversations = MCSConversations(self._endpoint, endpoint)
        self._attachments = MCSAttachments()

    def __repr__(self) -> str:
        return f"MCSConnectorClient({self._target!r})"

    @property
    def base_uri(self) -> str:
        """The callback URL, as given."""
        return self._target

    @property
    def conversations(self) -> MCSConversations:
        return self._conversations

    @property
    def attachments(self) -> MCSAttachments:
        return self._attachments

    async def close(self) -> None:
        await self._endpoint.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()
