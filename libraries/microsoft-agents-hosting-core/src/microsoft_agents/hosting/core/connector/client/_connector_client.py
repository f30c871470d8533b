"""``ConnectorClient``: the REST client of a channel's connector service."""

from __future__ import annotations

from typing_extensions import Self

from .._bases import ConnectorClientBase
from .._rest import RestEndpoint, SessionArg, TokenArg
from .._session import RetryPolicy
from ._operations import MAX_CONVERSATION_ID_LENGTH, AttachmentsOperations, ConversationsOperations

__all__ = ["ConnectorClient"]


class ConnectorClient(ConnectorClientBase):
    """Talks to the connector service at ``endpoint`` (an activity's ``serviceUrl``).

    ``token`` is the bearer token (an empty or one-character token sends no ``Authorization``
    header), or an async callable returning it, awaited on the first request.

    ``session`` may be an ``aiohttp.ClientSession`` or a :class:`SharedSession` shared with other
    clients; the client then never closes it. Without one, the client creates its own session
    on the first request and :meth:`close` closes it. Failed calls are retried according to
    ``retry_policy`` (default :class:`RetryPolicy`); a final non-2xx answer raises
    ``aiohttp.ClientResponseError``.
    """

    def __init__(
        self,
        endpoint: str,
        token: TokenArg,
        *,
        session: SessionArg = None,
        retry_policy: RetryPolicy | None = None,
        max_conversation_id_length: int = MAX_CONVERSATION_ID_LENGTH,
    ) -> None:
        self._endpoint = RestEndpoint(endpoint, token, session=session, retry_policy=retry_policy)
        self._conversations = ConversationsOperations(
            self._endpoint, max_conversation_id_length=max_conversation_id_length
        )
        self._attachments = AttachmentsOperations(self._endpoint)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_uri!r})"

    @property
    def base_uri(self) -> str:
        """The service URL, ending with ``/``."""
        return self._endpoint.base_uri

    @property
    def conversations(self) -> ConversationsOperations:
        """The ``v3/conversations`` operations."""
        return self._conversations

    @property
    def attachments(self) -> AttachmentsOperations:
        """The ``v3/attachments`` operations."""
        return self._attachments

    @property
    def endpoint(self) -> RestEndpoint:
        """The transport of this client (base URL, credentials, session, retry policy)."""
        return self._endpoint

    async def close(self) -> None:
        """Release the client; a shared session stays open."""
        await self._endpoint.close()

    @property
    def _close_is_noop(self) -> bool:
        """Whether :meth:`close` has nothing to release (the session is shared)."""
        return not self._endpoint._owns_shared

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()
