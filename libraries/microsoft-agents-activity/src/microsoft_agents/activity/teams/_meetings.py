"""Teams meetings: meeting details, participants, meeting events and in-meeting notifications."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Union

from pydantic import AliasChoices, ConfigDict, Discriminator, Field, Tag, model_validator

from .._accounts import ConversationAccount
from .._model import AgentsModel
from ..entity._base import SchemaModel
from ._channel_data import OnBehalfOf
from ._members import TeamsChannelAccount

__all__ = [
    "MeetingDetails",
    "MeetingDetailsBase",
    "MeetingEndEventDetails",
    "MeetingEventDetails",
    "MeetingInfo",
    "MeetingNotification",
    "MeetingNotificationBase",
    "MeetingNotificationChannelData",
    "MeetingNotificationRecipientFailureInfo",
    "MeetingNotificationResponse",
    "MeetingParticipantInfo",
    "MeetingParticipantsEventDetails",
    "MeetingStageContentType",
    "MeetingStageSurface",
    "MeetingStartEventDetails",
    "MeetingTabIconSurface",
    "Surface",
    "SurfaceType",
    "TargetedMeetingNotification",
    "TargetedMeetingNotificationValue",
    "TeamsMeetingMember",
    "TeamsMeetingParticipant",
    "UserMeetingDetails",
]


# -- meeting details -----------------------------------------------------------------------


class MeetingDetailsBase(AgentsModel):
    """Identity of a meeting. ``id`` travels as ``uniqueId``; ``id`` is accepted on input."""

    id: str | None = Field(default=None, alias="uniqueId")
    join_url: str | None = None
    title: str | None = None


class MeetingDetails(MeetingDetailsBase):
    """Details of a meeting as returned by the meeting-info call."""

    ms_graph_resource_id: str | None = None
    scheduled_start_time: str | None = None
    scheduled_end_time: str | None = None
    type: str | None = None


class MeetingInfo(AgentsModel):
    """A meeting with its conversation and organizer."""

    details: MeetingDetails | None = None
    conversation: ConversationAccount | None = None
    organizer: TeamsChannelAccount | None = None


# -- meeting events ------------------------------------------------------------------------


class _AnyCaseKeys(AgentsModel):
    """Matches input keys to fields ignoring case.

    Teams sends meeting start/end event values with PascalCase keys (``StartTime``,
    ``JoinUrl``); output keeps the usual camelCase.
    """

    @model_validator(mode="before")
    @classmethod
    def _match_key_case(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        by_folded: dict[str, str] = {}
        for name, field in cls.model_fields.items():
            by_folded.setdefault(name.lower(), name)
            if field.alias:
                by_folded.setdefault(field.alias.lower(), field.alias)
        exact = set(by_folded.values())
        result: dict[Any, Any] = {k: v for k, v in data.items() if k in exact}
        for key, value in data.items():
            if key in exact:
                continue
            target = by_folded.get(key.lower(), key) if isinstance(key, str) else key
            result.setdefault(target, value)
        return result


class MeetingEventDetails(_AnyCaseKeys):
    """Fields shared by the meeting start and end events."""

    id: str | None = None
    join_url: str | None = None
    title: str | None = None
    meeting_type: str | None = None


class MeetingStartEventDetails(MeetingEventDetails):
    """Value of the ``application/vnd.microsoft.meetingStart`` event."""

    start_time: str | None = None


class MeetingEndEventDetails(MeetingEventDetails):
    """Value of the ``application/vnd.microsoft.meetingEnd`` event."""

    end_time: str | None = None


# -- participants --------------------------------------------------------------------------


class MeetingParticipantInfo(AgentsModel):
    """A participant's role in a meeting and whether they are in it right now."""

    role: str | None = None
    in_meeting: bool | None = None


class UserMeetingDetails(AgentsModel):
    """The meeting part of a participant join/leave event entry."""

    role: str | None = None
    in_meeting: bool | None = None


class TeamsMeetingParticipant(AgentsModel):
    """A meeting participant as returned by the meeting-participant call."""

    user: TeamsChannelAccount | None = None
    meeting: MeetingParticipantInfo | None = None
    conversation: ConversationAccount | None = None


class TeamsMeetingMember(AgentsModel):
    """One entry of a participant join/leave event."""

    user: TeamsChannelAccount | None = None
    meeting: UserMeetingDetails | None = None


class MeetingParticipantsEventDetails(AgentsModel):
    """Value of the ``meetingParticipantJoin`` / ``meetingParticipantLeave`` events."""

    members: list[TeamsMeetingMember] | None = None


# -- in-meeting notifications --------------------------------------------------------------


class SurfaceType(str, Enum):
    """Where in the meeting window a notification is shown (the ``surface`` key)."""

    UNKNOWN = "unknown"
    MEETING_STAGE = "meetingStage"
    MEETING_TAB_ICON = "meetingTabIcon"


class MeetingStageContentType(str, Enum):
    """What a meeting-stage surface shows."""

    UNKNOWN = "unknown"
    TASK = "task"


class Surface(SchemaModel):
    """A notification surface; ``type`` travels as ``surface``. Unknown keys are kept."""

    model_config = ConfigDict(extra="allow")

    type: str | None = Field(default=None, alias="surface")


class MeetingStageSurface(Surface):
    """Shows ``content`` (a task module) on the meeting stage."""

    _always_emit = ("type", "content_type")

    type: str | None = Field(default=SurfaceType.MEETING_STAGE.value, alias="surface")
    content_type: str | None = MeetingStageContentType.TASK.value
    content: Any = None


class MeetingTabIconSurface(Surface):
    """Badges the meeting tab identified by ``tab_entity_id``."""

    _always_emit = ("type",)

    type: str | None = Field(default=SurfaceType.MEETING_TAB_ICON.value, alias="surface")
    tab_entity_id: str | None = None


def _surface_kind(value: Any) -> str:
    if isinstance(value, MeetingStageSurface):
        return SurfaceType.MEETING_STAGE.value
    if isinstance(value, MeetingTabIconSurface):
        return SurfaceType.MEETING_TAB_ICON.value
    kind = value.get("surface", value.get("type")) if isinstance(value, dict) else None
    if kind in (SurfaceType.MEETING_STAGE.value, SurfaceType.MEETING_TAB_ICON.value):
        return str(kind)
    return "other"


AnySurface = Annotated[
    Union[
        Annotated[MeetingStageSurface, Tag(SurfaceType.MEETING_STAGE.value)],
        Annotated[MeetingTabIconSurface, Tag(SurfaceType.MEETING_TAB_ICON.value)],
        Annotated[Surface, Tag("other")],
    ],
    Discriminator(_surface_kind),
]


class TargetedMeetingNotificationValue(AgentsModel):
    """Who receives a targeted meeting notification and where it is shown."""

    recipients: list[str] | None = None
    surfaces: list[AnySurface] | None = None


class MeetingNotificationChannelData(AgentsModel):
    """Channel data of a meeting notification.

    The list travels as ``onBehalfOf``; ``onBehalfOfList`` is accepted on input as well.
    """

    on_behalf_of_list: list[OnBehalfOf] | None = Field(
        default=None,
        alias="onBehalfOf",
        validation_alias=AliasChoices("onBehalfOf", "onBehalfOfList"),
    )


class MeetingNotificationBase(AgentsModel):
    """Common part of notifications sent into a meeting."""

    type: str | None = None


class MeetingNotification(MeetingNotificationBase):
    """A meeting notification with its recipients and surfaces."""

    value: TargetedMeetingNotificationValue | None = None


class TargetedMeetingNotification(SchemaModel, MeetingNotification):
    """A notification shown only to ``value.recipients``; ``type`` is always written."""

    _always_emit = ("type",)

    type: str | None = "targetedMeetingNotification"
    channel_data: MeetingNotificationChannelData | None = None


class MeetingNotificationRecipientFailureInfo(AgentsModel):
    """Why a notification could not be delivered to one recipient."""

    recipient_mri: str | None = None
    error_code: str | None = None
    failure_reason: str | None = None


class MeetingNotificationResponse(AgentsModel):
    """Result of sending a meeting notification: the recipients it failed for."""

    recipients_failure_info: list[MeetingNotificationRecipientFailureInfo] | None = None
