"""``ActivityHandler``: an agent written as one overridable method per kind of activity.

``on_turn`` looks at the activity type (and for some types at its details) and calls the
matching ``on_...`` method. Every method does nothing by default, so a subclass overrides only
what it handles. Invokes are answered: the result of ``on_invoke_activity`` is sent back as an
``invokeResponse`` activity, and unhandled invokes answer ``501 Not Implemented``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ValidationError

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
    ContentTypes,
    Error,
    InstallationUpdateActionTypes,
    InvokeResponse,
    MessageReaction,
    SignInConstants,
)

from ._channel_adapter import ChannelAdapter
from ._turn_context import TurnContext
from .errors import error_resources

__all__ = ["ActivityHandler"]

_ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
_ACTION_EXECUTE = "Action.Execute"
_SIGN_IN_INVOKES = frozenset(
    {
        SignInConstants.verify_state_operation_name.value,
        SignInConstants.token_exchange_operation_name.value,
    }
)
_INSTALL_ADD = frozenset({InstallationUpdateActionTypes.add.value, "add-upgrade"})
_INSTALL_REMOVE = frozenset({InstallationUpdateActionTypes.remove.value, "remove-upgrade"})


class _InvokeResponseError(Exception):
    """Raised inside invoke handling to answer with ``status`` and ``body`` right away.

    Subclasses of :class:`ActivityHandler` (the Teams handler, for instance) may raise it from
    their invoke hooks; ``on_invoke_activity`` turns it into the :class:`InvokeResponse`.
    """

    def __init__(self, status: int, body: Any = None) -> None:
        super().__init__(f"invoke answered with status {status}")
        self.status = int(status)
        self.body = body

    def to_invoke_response(self) -> InvokeResponse:
        return InvokeResponse(status=self.status, body=self.body)


def _card_error(code: str, message: str) -> _InvokeResponseError:
    """A 400 answer whose body is an Adaptive Card error response."""
    body = AdaptiveCardInvokeResponse(
        status_code=int(HTTPStatus.BAD_REQUEST),
        type=ContentTypes.error,
        value=Error(code=code, message=message).model_dump(
            mode="json", by_alias=True, exclude_none=True
        ),
    )
    return _InvokeResponseError(
        HTTPStatus.BAD_REQUEST, body.model_dump(mode="json", by_alias=True, exclude_none=True)
    )


class ActivityHandler:
    """An agent that dispatches each activity to an overridable ``on_...`` method."""

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Dispatch the turn's activity by type (``TypeError`` without context/activity/type)."""
        if turn_context is None:
            raise TypeError(str(error_resources.TurnContextRequired))
        activity = getattr(turn_context, "activity", None)
        if activity is None:
            raise TypeError(str(error_resources.ActivityRequired))
        activity_type = getattr(activity, "type", None)
        if not activity_type:
            raise TypeError(str(error_resources.ActivityTypeRequired))

        if activity_type == ActivityTypes.message:
            await self.on_message_activity(turn_context)
        elif activity_type == ActivityTypes.message_update:
            await self.on_message_update_activity(turn_context)
        elif activity_type == ActivityTypes.message_delete:
            await self.on_message_delete_activity(turn_context)
        elif activity_type == ActivityTypes.conversation_update:
            await self.on_conversation_update_activity(turn_context)
        elif activity_type == ActivityTypes.message_reaction:
            await self.on_message_reaction_activity(turn_context)
        elif activity_type == ActivityTypes.event:
            await self.on_event_activity(turn_context)
        elif activity_type == ActivityTypes.invoke:
            response = await self.on_invoke_activity(turn_context)
            already_answered = turn_context.turn_state.get(ChannelAdapter.INVOKE_RESPONSE_KEY)
            if response is not None and already_answered is None:
                await turn_context.send_activity(
                    Activity(
                        type=ActivityTypes.invoke_response,
                        value=response.model_dump(mode="json", by_alias=True, exclude_none=True),
                    )
                )
        elif activity_type == ActivityTypes.end_of_conversation:
            await self.on_end_of_conversation_activity(turn_context)
        elif activity_type == ActivityTypes.typing:
            await self.on_typing_activity(turn_context)
        elif activity_type == ActivityTypes.installation_update:
            await self.on_installation_update(turn_context)
        else:
            await self.on_unrecognized_activity_type(turn_context)

    # -- messages ---------------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """A ``message`` arrived."""

    async def on_message_update_activity(self, turn_context: TurnContext) -> None:
        """A message was edited (``messageUpdate``)."""

    async def on_message_delete_activity(self, turn_context: TurnContext) -> None:
        """A message was deleted (``messageDelete``)."""

    # -- conversation membership ------------------------------------------------------------------

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        """Members joined or left: calls the members-added/removed hooks for non-empty lists."""
        activity = turn_context.activity
        if activity.members_added:
            await self.on_members_added_activity(activity.members_added, turn_context)
        if activity.members_removed:
            await self.on_members_removed_activity(activity.members_removed, turn_context)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        """Accounts joined the conversation (may include the agent itself)."""

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        """Accounts left the conversation."""

    # -- reactions ---------------------------------------------------------------------------------

    async def on_message_reaction_activity(self, turn_context: TurnContext) -> None:
        """Reactions changed: calls the added/removed hooks when those lists are present."""
        activity = turn_context.activity
        if activity.reactions_added is not None:
            await self.on_reactions_added(activity.reactions_added, turn_context)
        if activity.reactions_removed is not None:
            await self.on_reactions_removed(activity.reactions_removed, turn_context)

    async def on_reactions_added(
        self, message_reactions: list[MessageReaction], turn_context: TurnContext
    ) -> None:
        """Reactions were added to a message (``reply_to_id`` names the message)."""

    async def on_reactions_removed(
        self, message_reactions: list[MessageReaction], turn_context: TurnContext
    ) -> None:
        """Reactions were removed from a message (``reply_to_id`` names the message)."""

    # -- events ------------------------------------------------------------------------------------

    async def on_event_activity(self, turn_context: TurnContext) -> None:
        """An ``event``: ``tokens/response`` goes to ``on_token_response_event``, others to
        ``on_event``."""
        if turn_context.activity.name == SignInConstants.token_response_event_name:
            await self.on_token_response_event(turn_context)
        else:
            await self.on_event(turn_context)

    async def on_token_response_event(self, turn_context: TurnContext) -> None:
        """A user token arrived after sign-in (``tokens/response`` event)."""

    async def on_event(self, turn_context: TurnContext) -> None:
        """Any other ``event`` activity."""

    async def on_end_of_conversation_activity(self, turn_context: TurnContext) -> None:
        """The conversation ended (``endOfConversation``)."""

    async def on_typing_activity(self, turn_context: TurnContext) -> None:
        """The user is typing."""

    # -- installation ------------------------------------------------------------------------------

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        """The agent was installed or uninstalled: dispatches on the ``action``."""
        action = turn_context.activity.action
        if action in _INSTALL_ADD:
            await self.on_installation_update_add(turn_context)
        elif action in _INSTALL_REMOVE:
            await self.on_installation_update_remove(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        """The agent was installed (``add`` or ``add-upgrade``)."""

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        """The agent was uninstalled (``remove`` or ``remove-upgrade``)."""

    async def on_unrecognized_activity_type(self, turn_context: TurnContext) -> None:
        """An activity of a type no other hook handles."""

    # -- invokes -----------------------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """Answer an ``invoke``; the returned response is sent back to the channel.

        Sign-in invokes go to ``on_sign_in_invoke`` (200), ``adaptiveCard/action`` to
        ``on_adaptive_card_invoke`` (200 with its result as the body, 400 for a malformed
        value or an action other than ``Action.Execute``); anything else answers 501.
        """
        try:
            name = turn_context.activity.name
            if name in _SIGN_IN_INVOKES:
                await self.on_sign_in_invoke(turn_context)
                return self._create_invoke_response()
            if name == _ADAPTIVE_CARD_ACTION:
                value = self._get_adaptive_card_invoke_value(turn_context.activity)
                result = await self.on_adaptive_card_invoke(turn_context, value)
                return self._create_invoke_response(result)
            raise _InvokeResponseError(HTTPStatus.NOT_IMPLEMENTED)
        except _InvokeResponseError as answer:
            return answer.to_invoke_response()

    async def on_sign_in_invoke(self, turn_context: TurnContext) -> None:
        """A ``signin/verifyState`` or ``signin/tokenExchange`` invoke (501 unless overridden)."""
        raise _InvokeResponseError(HTTPStatus.NOT_IMPLEMENTED)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """An Adaptive Card ``Action.Execute`` (501 unless overridden)."""
        raise _InvokeResponseError(HTTPStatus.NOT_IMPLEMENTED)

    @staticmethod
    def _create_invoke_response(body: Any = None) -> InvokeResponse:
        """A 200 answer; a model body is sent in its wire form."""
        if isinstance(body, BaseModel):
            body = body.model_dump(mode="json", by_alias=True, exclude_none=True)
        return InvokeResponse(status=int(HTTPStatus.OK), body=body)

    @staticmethod
    def _get_adaptive_card_invoke_value(activity: Activity) -> AdaptiveCardInvokeValue:
        """The validated value of an ``adaptiveCard/action`` invoke (400 answers otherwise)."""
        value = activity.value
        if value is None:
            raise _card_error("BadRequest", "Missing value property")
        if isinstance(value, AdaptiveCardInvokeValue):
            invoke_value = value
        else:
            if isinstance(value, dict) and value.get("action") is None:
                raise _card_error("BadRequest", "Missing action property")
            try:
                invoke_value = AdaptiveCardInvokeValue.model_validate(value)
            except ValidationError:
                raise _card_error("BadRequest", "Value property is not properly formed") from None
        if invoke_value.action.type != _ACTION_EXECUTE:
            raise _card_error(
                "NotSupported", f"The action '{invoke_value.action.type}' is not supported."
            )
        return invoke_value
