"""``UserTokenClient``: the REST client of the user-token service (OAuth for channel users)."""

from __future__ import annotations

from typing import Any

from typing_extensions import Self
from yarl import URL

from microsoft_agents.activity import (
    Activity,
    ChannelId,
    SignInResource,
    TokenExchangeRequest,
    TokenExchangeState,
    TokenOrSignInResourceResponse,
    TokenResponse,
    TokenStatus,
)

from .._bases import AgentSignInBase, UserTokenBase, UserTokenClientBase
from .._rest import RestEndpoint, RestReply, SessionArg, TokenArg, dump_model, require_args
from .._session import RetryPolicy

__all__ = ["AgentSignInOperations", "UserTokenClient", "UserTokenOperations"]

DEFAULT_TOKEN_SERVICE_ENDPOINT = "https://api.botframework.com"


def _object(reply: RestReply) -> dict[str, Any]:
    data = reply.json()
    return data if isinstance(data, dict) else {}


def _base_channel(channel_id: str | None) -> str | None:
    """The channel without its sub-channel (``msteams:COPILOT`` → ``msteams``)."""
    return ChannelId.get_channel(channel_id) if channel_id else None


class UserTokenOperations(UserTokenBase):
    """The ``api/usertoken`` operations. ``channelId`` is always sent as the base channel."""

    def __init__(self, endpoint: RestEndpoint) -> None:
        self._endpoint = endpoint

    def _url(self, name: str) -> URL:
        return self._endpoint.url("api", "usertoken", name)

    async def get_token(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str | None = None,
        code: str | None = None,
    ) -> TokenResponse:
        """``GET api/usertoken/GetToken``; no stored token (HTTP 404) gives an empty response."""
        require_args(user_id=user_id, connection_name=connection_name)
        reply = await self._endpoint.send(
            "GET",
            self._url("GetToken"),
            params={
                "userId": user_id,
                "connectionName": connection_name,
                "channelId": _base_channel(channel_id),
                "code": code or None,
            },
            accept=(404,),
        )
        if reply.status == 404:
            return TokenResponse()
        return TokenResponse.model_validate(_object(reply))

    async def get_token_or_sign_in_resource(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str,
        state: str,
        code: str = "",
        final_redirect: str = "",
        fwd_url: str = "",
    ) -> TokenOrSignInResourceResponse:
        """``GET api/usertoken/GetTokenOrSignInResource``: the token, or how to sign in."""
        reply = await self._endpoint.send(
            "GET",
            self._url("GetTokenOrSignInResource"),
            params={
                "userId": user_id,
                "connectionName": connection_name,
                "channelId": _base_channel(channel_id),
                "state": state,
                "code": code,
                "finalRedirect": final_redirect,
                "fwdUrl": fwd_url,
            },
        )
        return TokenOrSignInResourceResponse.model_validate(_object(reply))

    async def get_aad_tokens(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, TokenResponse]:
        """``POST api/usertoken/GetAadTokens`` with ``{"resourceUrls": [...]}``."""
        require_args(user_id=user_id, connection_name=connection_name)
        reply = await self._endpoint.send(
            "POST",
            self._url("GetAadTokens"),
            params={
                "userId": user_id,
                "connectionName": connection_name,
                "channelId": _base_channel(channel_id),
            },
            body=body or {},
        )
        return {url: TokenResponse.model_validate(t) for url, t in _object(reply).items()}

    async def sign_out(
        self, user_id: str, connection_name: str | None = None, channel_id: str | None = None
    ) -> None:
        """``DELETE api/usertoken/SignOut``: forget the user's token(s)."""
        require_args(user_id=user_id)
        await self._endpoint.send(
            "DELETE",
            self._url("SignOut"),
            params={
                "userId": user_id,
                "connectionName": connection_name or None,
                "channelId": _base_channel(channel_id),
            },
        )

    async def get_token_status(
        self, user_id: str, channel_id: str | None = None, include: str | None = None
    ) -> list[TokenStatus]:
        """``GET api/usertoken/GetTokenStatus``: which connections have a token."""
        require_args(user_id=user_id)
        reply = await self._endpoint.send(
            "GET",
            self._url("GetTokenStatus"),
            params={"userId": user_id, "channelId": _base_channel(channel_id), "include": include},
        )
        data = reply.json()
        return [TokenStatus.model_validate(s) for s in data] if isinstance(data, list) else []

    async def exchange_token(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str,
        body: dict[str, Any] | None = None,
    ) -> TokenResponse:
        """``POST api/usertoken/exchange`` with ``{uri?, token?}``.

        A failed exchange raises ``aiohttp.ClientResponseError`` whose message is the text the
        service answered (the sign-in flow reads it, e.g. to detect that consent is needed).
        """
        require_args(user_id=user_id, connection_name=connection_name, channel_id=channel_id)
        reply = await self._endpoint.send(
            "POST",
            self._url("exchange"),
            params={
                "userId": user_id,
                "connectionName": connection_name,
                "channelId": _base_channel(channel_id),
            },
            body=body or {},
            verbatim_error=True,
        )
        return TokenResponse.model_validate(_object(reply))


class AgentSignInOperations(AgentSignInBase):
    """The sign-in link operations of the token service."""

    def __init__(self, endpoint: RestEndpoint) -> None:
        self._endpoint = endpoint

    @staticmethod
    def _params(
        state: str,
        code_challenge: str | None,
        emulator_url: str | None,
        final_redirect: str | None,
    ) -> dict[str, str | None]:
        return {
            "state": state,
            "codeChallenge": code_challenge,
            "emulatorUrl": emulator_url,
            "finalRedirect": final_redirect,
        }

    async def get_sign_in_url(
        self,
        state: str,
        code_challenge: str | None = None,
        emulator_url: str | None = None,
        final_redirect: str | None = None,
    ) -> str:
        """``GET api/agentsignin/getSignInUrl``: a sign-in link, as text."""
        require_args(state=state)
        reply = await self._endpoint.send(
            "GET",
            self._endpoint.url("api", "agentsignin", "getSignInUrl"),
            params=self._params(state, code_challenge, emulator_url, final_redirect),
        )
        return reply.text()

    async def get_sign_in_resource(
        self,
        state: str,
        code_challenge: str | None = None,
        emulator_url: str | None = None,
        final_redirect: str | None = None,
    ) -> SignInResource:
        """``GET api/botsignin/getSignInResource``: the link plus exchange/post resources."""
        require_args(state=state)
        reply = await self._endpoint.send(
            "GET",
            self._endpoint.url("api", "botsignin", "getSignInResource"),
            params=self._params(state, code_challenge, emulator_url, final_redirect),
        )
        return SignInResource.model_validate(_object(reply))


class UserTokenClient(UserTokenClientBase):
    """Talks to the user-token service (``https://api.botframework.com/`` by default).

    ``token`` is the agent's bearer token for the service, or an async callable returning it
    (awaited on the first call: a turn that never needs the token service never asks for one).
    ``app_id`` is the agent's app id, needed to build the sign-in state. ``session`` and
    ``retry_policy`` work as for :class:`ConnectorClient`.
    """

    def __init__(
        self,
        endpoint: str | None,
        token: TokenArg,
        *,
        app_id: str | None = None,
        session: SessionArg = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        self._endpoint = RestEndpoint(
            endpoint or DEFAULT_TOKEN_SERVICE_ENDPOINT,
            token,
            session=session,
            retry_policy=retry_policy,
        )
        self._app_id = app_id
        self._user_token = UserTokenOperations(self._endpoint)
        self._agent_sign_in = AgentSignInOperations(self._endpoint)

    def __repr__(self) -> str:
        return f"UserTokenClient({self.base_uri!r}, app_id={self._app_id!r})"

    @property
    def base_uri(self) -> str:
        return self._endpoint.base_uri

    @property
    def app_id(self) -> str | None:
        return self._app_id

    @property
    def endpoint(self) -> RestEndpoint:
        return self._endpoint

    @property
    def user_token(self) -> UserTokenOperations:
        return self._user_token

    @property
    def agent_sign_in(self) -> AgentSignInOperations:
        return self._agent_sign_in

    def _state(self, connection_name: str, activity: Activity) -> str:
        return TokenExchangeState(
            connection_name=connection_name,
            conversation=activity.get_conversation_reference(force_base_channel=True),
            relates_to=activity.relates_to,
            ms_app_id=self._app_id,
        ).get_encoded_state()

    async def get_user_token(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str,
        magic_code: str | None = None,
    ) -> TokenResponse:
        """The user's token for ``connection_name`` (empty response when there is none)."""
        return await self._user_token.get_token(user_id, connection_name, channel_id, magic_code)

    async def get_token_or_sign_in_resource(
        self,
        connection_name: str,
        activity: Activity,
        code: str | None = None,
        final_redirect: str | None = None,
        fwd_url: str | None = None,
    ) -> TokenOrSignInResourceResponse:
        """The token of the activity's sender, or the resource to sign in with.

        Needs the client's ``app_id`` and the activity's channel (``ValueError`` otherwise).
        """
        if not activity.channel_id:
            raise ValueError("the activity needs a channel_id to get a token or sign-in resource")
        if not self._app_id:
            raise ValueError(
                "UserTokenClient needs app_id to get a token or sign-in resource; "
                "create it with UserTokenClient(endpoint, token, app_id=...)"
            )
        user = activity.from_property
        if user is None or not user.id:
            raise ValueError("the activity needs from.id to get a token or sign-in resource")
        return await self._user_token.get_token_or_sign_in_resource(
            user.id,
            connection_name,
            activity.channel_id,
            self._state(connection_name, activity),
            code or "",
            final_redirect or "",
            fwd_url or "",
        )

    async def get_sign_in_resource(
        self, connection_name: str, activity: Activity, final_redirect: str | None = None
    ) -> SignInResource:
        """The sign-in link (and exchange/post resources) for the activity's sender."""
        require_args(connection_name=connection_name, activity=activity)
        return await self._agent_sign_in.get_sign_in_resource(
            self._state(connection_name, activity), final_redirect=final_redirect
        )

    async def sign_out_user(self, user_id: str, connection_name: str, channel_id: str) -> None:
        """Forget the user's token for ``connection_name`` (all connections when empty)."""
        await self._user_token.sign_out(user_id, connection_name, channel_id)

    async def get_token_status(
        self, user_id: str, channel_id: str, include: str | None = None
    ) -> list[TokenStatus]:
        """For each connection, whether the user has a token."""
        return await self._user_token.get_token_status(user_id, channel_id, include)

    async def get_aad_tokens(
        self, user_id: str, connection_name: str, resource_urls: list[str], channel_id: str
    ) -> dict[str, TokenResponse]:
        """Tokens for several Entra resources at once, keyed by resource URL."""
        return await self._user_token.get_aad_tokens(
            user_id, connection_name, channel_id, {"resourceUrls": list(resource_urls)}
        )

    async def exchange_token(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str,
        exchange_request: TokenExchangeRequest,
    ) -> TokenResponse:
        """Exchange an SSO token (or URI) for a token of ``connection_name``."""
        require_args(exchange_request=exchange_request)
        return await self._user_token.exchange_token(
            user_id, connection_name, channel_id, dump_model(exchange_request, exclude_none=True)
        )

    async def close(self) -> None:
        """Release the client; a shared session stays open."""
        await self._endpoint.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()
