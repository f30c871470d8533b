"""``ChannelServiceAdapter``: runs turns for activities that arrive from a channel service.

It builds the turn (context, caller identity, REST clients from a
``ChannelServiceClientFactoryBase``), runs the middleware and the agent, and delivers what the
agent sends through the channel's connector service — or collects it, when the channel asked
for the replies in the HTTP answer (``expectReplies``). It knows nothing about HTTP servers;
``HttpAdapterBase`` adds that.
"""

from __future__ import annotations

import uuid
from typing import Any

from microsoft_agents.activity import (
    Activity,
    ActivityEventNames,
    ActivityTypes,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    InvokeResponse,
    ResourceResponse,
)

from ._channel_adapter import ChannelAdapter
from ._middleware import TurnLogic
from ._turn_clients import LazyUserTokenClient, _UserTokenClientMaker, close_quietly
from ._turn_context import TurnContext
from ._wire import _buffers_replies, dump_json_value, encode_replies
from .authorization import AuthenticationConstants, ClaimsIdentity
from .connector import ChannelServiceClientFactoryBase, ConnectorClientBase, UserTokenClientBase
from .connector.client import ConnectorClient
from .connector.teams import TeamsConnectorClient

__all__ = ["ChannelServiceAdapter", "dump_json_value", "encode_replies"]

# The services bag is keyed by these protocols; mypy wants concrete classes as type keys.
_CONNECTOR_KEY: type[ConnectorClientBase] = ConnectorClientBase  # type: ignore[type-abstract]
_USER_TOKEN_KEY: type[UserTokenClientBase] = UserTokenClientBase  # type: ignore[type-abstract]
_AGENT_CALLER_ID_PREFIX = "urn:botframework:aadappid:"
_INVOKE = ActivityTypes.invoke.value
_INVOKE_RESPONSE = ActivityTypes.invoke_response.value
_TRACE = ActivityTypes.trace.value
_EMULATOR = "emulator"
_CREATE_CONVERSATION_EVENT = ActivityEventNames.create_conversation.value


# The connector clients whose close() is known (not overridden): see process_activity.
_OWN_CONNECTORS = frozenset({ConnectorClient, TeamsConnectorClient})


class ChannelServiceAdapter(ChannelAdapter):
    """An adapter that answers through a channel's connector service.

    ``ChannelServiceAdapter(channel_service_client_factory)``: the factory makes the connector
    client of each turn (for the activity's ``serviceUrl``) and, on demand, its user-token
    client. Both are closed when the turn ends, also when it fails.
    """

    CONNECTOR_CLIENT_KEY = "ConnectorClient"

    def __init__(self, channel_service_client_factory: ChannelServiceClientFactoryBase) -> None:
        super().__init__()
        if channel_service_client_factory is None:
            raise TypeError("ChannelServiceAdapter needs a channel_service_client_factory")
        self._channel_service_client_factory = channel_service_client_factory

    @property
    def channel_service_client_factory(self) -> ChannelServiceClientFactoryBase:
        """The factory of the turns' REST clients."""
        return self._channel_service_client_factory

    # -- delivery ----------------------------------------------------------------------------

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        """Deliver ``activities``; one ``ResourceResponse`` per activity (empty id if unknown).

        An ``invokeResponse`` is kept for the HTTP answer, traces are dropped outside the
        emulator, and replies to an ``expectReplies`` request are buffered for the answer.
        """
        if not activities:
            raise ValueError("send_activities needs at least one activity")
        buffered = _buffers_replies(context.activity)
        responses: list[ResourceResponse] = []
        for activity in activities:
            # ``"id": null`` on the wire, as the assignment ``activity.id = None`` would set it.
            activity.__dict__["id"] = None
            activity.__pydantic_fields_set__.add("id")
            if activity.type == _INVOKE_RESPONSE:
                context.turn_state[self.INVOKE_RESPONSE_KEY] = activity
            elif activity.type == _TRACE and context.activity.channel_id != _EMULATOR:
                pass
            elif buffered:
                context.buffered_reply_activities.append(activity)
            else:
                connector = self._connector(context)
                if activity.conversation is None or not activity.conversation.id:
                    raise TypeError("an outgoing activity needs conversation.id")
                conversations = connector.conversations
                if activity.reply_to_id:
                    response = await conversations.reply_to_activity(
                        activity.conversation.id, activity.reply_to_id, activity
                    )
                else:
                    response = await conversations.send_to_conversation(
                        activity.conversation.id, activity
                    )
                responses.append(response if response is not None else ResourceResponse(id=""))
                continue
            responses.append(ResourceResponse(id=""))
        return responses

    def _connector(self, context: TurnContext) -> ConnectorClientBase:
        connector = context.services.get(_CONNECTOR_KEY)
        if connector is None:
            raise RuntimeError(
                "this turn has no connector client (expectReplies turns answer in the HTTP "
                "response and cannot send, update or delete through the channel)"
            )
        return connector

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        """Replace activity ``activity.id`` through the connector service."""
        if activity is None or not activity.id:
            raise TypeError("update_activity needs an activity with an id")
        if activity.conversation is None or not activity.conversation.id:
            raise TypeError("update_activity needs an activity with conversation.id")
        connector = self._connector(context)
        response = await connector.conversations.update_activity(
            activity.conversation.id, activity.id, activity
        )
        return response if response is not None else ResourceResponse(id=activity.id)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        """Delete activity ``reference.activity_id`` through the connector service."""
        if reference is None or reference.conversation is None or not reference.conversation.id:
            raise TypeError("delete_activity needs a reference with conversation.id")
        if not reference.activity_id:
            raise TypeError("delete_activity needs a reference with an activity_id")
        connector = self._connector(context)
        await connector.conversations.delete_activity(
            reference.conversation.id, reference.activity_id
        )

    # -- turns -------------------------------------------------------------------------------

    async def process_activity(
        self, claims_identity: ClaimsIdentity, activity: Activity, callback: TurnLogic
    ) -> InvokeResponse | None:
        """Run a turn for an incoming ``activity`` sent by ``claims_identity``.

        Returns what the HTTP answer must carry: ``200 {"activities": [...]}`` for
        ``expectReplies``, the agent's invoke response (``501`` when it sent none) for
        ``invoke``, otherwise ``None``.
        """
        context = await self._run_incoming(claims_identity, activity, callback)
        return self._turn_result(activity, context)

    async def _run_incoming(
        self, claims_identity: ClaimsIdentity, activity: Activity, callback: TurnLogic
    ) -> TurnContext:
        """The turn of :meth:`process_activity`, up to (not including) its result."""
        if claims_identity is None:
            claims_identity = ClaimsIdentity()
        if claims_identity.is_agent_claim():
            audience = claims_identity.get_token_audience()
            activity.caller_id = _AGENT_CALLER_ID_PREFIX + str(
                claims_identity.get_outgoing_app_id()
            )
        else:
            audience = AuthenticationConstants.AGENTS_SDK_SCOPE
        context = self._new_context(claims_identity, activity, audience)
        connector: ConnectorClientBase | None = None
        try:
            if not _buffers_replies(activity):
                connector = await self._channel_service_client_factory.create_connector_client(
                    context,
                    claims_identity,
                    activity.service_url,
                    audience,
                    claims_identity.get_token_scope(),
                    self._use_anonymous(claims_identity),
                )
                self._set_connector(context, connector)
            await self.run_pipeline(context, callback)
        finally:
            if type(connector) in _OWN_CONNECTORS and connector._close_is_noop:  # type: ignore[union-attr]
                connector = None  # our client on the shared session: closing releases nothing
            if connector is not None or self._opened_user_token_client(context):
                await self._close_turn(context, connector)
        return context

    async def process_proactive(
        self,
        claims_identity: ClaimsIdentity,
        continuation_activity: Activity,
        audience: str | None,
        callback: TurnLogic,
    ) -> None:
        """Run ``callback`` in an existing conversation, always with a connector client."""
        audience = audience or claims_identity.get_token_audience()
        context = self._new_context(claims_identity, continuation_activity, audience)
        connector: ConnectorClientBase | None = None
        try:
            connector = await self._channel_service_client_factory.create_connector_client(
                context,
                claims_identity,
                continuation_activity.service_url,
                audience,
                claims_identity.get_token_scope(),
                self._use_anonymous(claims_identity),
            )
            self._set_connector(context, connector)
            await self.run_pipeline(context, callback)
        finally:
            await self._close_turn(context, connector)

    async def continue_conversation(
        self,
        agent_app_id: str,
        continuation_activity: Activity | ConversationReference,
        callback: TurnLogic,
    ) -> None:
        """Run ``callback`` proactively in the conversation of ``continuation_activity``.

        A ``ConversationReference`` is turned into its continuation activity. The activity
        must name its conversation and ``serviceUrl`` (``TypeError`` otherwise).
        """
        if isinstance(continuation_activity, ConversationReference):
            continuation_activity = continuation_activity.get_continuation_activity()
        if callback is None:
            raise TypeError("continue_conversation needs a callback")
        if not isinstance(continuation_activity, Activity):
            raise TypeError("continue_conversation needs an Activity or a ConversationReference")
        if continuation_activity.conversation is None or not continuation_activity.service_url:
            raise TypeError("the continuation activity needs a conversation and a serviceUrl")
        claims = self.create_claims_identity(agent_app_id)
        await self.process_proactive(claims, continuation_activity, None, callback)

    async def continue_conversation_with_claims(
        self,
        claims_identity: ClaimsIdentity,
        continuation_activity: Activity,
        callback: TurnLogic,
        audience: str | None = None,
    ) -> None:
        """Run ``callback`` proactively as ``claims_identity``."""
        if claims_identity is None:
            raise TypeError("continue_conversation_with_claims needs a ClaimsIdentity")
        await self.process_proactive(claims_identity, continuation_activity, audience, callback)

    async def create_conversation(
        self,
        agent_app_id: str,
        channel_id: str,
        service_url: str,
        audience: str,
        conversation_parameters: ConversationParameters,
        callback: TurnLogic,
    ) -> None:
        """Ask the channel to start a conversation, then run ``callback`` in it.

        The turn's activity is an ``event`` named ``CreateConversation`` carrying the new
        conversation's id and the parameters' tenant, channel data and agent account.
        """
        if not service_url:
            raise TypeError("create_conversation needs a service_url")
        if conversation_parameters is None:
            raise TypeError("create_conversation needs conversation_parameters")
        claims = self.create_claims_identity(agent_app_id)
        connector = await self._channel_service_client_factory.create_connector_client(
            None,  # no turn exists before the conversation does
            claims,
            service_url,
            audience,
            claims.get_token_scope(),
            self._use_anonymous(claims),
        )
        context: TurnContext | None = None
        try:
            result = await connector.conversations.create_conversation(conversation_parameters)
            event = self._conversation_created_event(
                channel_id, service_url, conversation_parameters, result
            )
            context = self._new_context(claims, event, audience)
            self._set_connector(context, connector)
            await self.run_pipeline(context, callback)
        finally:
            if context is not None:
                await self._close_turn(context, connector)
            else:
                await close_quietly(connector, "connector client")

    @staticmethod
    def _conversation_created_event(
        channel_id: str, service_url: str, parameters: ConversationParameters, result: Any
    ) -> Activity:
        conversation: dict[str, Any] = {"id": getattr(result, "id", None) or str(uuid.uuid4())}
        if parameters.tenant_id:
            conversation["tenant_id"] = parameters.tenant_id
        data: dict[str, Any] = {
            "type": ActivityTypes.event,
            "name": _CREATE_CONVERSATION_EVENT,
            "id": getattr(result, "activity_id", None) or str(uuid.uuid4()),
            "channel_id": channel_id,
            "service_url": service_url,
            "conversation": ConversationAccount(**conversation),
        }
        if parameters.channel_data is not None:
            data["channel_data"] = parameters.channel_data
        if parameters.agent is not None:
            data["recipient"] = parameters.agent
        return Activity(**data)

    # -- turn plumbing -----------------------------------------------------------------------

    def _use_anonymous(self, claims_identity: ClaimsIdentity) -> bool:
        """Whether the turn's clients go without a token: anonymous callers get none."""
        return claims_identity.allow_anonymous

    def _new_context(
        self, claims_identity: ClaimsIdentity, activity: Activity, audience: str
    ) -> TurnContext:
        context = TurnContext(self, activity, claims_identity)
        context.turn_state[self.OAUTH_SCOPE_KEY] = audience
        context.turn_state[self.AGENT_IDENTITY_KEY] = claims_identity
        user_token_client = LazyUserTokenClient(
            _UserTokenClientMaker(
                self._channel_service_client_factory,
                context,
                claims_identity,
                self._use_anonymous(claims_identity),
            )
        )
        context.services.set(_USER_TOKEN_KEY, user_token_client)
        context.turn_state[self.USER_TOKEN_CLIENT_KEY] = user_token_client
        return context

    def _set_connector(self, context: TurnContext, connector: ConnectorClientBase) -> None:
        context.services.set(_CONNECTOR_KEY, connector)
        context.turn_state[self.CONNECTOR_CLIENT_KEY] = connector

    def _opened_user_token_client(self, context: TurnContext) -> bool:
        """Whether the turn has a user-token client that was actually made (to be closed)."""
        user_token_client = context.turn_state.get(self.USER_TOKEN_CLIENT_KEY)
        return user_token_client is not None and (
            type(user_token_client) is not LazyUserTokenClient or user_token_client.created
        )

    async def _close_turn(
        self, context: TurnContext, connector: ConnectorClientBase | None
    ) -> None:
        if connector is not None:
            await close_quietly(connector, "connector client")
        if self._opened_user_token_client(context):
            await close_quietly(context.turn_state[self.USER_TOKEN_CLIENT_KEY], "user-token client")

    def _turn_result(self, activity: Activity, context: TurnContext) -> InvokeResponse | None:
        if _buffers_replies(activity):
            # (The serializer itself: model_dump's wrapper adds a call per reply.)
            replies = [
                type(reply).__pydantic_serializer__.to_python(
                    reply, mode="json", by_alias=True, exclude_unset=True
                )
                for reply in context.buffered_reply_activities
            ]
            return InvokeResponse(status=200, body={"activities": replies})
        if activity.type == _INVOKE:
            sent = context.turn_state.get(self.INVOKE_RESPONSE_KEY)
            if not isinstance(sent, Activity) or sent.value is None:
                return InvokeResponse(status=501)
            return InvokeResponse.model_validate(sent.value)
        return None
