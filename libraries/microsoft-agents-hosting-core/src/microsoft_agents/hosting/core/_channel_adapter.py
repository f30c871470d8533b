"""``ChannelAdapter``: the base of everything that connects agent logic to a channel.

An adapter turns incoming activities into turns (a :class:`TurnContext` run through the
middleware and the agent) and delivers what the agent sends. Subclasses implement the three
delivery methods; the pipeline, error handling and in-process proactive turns live here.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any

from typing_extensions import Self

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    ResourceResponse,
)

from ._middleware import Middleware, MiddlewareSet, TurnLogic
from ._turn_context import TurnContext
from .authorization import AuthenticationConstants, ClaimsIdentity
from .errors import error_resources

__all__ = ["ChannelAdapter", "TurnErrorHandler"]

TurnErrorHandler = Callable[[TurnContext, Exception], Awaitable[Any]]
"""``async (context, error) -> None``: called when a turn raises."""


class ChannelAdapter(ABC):
    """Runs turns for a channel and delivers the activities agents send.

    Exceptions raised by a turn go to :attr:`on_turn_error` when it is set (it can still send
    messages through the context); otherwise they propagate to the caller of the turn.
    """

    AGENT_IDENTITY_KEY = "AgentIdentity"
    USER_TOKEN_CLIENT_KEY = "UserTokenClient"
    INVOKE_RESPONSE_KEY = "ChannelAdapter.InvokeResponse"
    OAUTH_SCOPE_KEY = "Microsoft.Agents.Builder.ChannelAdapter.OAuthScope"

    def __init__(self, *, on_turn_error: TurnErrorHandler | None = None) -> None:
        self.on_turn_error: TurnErrorHandler | None = on_turn_error
        self.middleware_set = MiddlewareSet()

    # -- delivery (implemented per channel) ---------------------------------------------------

    @abstractmethod
    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        """Deliver ``activities`` to the channel; one response per activity."""

    @abstractmethod
    async def update_activity(
        self, context: TurnContext, activity: Activity
    ) -> ResourceResponse | None:
        """Replace the activity ``activity.id`` in the channel."""

    @abstractmethod
    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        """Delete the activity that ``reference.activity_id`` names."""

    # -- pipeline ------------------------------------------------------------------------------

    def use(self, middleware: Middleware) -> Self:
        """Add ``middleware`` to the pipeline of every turn; returns the adapter."""
        self.middleware_set.use(middleware)
        return self

    async def run_pipeline(self, context: TurnContext, callback: TurnLogic | None = None) -> None:
        """Run the middleware and then ``callback``.

        Any exception goes to :attr:`on_turn_error` when set, otherwise it is re-raised.
        """
        if context is None:
            raise TypeError(str(error_resources.TurnContextRequired))
        middleware_set = self.middleware_set
        # Without middleware the set would only call back: do it directly, one call less.
        direct = callback is not None and type(middleware_set) is MiddlewareSet
        try:
            if direct and not middleware_set:
                await callback(context)  # type: ignore[misc]  # not None, checked above
            else:
                await middleware_set.receive_activity_with_status(context, callback)
        except Exception as error:
            if self.on_turn_error is None:
                raise
            await self.on_turn_error(context, error)

    # -- proactive turns (in-process behaviour; network adapters override) ----------------------

    def create_claims_identity(self, agent_app_id: str = "") -> ClaimsIdentity:
        """Claims of this agent acting on its own behalf (used for proactive turns)."""
        return ClaimsIdentity(
            {
                AuthenticationConstants.AUDIENCE_CLAIM: agent_app_id,
                AuthenticationConstants.APP_ID_CLAIM: agent_app_id,
            }
        )

    async def continue_conversation(
        self,
        agent_app_id: str,
        continuation_activity: Activity | ConversationReference,
        callback: TurnLogic,
    ) -> Any:
        """Run ``callback`` in an existing conversation (a proactive turn).

        ``continuation_activity`` may be a ``ConversationReference``; it is turned into its
        continuation activity.
        """
        if isinstance(continuation_activity, ConversationReference):
            continuation_activity = continuation_activity.get_continuation_activity()
        if not isinstance(continuation_activity, Activity):
            raise TypeError(str(error_resources.ActivityRequired))
        if callback is None:
            raise TypeError("continue_conversation needs a callback")
        identity = self.create_claims_identity(agent_app_id)
        return await self.continue_conversation_with_claims(
            identity, continuation_activity, callback
        )

    async def continue_conversation_with_claims(
        self,
        claims_identity: ClaimsIdentity,
        continuation_activity: Activity,
        callback: TurnLogic,
        audience: str | None = None,
    ) -> Any:
        """Run ``callback`` proactively with the given caller identity."""
        context = TurnContext(self, continuation_activity, claims_identity)
        context.turn_state[self.AGENT_IDENTITY_KEY] = claims_identity
        context.turn_state[self.OAUTH_SCOPE_KEY] = audience or claims_identity.get_token_audience()
        await self.run_pipeline(context, callback)
        return None

    async def create_conversation(
        self,
        agent_app_id: str,
        channel_id: str,
        service_url: str,
        audience: str,
        conversation_parameters: ConversationParameters,
        callback: TurnLogic,
    ) -> Any:
        """Start a conversation and run ``callback`` in it.

        This base version does not contact a channel: it makes up a ``conversationUpdate``
        from ``conversation_parameters`` (conversation id from the parameters or a new one,
        members added = the parameters' members, sent by the first of them) and runs the
        pipeline with it.
        """
        params = conversation_parameters
        conversation_id = (
            params.conversation.id
            if params.conversation is not None and params.conversation.id
            else str(uuid.uuid4())
        )
        conversation: dict[str, Any] = {"id": conversation_id}
        if params.is_group is not None:
            conversation["is_group"] = params.is_group
        if params.tenant_id:
            conversation["tenant_id"] = params.tenant_id
        data: dict[str, Any] = {
            "type": ActivityTypes.conversation_update,
            "id": str(uuid.uuid4()),
            "channel_id": channel_id,
            "service_url": service_url,
            "conversation": ConversationAccount(**conversation),
        }
        if params.members:
            data["members_added"] = params.members
            data["from_property"] = params.members[0]
        if params.agent is not None:
            data["recipient"] = params.agent
        if params.channel_data is not None:
            data["channel_data"] = params.channel_data
        activity = Activity(**data)
        identity = self.create_claims_identity(agent_app_id)
        return await self.continue_conversation_with_claims(identity, activity, callback, audience)
