"""Per-turn REST clients: the user-token client made on demand, and closing after the turn.

Most turns never talk to the user-token service, and creating its client may cost a token
request. :class:`LazyUserTokenClient` stands in for it: it satisfies ``UserTokenClientBase``
and asks the client factory for the real client only when one of its operations is first
awaited. Closing it closes only a client that was actually made.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import (
    SignInResource,
    TokenOrSignInResourceResponse,
    TokenResponse,
    TokenStatus,
)

from .connector import (
    AgentSignInBase,
    ChannelServiceClientFactoryBase,
    UserTokenBase,
    UserTokenClientBase,
)

if TYPE_CHECKING:
    from ._turn_context import TurnContext
    from .authorization import ClaimsIdentity

__all__ = ["LazyUserTokenClient", "close_quietly", "get_user_token_client"]

logger = logging.getLogger(__name__)

_USER_TOKEN_KEY: type[UserTokenClientBase] = UserTokenClientBase  # type: ignore[type-abstract]


class LazyUserTokenClient(UserTokenClientBase):
    """A ``UserTokenClientBase`` that creates the real client on first use.

    ``create`` is awaited at most once (concurrent first calls share it). Every operation,
    including those of :attr:`user_token` and :attr:`agent_sign_in`, resolves the client first.
    """

    def __init__(self, create: Callable[[], Awaitable[UserTokenClientBase]]) -> None:
        self._create = create
        self._client: UserTokenClientBase | None = None
        self._lock: asyncio.Lock | None = None  # made on first use: most turns never need it

    @property
    def created(self) -> bool:
        """Whether the real client has been made."""
        return self._client is not None

    async def resolve(self) -> UserTokenClientBase:
        """The real client, created now if needed."""
        if self._client is None:
            lock = self._lock
            if lock is None:
                lock = self._lock = asyncio.Lock()
            async with lock:
                if self._client is None:
                    self._client = await self._create()
        return self._client

    @property
    def user_token(self) -> UserTokenBase:
        return _LazyUserToken(self)

    @property
    def agent_sign_in(self) -> AgentSignInBase:
        return _LazyAgentSignIn(self)

    async def get_user_token(self, *args: Any, **kwargs: Any) -> TokenResponse:
        return await (await self.resolve()).get_user_token(*args, **kwargs)

    async def get_token_or_sign_in_resource(
        self, *args: Any, **kwargs: Any
    ) -> TokenOrSignInResourceResponse:
        return await (await self.resolve()).get_token_or_sign_in_resource(*args, **kwargs)

    async def get_sign_in_resource(self, *args: Any, **kwargs: Any) -> SignInResource:
        return await (await self.resolve()).get_sign_in_resource(*args, **kwargs)

    async def sign_out_user(self, *args: Any, **kwargs: Any) -> None:
        await (await self.resolve()).sign_out_user(*args, **kwargs)

    async def get_token_status(self, *args: Any, **kwargs: Any) -> list[TokenStatus]:
        return await (await self.resolve()).get_token_status(*args, **kwargs)

    async def get_aad_tokens(self, *args: Any, **kwargs: Any) -> dict[str, TokenResponse]:
        return await (await self.resolve()).get_aad_tokens(*args, **kwargs)

    async def exchange_token(self, *args: Any, **kwargs: Any) -> TokenResponse:
        return await (await self.resolve()).exchange_token(*args, **kwargs)

    async def close(self) -> None:
        """Close the real client, if one was made."""
        client, self._client = self._client, None
        if client is not None:
            await client.close()

    def __repr__(self) -> str:
        return f"LazyUserTokenClient(created={self.created})"


class _LazyUserToken(UserTokenBase):
    def __init__(self, owner: LazyUserTokenClient) -> None:
        self._owner = owner

    async def _target(self) -> UserTokenBase:
        return (await self._owner.resolve()).user_token

    async def get_token(self, *args: Any, **kwargs: Any) -> TokenResponse:
        return await (await self._target()).get_token(*args, **kwargs)

    async def get_aad_tokens(self, *args: Any, **kwargs: Any) -> dict[str, TokenResponse]:
        return await (await self._target()).get_aad_tokens(*args, **kwargs)

    async def sign_out(self, *args: Any, **kwargs: Any) -> None:
        await (await self._target()).sign_out(*args, **kwargs)

    async def get_token_status(self, *args: Any, **kwargs: Any) -> list[TokenStatus]:
        return await (await self._target()).get_token_status(*args, **kwargs)

    async def exchange_token(self, *args: Any, **kwargs: Any) -> TokenResponse:
        return await (await self._target()).exchange_token(*args, **kwargs)


class _LazyAgentSignIn(AgentSignInBase):
    def __init__(self, owner: LazyUserTokenClient) -> None:
        self._owner = owner

    async def _target(self) -> AgentSignInBase:
        return (await self._owner.resolve()).agent_sign_in

    async def get_sign_in_url(self, *args: Any, **kwargs: Any) -> str:
        return await (await self._target()).get_sign_in_url(*args, **kwargs)

    async def get_sign_in_resource(self, *args: Any, **kwargs: Any) -> SignInResource:
        return await (await self._target()).get_sign_in_resource(*args, **kwargs)


async def get_user_token_client(context: TurnContext) -> UserTokenClientBase | None:
    """The turn's user-token client, created now if it was deferred; ``None`` if there is none."""
    client = context.services.get(_USER_TOKEN_KEY)
    if isinstance(client, LazyUserTokenClient):
        return await client.resolve()
    return client


async def close_quietly(client: Any, what: str) -> None:
    """Close ``client`` after a turn; a failure is logged, never raised over the turn's own."""
    if client is None:
        return
    try:
        await client.close()
    except Exception:
        logger.warning("closing the %s after the turn failed", what, exc_info=True)


class _UserTokenClientMaker:
    """Makes the turn's user-token client when it is first needed.

    It holds the context weakly: the context holds the client, and a reference cycle through
    it would leave every turn's objects to the garbage collector instead of freeing them at
    the end of the turn.
    """

    __slots__ = ("_anonymous", "_claims", "_context", "_factory")

    def __init__(
        self,
        factory: ChannelServiceClientFactoryBase,
        context: TurnContext,
        claims: ClaimsIdentity,
        anonymous: bool,
    ) -> None:
        self._factory = factory
        self._context = weakref.ref(context)
        self._claims = claims
        self._anonymous = anonymous

    def __call__(self) -> Awaitable[UserTokenClientBase]:
        return self._factory.create_user_token_client(
            self._context(),  # type: ignore[arg-type]  # alive while the turn runs
            self._claims,
            self._anonymous,
        )
