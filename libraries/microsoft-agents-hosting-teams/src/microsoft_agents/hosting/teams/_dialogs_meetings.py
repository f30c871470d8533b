"""``TaskModule`` and ``Meeting``: Teams dialog and meeting routes for ``AgentApplication``.

Like every Teams route helper, each method works as a bare decorator or called with options,
and returns the decorated function.
"""

from __future__ import annotations

from microsoft_agents.activity.teams import (
    MeetingEndEventDetails,
    MeetingParticipantsEventDetails,
    MeetingStartEventDetails,
    TaskModuleRequest,
)
from microsoft_agents.hosting.core import RouteRank, TurnContext

from ._route_kit import (
    AuthHandlers,
    HelperArgs,
    RouteFilterArg,
    RouteGroup,
    TextFilter,
    bare,
    event_helper,
    filter_matches,
    invoke_helper,
    split_filter,
    value_field,
)
from ._teams_activity_handler import (
    MEETING_END_EVENT,
    MEETING_PARTICIPANT_JOIN_EVENT,
    MEETING_PARTICIPANT_LEAVE_EVENT,
    MEETING_START_EVENT,
)

__all__ = ["Meeting", "TaskModule"]


def _by_verb(
    verb: RouteFilterArg = None,
    *,
    auth_handlers: AuthHandlers = None,
    rank: int = RouteRank.DEFAULT,
) -> HelperArgs:
    """The parameters of a helper filtered on the request's ``data.verb`` (``None``: any)."""
    return (*split_filter(verb), auth_handlers, rank)


def _verb(verb: TextFilter, context: TurnContext) -> bool:
    return filter_matches(verb, value_field(context.activity, "data", "verb"))


class TaskModule(RouteGroup):
    """Dialog (task module) routes of a ``TeamsAgentExtension`` (``ext.task_module``).

    Handlers are ``async (context, state, request: TaskModuleRequest)`` and return the
    ``TaskModuleResponse`` that answers the invoke.
    """

    on_fetch = invoke_helper(
        _by_verb,
        "task/fetch",
        TaskModuleRequest,
        "``task/fetch`` whose ``data.verb`` passes ``verb`` (``None``: any).",
        match=_verb,
    )
    on_submit = invoke_helper(
        _by_verb,
        "task/submit",
        TaskModuleRequest,
        "``task/submit`` whose ``data.verb`` passes ``verb`` (``None``: any).",
        match=_verb,
    )


class Meeting(RouteGroup):
    """Meeting event routes of a ``TeamsAgentExtension`` (``ext.meeting``).

    Handlers are ``async (context, state, details)`` with the event's details model.
    """

    on_start = event_helper(
        bare,
        MEETING_START_EVENT,
        MeetingStartEventDetails,
        "A meeting started; details: ``MeetingStartEventDetails``.",
    )
    on_end = event_helper(
        bare,
        MEETING_END_EVENT,
        MeetingEndEventDetails,
        "A meeting ended; details: ``MeetingEndEventDetails``.",
    )
    on_participants_join = event_helper(
        bare,
        MEETING_PARTICIPANT_JOIN_EVENT,
        MeetingParticipantsEventDetails,
        "Participants joined; details: ``MeetingParticipantsEventDetails``.",
    )
    on_participants_leave = event_helper(
        bare,
        MEETING_PARTICIPANT_LEAVE_EVENT,
        MeetingParticipantsEventDetails,
        "Participants left; details: ``MeetingParticipantsEventDetails``.",
    )
