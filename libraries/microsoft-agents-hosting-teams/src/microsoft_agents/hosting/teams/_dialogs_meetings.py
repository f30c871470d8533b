"""``TaskModule`` and ``Meeting``: Teams dialog and meeting routes for ``AgentApplication``.

Like every Teams route helper, each method works as a bare decorator or called with options,
and returns the decorated function.
"""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.activity.teams import (
    MeetingEndEventDetails,
    MeetingParticipantsEventDetails,
    MeetingStartEventDetails,
    TaskModuleRequest,
)
from microsoft_agents.hosting.core import RouteRank, TurnContext

from ._route_kit import (
    PayloadHandler,
    RouteFilterArg,
    RouteRegistrar,
    filter_matches,
    split_filter,
    value_field,
)
from ._teams_activity_handler import (
    MEETING_END_EVENT,
    MEETING_PARTICIPANT_JOIN_EVENT,
    MEETING_PARTICIPANT_LEAVE_EVENT,
    MEETING_START_EVENT,
    read_event_value,
)

__all__ = ["Meeting", "TaskModule"]

_TASK_FETCH = "task/fetch"
_TASK_SUBMIT = "task/submit"


class TaskModule:
    """Dialog (task module) routes of a ``TeamsAgentExtension`` (``ext.task_module``).

    Handlers are ``async (context, state, request: TaskModuleRequest)`` and return the
    ``TaskModuleResponse`` that answers the invoke.
    """

    def __init__(self, registrar: RouteRegistrar) -> None:
        self._routes = registrar

    def _verb_route(
        self,
        name: str,
        verb: RouteFilterArg,
        auth_handlers: list[str] | None,
        rank: int,
    ) -> Any:
        func, text_filter = split_filter(verb)
        return self._routes.invoke(
            func,
            name,
            TaskModuleRequest,
            extra=lambda context: filter_matches(
                text_filter, value_field(context.activity, "data", "verb")
            ),
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_fetch(
        self,
        verb: RouteFilterArg = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``task/fetch`` whose ``data.verb`` passes ``verb`` (``None``: any)."""
        return self._verb_route(_TASK_FETCH, verb, auth_handlers, rank)

    def on_submit(
        self,
        verb: RouteFilterArg = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``task/submit`` whose ``data.verb`` passes ``verb`` (``None``: any)."""
        return self._verb_route(_TASK_SUBMIT, verb, auth_handlers, rank)


def _event_named(name: str) -> Any:
    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == ActivityTypes.event and activity.name == name

    return selector


class Meeting:
    """Meeting event routes of a ``TeamsAgentExtension`` (``ext.meeting``).

    Handlers are ``async (context, state, details)`` with the event's details model.
    """

    def __init__(self, registrar: RouteRegistrar) -> None:
        self._routes = registrar

    def _event(
        self,
        func: PayloadHandler | None,
        name: str,
        model: Any,
        auth_handlers: list[str] | None,
        rank: int,
    ) -> Any:
        return self._routes.activity(
            func,
            _event_named(name),
            lambda context: read_event_value(model, context.activity.value),
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_start(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """A meeting started; details: ``MeetingStartEventDetails``."""
        return self._event(func, MEETING_START_EVENT, MeetingStartEventDetails, auth_handlers, rank)

    def on_end(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """A meeting ended; details: ``MeetingEndEventDetails``."""
        return self._event(func, MEETING_END_EVENT, MeetingEndEventDetails, auth_handlers, rank)

    def on_participants_join(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """Participants joined; details: ``MeetingParticipantsEventDetails``."""
        return self._event(
            func,
            MEETING_PARTICIPANT_JOIN_EVENT,
            MeetingParticipantsEventDetails,
            auth_handlers,
            rank,
        )

    def on_participants_leave(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """Participants left; details: ``MeetingParticipantsEventDetails``."""
        return self._event(
            func,
            MEETING_PARTICIPANT_LEAVE_EVENT,
            MeetingParticipantsEventDetails,
            auth_handlers,
            rank,
        )
