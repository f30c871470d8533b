"""The kinds of sign-in handler an ``Authorization`` can hold, and how one is picked.

* ``userauthorization`` — the user signs in through the Azure Bot Service token service
  (OAuth card, magic code, single sign-on): :mod:`._user_authorization`;
* ``agenticuserauthorization`` — :class:`AgenticUserAuthorization`: tokens of an agentic user,
  obtained with the agent's own identity, no interaction;
* ``connectoruserauthorization`` — :class:`ConnectorUserAuthorization`: the token a connector
  (such as Copilot Studio) sent with the request, optionally exchanged on-behalf-of.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import Activity, TokenResponse

from ._auth_handler import (
    AGENTIC_USER_AUTHORIZATION,
    CONNECTOR_USER_AUTHORIZATION,
    USER_AUTHORIZATION,
    AuthHandler,
)
from ._handler_base import _AuthorizationHandler
from ._state import _FailureReason, _SignInResult
from ._user_authorization import _UserAuthorization

if TYPE_CHECKING:
    from ..._turn_context import TurnContext
    from ...authorization import AccessTokenProviderBase
    from ...storage import Storage

__all__ = [
    "AgenticUserAuthorization",
    "ConnectorUserAuthorization",
    "_AuthorizationHandler",
    "_UserAuthorization",
    "_create_handler",
]

logger = logging.getLogger(__name__)


class AgenticUserAuthorization(_AuthorizationHandler):
    """Tokens for agentic users, obtained with the agent's own identity.

    Only agentic requests (the recipient is an agentic app instance or user) have such a
    token; for other requests the sign-in fails. The connection is the one the connection
    manager picks for the request, or the handler's ``ALT_BLUEPRINT_NAME`` connection.
    """

    def _provider(self, context: TurnContext) -> AccessTokenProviderBase:
        manager = self._connection_manager
        if manager is None:
            raise ValueError(f"sign-in handler {self.id!r} needs a connection manager")
        alternate = self.settings.alt_blueprint_name
        if alternate:
            provider: AccessTokenProviderBase = manager.get_connection(alternate)
            return provider
        provider = manager.get_token_provider_from_activity(context.identity, context.activity)
        return provider

    async def get_agentic_instance_token(self, context: TurnContext) -> TokenResponse:
        """The token of the agent instance the request is for (empty if not agentic)."""
        activity = context.activity
        instance_id = activity.get_agentic_instance_id()
        tenant_id = activity.get_agentic_tenant_id()
        if not activity.is_agentic_request() or not instance_id or not tenant_id:
            return TokenResponse()
        token, _ = await self._provider(context).get_agentic_instance_token(tenant_id, instance_id)
        return TokenResponse(token=token) if token else TokenResponse()

    async def get_agentic_user_token(
        self, context: TurnContext, scopes: list[str]
    ) -> TokenResponse:
        """A token of the request's agentic user for ``scopes`` (empty if not agentic)."""
        activity = context.activity
        instance_id = activity.get_agentic_instance_id()
        tenant_id = activity.get_agentic_tenant_id()
        user_id = activity.get_agentic_user()
        if not activity.is_agentic_request() or not (instance_id and tenant_id and user_id):
            return TokenResponse()
        token = await self._provider(context).get_agentic_user_token(
            tenant_id, instance_id, user_id, list(scopes)
        )
        return TokenResponse(token=token) if token else TokenResponse()

    async def _sign_in(
        self, context: TurnContext, continuation: Activity | None = None
    ) -> _SignInResult:
        token = await self.get_agentic_user_token(context, self.settings.scopes)
        if not token:
            return _SignInResult.failure(_FailureReason.NO_TOKEN)
        return _SignInResult.completed(token)

    async def get_refreshed_token(
        self,
        context: TurnContext,
        exchange_connection: str | None = None,
        exchange_scopes: list[str] | None = None,
    ) -> TokenResponse:
        return await self.get_agentic_user_token(context, exchange_scopes or self.settings.scopes)

    async def sign_out(self, context: TurnContext, auth_handler_id: str | None = None) -> None:
        """Nothing to do: agentic user tokens are obtained anew each time, none is stored."""


class ConnectorUserAuthorization(_AuthorizationHandler):
    """The user token a connector (such as Copilot Studio) sent as the request's bearer token.

    It is exchanged on-behalf-of when the handler names an ``OBOCONNECTIONNAME`` and
    ``SCOPES``. A request without a token fails the sign-in.
    """

    @staticmethod
    def _caller_token(context: TurnContext) -> TokenResponse:
        identity = context.identity
        token = identity.security_token if identity is not None else None
        return TokenResponse(token=token) if token else TokenResponse()

    async def _sign_in(
        self, context: TurnContext, continuation: Activity | None = None
    ) -> _SignInResult:
        return await self._signed_in(self._caller_token(context))

    async def get_refreshed_token(
        self,
        context: TurnContext,
        exchange_connection: str | None = None,
        exchange_scopes: list[str] | None = None,
    ) -> TokenResponse:
        token = self._caller_token(context)
        if not token:
            return token
        return await self._handle_obo(token, exchange_connection, exchange_scopes)


_KINDS: dict[str, type[_AuthorizationHandler]] = {
    USER_AUTHORIZATION: _UserAuthorization,
    AGENTIC_USER_AUTHORIZATION: AgenticUserAuthorization,
    CONNECTOR_USER_AUTHORIZATION: ConnectorUserAuthorization,
}


def _create_handler(
    handler_id: str, storage: Storage, connection_manager: Any, settings: AuthHandler
) -> _AuthorizationHandler:
    kind = _KINDS.get(settings.auth_type)
    if kind is None:
        known = ", ".join(sorted(_KINDS))
        raise ValueError(
            f"sign-in handler {handler_id!r} has unknown type {settings.auth_type!r}; "
            f"use one of: {known}"
        )
    return kind(storage, connection_manager, settings, auth_handler_id=handler_id)
