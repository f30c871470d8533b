"""``MsalAuth``: the token provider of one connection, backed by MSAL, and
``MsalConnectionManager``, the connection manager whose providers are ``MsalAuth``.

Creating one checks the connection's settings (no network); MSAL clients are created on the
first token request. Every MSAL call runs in a worker thread (``asyncio.to_thread``); fresh
tokens are answered from a memo without leaving the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from microsoft_agents.hosting.core.authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AuthTypes,
    ConnectionManager,
)

from . import _settings
from ._clients import MsalClients
from ._settings import MANAGED_IDENTITY_TYPES, instance_of, resolve_scopes, validate_configuration
from ._token_memo import IssuedToken, TokenMemo
from .errors import (
    MsalConfigurationError,
    MsalRequestError,
    MsalUnsupportedError,
    authentication_errors,
)

if TYPE_CHECKING:
    from ._token_credential import MsalTokenCredential

__all__ = ["MsalAuth", "MsalConnectionManager"]

logger = logging.getLogger(__name__)


class MsalAuth(AccessTokenProviderBase):
    """Gets tokens for one connection with MSAL.

    ``AUTH_TYPE`` picks the credential: ``ClientSecret`` (default), ``certificate`` (PFX or PEM
    file, ``SEND_X5C`` for subject name / issuer authentication), ``FederatedCredentials``
    (a user-assigned managed identity's token as the client assertion),
    ``WorkloadIdentity`` (the federated token file), ``UserManagedIdentity``,
    ``SystemManagedIdentity`` and ``IdentityProxyManager``. Other types raise
    ``NotImplementedError`` here, at start-up.

    ``http_client`` (optional) is the ``requests.Session``-like object MSAL sends its requests
    with (proxies, a private certificate authority, ...); by default MSAL's own session, and
    a new ``requests.Session`` for managed identity.
    """

    def __init__(self, msal_configuration: AgentAuthConfiguration, *, http_client: Any = None):
        validate_configuration(msal_configuration)
        self._configuration = msal_configuration
        self._credentials_problem = _credentials_problem(msal_configuration)
        self._clients = MsalClients(msal_configuration, http_client)
        self._memo = TokenMemo()

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._configuration

    # -- settings resolution (kept here for callers and tests of the contract) --------------

    @staticmethod
    def _resolve_tenant_id(
        config: AgentAuthConfiguration, tenant_id: str | None = None
    ) -> str | None:
        return _settings.resolve_tenant_id(config, tenant_id)

    @staticmethod
    def _resolve_authority(config: AgentAuthConfiguration, tenant_id: str | None = None) -> str:
        return _settings.resolve_authority(config, tenant_id)

    @staticmethod
    def _resolve_azure_region(config: AgentAuthConfiguration) -> str | None:
        return _settings.resolve_azure_region(config)

    @staticmethod
    def _resolve_idpm_resource(config: AgentAuthConfiguration) -> str:
        return _settings.resolve_idpm_resource(config)

    # -- tokens ------------------------------------------------------------------------------

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        """A token for ``resource_url``: for ``scopes`` (or the configured ``SCOPES``, with
        ``{instance}`` replaced by the URL's ``scheme://host``); managed identities ask for the
        resource itself. Cached until shortly before it expires unless ``force_refresh``."""
        token = await self._access_token(resource_url, scopes, force_refresh)
        return token.value

    async def _access_token(
        self, resource_url: str, scopes: list[str] | None, force_refresh: bool = False
    ) -> IssuedToken:
        instance = instance_of(resource_url)
        self._require_credentials()
        if self._is_managed_identity:
            key: Hashable = ("managed", resource_url)
            return await self._memoized(
                key, force_refresh, self._clients.managed_token, resource_url, force_refresh
            )
        wanted = resolve_scopes(self._configuration, list(scopes or []), instance)
        return await self._memoized(
            ("client", tuple(wanted)),
            force_refresh,
            self._clients.client_token,
            wanted,
            force_refresh,
        )

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        """Exchange a user's token for one with ``scopes`` (confidential clients only)."""
        if self._is_managed_identity:
            raise MsalUnsupportedError(
                authentication_errors.OnBehalfOfFlowNotSupportedManagedIdentity.format()
            )
        self._require_credentials()
        token = await asyncio.to_thread(self._clients.on_behalf_of, list(scopes), user_assertion)
        return token.value

    async def get_agentic_application_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> str | None:
        """The blueprint's token for agent instance ``agent_app_instance_id``."""
        if not agent_app_instance_id:
            raise MsalRequestError(
                authentication_errors.AgentApplicationInstanceIdRequired.format()
            )
        self._require_credentials()
        token = await self._memoized(
            ("agentic-app", tenant_id, agent_app_instance_id),
            False,
            self._clients.agentic_application_token,
            tenant_id,
            agent_app_instance_id,
        )
        return token.value

    async def get_agentic_instance_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> tuple[str, str]:
        """``(instance_token, blueprint_token)`` of agent instance ``agent_app_instance_id``."""
        if not agent_app_instance_id:
            raise MsalRequestError(
                authentication_errors.AgentApplicationInstanceIdRequired.format()
            )
        blueprint = await self.get_agentic_application_token(tenant_id, agent_app_instance_id)
        instance = await self._memoized(
            ("agentic-instance", tenant_id, agent_app_instance_id),
            False,
            self._clients.agentic_instance_token,
            tenant_id,
            agent_app_instance_id,
        )
        return instance.value, blueprint or ""

    async def get_agentic_user_token(
        self,
        tenant_id: str,
        agent_app_instance_id: str,
        agentic_user_id: str,
        scopes: list[str],
    ) -> str | None:
        """A token with ``scopes`` of agentic user ``agentic_user_id`` (by object id)."""
        if not agent_app_instance_id or not agentic_user_id:
            raise MsalRequestError(
                authentication_errors.AgentApplicationInstanceIdAndUserIdRequired.format()
            )
        self._require_credentials()
        token = await self._memoized(
            ("agentic-user", tenant_id, agent_app_instance_id, agentic_user_id, tuple(scopes)),
            False,
            self._clients.agentic_user_token,
            tenant_id,
            agent_app_instance_id,
            agentic_user_id,
            list(scopes),
        )
        return token.value

    def get_token_credential(self) -> MsalTokenCredential:
        """An async credential (``get_token(*scopes)``) backed by this provider."""
        from ._token_credential import MsalTokenCredential

        return MsalTokenCredential(self._configuration, provider=self)

    # -- helpers -----------------------------------------------------------------------------

    @property
    def _is_managed_identity(self) -> bool:
        return self._configuration.AUTH_TYPE in MANAGED_IDENTITY_TYPES

    def _require_credentials(self) -> None:
        """A connection admitted without credentials (``ANONYMOUS_ALLOWED``) cannot get
        tokens: say which settings are missing instead of letting MSAL fail obscurely."""
        if self._credentials_problem is not None:
            raise MsalConfigurationError(str(self._credentials_problem))

    async def _memoized(
        self,
        key: Hashable,
        force_refresh: bool,
        fetch: Callable[..., IssuedToken],
        *args: Any,
    ) -> IssuedToken:
        if force_refresh:
            self._memo.forget(key)
        else:
            token = self._memo.get(key)
            if token is not None:
                return token
        token = await asyncio.to_thread(fetch, *args)
        self._memo.put(key, token)
        return token

    def __repr__(self) -> str:
        config = self._configuration
        return (
            f"MsalAuth(auth_type={str(config.AUTH_TYPE)!r}, client_id={config.CLIENT_ID!r}, "
            f"tenant_id={config.TENANT_ID!r})"
        )


def _credentials_problem(config: AgentAuthConfiguration) -> MsalConfigurationError | None:
    """Why an anonymous-capable connection could not get tokens (``None``: it can)."""
    if not config.ANONYMOUS_ALLOWED:
        return None  # validated in full already
    if not config.CLIENT_ID and AuthTypes.system_managed_identity != config.AUTH_TYPE:
        prefix = _settings.setting_name(config, "")
        return MsalConfigurationError(
            authentication_errors.AnonymousConnectionHasNoCredentials.format(prefix)
        )
    try:
        validate_configuration(config, credentials_required=True)
    except MsalConfigurationError as problem:
        return problem
    return None


class MsalConnectionManager(ConnectionManager):
    """Named MSAL connections and the ``CONNECTIONSMAP`` routing rules.

    Usually built from the environment::

        config = load_configuration_from_env(os.environ)
        connection_manager = MsalConnectionManager(**config)

    which reads ``CONNECTIONS__<NAME>__SETTINGS__*`` (``SERVICE_CONNECTION`` is required and
    is the default) and ``CONNECTIONSMAP__<n>__{CONNECTION,SERVICEURL,AUDIENCE}``; other keys
    (``AGENTAPPLICATION``, ...) are ignored. Every connection's settings are checked here, so
    a mistake fails at start-up with the variable to fix; nothing is fetched from the network
    until the first token is needed.

    ``http_client`` (optional) is passed to every connection's :class:`MsalAuth`.
    """

    def __init__(
        self,
        connections_configurations: dict[str, AgentAuthConfiguration] | None = None,
        connections_map: list[dict[str, str]] | None = None,
        *,
        http_client: Any = None,
        **kwargs: Any,
    ) -> None:
        factory: Any = MsalAuth
        if http_client is not None:
            factory = functools.partial(MsalAuth, http_client=http_client)
        super().__init__(factory, connections_configurations, connections_map, **kwargs)
