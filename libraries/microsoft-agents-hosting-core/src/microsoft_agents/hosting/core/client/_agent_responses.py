"""``AgentResponseHandler``: the calling agent's side of an agent-to-agent conversation.

An agent that calls another agent serves the channel-service routes (``/v3/conversations/...``)
under the ``serviceUrl`` it gave that agent; this handler answers them. Every activity that
comes back under an agent conversation id is taken into the user's conversation that id
stands for, in a proactive turn of the calling agent's adapter:

* messages and other content are sent on to the user, as replies of the calling agent;
* ``endOfConversation`` ends the delegation: the conversation id is forgotten (later answers
  under it are refused) and the activity is handed to the calling agent, whose routes
  (``@app.activity("endOfConversation")``) decide what the user hears;
* ``event`` activities are handed to the calling agent as well.

The activities handed to the calling agent keep the user's conversation, sender and
recipient; their ``callerId`` names the agent that answered
(``urn:botframework:aadappid:<app id>``).
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AttachmentData,
    ChannelAccount,
    ConversationParameters,
    ConversationResourceResponse,
    ConversationsResult,
    PagedMembersResult,
    ResourceResponse,
    Transcript,
)

from ..authorization import AuthenticationConstants, ClaimsIdentity
from ..errors import error_resources
from ._conversation_ids import AgentConversationReference, ConversationIdFactoryProtocol

if TYPE_CHECKING:
    from .._channel_service_adapter import ChannelServiceAdapter
    from .._middleware import Agent
    from .._turn_context import TurnContext

__all__ = ["AgentResponseHandler"]

logger = logging.getLogger(__name__)

_AGENT_CALLER_PREFIX = "urn:botframework:aadappid:"
_AGENT_AUDIENCE_PREFIX = "app://"
_END = ActivityTypes.end_of_conversation.value
_EVENT = ActivityTypes.event.value
# What an activity handed to the calling agent takes from the answering agent's activity.
_HANDED_FIELDS = (
    "type",
    "name",
    "value",
    "value_type",
    "text",
    "code",
    "entities",
    "attachments",
    "channel_data",
    "timestamp",
    "local_timestamp",
    "speak",
    "summary",
)
# Fields of an answer that belong to the agent conversation, not to the user's one.
_AGENT_SIDE_FIELDS = ("relates_to", "caller_id", "reply_to_id", "id")


def _not_offered(operation: str) -> NotImplementedError:
    return NotImplementedError(
        f"{operation} is not offered to called agents: their answers can only send, reply "
        "to, update or delete activities in the conversation they were given"
    )


class _NotOffered:
    """The channel-service operations a calling agent does not offer (``501``)."""

    async def on_get_conversations(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str | None,
        continuation_token: str | None = None,
    ) -> ConversationsResult:
        raise _not_offered("listing conversations")

    async def on_create_conversation(
        self, claims_identity: ClaimsIdentity, parameters: ConversationParameters
    ) -> ConversationResourceResponse:
        raise _not_offered("creating conversations")

    async def on_send_conversation_history(
        self, claims_identity: ClaimsIdentity, conversation_id: str, transcript: Transcript
    ) -> ResourceResponse:
        raise _not_offered("uploading conversation history")

    async def on_get_conversation_members(
        self, claims_identity: ClaimsIdentity, conversation_id: str
    ) -> list[ChannelAccount]:
        raise _not_offered("listing conversation members")

    async def on_get_conversation_member(
        self, claims_identity: ClaimsIdentity, user_id: str, conversation_id: str
    ) -> ChannelAccount:
        raise _not_offered("reading a conversation member")

    async def on_get_conversation_paged_members(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> PagedMembersResult:
        raise _not_offered("listing conversation members")

    async def on_delete_conversation_member(
        self, claims_identity: ClaimsIdentity, conversation_id: str, member_id: str
    ) -> Any:
        raise _not_offered("removing conversation members")

    async def on_get_activity_members(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity_id: str
    ) -> list[ChannelAccount]:
        raise _not_offered("listing activity members")

    async def on_upload_attachment(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str,
        attachment_upload: AttachmentData,
    ) -> ResourceResponse:
        raise _not_offered("uploading attachments")


class AgentResponseHandler(_NotOffered):
    """Takes the answers of called agents into the users' conversations.

    ``AgentResponseHandler(adapter, agent, conversation_id_factory, *, agent_app_id=None,
    handed_to_agent=("endOfConversation", "event"))``: ``adapter`` runs the proactive turns
    (the calling agent's ``CloudAdapter``), ``agent`` is the calling agent (its ``on_turn``
    gets the activities of the types in ``handed_to_agent``), ``conversation_id_factory``
    resolves the agent conversation ids. ``agent_app_id`` is the calling agent's app id; by
    default it is the audience of the answering agent's token.

    Answers under an unknown (or ended) conversation id, or from another agent than the one
    the conversation was created for, raise ``PermissionError`` (``401`` on the routes).
    Operations a calling agent does not offer raise ``NotImplementedError`` (``501``).
    """

    def __init__(
        self,
        adapter: ChannelServiceAdapter,
        agent: Agent,
        conversation_id_factory: ConversationIdFactoryProtocol,
        *,
        agent_app_id: str | None = None,
        handed_to_agent: tuple[str, ...] = (_END, _EVENT),
    ) -> None:
        if adapter is None or agent is None or conversation_id_factory is None:
            raise ValueError(
                "AgentResponseHandler needs an adapter, an agent and a conversation_id_factory"
            )
        self.adapter = adapter
        self.agent = agent
        self.conversation_id_factory = conversation_id_factory
        self.agent_app_id = agent_app_id
        self.handed_to_agent = frozenset(handed_to_agent)

    # -- activities ----------------------------------------------------------------------

    async def on_send_to_conversation(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity: Activity
    ) -> ResourceResponse:
        return await self._take_in(claims_identity, conversation_id, None, activity)

    async def on_reply_to_activity(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str,
        activity_id: str,
        activity: Activity,
    ) -> ResourceResponse:
        return await self._take_in(claims_identity, conversation_id, activity_id, activity)

    async def on_update_activity(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str,
        activity_id: str,
        activity: Activity,
    ) -> ResourceResponse:
        reference = await self._reference(claims_identity, conversation_id)
        update = _without_agent_side(activity)
        update.id = activity_id
        result: list[ResourceResponse | None] = []

        async def callback(context: TurnContext) -> None:
            result.append(await context.update_activity(update))

        await self._continue(claims_identity, reference, None, callback)
        return (result[0] if result else None) or ResourceResponse(id=activity_id)

    async def on_delete_activity(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity_id: str
    ) -> None:
        reference = await self._reference(claims_identity, conversation_id)

        async def callback(context: TurnContext) -> None:
            await context.delete_activity(activity_id)

        await self._continue(claims_identity, reference, None, callback)

    async def _take_in(
        self,
        claims: ClaimsIdentity,
        conversation_id: str,
        activity_id: str | None,
        activity: Activity,
    ) -> ResourceResponse:
        reference = await self._reference(claims, conversation_id)
        handed = activity.type in self.handed_to_agent
        sent: list[ResourceResponse] = []

        async def callback(context: TurnContext) -> None:
            if activity.type == _END:
                # The delegation is over: answers under this id are refused from now on.
                await self.conversation_id_factory.delete_conversation_reference(conversation_id)
            if handed:
                await self.agent.on_turn(context)
            else:
                sent.append(await context.send_activity(_without_agent_side(activity)))

        turn_activity = None
        if handed:
            turn_activity = self._handed_activity(claims, reference, activity_id, activity)
        await self._continue(claims, reference, activity_id, callback, turn_activity)
        if sent and sent[0] is not None and sent[0].id:
            return sent[0]
        return ResourceResponse(id=str(uuid.uuid4()))

    # -- plumbing ------------------------------------------------------------------------

    async def _reference(
        self, claims: ClaimsIdentity, conversation_id: str
    ) -> AgentConversationReference:
        reference = await self.conversation_id_factory.get_agent_conversation_reference(
            conversation_id
        )
        if reference is None:
            message = error_resources.AgentConversationUnknown.format(conversation_id)
            logger.warning("refused an agent answer: %s", message.splitlines()[0])
            raise PermissionError(message)
        expected = reference.agent_app_id
        answering = claims.get_outgoing_app_id()
        if expected and not claims.allow_anonymous and answering != expected:
            message = error_resources.AgentConversationWrongAgent.format(conversation_id, answering)
            logger.warning("refused an agent answer: %s", message.splitlines()[0])
            raise PermissionError(message)
        return reference

    def _identity(
        self, claims: ClaimsIdentity, reference: AgentConversationReference
    ) -> ClaimsIdentity:
        """Who the proactive turn acts as: this agent, answering the user's original caller."""
        app_id = self.agent_app_id or claims.get_app_id() or ""
        if not app_id and claims.allow_anonymous:
            return ClaimsIdentity()
        scope = reference.oauth_scope or ""
        if scope.startswith(_AGENT_AUDIENCE_PREFIX):
            # The user's conversation itself came from another agent: answer that agent.
            caller = scope[len(_AGENT_AUDIENCE_PREFIX) :]
            return ClaimsIdentity(
                {
                    AuthenticationConstants.AUDIENCE_CLAIM: app_id,
                    AuthenticationConstants.APP_ID_CLAIM: caller,
                    AuthenticationConstants.VERSION_CLAIM: "1.0",
                }
            )
        return self.adapter.create_claims_identity(app_id)

    async def _continue(
        self,
        claims: ClaimsIdentity,
        reference: AgentConversationReference,
        activity_id: str | None,
        callback: Any,
        turn_activity: Activity | None = None,
    ) -> None:
        if turn_activity is None:
            turn_activity = _continuation(reference, activity_id)
        audience = reference.oauth_scope or AuthenticationConstants.AGENTS_SDK_SCOPE
        await self.adapter.continue_conversation_with_claims(
            self._identity(claims, reference), turn_activity, callback, audience
        )

    def _handed_activity(
        self,
        claims: ClaimsIdentity,
        reference: AgentConversationReference,
        activity_id: str | None,
        activity: Activity,
    ) -> Activity:
        """The answer as an activity of the user's conversation, for the calling agent."""
        turn_activity = _continuation(reference, activity_id)
        for name in _HANDED_FIELDS:
            if name in activity.model_fields_set:
                setattr(turn_activity, name, getattr(activity, name))
        if "name" not in activity.model_fields_set:
            turn_activity.name = None
            turn_activity.__pydantic_fields_set__.discard("name")
        answering = claims.get_outgoing_app_id()
        if answering:
            turn_activity.caller_id = _AGENT_CALLER_PREFIX + answering
        return turn_activity


def _continuation(reference: AgentConversationReference, activity_id: str | None) -> Activity:
    """A turn activity in the user's conversation that replies to ``activity_id``.

    The answering agent replies to the activity it was given, whose id is the user's; when
    it names none, the activity the conversation id was created for is used.
    """
    activity = reference.conversation_reference.get_continuation_activity()
    activity.id = activity_id or reference.conversation_reference.activity_id
    return activity


def _without_agent_side(activity: Activity) -> Activity:
    """A copy of an answer without the fields that address the agent conversation."""
    copy = activity.model_copy(deep=True)
    for name in _AGENT_SIDE_FIELDS:
        setattr(copy, name, None)
        copy.__pydantic_fields_set__.discard(name)
    return copy
