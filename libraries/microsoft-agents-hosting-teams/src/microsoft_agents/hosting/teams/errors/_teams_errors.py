"""The Teams error catalogue (codes -62000 to -62099) and the exceptions built on it."""

from __future__ import annotations

from microsoft_agents.activity.errors import ErrorMessage
from microsoft_agents.hosting.core.errors import HostingError

__all__ = [
    "TeamsArgumentError",
    "TeamsBadRequestError",
    "TeamsError",
    "TeamsErrorResources",
    "TeamsNotImplementedError",
    "teams_errors",
]


class TeamsErrorResources:
    """Messages of the Teams distribution, each with a stable negative error code."""

    TeamsBadRequest = ErrorMessage("BadRequest", -62000)
    TeamsNotImplemented = ErrorMessage("NotImplemented", -62001)
    TeamsContextRequired = ErrorMessage(
        "This call needs a turn that came from Microsoft Teams through a channel adapter: "
        "context.turn_state['ConnectorClient'] must hold a TeamsConnectorClient.",
        -62002,
    )
    TeamsMeetingIdRequired = ErrorMessage(
        "A meeting id is required: pass meeting_id, or call this from a meeting turn "
        "(channelData.meeting.id).",
        -62003,
    )
    TeamsParticipantIdRequired = ErrorMessage(
        "A participant id is required: pass participant_id, or call this from a turn whose "
        "sender has an aadObjectId.",
        -62004,
    )
    TeamsTeamIdRequired = ErrorMessage(
        "A team id is required: pass team_id, or call this from a turn in a team channel "
        "(channelData.team.id).",
        -62005,
    )
    TeamsTurnContextRequired = ErrorMessage("A TurnContext is required.", -62006)
    TeamsActivityRequired = ErrorMessage("An activity to send is required.", -62007)
    TeamsChannelIdRequired = ErrorMessage(
        "A Teams channel id (teams_channel_id) is required.", -62008
    )
    TeamsConversationIdRequired = ErrorMessage(
        "The turn's activity has no conversation id.", -62009
    )
    # Additions of this project beyond the published catalogue.
    TeamsTenantIdRequired = ErrorMessage(
        "A tenant id is required: pass tenant_id, or call this from a turn whose channel data "
        "names the tenant (channelData.tenant.id).",
        -62010,
    )
    TeamsMembersRequired = ErrorMessage("At least one member (or channel) is required.", -62011)
    TeamsOperationIdRequired = ErrorMessage("A batch operation id is required.", -62012)
    TeamsUserIdRequired = ErrorMessage("A user id is required.", -62013)
    TeamsNotificationRequired = ErrorMessage("A meeting notification is required.", -62014)


teams_errors = TeamsErrorResources()


class TeamsError(HostingError):
    """Base of every error the Teams distribution raises on purpose."""


class TeamsArgumentError(TeamsError, ValueError):
    """A Teams helper was called without an id it needs (or outside a Teams turn)."""


class TeamsBadRequestError(TeamsError, ValueError):
    """An invoke's value is malformed or names an unsupported action.

    Raised from an invoke hook of ``TeamsActivityHandler``, it answers the invoke with
    status 400.
    """

    def __init__(self, detail: str | None = None) -> None:
        message = str(teams_errors.TeamsBadRequest)
        super().__init__(f"{detail}\n\n{message}" if detail else message)
        self.detail = detail


class TeamsNotImplementedError(TeamsError, NotImplementedError):
    """An invoke hook was not overridden.

    Raised from an invoke hook of ``TeamsActivityHandler``, it answers the invoke with
    status 501.
    """

    def __init__(self, hook: str | None = None) -> None:
        message = str(teams_errors.TeamsNotImplemented)
        super().__init__(f"{hook} is not implemented\n\n{message}" if hook else message)
        self.hook = hook
