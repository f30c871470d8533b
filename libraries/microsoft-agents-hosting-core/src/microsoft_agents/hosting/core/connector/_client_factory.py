"""``RestChannelServiceClientFactory``: each turn's REST clients over one shared session.

The factory owns a single pooled ``aiohttp`` session (a :class:`SharedSession`, created on the
first HTTP request, not before) and hands out per-turn clients that are only views over it: a
base URL, a bearer token and the retry policy. Closing such a client leaves the session open;
:meth:`RestChannelServiceClientFactory.close` closes it when the host shuts down.

``create_user_token_client`` gets its token when called and fails on an empty one (as the
contract says). Channel adapters call it only when a turn first uses the token service (the
adapter's lazy stand-in defers the call), so a turn that never signs a user in never asks for
that token nor builds that client.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
from typing_extensions import Self

from microsoft_agents.activity import RoleTypes

from ..authorization import (
    AccessTokenProviderBase,
    AnonymousTokenProvider,
    AuthenticationConstants,
    ClaimsIdentity,
    Connections,
)
from ._bases import ChannelServiceClientFactoryBase, ConnectorClientBase
from ._session import RetryPolicy, SharedSession
from .client import UserTokenClient
from .mcs import MCSConnectorClient
from .teams import TeamsConnectorClient

if TYPE_CHECKING:
    from .._turn_context import TurnContext

__all__ = ["RestChannelServiceClientFactory"]

logger = logging.getLogger(__name__)

_ANONYMOUS = AnonymousTokenProvider()


class RestChannelServiceClientFactory(ChannelServiceClientFactoryBase):
    """Makes connector and user-token clients for the Bot Framework REST services.

    ``connection_manager`` picks the token provider for a caller and service URL (``None``
    allows only anonymous turns). ``token_service_endpoint`` / ``token_service_audience`` locate
    the user-token service. ``session`` is an ``aiohttp.ClientSession`` to use instead of the
    factory's own (it is then never closed here). ``retry_policy`` is a :class:`RetryPolicy` or
    a mapping of its fields (``max_attempts``, ``base_delay``, ``max_delay``, ``jitter``).
    """

    def __init__(
        self,
        connection_manager: Connections | None,
        token_service_endpoint: str = AuthenticationConstants.AGENTS_SDK_OAUTH_URL,
        token_service_audience: str = AuthenticationConstants.AGENTS_SDK_SCOPE,
        *,
        session: aiohttp.ClientSession | None = None,
        retry_policy: RetryPolicy | Mapping[str, Any] | None = None,
    ) -> None:
        self._connection_manager = connection_manager
        self._token_service_endpoint = (
            token_service_endpoint or AuthenticationConstants.AGENTS_SDK_OAUTH_URL
        )
        self._token_service_audience = (
            token_service_audience or AuthenticationConstants.AGENTS_SDK_SCOPE
        )
        self._shared = SharedSession(session)
        self._retry_policy = RetryPolicy.from_value(retry_policy)

    @property
    def connection_manager(self) -> Connections | None:
        return self._connection_manager

    @property
    def token_service_endpoint(self) -> str:
        return self._token_service_endpoint

    @property
    def token_service_audience(self) -> str:
        return self._token_service_audience

    @property
    def shared_session(self) -> SharedSession:
        """The pooled session every client of this factory uses."""
        return self._shared

    @property
    def retry_policy(self) -> RetryPolicy:
        return self._retry_policy

    # -- token acquisition ---------------------------------------------------------------------

    def _connections(self) -> Connections:
        if self._connection_manager is None:
            raise ValueError(
                "RestChannelServiceClientFactory has no connection manager, so it can only "
                "serve anonymous requests; configure CONNECTIONS (a ConnectionManager) to "
                "answer authenticated callers"
            )
        return self._connection_manager

    def _provider(self, claims: ClaimsIdentity, service_url: str) -> AccessTokenProviderBase:
        return self._connections().get_token_provider(claims, service_url)

    async def _agentic_token(
        self, context: TurnContext, claims: ClaimsIdentity, service_url: str
    ) -> str:
        """The token of an agentic identity: instance token, or agentic-user token."""
        provider = self._provider(claims, service_url)
        alternate = getattr(provider.configuration, "ALT_BLUEPRINT_ID", None)
        if alternate:
            provider = self._connections().get_connection(alternate)
        activity = context.activity
        instance_id = activity.get_agentic_instance_id()
        if not instance_id:
            raise ValueError("an agentic request needs the recipient's agentic app instance id")
        tenant_id = activity.get_agentic_tenant_id()
        if not tenant_id:
            raise ValueError("an agentic request needs a tenant id (recipient or conversation)")
        role = activity.recipient.role if activity.recipient is not None else None
        try:
            if role == RoleTypes.agentic_identity.value:
                token, _ = await provider.get_agentic_instance_token(tenant_id, instance_id)
            else:
                user_id = activity.get_agentic_user()
                if not user_id:
                    raise ValueError(
                        "an agentic user request needs the recipient's agentic user id"
                    )
                token = (
                    await provider.get_agentic_user_token(
                        tenant_id,
                        instance_id,
                        user_id,
                        [AuthenticationConstants.APX_PRODUCTION_SCOPE],
                    )
                    or ""
                )
        except NotImplementedError as error:
            raise NotImplementedError(
                f"the token provider of this connection ({type(provider).__name__}) cannot get "
                "agentic tokens; configure a connection whose provider implements "
                "get_agentic_instance_token and get_agentic_user_token"
            ) from error
        if not token:
            raise ValueError("no token could be obtained for the agentic request")
        return token

    # -- clients -------------------------------------------------------------------------------

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str | None,
        audience: str | None,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        """A connector client for ``service_url`` (a :class:`TeamsConnectorClient`).

        ``service_url`` and ``audience`` are required (``TypeError``). The token is the agentic
        token for agentic requests, ``""`` when ``use_anonymous``, otherwise the connection's
        token for ``audience`` with ``scopes`` (default: the caller's token scope). Requests
        from a Copilot Studio connector (recipient role ``connectoruser``) get an
        :class:`MCSConnectorClient`, which needs no token.
        """
        if not service_url:
            raise TypeError("create_connector_client needs a service_url")
        if not audience:
            raise TypeError("create_connector_client needs an audience")
        activity = context.activity if context is not None else None
        recipient = activity.recipient if activity is not None else None
        if recipient is not None and recipient.role == RoleTypes.connector_user.value:
            return MCSConnectorClient(
                service_url, session=self._shared, retry_policy=self._retry_policy
            )
        if context is not None and activity is not None and activity.is_agentic_request():
            token = await self._agentic_token(context, claims_identity, service_url)
        else:
            provider = _ANONYMOUS if use_anonymous else self._provider(claims_identity, service_url)
            token = await provider.get_access_token(
                audience, scopes or claims_identity.get_token_scope()
            )
        return TeamsConnectorClient(
            service_url, token, session=self._shared, retry_policy=self._retry_policy
        )

    async def create_user_token_client(
        self,
        context: TurnContext,
        claims_identity: ClaimsIdentity,
        use_anonymous: bool = False,
    ) -> UserTokenClient:
        """A client of the user-token service, for the app id of ``claims_identity``.

        Anonymous: no token. Otherwise the token is the agentic token for agentic requests,
        else the connection's token for the token-service audience; an empty token is a
        ``ValueError``.
        """
        app_id = claims_identity.get_app_id()
        endpoint = self._token_service_endpoint
        if use_anonymous:
            token = ""
        else:
            activity = context.activity if context is not None else None
            if activity is not None and activity.is_agentic_request():
                token = await self._agentic_token(context, claims_identity, endpoint)
            else:
                provider = self._provider(claims_identity, endpoint)
                token = await provider.get_access_token(
                    self._token_service_audience, claims_identity.get_token_scope()
                )
            if not token:
                raise ValueError("no token could be obtained for the user-token service")
        return UserTokenClient(
            endpoint,
            token,
            app_id=app_id,
            session=self._shared,
            retry_policy=self._retry_policy,
        )

    async def close(self) -> None:
        """Close the shared session (when the factory created it)."""
        await self._shared.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()
