"""``MsalTokenCredential``: a connection as an async token credential.

It has the shape of ``azure.core.credentials_async.AsyncTokenCredential`` — ``await
get_token(*scopes)`` returning an ``AccessToken(token, expires_on)`` — so Azure SDK clients
(storage, Cosmos DB, ...) can use the agent's connection without this package depending on
``azure-core``.
"""

from __future__ import annotations

from typing import Any

from microsoft_agents.hosting.core.authorization import AccessToken, AgentAuthConfiguration

from ._msal_auth import MsalAuth
from .errors import MsalRequestError

__all__ = ["MsalTokenCredential"]

_DEFAULT_SUFFIX = "/.default"


class MsalTokenCredential:
    """An async token credential backed by an :class:`MsalAuth` (one is created from
    ``config`` unless ``provider`` is given)."""

    def __init__(self, config: AgentAuthConfiguration, *, provider: MsalAuth | None = None) -> None:
        self._provider = provider if provider is not None else MsalAuth(config)

    @property
    def provider(self) -> MsalAuth:
        return self._provider

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """A token for ``scopes``; the resource is the first scope without ``/.default``.
        Keyword options of the Azure protocol (``claims``, ``tenant_id``, ...) are accepted
        and ignored."""
        if not scopes:
            raise MsalRequestError("get_token needs at least one scope.")
        first = scopes[0]
        resource = first[: -len(_DEFAULT_SUFFIX)] if first.endswith(_DEFAULT_SUFFIX) else first
        token = await self._provider._access_token(resource, list(scopes))
        return AccessToken(token.value, int(token.expires_on))

    async def close(self) -> None:
        return None

    async def __aenter__(self) -> MsalTokenCredential:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
