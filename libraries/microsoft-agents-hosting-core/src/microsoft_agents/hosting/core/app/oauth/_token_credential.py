"""A signed-in user's token as an azure-core style async token credential.

Azure SDK clients (``azure.storage.blob.aio``, ``azure.cosmos.aio``, ...) take a credential
object and call ``await credential.get_token(*scopes)`` whenever they need a bearer token.
:class:`UserTokenCredential` answers those calls with the user token of a sign-in handler,
so such a client can act as the user who is talking to the agent::

    credential = app.auth.get_token_as_token_credential(context, "GRAPH")
    async with BlobServiceClient(account_url, credential=credential) as blobs:
        ...

azure-core is not needed: the credential follows its ``AsyncTokenCredential`` protocol by
shape. ``get_token`` returns ``azure.core.credentials.AccessToken`` when azure-core is
installed, else this module's :class:`AccessToken` (the same ``(token, expires_on)`` tuple).

The credential belongs to the turn it was made in: it reads the token obtained in that turn,
so keep it no longer than the turn.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

import jwt
from typing_extensions import Self

from microsoft_agents.activity import TokenResponse

from ...errors import HostingError, error_resources

if TYPE_CHECKING:
    # For type checkers, what get_token returns is azure-core's AccessToken (so the credential
    # fits azure-core's protocols); without azure-core installed it is left untyped.
    from azure.core.credentials import (  # type: ignore[import-not-found, unused-ignore]
        AccessToken as AzureAccessToken,
    )

    from ..._turn_context import TurnContext

__all__ = ["AccessToken", "UserTokenCredential", "UserTokenUnavailableError"]

# How long a token without any expiry information is taken to be valid, in seconds.
_UNKNOWN_LIFETIME = 300


class AccessToken(NamedTuple):
    """A bearer token and when it expires (seconds since the epoch, UTC)."""

    token: str
    expires_on: int


class UserTokenUnavailableError(HostingError, ValueError):
    """The credential was asked for a token and the user has none in this turn."""


def _access_token_class() -> Callable[[str, int], AzureAccessToken]:
    """azure-core's ``AccessToken`` when azure-core is installed, else :class:`AccessToken`."""
    try:
        module = importlib.import_module("azure.core.credentials")
    except ImportError:
        module = None
    fallback = cast("Callable[[str, int], AzureAccessToken]", AccessToken)  # the same shape
    token_class: Callable[[str, int], AzureAccessToken] = getattr(module, "AccessToken", fallback)
    return token_class


def _parse_expiration(text: str) -> int | None:
    """An ISO 8601 timestamp (``...Z`` or with an offset; UTC when it has none) as epoch."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def _jwt_expiry(token: str) -> int | None:
    """The ``exp`` claim of ``token`` when it is a JWT (read, not verified), else ``None``."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    expiry = claims.get("exp")
    return (
        int(expiry) if isinstance(expiry, (int, float)) and not isinstance(expiry, bool) else None
    )


def to_access_token(response: TokenResponse, now: float | None = None) -> AzureAccessToken:
    """``response`` as an access token.

    The expiry is the response's ``expiration``, else the ``exp`` claim of a JWT token, else
    five minutes from ``now`` (so that callers that cache tokens ask again soon).
    """
    token = response.token or ""
    expires_on = _parse_expiration(response.expiration) if response.expiration else None
    if expires_on is None:
        expires_on = _jwt_expiry(token)
    if expires_on is None:
        expires_on = int(time.time() if now is None else now) + _UNKNOWN_LIFETIME
    return _access_token_class()(token, expires_on)


TokenSource = Callable[[list[str]], Awaitable[TokenResponse]]
"""``async (scopes) -> TokenResponse``: where a credential gets its token from."""


class UserTokenCredential:
    """An async token credential handing out a user token (see the module documentation).

    ``get_token(*scopes)`` asks the source for a token for ``scopes`` (exchanged on-behalf-of
    when the sign-in handler has an exchange connection) and raises
    :class:`UserTokenUnavailableError` (a ``ValueError``) when there is none, e.g. because
    the user did not sign in during this turn. ``close`` releases nothing; ``async with``
    works.
    """

    def __init__(self, source: TokenSource, handler_id: str | None = None) -> None:
        self._source = source
        self._handler_id = handler_id

    def __repr__(self) -> str:
        return f"UserTokenCredential(handler={self._handler_id!r})"

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AzureAccessToken:
        """The user's token for ``scopes``; the keyword options are accepted and unused."""
        response = await self._source(list(scopes))
        if not response:
            handler = self._handler_id or "the default handler"
            raise UserTokenUnavailableError(error_resources.UserTokenUnavailable.format(handler))
        return to_access_token(response)

    async def close(self) -> None:
        """Nothing to release: the token client belongs to the turn."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()


class _Exchanges(Protocol):
    @property
    def exchange_token(self) -> Callable[..., Awaitable[TokenResponse]]: ...


class TokenCredentials:
    """The credential factories of :class:`~.Authorization` (mixed into it)."""

    def get_token_as_token_credential(
        self: _Exchanges, context: TurnContext, auth_handler_id: str | None = None
    ) -> UserTokenCredential:
        """A credential for Azure SDK clients giving the handler's token of this turn.

        The scopes a client asks for are those of the token (an on-behalf-of exchange when
        the handler has an ``OBOCONNECTIONNAME``). ``None`` means the default handler.
        """

        async def source(scopes: list[str]) -> TokenResponse:
            return await self.exchange_token(context, scopes, auth_handler_id)

        return UserTokenCredential(source, auth_handler_id)

    def exchange_token_as_token_credential(
        self: _Exchanges,
        context: TurnContext,
        scopes: list[str] | None = None,
        auth_handler_id: str | None = None,
        exchange_connection: str | None = None,
    ) -> UserTokenCredential:
        """Like :meth:`get_token_as_token_credential`, exchanging with ``exchange_connection``
        for ``scopes`` plus the scopes each ``get_token`` call asks for (duplicates dropped)."""
        fixed = list(scopes or ())

        async def source(requested: list[str]) -> TokenResponse:
            wanted = list(dict.fromkeys([*fixed, *requested]))
            return await self.exchange_token(context, wanted, auth_handler_id, exchange_connection)

        return UserTokenCredential(source, auth_handler_id)
