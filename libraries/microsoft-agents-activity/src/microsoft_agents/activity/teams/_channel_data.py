"""Teams ``channelData``: where an activity happened (team, channel, tenant, meeting).

Teams adds keys to ``channelData`` over time. Every model in this module keeps keys it does
not declare (``extra="allow"``), so an agent that parses ``channelData`` and writes it back
does not lose anything.
"""

from __future__ import annotations

from pydantic import ConfigDict

from .._model import AgentsModel

__all__ = [
    "ChannelInfo",
    "NotificationInfo",
    "OnBehalfOf",
    "TeamInfo",
    "TeamsChannelData",
    "TeamsChannelDataSettings",
    "TeamsMeetingInfo",
    "TenantInfo",
]

_KEEP_UNKNOWN_KEYS = ConfigDict(extra="allow")


class ChannelInfo(AgentsModel):
    """A channel of a team."""

    model_config = _KEEP_UNKNOWN_KEYS

    id: str | None = None
    name: str | None = None
    type: str | None = None


class TeamInfo(AgentsModel):
    """The team an activity belongs to."""

    model_config = _KEEP_UNKNOWN_KEYS

    id: str | None = None
    name: str | None = None
    aad_group_id: str | None = None


class TenantInfo(AgentsModel):
    """The Microsoft Entra tenant of a conversation."""

    model_config = _KEEP_UNKNOWN_KEYS

    id: str | None = None


class TeamsMeetingInfo(AgentsModel):
    """The meeting a conversation is attached to."""

    model_config = _KEEP_UNKNOWN_KEYS

    id: str | None = None


class NotificationInfo(AgentsModel):
    """How Teams should notify users about an outgoing message."""

    model_config = _KEEP_UNKNOWN_KEYS

    alert: bool | None = None
    alert_in_meeting: bool | None = None
    external_resource_url: str | None = None


class TeamsChannelDataSettings(AgentsModel):
    """Settings carried in channel data, such as the channel picked when installing an app."""

    model_config = _KEEP_UNKNOWN_KEYS

    selected_channel: ChannelInfo | None = None


class OnBehalfOf(AgentsModel):
    """A user on whose behalf the agent sends a message or notification.

    ``item_id`` is a number on the Teams wire (usually ``0``); strings are accepted too.
    """

    model_config = _KEEP_UNKNOWN_KEYS

    item_id: int | str | None = None
    mention_type: str | None = None
    display_name: str | None = None
    mri: str | None = None


class TeamsChannelData(AgentsModel):
    """The Teams-specific ``channelData`` of an activity.

    ``event_type`` names conversation-update and message-update sub-events
    (``channelCreated``, ``teamRenamed``, ``editMessage``, ...). Undeclared keys such as
    ``teamsChannelId`` or ``source`` stay in :attr:`model_extra` and are written back.
    """

    model_config = _KEEP_UNKNOWN_KEYS

    channel: ChannelInfo | None = None
    event_type: str | None = None
    team: TeamInfo | None = None
    notification: NotificationInfo | None = None
    tenant: TenantInfo | None = None
    meeting: TeamsMeetingInfo | None = None
    settings: TeamsChannelDataSettings | None = None
    on_behalf_of: list[OnBehalfOf] | None = None
