"""Token providers and the connections that hand them out.

``AccessTokenProviderBase`` is what the rest of the SDK asks for tokens (the MSAL
distribution implements it); ``AnonymousTokenProvider`` answers with empty tokens for local
development without credentials. ``Connections`` is the protocol of a set of named providers
(``ConnectionManager`` implements it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

from ._config import AgentAuthConfiguration

if TYPE_CHECKING:
    from microsoft_agents.activity import Activity

    from ._claims_identity import ClaimsIdentity

__all__ = [
    "AccessToken",
    "AccessTokenProviderBase",
    "AnonymousTokenProvider",
    "Connections",
]


class AccessToken(NamedTuple):
    """A token and when it expires (seconds since the epoch), as credential objects return."""

    token: str
    expires_on: int


@runtime_checkable
class AccessTokenProviderBase(Protocol):
    """Gets tokens for one connection.

    Implementations must provide ``configuration`` and ``get_access_token``; the on-behalf-of
    and agentic methods raise ``NotImplementedError`` unless overridden.
    """

    @property
    def configuration(self) -> AgentAuthConfiguration:
        """The settings of this provider's connection."""
        ...

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        """A token for ``resource_url`` with ``scopes`` (cached unless ``force_refresh``)."""
        ...

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        """Exchange a user's token for one with ``scopes`` (on-behalf-of flow)."""
        raise NotImplementedError()

    async def get_agentic_application_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> str | None:
        """The token of an agent blueprint acting for one agent instance."""
        raise NotImplementedError()

    async def get_agentic_instance_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> tuple[str, str]:
        """``(instance_token, application_token)`` of an agent instance."""
        raise NotImplementedError()

    async def get_agentic_user_token(
        self,
        tenant_id: str,
        agent_app_instance_id: str,
        agentic_user_id: str,
        scopes: list[str],
    ) -> str | None:
        """A token of an agentic user for ``scopes``."""
        raise NotImplementedError()

    def get_token_credential(self) -> Any:
        """A credential object with ``async get_token(*scopes) -> AccessToken``."""
        raise NotImplementedError()


class _EmptyCredential:
    """A credential whose tokens are empty strings."""

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("", 0)

    async def close(self) -> None:
        return None


class AnonymousTokenProvider(AccessTokenProviderBase):
    """A provider for connections without credentials: every token is ``""``.

    Outgoing calls then carry no ``Authorization`` header, which is what the local channel
    emulator and other anonymous development setups expect.
    """

    def __init__(self, configuration: AgentAuthConfiguration | None = None) -> None:
        self._configuration = configuration or AgentAuthConfiguration()

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._configuration

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return ""

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        return ""

    async def get_agentic_application_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> str | None:
        return ""

    async def get_agentic_instance_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> tuple[str, str]:
        return "", ""

    async def get_agentic_user_token(
        self,
        tenant_id: str,
        agent_app_instance_id: str,
        agentic_user_id: str,
        scopes: list[str],
    ) -> str | None:
        return ""

    def get_token_credential(self) -> _EmptyCredential:
        return _EmptyCredential()


@runtime_checkable
class Connections(Protocol):
    """Named token providers and the rules that pick one for a request."""

    def get_connection(self, connection_name: str | None) -> AccessTokenProviderBase:
        """The provider of connection ``connection_name`` (``None``: the default one)."""
        ...

    def get_default_connection(self) -> AccessTokenProviderBase:
        """The provider of the default (``SERVICE_CONNECTION``) connection."""
        ...

    def get_token_provider(
        self, claims_identity: ClaimsIdentity, service_url: str
    ) -> AccessTokenProviderBase:
        """The provider to answer a caller with these claims at ``service_url``."""
        ...

    def get_token_provider_from_activity(
        self, claims_identity: ClaimsIdentity, activity: Activity
    ) -> AccessTokenProviderBase:
        """Like ``get_token_provider`` for the activity's service URL, agentic-aware."""
        ...

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        """The settings of the default connection."""
        ...
