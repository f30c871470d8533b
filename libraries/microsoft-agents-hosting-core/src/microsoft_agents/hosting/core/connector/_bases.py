"""The interfaces of the REST clients (keys of ``TurnContext.services``) and of their factory.

They are protocols: a custom client (a fake in a test, a client for another transport) only
needs the members, not the base class. The adapter stores the turn's connector client under
:class:`ConnectorClientBase` and its user-token client under :class:`UserTokenClientBase`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

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
    SignInResource,
    TokenExchangeRequest,
    TokenOrSignInResourceResponse,
    TokenResponse,
    TokenStatus,
    Transcript,
)

if TYPE_CHECKING:
    from .._turn_context import TurnContext
    from ..authorization import ClaimsIdentity

__all__ = [
    "AgentSignInBase",
    "AttachmentsBase",
    "ChannelServiceClientFactoryBase",
    "ConnectorClientBase",
    "ConversationsBase",
    "UserTokenBase",
    "UserTokenClientBase",
]


@runtime_checkable
class ConversationsBase(Protocol):
    """The ``v3/conversations`` operations of a channel's connector service."""

    async def get_conversations(
        self, continuation_token: str | None = None
    ) -> ConversationsResult: ...

    async def create_conversation(
        self, parameters: ConversationParameters
    ) -> ConversationResourceResponse: ...

    async def send_to_conversation(
        self, conversation_id: str, activity: Activity
    ) -> ResourceResponse: ...

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse: ...

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse: ...

    async def delete_activity(self, conversation_id: str, activity_id: str) -> None: ...

    async def get_conversation_members(self, conversation_id: str) -> list[ChannelAccount]: ...

    async def get_conversation_member(
        self, conversation_id: str, member_id: str
    ) -> ChannelAccount: ...

    async def delete_conversation_member(self, conversation_id: str, member_id: str) -> None: ...

    async def get_activity_members(
        self, conversation_id: str, activity_id: str
    ) -> list[ChannelAccount]: ...

    async def get_conversation_paged_members(
        self,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> PagedMembersResult: ...

    async def send_conversation_history(
        self, conversation_id: str, transcript: Transcript
    ) -> ResourceResponse: ...

    async def upload_attachment(
        self, conversation_id: str, attachment_data: AttachmentData
    ) -> ResourceResponse: ...


@runtime_checkable
class AttachmentsBase(Protocol):
    """The ``v3/attachments`` operations of a channel's connector service."""

    async def get_attachment_info(self, attachment_id: str) -> AttachmentInfo: ...

    async def get_attachment(self, attachment_id: str, view_id: str) -> bytes: ...

    def get_attachment_uri(self, attachment_id: str, view_id: str = "original") -> str: ...


@runtime_checkable
class ConnectorClientBase(Protocol):
    """A client of a channel's connector service (where an agent sends its activities)."""

    @property
    def base_uri(self) -> str: ...

    @property
    def conversations(self) -> ConversationsBase: ...

    @property
    def attachments(self) -> AttachmentsBase: ...

    async def close(self) -> None: ...


@runtime_checkable
class UserTokenBase(Protocol):
    """The raw ``api/usertoken`` operations of the token service."""

    async def get_token(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str | None = None,
        code: str | None = None,
    ) -> TokenResponse: ...

    async def get_aad_tokens(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, TokenResponse]: ...

    async def sign_out(
        self, user_id: str, connection_name: str | None = None, channel_id: str | None = None
    ) -> None: ...

    async def get_token_status(
        self, user_id: str, channel_id: str | None = None, include: str | None = None
    ) -> list[TokenStatus]: ...

    async def exchange_token(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str,
        body: dict[str, Any] | None = None,
    ) -> TokenResponse: ...


@runtime_checkable
class AgentSignInBase(Protocol):
    """The sign-in link operations of the token service."""

    async def get_sign_in_url(
        self,
        state: str,
        code_challenge: str | None = None,
        emulator_url: str | None = None,
        final_redirect: str | None = None,
    ) -> str: ...

    async def get_sign_in_resource(
        self,
        state: str,
        code_challenge: str | None = None,
        emulator_url: str | None = None,
        final_redirect: str | None = None,
    ) -> SignInResource: ...


@runtime_checkable
class UserTokenClientBase(Protocol):
    """A client of the user-token service (OAuth sign-in and user tokens of a channel user)."""

    @property
    def user_token(self) -> UserTokenBase: ...

    @property
    def agent_sign_in(self) -> AgentSignInBase: ...

    async def get_user_token(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str,
        magic_code: str | None = None,
    ) -> TokenResponse: ...

    async def get_token_or_sign_in_resource(
        self,
        connection_name: str,
        activity: Activity,
        code: str | None = None,
        final_redirect: str | None = None,
        fwd_url: str | None = None,
    ) -> TokenOrSignInResourceResponse: ...

    async def get_sign_in_resource(
        self, connection_name: str, activity: Activity, final_redirect: str | None = None
    ) -> SignInResource: ...

    async def sign_out_user(self, user_id: str, connection_name: str, channel_id: str) -> None: ...

    async def get_token_status(
        self, user_id: str, channel_id: str, include: str | None = None
    ) -> list[TokenStatus]: ...

    async def get_aad_tokens(
        self, user_id: str, connection_name: str, resource_urls: list[str], channel_id: str
    ) -> dict[str, TokenResponse]: ...

    async def exchange_token(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str,
        exchange_request: TokenExchangeRequest,
    ) -> TokenResponse: ...

    async def close(self) -> None: ...


@runtime_checkable
class ChannelServiceClientFactoryBase(Protocol):
    """Makes the connector and user-token clients of a turn.

    ``RestChannelServiceClientFactory`` is the implementation for the Bot Framework REST
    services; a custom factory (other credentials, a fake for tests) only needs these methods.
    """

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str | None,
        audience: str | None,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        """A client of the connector service at ``service_url``, with a token for
        ``audience`` (``scopes`` default to the caller's token scope); no token when
        ``use_anonymous``. A missing ``service_url`` or ``audience`` is a ``TypeError``."""
        ...

    async def create_user_token_client(
        self,
        context: TurnContext,
        claims_identity: ClaimsIdentity,
        use_anonymous: bool = False,
    ) -> UserTokenClientBase:
        """A client of the user-token service for the agent of ``claims_identity``."""
        ...
