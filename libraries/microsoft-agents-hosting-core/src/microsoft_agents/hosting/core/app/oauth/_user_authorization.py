"""Users sign in through the Azure Bot Service token service: OAuth card, magic code, SSO.

One sign-in, seen from the token service's side:

1. ``GetTokenOrSignInResource``: the user already has a token → done. Otherwise the agent
   sends an OAuth card (sign-in link plus the resources a channel needs for single sign-on)
   and stores a flow state: ``begin``, 10 minutes to live, 3 attempts.
2. Then the user answers, in a later turn: a 6-digit code typed into the chat, a
   ``signin/verifyState`` invoke carrying that code, a ``signin/tokenExchange`` invoke carrying
   a channel token to exchange (SSO), or a ``signin/failure`` invoke.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from microsoft_agents.activity import (
    ActionTypes,
    Activity,
    ActivityTypes,
    CardAction,
    InvokeResponse,
    OAuthCard,
    SignInResource,
    TokenExchangeInvokeRequest,
    TokenExchangeInvokeResponse,
    TokenExchangeRequest,
    TokenResponse,
)

from ..._factories import CardFactory, MessageFactory
from ..._turn_clients import get_user_token_client
from ...connector import UserTokenClientBase
from ...errors import error_resources
from ._handler_base import _AuthorizationHandler
from ._state import (
    FLOW_LIFETIME_SECONDS,
    MAX_CODE_ATTEMPTS,
    _FailureReason,
    _FlowState,
    _FlowTag,
    _SignInResult,
    flow_state_key,
    read_item,
    write_item,
)

if TYPE_CHECKING:
    from ..._turn_context import TurnContext

__all__ = ["_UserAuthorization", "is_sign_in_activity", "is_sign_in_answer"]

logger = logging.getLogger(__name__)

VERIFY_STATE = "signin/verifyState"
TOKEN_EXCHANGE = "signin/tokenExchange"
SIGN_IN_FAILURE = "signin/failure"
_MAGIC_CODE = re.compile(r"\d{6}")
_DEFAULT_CARD_TEXT = "Sign in"
_DEFAULT_BUTTON_TITLE = "Sign in"

WRONG_CODE_TEXT = "That sign-in code is not valid. Please try again ({0} attempt(s) left)."
MALFORMED_CODE_TEXT = (
    "Please finish signing in first: enter the 6-digit code you were given after signing in "
    "({0} attempt(s) left)."
)
EXCHANGE_FAILED_DETAIL = "The token could not be exchanged."
EXPIRED_DETAIL = "The sign-in request expired."


def _service_message(text: str | None) -> str | None:
    """The readable part of an error answer: ``error.message`` of a JSON body, or the text."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip() or None
    error = data.get("error") if isinstance(data, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return str(message) if message else text.strip()


def _invoke_name(activity: Activity) -> str | None:
    return activity.name if activity.type == ActivityTypes.invoke else None


def is_sign_in_answer(activity: Activity) -> bool:
    """A 6-digit code typed by the user, or a ``signin/verifyState``/``tokenExchange`` invoke."""
    if activity.type == ActivityTypes.message:
        return bool(_MAGIC_CODE.fullmatch((activity.text or "").strip()))
    return _invoke_name(activity) in (VERIFY_STATE, TOKEN_EXCHANGE)


def is_sign_in_activity(activity: Activity) -> bool:
    """A sign-in answer, or the channel reporting that the sign-in failed."""
    return is_sign_in_answer(activity) or _invoke_name(activity) == SIGN_IN_FAILURE


async def send_invoke_response(context: TurnContext, status: int, body: Any = None) -> None:
    """Answer the turn's invoke with ``status`` (and ``body``)."""
    await context.send_activity(
        Activity(
            type=ActivityTypes.invoke_response,
            value=InvokeResponse(status=status, body=body),
        )
    )


@dataclass
class _Turn:
    """What a token-service call needs from the turn."""

    client: UserTokenClientBase
    channel_id: str
    user_id: str
    app_id: str


class _UserAuthorization(_AuthorizationHandler):
    """Users sign in through the Azure Bot Service token service (OAuth card / SSO)."""

    @property
    def connection_name(self) -> str:
        """The Azure Bot Service OAuth connection (``AZUREBOTOAUTHCONNECTIONNAME``)."""
        name = self.settings.abs_oauth_connection_name
        if not name:
            raise ValueError(error_resources.OAuthConnectionNameMissing.format(self.id))
        return name

    async def _turn(self, context: TurnContext) -> _Turn:
        activity = context.activity
        client = await get_user_token_client(context)
        missing = []
        if client is None:
            missing.append("a user-token client in context.services")
        if not activity.channel_id:
            missing.append("activity.channelId")
        if activity.from_property is None or not activity.from_property.id:
            missing.append("activity.from.id")
        app_id = context.identity.get_app_id() if context.identity is not None else None
        if not app_id:
            missing.append("the app id (the 'aud' claim of the caller's token)")
        if missing or client is None:
            raise ValueError(
                error_resources.SignInPrerequisitesMissing.format(self.id, ", ".join(missing))
            )
        user = activity.from_property
        assert user is not None and user.id
        return _Turn(client, str(activity.channel_id), user.id, str(app_id))

    # -- begin --------------------------------------------------------------------------------

    async def _sign_in(
        self, context: TurnContext, continuation: Activity | None = None
    ) -> _SignInResult:
        turn = await self._turn(context)
        connection = self.connection_name
        found = await turn.client.get_token_or_sign_in_resource(connection, context.activity)
        if found.token_response:
            return await self._signed_in(found.token_response)
        resource = found.sign_in_resource
        if resource is None or not resource.sign_in_link:
            logger.warning("the token service offered no sign-in link for %r", connection)
            return _SignInResult.failure(_FailureReason.NO_TOKEN)
        await context.send_activity(self._card(connection, resource))
        flow = _FlowState(
            channel_id=turn.channel_id,
            user_id=turn.user_id,
            ms_app_id=turn.app_id,
            connection=connection,
            auth_handler_id=self.id,
            expiration=time.time() + FLOW_LIFETIME_SECONDS,
            continuation_activity=continuation or context.activity,
            attempts_remaining=MAX_CODE_ATTEMPTS,
            tag=_FlowTag.BEGIN,
        )
        await write_item(self._storage, flow_state_key(context, self.id), flow)
        return _SignInResult.pending()

    def _card(self, connection: str, resource: SignInResource) -> Activity:
        card = OAuthCard(
            text=self.settings.text or _DEFAULT_CARD_TEXT,
            connection_name=connection,
            buttons=[
                CardAction(
                    type=ActionTypes.signin,
                    title=self.settings.title or _DEFAULT_BUTTON_TITLE,
                    value=resource.sign_in_link,
                )
            ],
            token_exchange_resource=resource.token_exchange_resource,
            token_post_resource=resource.token_post_resource,
        )
        return MessageFactory.attachment(CardFactory.oauth_card(card))

    # -- continue -----------------------------------------------------------------------------

    async def _continue_sign_in(self, context: TurnContext) -> _SignInResult:
        key = flow_state_key(context, self.id)
        flow: _FlowState | None = await read_item(self._storage, key, _FlowState)
        if flow is None or not flow.is_waiting():
            # The flow is gone (signed out, storage cleared): start over.
            return await self._sign_in(context)
        activity = context.activity
        name = _invoke_name(activity)
        if flow.is_expired():
            await self._storage.delete([key])
            if name == SIGN_IN_FAILURE:
                await send_invoke_response(context, 200)
            elif name in (VERIFY_STATE, TOKEN_EXCHANGE):
                await send_invoke_response(context, 412, self._exchange_body(EXPIRED_DETAIL))
            return _SignInResult.failure(_FailureReason.EXPIRED)
        if activity.type == ActivityTypes.message:
            return await self._verify_code(context, flow, (activity.text or "").strip())
        if name == VERIFY_STATE:
            value = activity.value if isinstance(activity.value, dict) else {}
            return await self._verify_code(context, flow, str(value.get("state") or ""), True)
        if name == TOKEN_EXCHANGE:
            return await self._exchange(context)
        if name == SIGN_IN_FAILURE:
            await self._storage.delete([key])
            await send_invoke_response(context, 200)
            value = activity.value if isinstance(activity.value, dict) else {}
            detail = value.get("message") or value.get("code")
            return _SignInResult.failure(
                _FailureReason.CHANNEL_FAILURE, str(detail) if detail else None
            )
        logger.info(
            "a %r activity arrived while user sign-in %r is in progress; it is not handled",
            activity.type,
            self.id,
        )
        return _SignInResult.pending()

    async def _verify_code(
        self, context: TurnContext, flow: _FlowState, code: str, via_invoke: bool = False
    ) -> _SignInResult:
        # A typed code must look like one; the channel's verifyState carries it as it is.
        well_formed = bool(code) if via_invoke else bool(_MAGIC_CODE.fullmatch(code))
        if well_formed:
            turn = await self._turn(context)
            token = await turn.client.get_user_token(
                turn.user_id, self.connection_name, turn.channel_id, code
            )
            if token:
                await self._storage.delete([flow_state_key(context, self.id)])
                if via_invoke:
                    await send_invoke_response(context, 200)
                return await self._signed_in(token, interactive=True)
        return await self._wrong_code(context, flow, malformed=not well_formed)

    async def _wrong_code(
        self, context: TurnContext, flow: _FlowState, *, malformed: bool
    ) -> _SignInResult:
        flow.attempts_remaining -= 1
        key = flow_state_key(context, self.id)
        if _invoke_name(context.activity) == VERIFY_STATE:
            await send_invoke_response(context, 404)
        if flow.attempts_remaining <= 0:
            await self._storage.delete([key])
            return _SignInResult.failure(_FailureReason.MAX_ATTEMPTS)
        flow.tag = _FlowTag.CONTINUE
        await write_item(self._storage, key, flow)
        text = MALFORMED_CODE_TEXT if malformed else WRONG_CODE_TEXT
        await context.send_activity(text.format(flow.attempts_remaining))
        return _SignInResult.pending()

    def _exchange_body(
        self, detail: str | None, request: TokenExchangeInvokeRequest | None = None
    ) -> TokenExchangeInvokeResponse:
        return TokenExchangeInvokeResponse(
            id=request.id if request is not None else None,
            connection_name=self.settings.abs_oauth_connection_name or None,
            failure_detail=detail or None,
        )

    async def _exchange(self, context: TurnContext) -> _SignInResult:
        """``signin/tokenExchange``: trade the channel's SSO token for a user token."""
        value = context.activity.value if isinstance(context.activity.value, dict) else {}
        request = TokenExchangeInvokeRequest.model_validate(value)
        connection = self.connection_name
        if request.connection_name and request.connection_name != connection:
            mismatch = f"The token exchange was meant for connection {request.connection_name!r}."
            await send_invoke_response(context, 412, self._exchange_body(mismatch, request))
            return _SignInResult.pending()
        token = TokenResponse()
        detail: str | None = None
        if request.token:
            turn = await self._turn(context)
            try:
                token = await turn.client.exchange_token(
                    turn.user_id,
                    connection,
                    turn.channel_id,
                    TokenExchangeRequest(token=request.token),
                )
            except aiohttp.ClientResponseError as error:
                # e.g. HTTP 400 "Consent Required": the user must consent through the card.
                logger.info("token exchange for %r failed with HTTP %s", connection, error.status)
                detail = _service_message(error.message) if error.status == 400 else None
            except aiohttp.ClientError as error:
                logger.warning("token exchange for %r failed: %r", connection, error)
        if not token:
            # Not 200: the channel then shows the sign-in card to the user instead.
            body = self._exchange_body(detail or EXCHANGE_FAILED_DETAIL, request)
            await send_invoke_response(context, 412, body)
            return _SignInResult.pending()
        await self._storage.delete([flow_state_key(context, self.id)])
        body = TokenExchangeInvokeResponse(id=request.id, connection_name=connection)
        await send_invoke_response(context, 200, body)
        return await self._signed_in(token, interactive=True)

    # -- tokens and sign-out ------------------------------------------------------------------

    async def get_refreshed_token(
        self,
        context: TurnContext,
        exchange_connection: str | None = None,
        exchange_scopes: list[str] | None = None,
    ) -> TokenResponse:
        if await get_user_token_client(context) is None:
            return TokenResponse()
        turn = await self._turn(context)
        token = await turn.client.get_user_token(
            turn.user_id, self.connection_name, turn.channel_id
        )
        if not token:
            return TokenResponse()
        return await self._handle_obo(token, exchange_connection, exchange_scopes)

    async def _sign_out(self, context: TurnContext) -> None:
        await self._storage.delete([flow_state_key(context, self.id)])
        client = await get_user_token_client(context)
        activity = context.activity
        user = activity.from_property.id if activity.from_property else None
        if client is None or not user:
            logger.warning(
                "sign-out of %r: this turn has no user-token client (or no user), so the user "
                "was not signed out at the token service; only the agent's own sign-in state "
                "was cleared",
                self.id,
            )
            return
        await client.sign_out_user(user, self.connection_name, str(activity.channel_id or ""))
