"""``LoopbackTokenProvider``: outgoing tokens minted by a loopback ``OpenIdProvider``.

An agent's token provider normally asks Entra ID for tokens. In tests over real HTTP the
provider below mints them with the keys of an :class:`OpenIdProvider` instead, shaped like
Entra ID v2 access tokens: ``aud`` is the resource asked for (the app id of the agent called,
or ``https://api.botframework.com`` for a channel) and ``azp`` the agent's own app id. Agents
that validate tokens against the same provider accept them, so two agents can call each
other with real, verifiable JWTs::

    async with OpenIdProvider() as idp:
        caller = loopback_connection_manager(idp, "caller-app-id")
        callee = loopback_connection_manager(idp, "callee-app-id")
        # CloudAdapter(connection_manager=caller), auth configuration:
        # caller.get_default_connection_configuration(), and the same for the callee.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ConnectionManager,
)

if TYPE_CHECKING:
    from ._openid import OpenIdProvider

__all__ = ["LOOPBACK_TENANT_ID", "LoopbackTokenProvider", "loopback_connection_manager"]

LOOPBACK_TENANT_ID = "8d2e6b32-5f0a-4c0e-9a55-0c1d2e3f4a5b"
"""The tenant id of tokens minted for tests (any GUID works; this one is made up)."""

_DEFAULT_SUFFIX = "/.default"
_APP_PREFIX = "app://"


class LoopbackTokenProvider(AnonymousTokenProvider):
    """A token provider for app ``app_id`` whose tokens ``idp`` signs.

    ``requests`` records each ``(resource_url, scopes)`` asked for, so tests can check which
    audience and scope an agent used. Tokens last an hour; none is cached. Only app tokens
    are minted: the on-behalf-of and agentic methods raise ``NotImplementedError``.
    """

    def __init__(
        self,
        idp: OpenIdProvider,
        app_id: str,
        tenant_id: str = LOOPBACK_TENANT_ID,
        *,
        configuration: AgentAuthConfiguration | None = None,
    ) -> None:
        self.idp = idp
        self.app_id = app_id
        self.tenant_id = tenant_id
        self.requests: list[tuple[str, list[str]]] = []
        super().__init__(
            configuration or AgentAuthConfiguration(client_id=app_id, tenant_id=tenant_id)
        )

    @staticmethod
    def audience_of(resource_url: str, scopes: list[str] | None) -> str:
        """The ``aud`` of a token for ``scopes`` (their first entry) or ``resource_url``."""
        target = scopes[0] if scopes else resource_url
        target = target.removesuffix(_DEFAULT_SUFFIX)
        return target.removeprefix(_APP_PREFIX)

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        self.requests.append((resource_url, list(scopes or [])))
        audience = self.audience_of(resource_url, scopes)
        return self.idp.entra_token(audience, self.tenant_id, caller=self.app_id)

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        raise NotImplementedError("LoopbackTokenProvider mints app tokens only")

    async def get_agentic_application_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> str | None:
        raise NotImplementedError("LoopbackTokenProvider mints app tokens only")

    async def get_agentic_instance_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> tuple[str, str]:
        raise NotImplementedError("LoopbackTokenProvider mints app tokens only")

    async def get_agentic_user_token(
        self,
        tenant_id: str,
        agent_app_instance_id: str,
        agentic_user_id: str,
        scopes: list[str],
    ) -> str | None:
        raise NotImplementedError("LoopbackTokenProvider mints app tokens only")


def loopback_connection_manager(
    idp: OpenIdProvider,
    app_id: str,
    tenant_id: str = LOOPBACK_TENANT_ID,
    **settings: Any,
) -> ConnectionManager:
    """A ``ConnectionManager`` for app ``app_id`` that trusts and uses ``idp`` only.

    Its default connection validates incoming tokens against ``idp``'s metadata (audience
    ``app_id``) and gets outgoing tokens from a :class:`LoopbackTokenProvider`. ``settings``
    are extra connection settings (env-style keys, e.g. ``ANONYMOUS_ALLOWED=True``).
    """
    configuration = AgentAuthConfiguration(
        **idp.settings(client_id=app_id, TENANTID=tenant_id, **settings)
    )

    def provider(config: AgentAuthConfiguration) -> AccessTokenProviderBase:
        return LoopbackTokenProvider(
            idp, config.CLIENT_ID or app_id, tenant_id, configuration=config
        )

    return ConnectionManager(provider, {"SERVICE_CONNECTION": configuration})
