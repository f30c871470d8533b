"""``TeamsInfo``: Teams REST calls made on behalf of the current turn.

Every method takes the turn's ``TurnContext`` and uses the connector client the channel adapter
stored in ``context.turn_state["ConnectorClient"]`` (a ``TeamsConnectorClient``). Ids that
are not passed are read from the turn: the team, meeting and tenant from the activity's
Teams channel data, the participant from the sender's ``aadObjectId``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, ParamSpec, TypeVar

from pydantic import BaseModel, ValidationError

from microsoft_agents.activity import (
    Activity,
    Channels,
    ConversationParameters,
    ConversationReference,
)
from microsoft_agents.activity.teams import (
    BatchFailedEntriesResponse,
    BatchOperationStateResponse,
    CancelOperationResponse,
    ChannelInfo,
    MeetingInfo,
    MeetingNotification,
    MeetingNotificationResponse,
    TeamDetails,
    TeamsBatchOperationResponse,
    TeamsChannelAccount,
    TeamsChannelData,
    TeamsMeetingParticipant,
    TeamsMember,
    TeamsPagedMembersResult,
)
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import TeamsConnectorClient

from .errors import TeamsArgumentError, teams_errors

__all__ = ["TeamsInfo", "teams_channel_data"]

_CONNECTOR_CLIENT_KEY = "ConnectorClient"
_BOT_FRAMEWORK_AUDIENCE = "https://api.botframework.com"

MemberLike = TeamsMember | dict[str, Any] | str

_P = ParamSpec("_P")
_R = TypeVar("_R")


def teams_channel_data(activity: Activity | None) -> TeamsChannelData | None:
    """The activity's channel data read as :class:`TeamsChannelData` (``None`` if absent or
    not shaped like Teams channel data)."""
    data = getattr(activity, "channel_data", None)
    if data is None:
        return None
    if isinstance(data, TeamsChannelData):
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if not isinstance(data, dict):
        return None
    try:
        return TeamsChannelData.model_validate(data)
    except ValidationError:
        return None


def _require(value: Any, message: Any) -> Any:
    if value is None or value == "" or value == []:
        raise TeamsArgumentError(str(message))
    return value


def _activity_of(context: TurnContext) -> Activity:
    _require(context, teams_errors.TeamsTurnContextRequired)
    return _require(getattr(context, "activity", None), teams_errors.TeamsActivityRequired)


def _connector(context: TurnContext) -> TeamsConnectorClient:
    _require(context, teams_errors.TeamsTurnContextRequired)
    client = context.turn_state.get(_CONNECTOR_CLIENT_KEY)
    if not isinstance(client, TeamsConnectorClient):
        raise TeamsArgumentError(str(teams_errors.TeamsContextRequired))
    return client


def _team_id(context: TurnContext, team_id: str | None = None) -> str | None:
    if team_id:
        return team_id
    data = teams_channel_data(_activity_of(context))
    return data.team.id if data is not None and data.team is not None else None


def _meeting_id(context: TurnContext, meeting_id: str | None) -> str:
    if not meeting_id:
        data = teams_channel_data(_activity_of(context))
        meeting_id = data.meeting.id if data and data.meeting else None
    return str(_require(meeting_id, teams_errors.TeamsMeetingIdRequired))


def _tenant_id(context: TurnContext, tenant_id: str | None) -> str:
    if not tenant_id:
        data = teams_channel_data(_activity_of(context))
        tenant_id = data.tenant.id if data and data.tenant else None
    return str(_require(tenant_id, teams_errors.TeamsTenantIdRequired))


def _conversation_id(context: TurnContext) -> str:
    conversation = _activity_of(context).conversation
    conversation_id = conversation.id if conversation is not None else None
    return str(_require(conversation_id, teams_errors.TeamsConversationIdRequired))


def _members(members: Iterable[MemberLike] | None) -> list[TeamsMember]:
    listed = list(members or [])
    _require(listed, teams_errors.TeamsMembersRequired)
    result = []
    for member in listed:
        if isinstance(member, TeamsMember):
            result.append(member)
        elif isinstance(member, str):
            result.append(TeamsMember(id=member))
        else:
            result.append(TeamsMember.model_validate(member))
    return result


# The batch operations are connector calls of the same name: a row gives the operation, the
# function that takes the method's parameters (checking them and filling in the turn's
# defaults) and the answer's model.

BatchCall = tuple[TeamsConnectorClient, tuple[Any, ...]]
"""The connector to call and the operation's arguments, as a ``takes`` function gives them."""


def _to_list(
    context: TurnContext, activity: Activity, tenant_id: str | None, members: Iterable[MemberLike]
) -> BatchCall:
    _require(activity, teams_errors.TeamsActivityRequired)
    tenant = _tenant_id(context, tenant_id)
    return _connector(context), (activity, tenant, _members(members))


def _to_tenant(context: TurnContext, activity: Activity, tenant_id: str | None) -> BatchCall:
    _require(activity, teams_errors.TeamsActivityRequired)
    tenant = _tenant_id(context, tenant_id)
    return _connector(context), (activity, tenant)


def _to_team(
    context: TurnContext, activity: Activity, tenant_id: str | None, team_id: str | None
) -> BatchCall:
    _require(activity, teams_errors.TeamsActivityRequired)
    tenant = _tenant_id(context, tenant_id)
    team = str(_require(_team_id(context, team_id), teams_errors.TeamsTeamIdRequired))
    return _connector(context), (activity, tenant, team)


def _operation(context: TurnContext, operation_id: str) -> BatchCall:
    _require(operation_id, teams_errors.TeamsOperationIdRequired)
    return _connector(context), (operation_id,)


def _batch_call(
    operation: str, takes: Callable[_P, BatchCall], result: type[_R], doc: str
) -> staticmethod[_P, Coroutine[Any, Any, _R]]:
    """The ``TeamsInfo`` static method ``operation``: it takes what ``takes`` takes and
    answers the connector's ``result``."""

    async def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        connector, arguments = takes(*args, **kwargs)
        response: _R = await getattr(connector, operation)(*arguments)
        return response

    call.__name__ = operation
    call.__qualname__ = f"TeamsInfo.{operation}"
    call.__doc__ = doc
    call.__signature__ = inspect.signature(takes).replace(  # type: ignore[attr-defined]
        return_annotation=result.__name__
    )
    return staticmethod(call)


class TeamsInfo:
    """Static helpers over the Teams REST API for the current turn (see the module docs).

    Missing ids raise :class:`~microsoft_agents.hosting.teams.errors.TeamsArgumentError`
    (a ``ValueError``); failed calls raise the connector's ``aiohttp.ClientResponseError``.
    """

    # -- meetings ------------------------------------------------------------------------------

    @staticmethod
    async def get_meeting_participant(
        context: TurnContext,
        meeting_id: str | None = None,
        participant_id: str | None = None,
        tenant_id: str | None = None,
    ) -> TeamsMeetingParticipant:
        """A participant of a meeting (default: the sender, in the turn's meeting)."""
        meeting = _meeting_id(context, meeting_id)
        if not participant_id:
            sender = _activity_of(context).from_property
            participant_id = sender.aad_object_id if sender is not None else None
        participant = str(_require(participant_id, teams_errors.TeamsParticipantIdRequired))
        tenant = _tenant_id(context, tenant_id)
        return await _connector(context).fetch_meeting_participant(meeting, participant, tenant)

    @staticmethod
    async def get_meeting_info(context: TurnContext, meeting_id: str | None = None) -> MeetingInfo:
        """Details, conversation and organizer of a meeting (default: the turn's meeting)."""
        meeting = _meeting_id(context, meeting_id)
        return await _connector(context).fetch_meeting_info(meeting)

    @staticmethod
    async def send_meeting_notification(
        context: TurnContext,
        notification: MeetingNotification,
        meeting_id: str | None = None,
    ) -> MeetingNotificationResponse:
        """Show a notification in a meeting (default: the turn's meeting).

        The response lists the recipients that could not be notified (empty when all were).
        """
        _require(notification, teams_errors.TeamsNotificationRequired)
        meeting = _meeting_id(context, meeting_id)
        return await _connector(context).send_meeting_notification(meeting, notification)

    # -- teams ---------------------------------------------------------------------------------

    @staticmethod
    async def get_team_details(context: TurnContext, team_id: str | None = None) -> TeamDetails:
        """Name, group id and counts of a team (default: the turn's team)."""
        team = str(_require(_team_id(context, team_id), teams_errors.TeamsTeamIdRequired))
        return await _connector(context).fetch_team_details(team)

    @staticmethod
    async def get_team_channels(
        context: TurnContext, team_id: str | None = None
    ) -> list[ChannelInfo]:
        """The channels of a team (default: the turn's team)."""
        team = str(_require(_team_id(context, team_id), teams_errors.TeamsTeamIdRequired))
        return await _connector(context).fetch_channel_list(team)

    # -- members -------------------------------------------------------------------------------

    @staticmethod
    async def get_paged_members(
        context: TurnContext,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> TeamsPagedMembersResult:
        """One page of members: of the turn's team when there is one, else of the
        conversation."""
        team = _team_id(context)
        if team:
            return await TeamsInfo.get_paged_team_members(
                context, team, page_size, continuation_token
            )
        conversation = _conversation_id(context)
        return await _connector(context).get_conversation_paged_member(
            conversation, page_size, continuation_token
        )

    @staticmethod
    async def get_member(context: TurnContext, user_id: str) -> TeamsChannelAccount:
        """A member with directory details: from the turn's team when there is one, else
        from the conversation."""
        _require(user_id, teams_errors.TeamsUserIdRequired)
        team = _team_id(context)
        if team:
            return await TeamsInfo.get_team_member(context, team, user_id)
        conversation = _conversation_id(context)
        return await _connector(context).get_conversation_member(conversation, user_id)

    @staticmethod
    async def get_paged_team_members(
        context: TurnContext,
        team_id: str | None = None,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> TeamsPagedMembersResult:
        """One page of the members of a team (default: the turn's team)."""
        team = str(_require(_team_id(context, team_id), teams_errors.TeamsTeamIdRequired))
        return await _connector(context).get_conversation_paged_member(
            team, page_size, continuation_token
        )

    @staticmethod
    async def get_team_member(
        context: TurnContext, team_id: str | None, user_id: str
    ) -> TeamsChannelAccount:
        """A member of a team (``team_id`` ``None``: the turn's team)."""
        team = str(_require(_team_id(context, team_id), teams_errors.TeamsTeamIdRequired))
        _require(user_id, teams_errors.TeamsUserIdRequired)
        return await _connector(context).get_conversation_member(team, user_id)

    # -- proactive messages --------------------------------------------------------------------

    @staticmethod
    async def send_message_to_teams_channel(
        context: TurnContext,
        activity: Activity,
        teams_channel_id: str,
        app_id: str | None = None,
    ) -> tuple[ConversationReference, str]:
        """Start a new thread in a Teams channel with ``activity`` as its first message.

        With ``app_id`` the conversation is created through the adapter
        (``adapter.create_conversation``, which runs a turn in it); without, directly through
        the turn's connector client. Returns the new conversation's reference and the id of
        the sent activity.
        """
        turn_activity = _activity_of(context)
        _require(activity, teams_errors.TeamsActivityRequired)
        _require(teams_channel_id, teams_errors.TeamsChannelIdRequired)
        parameters = ConversationParameters(
            is_group=True,
            channel_data={"channel": {"id": teams_channel_id}},
            activity=activity,
        )
        if app_id:
            created: list[Activity] = []

            async def on_created(new_context: TurnContext) -> None:
                created.append(new_context.activity)

            service_url = turn_activity.service_url
            if not service_url:
                raise TeamsArgumentError("the turn's activity has no serviceUrl")
            await context.adapter.create_conversation(
                app_id,
                Channels.ms_teams.value,
                service_url,
                _BOT_FRAMEWORK_AUDIENCE,
                parameters,
                on_created,
            )
            event = created[0]
            return event.get_conversation_reference(), event.id or ""
        result = await _connector(context).conversations.create_conversation(parameters)
        reference = turn_activity.get_conversation_reference()
        if reference.conversation is not None:
            reference.conversation = reference.conversation.model_copy(update={"id": result.id})
        reference.activity_id = result.activity_id
        return reference, result.activity_id or ""

    # -- batch messages ------------------------------------------------------------------------

    send_message_to_list_of_users = _batch_call(
        "send_message_to_list_of_users",
        _to_list,
        TeamsBatchOperationResponse,
        "Send ``activity`` to each listed user (ids, dicts or ``TeamsMember``).",
    )
    send_message_to_all_users_in_tenant = _batch_call(
        "send_message_to_all_users_in_tenant",
        _to_tenant,
        TeamsBatchOperationResponse,
        "Send ``activity`` to every user of the tenant (default: the turn's tenant).",
    )
    send_message_to_all_users_in_team = _batch_call(
        "send_message_to_all_users_in_team",
        _to_team,
        TeamsBatchOperationResponse,
        "Send ``activity`` to every member of a team (defaults: the turn's tenant/team).",
    )
    send_message_to_list_of_channels = _batch_call(
        "send_message_to_list_of_channels",
        _to_list,
        TeamsBatchOperationResponse,
        "Post ``activity`` in each listed channel (channel ids as members).",
    )
    get_operation_state = _batch_call(
        "get_operation_state",
        _operation,
        BatchOperationStateResponse,
        "Progress of a batch operation.",
    )
    get_failed_entries = _batch_call(
        "get_failed_entries",
        _operation,
        BatchFailedEntriesResponse,
        "The recipients a batch operation could not reach.",
    )
    cancel_operation = _batch_call(
        "cancel_operation", _operation, CancelOperationResponse, "Stop a batch operation."
    )
