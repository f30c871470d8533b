"""User-token models of the token service and the sign-in / token-exchange flow."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
from pydantic import Field

from ._accounts import ConversationReference
from ._model import AgentsModel, NonEmptyString

__all__ = [
    "SignInResource",
    "TokenExchangeInvokeRequest",
    "TokenExchangeInvokeResponse",
    "TokenExchangeRequest",
    "TokenExchangeResource",
    "TokenExchangeState",
    "TokenOrSignInResourceResponse",
    "TokenPostResource",
    "TokenRequest",
    "TokenResponse",
    "TokenStatus",
]


class TokenResponse(AgentsModel):
    """A user token handed out by the token service.

    A response is truthy only when it actually carries a token, so
    ``if token_response:`` reads as "did we get a token".
    """

    connection_name: NonEmptyString | None = None
    token: NonEmptyString | None = None
    expiration: NonEmptyString | None = None
    channel_id: NonEmptyString | None = None

    def __bool__(self) -> bool:
        return bool(self.token)

    def is_exchangeable(self) -> bool:
        """Whether the token looks usable for an on-behalf-of exchange.

        The token is decoded as a JWT *without* checking its signature or lifetime. It is not
        exchangeable when it is a user-issued identity token (``idtyp == "user"``). Otherwise it
        is exchangeable when its ``aud`` claim is a string that contains the client app id of
        the token: the ``appid`` claim for v1 tokens (``ver`` absent or ``"1.0"``), the ``azp``
        claim for v2 tokens. Any decoding problem, missing claim or other error gives ``False``.
        """
        if not self.token:
            return False
        try:
            claims = jwt.decode(self.token, options={"verify_signature": False})
            if claims.get("idtyp") == "user":
                return False
            app_id = _client_app_id(claims)
            audience = claims.get("aud")
            return isinstance(app_id, str) and isinstance(audience, str) and app_id in audience
        except Exception:
            return False


def _client_app_id(claims: dict[str, Any]) -> Any:
    version = claims.get("ver")
    if not version or version == "1.0":
        return claims.get("appid")
    if version == "2.0":
        return claims.get("azp")
    return None


class TokenRequest(AgentsModel):
    """A request for a token from a named provider."""

    provider: NonEmptyString | None = None
    settings: dict[str, Any] | None = None


class TokenStatus(AgentsModel):
    """Whether a user has a token for one OAuth connection."""

    channel_id: NonEmptyString | None = None
    connection_name: NonEmptyString | None = None
    has_token: bool | None = None
    service_provider_display_name: NonEmptyString | None = None


class TokenExchangeRequest(AgentsModel):
    """Body of an exchange call to the token service: a URI or a token to exchange."""

    uri: NonEmptyString | None = None
    token: NonEmptyString | None = None


class TokenExchangeInvokeRequest(AgentsModel):
    """The ``value`` of a ``signin/tokenExchange`` invoke activity."""

    id: NonEmptyString | None = None
    connection_name: NonEmptyString | None = None
    token: NonEmptyString | None = None
    properties: dict[str, Any] | None = None


class TokenExchangeInvokeResponse(AgentsModel):
    """The body returned for a ``signin/tokenExchange`` invoke, e.g. when consent is needed."""

    id: NonEmptyString | None = None
    connection_name: NonEmptyString | None = None
    failure_detail: NonEmptyString | None = None
    properties: dict[str, Any] | None = None


class TokenExchangeResource(AgentsModel):
    """Information a channel needs to perform single sign-on (token exchange)."""

    id: NonEmptyString | None = None
    uri: NonEmptyString | None = None
    provider_id: NonEmptyString | None = None


class TokenPostResource(AgentsModel):
    """Where a channel may post a token directly."""

    sas_url: NonEmptyString | None = None


class SignInResource(AgentsModel):
    """A sign-in link plus the optional exchange and post resources."""

    sign_in_link: NonEmptyString | None = None
    token_exchange_resource: TokenExchangeResource | None = None
    token_post_resource: TokenPostResource | None = None


class TokenOrSignInResourceResponse(AgentsModel):
    """Either a token (the user is signed in) or what is needed to sign in."""

    token_response: TokenResponse | None = None
    sign_in_resource: SignInResource | None = None


class TokenExchangeState(AgentsModel):
    """The state passed to the token service when a sign-in link is requested.

    On the wire ``agent_url`` is written ``bot_url`` (snake case, unlike every other key) and
    ``ms_app_id`` is ``msAppId``.
    """

    connection_name: NonEmptyString | None = None
    conversation: ConversationReference | None = None
    relates_to: ConversationReference | None = None
    agent_url: NonEmptyString | None = Field(default=None, alias="bot_url")
    ms_app_id: NonEmptyString | None = None

    def get_encoded_state(self) -> str:
        """Base64 of the UTF-8 JSON wire form, leaving out unset and ``None`` values."""
        wire = self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True)
        return base64.b64encode(json.dumps(wire).encode("utf-8")).decode("ascii")
