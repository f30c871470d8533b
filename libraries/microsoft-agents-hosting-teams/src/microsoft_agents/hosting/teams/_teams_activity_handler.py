"""``TeamsActivityHandler``: ``ActivityHandler`` with the Microsoft Teams hooks.

On top of the invoke hooks (see ``_invoke_dispatch``) it splits Teams conversation updates
(members, channel and team lifecycle), message edits and deletes, and Teams events (read
receipts, meeting start/end, participants joining and leaving) into their own hooks. Those
hooks do nothing by default. Activities from other channels get the base behaviour.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

import aiohttp
from pydantic import BaseModel

from microsoft_agents.activity import ChannelAccount
from microsoft_agents.activity.teams import (
    ChannelInfo,
    MeetingEndEventDetails,
    MeetingParticipantsEventDetails,
    MeetingStartEventDetails,
    ReadReceiptInfo,
    TeamInfo,
    TeamsChannelAccount,
)
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import TeamsConnectorClient

from ._invoke_dispatch import TeamsInvokeHandler, is_teams
from ._teams_info import TeamsInfo, teams_channel_data

__all__ = ["TeamsActivityHandler"]

logger = logging.getLogger(__name__)

_ModelT = TypeVar("_ModelT", bound=BaseModel)

_CONVERSATION_NOT_FOUND = "ConversationNotFound"

# channelData.eventType -> hook called with (channel_info, team_info, turn_context)
_CHANNEL_EVENTS = {
    "channelCreated": "on_teams_channel_created",
    "channelDeleted": "on_teams_channel_deleted",
    "channelRenamed": "on_teams_channel_renamed",
    "channelRestored": "on_teams_channel_restored",
}
# channelData.eventType -> hook called with (team_info, turn_context)
_TEAM_EVENTS = {
    "teamArchived": "on_teams_team_archived",
    "teamDeleted": "on_teams_team_deleted",
    "teamHardDeleted": "on_teams_team_hard_deleted",
    "teamRenamed": "on_teams_team_renamed",
    "teamRestored": "on_teams_team_restored",
    "teamUnarchived": "on_teams_team_unarchived",
}

READ_RECEIPT_EVENT = "application/vnd.microsoft.readReceipt"
MEETING_START_EVENT = "application/vnd.microsoft.meetingStart"
MEETING_END_EVENT = "application/vnd.microsoft.meetingEnd"
MEETING_PARTICIPANT_JOIN_EVENT = "application/vnd.microsoft.meetingParticipantJoin"
MEETING_PARTICIPANT_LEAVE_EVENT = "application/vnd.microsoft.meetingParticipantLeave"


def read_event_value(model: type[_ModelT], value: Any) -> _ModelT:
    """An event's ``value`` read as ``model`` (an empty model when there is no value)."""
    if isinstance(value, model):
        return value
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return model.model_validate(value if isinstance(value, dict) else {})


def as_teams_account(member: ChannelAccount) -> TeamsChannelAccount:
    """``member`` as a :class:`TeamsChannelAccount`, keeping every key it carries."""
    if isinstance(member, TeamsChannelAccount):
        return member
    return TeamsChannelAccount.model_validate(
        member.model_dump(mode="json", by_alias=True, exclude_unset=True)
    )


class TeamsActivityHandler(TeamsInvokeHandler):
    """An agent for Microsoft Teams: subclass it and override the hooks you need.

    ``CloudAdapter.process(request, MyTeamsAgent())`` runs it like any ``ActivityHandler``.
    """

    # -- conversation updates --------------------------------------------------------------------

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        """Teams members added/removed, then channel and team events by ``eventType``."""
        if not is_teams(turn_context):
            await super().on_conversation_update_activity(turn_context)
            return
        activity = turn_context.activity
        channel_data = teams_channel_data(activity)
        team = channel_data.team if channel_data is not None else None
        if activity.members_added:
            await self.on_teams_members_added_dispatch(activity.members_added, team, turn_context)
            return
        if activity.members_removed:
            await self.on_teams_members_removed_dispatch(
                activity.members_removed, team, turn_context
            )
            return
        event_type = channel_data.event_type if channel_data is not None else None
        if event_type in _CHANNEL_EVENTS:
            channel = channel_data.channel if channel_data is not None else None
            await getattr(self, _CHANNEL_EVENTS[event_type])(channel, team, turn_context)
        elif event_type in _TEAM_EVENTS:
            await getattr(self, _TEAM_EVENTS[event_type])(team, turn_context)
        else:
            await super().on_conversation_update_activity(turn_context)

    async def on_teams_members_added_dispatch(
        self,
        members_added: list[ChannelAccount],
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        """Complete the added members' details, then call :meth:`on_members_added_activity`
        and :meth:`on_teams_members_added`.

        Members that already carry extra details, and the agent itself, are taken as they
        are; the others are looked up with :meth:`TeamsInfo.get_member` (a member Teams
        cannot find yet is passed with the details the activity has).
        """
        teams_members = [await self._added_member(m, turn_context) for m in members_added]
        await self.on_members_added_activity(members_added, turn_context)
        await self.on_teams_members_added(teams_members, team_info, turn_context)

    async def _added_member(
        self, member: ChannelAccount, turn_context: TurnContext
    ) -> TeamsChannelAccount:
        recipient = turn_context.activity.recipient
        is_agent = recipient is not None and member.id == recipient.id
        if member.properties or is_agent or not member.id:
            return as_teams_account(member)
        connector = turn_context.turn_state.get("ConnectorClient")
        if not isinstance(connector, TeamsConnectorClient):
            logger.debug("no Teams connector in this turn; member %s kept as sent", member.id)
            return as_teams_account(member)
        try:
            return await TeamsInfo.get_member(turn_context, member.id)
        except aiohttp.ClientResponseError as error:
            if _CONVERSATION_NOT_FOUND not in (error.message or ""):
                raise
            known = {
                "id": member.id,
                "name": member.name,
                "aad_object_id": member.aad_object_id,
                "role": member.role,
            }
            return TeamsChannelAccount(**{k: v for k, v in known.items() if v is not None})

    async def on_teams_members_removed_dispatch(
        self,
        members_removed: list[ChannelAccount],
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        """Call :meth:`on_members_removed_activity` and :meth:`on_teams_members_removed`."""
        teams_members = [as_teams_account(member) for member in members_removed]
        await self.on_members_removed_activity(members_removed, turn_context)
        await self.on_teams_members_removed(teams_members, team_info, turn_context)

    async def on_teams_members_added(
        self,
        teams_members_added: list[TeamsChannelAccount],
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        """Members joined the team or conversation (with their Teams details)."""

    async def on_teams_members_removed(
        self,
        teams_members_removed: list[TeamsChannelAccount],
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        """Members left the team or conversation."""

    async def on_teams_channel_created(
        self,
        channel_info: ChannelInfo | None,
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        """A channel was created in the team."""

    async def on_teams_channel_deleted(
        self,
        channel_info: ChannelInfo | None,
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        """A channel was deleted."""

    async def on_teams_channel_renamed(
        self,
        channel_info: ChannelInfo | None,
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        """A channel was renamed (``channel_info.name`` is the new name)."""

    async def on_teams_channel_restored(
        self,
        channel_info: ChannelInfo | None,
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        """A deleted channel was restored."""

    async def on_teams_team_archived(
        self, team_info: TeamInfo | None, turn_context: TurnContext
    ) -> None:
        """The team was archived."""

    async def on_teams_team_deleted(
        self, team_info: TeamInfo | None, turn_context: TurnContext
    ) -> None:
        """The team was deleted (it can still be restored)."""

    async def on_teams_team_hard_deleted(
        self, team_info: TeamInfo | None, turn_context: TurnContext
    ) -> None:
        """The team was deleted for good."""

    async def on_teams_team_renamed(
        self, team_info: TeamInfo | None, turn_context: TurnContext
    ) -> None:
        """The team was renamed (``team_info.name`` is the new name)."""

    async def on_teams_team_restored(
        self, team_info: TeamInfo | None, turn_context: TurnContext
    ) -> None:
        """A deleted team was restored."""

    async def on_teams_team_unarchived(
        self, team_info: TeamInfo | None, turn_context: TurnContext
    ) -> None:
        """The team was taken out of the archive."""

    # -- message edits and deletes -------------------------------------------------------------

    async def on_message_update_activity(self, turn_context: TurnContext) -> None:
        """Teams ``editMessage`` and ``undeleteMessage`` go to their hooks."""
        if is_teams(turn_context):
            event_type = self._event_type(turn_context)
            if event_type == "undeleteMessage":
                await self.on_teams_message_undelete(turn_context)
                return
            if event_type == "editMessage":
                await self.on_teams_message_edit(turn_context)
                return
        await super().on_message_update_activity(turn_context)

    async def on_message_delete_activity(self, turn_context: TurnContext) -> None:
        """A Teams ``softDeleteMessage`` goes to :meth:`on_teams_message_soft_delete`."""
        if is_teams(turn_context) and self._event_type(turn_context) == "softDeleteMessage":
            await self.on_teams_message_soft_delete(turn_context)
            return
        await super().on_message_delete_activity(turn_context)

    @staticmethod
    def _event_type(turn_context: TurnContext) -> str | None:
        channel_data = teams_channel_data(turn_context.activity)
        return channel_data.event_type if channel_data is not None else None

    async def on_teams_message_edit(self, turn_context: TurnContext) -> None:
        """A user edited a message (the activity carries the new text)."""

    async def on_teams_message_undelete(self, turn_context: TurnContext) -> None:
        """A user restored a deleted message."""

    async def on_teams_message_soft_delete(self, turn_context: TurnContext) -> None:
        """A user deleted a message (it can still be restored)."""

    # -- events ----------------------------------------------------------------------------------

    async def on_event_activity(self, turn_context: TurnContext) -> None:
        """Teams read receipts and meeting events go to their hooks."""
        if is_teams(turn_context):
            name = turn_context.activity.name
            value = turn_context.activity.value
            if name == READ_RECEIPT_EVENT:
                receipt = read_event_value(ReadReceiptInfo, value)
                await self.on_teams_read_receipt(receipt, turn_context)
                return
            if name == MEETING_START_EVENT:
                start = read_event_value(MeetingStartEventDetails, value)
                await self.on_teams_meeting_start(start, turn_context)
                return
            if name == MEETING_END_EVENT:
                end = read_event_value(MeetingEndEventDetails, value)
                await self.on_teams_meeting_end(end, turn_context)
                return
            if name == MEETING_PARTICIPANT_JOIN_EVENT:
                joined = read_event_value(MeetingParticipantsEventDetails, value)
                await self.on_teams_meeting_participants_join(joined, turn_context)
                return
            if name == MEETING_PARTICIPANT_LEAVE_EVENT:
                left = read_event_value(MeetingParticipantsEventDetails, value)
                await self.on_teams_meeting_participants_leave(left, turn_context)
                return
        await super().on_event_activity(turn_context)

    async def on_teams_read_receipt(
        self, read_receipt_info: ReadReceiptInfo, turn_context: TurnContext
    ) -> None:
        """The user read the agent's messages up to ``last_read_message_id``."""

    async def on_teams_meeting_start(
        self, meeting: MeetingStartEventDetails, turn_context: TurnContext
    ) -> None:
        """A meeting the agent is part of started."""

    async def on_teams_meeting_end(
        self, meeting: MeetingEndEventDetails, turn_context: TurnContext
    ) -> None:
        """A meeting the agent is part of ended."""

    async def on_teams_meeting_participants_join(
        self, meeting: MeetingParticipantsEventDetails, turn_context: TurnContext
    ) -> None:
        """Participants joined the meeting."""

    async def on_teams_meeting_participants_leave(
        self, meeting: MeetingParticipantsEventDetails, turn_context: TurnContext
    ) -> None:
        """Participants left the meeting."""
