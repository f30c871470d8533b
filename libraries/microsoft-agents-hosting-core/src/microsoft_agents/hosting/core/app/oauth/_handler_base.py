"""The base of every sign-in handler: identity, settings and the on-behalf-of exchange."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import Activity, TokenResponse

from ._auth_handler import AuthHandler
from ._state import _FailureReason, _SignInResult

if TYPE_CHECKING:
    from ..._turn_context import TurnContext
    from ...storage import Storage

__all__ = ["_AuthorizationHandler"]

logger = logging.getLogger(__name__)


class _AuthorizationHandler:
    """A configured sign-in handler: its id, settings, storage and connections.

    Subclasses implement :meth:`_sign_in` (get a token now, or start an interactive sign-in)
    and :meth:`get_refreshed_token`; handlers with interactive flows also implement
    :meth:`_continue_sign_in` and :meth:`_sign_out`.
    """

    def __init__(
        self,
        storage: Storage,
        connection_manager: Any,
        auth_handler: AuthHandler,
        *,
        auth_handler_id: str | None = None,
    ) -> None:
        self._storage = storage
        self._connection_manager = connection_manager
        self._handler = auth_handler
        self._id = auth_handler_id or auth_handler.name

    @property
    def id(self) -> str:
        """The handler id used in ``auth_handlers=[...]`` and ``get_token``."""
        return self._id

    @property
    def settings(self) -> AuthHandler:
        """The handler's settings."""
        return self._handler

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self._id!r})"

    # -- the sign-in steps --------------------------------------------------------------------

    async def _sign_in(
        self, context: TurnContext, continuation: Activity | None = None
    ) -> _SignInResult:
        """Get the user's token now, or start signing the user in.

        ``continuation`` is the activity to run again once an interactive sign-in completes
        (the turn's activity when ``None``).
        """
        raise NotImplementedError

    async def _continue_sign_in(self, context: TurnContext) -> _SignInResult:
        """Take the turn's activity as the user's answer to a sign-in in progress.

        Handlers without an interactive flow never leave one in progress; they simply try
        again.
        """
        return await self._sign_in(context)

    async def get_refreshed_token(
        self,
        context: TurnContext,
        exchange_connection: str | None = None,
        exchange_scopes: list[str] | None = None,
    ) -> TokenResponse:
        """A current token of the user (exchanged on-behalf-of when configured or asked).

        An empty ``TokenResponse`` when none can be obtained.
        """
        raise NotImplementedError

    async def _sign_out(self, context: TurnContext) -> None:
        """Forget what this handler keeps about the user (nothing by default)."""

    async def _signed_in(self, token: TokenResponse, *, interactive: bool = False) -> _SignInResult:
        """The user's ``token`` (exchanged on-behalf-of when configured) as a finished sign-in;
        a failure when no usable token comes out of it."""
        token = await self._handle_obo(token)
        if not token:
            return _SignInResult.failure(_FailureReason.NO_TOKEN)
        return _SignInResult.completed(token, interactive=interactive)

    # -- on-behalf-of ---------------------------------------------------------------------------

    async def _handle_obo(
        self,
        token: TokenResponse,
        exchange_connection: str | None = None,
        exchange_scopes: list[str] | None = None,
    ) -> TokenResponse:
        """``token`` exchanged on-behalf-of, when a connection and scopes are known.

        The connection is ``exchange_connection`` or the handler's ``OBOCONNECTIONNAME``; the
        scopes are ``exchange_scopes`` or the handler's ``SCOPES``. Without both, or when
        the token cannot be exchanged (not a token issued to an app, e.g. an ID token), the
        token is returned as it is.
        """
        connection_name = exchange_connection or self._handler.obo_connection_name
        scopes = list(exchange_scopes or self._handler.scopes)
        if not token or not connection_name or not scopes:
            return token
        if not token.is_exchangeable():
            logger.info(
                "the token of sign-in handler %r cannot be exchanged on-behalf-of; "
                "it is used as it is",
                self._id,
            )
            return token
        if self._connection_manager is None:
            raise ValueError(
                f"sign-in handler {self._id!r} needs a connection manager to exchange its "
                f"token on-behalf-of with connection {connection_name!r}"
            )
        provider = self._connection_manager.get_connection(connection_name)
        exchanged = await provider.acquire_token_on_behalf_of(scopes, token.token)
        if not exchanged:
            logger.warning(
                "the on-behalf-of exchange of sign-in handler %r with connection %r gave no token",
                self._id,
                connection_name,
            )
            return TokenResponse()
        return TokenResponse(
            token=exchanged,
            connection_name=token.connection_name,
            channel_id=token.channel_id,
        )
