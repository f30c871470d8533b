"""``TeamsAgentExtension``: Teams routes for an ``AgentApplication``.

    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=CloudAdapter())
    teams = TeamsAgentExtension(app)

    @teams.message_extension.on_query("searchCmd")
    async def search(context, state, query: MessagingExtensionQuery):
        return MessagingExtensionResponse(compose_extension=...)

    @teams.on_team_renamed
    async def renamed(context, state):
        ...

Every method is usable bare (``@teams.on_x``) or called (``@teams.on_x(rank=...)``), takes
the keyword options ``auth_handlers`` and ``rank``, and returns the decorated function. All
routes apply to Microsoft Teams activities only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, ParamSpec

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.activity.teams import (
    FileConsentCardResponse,
    O365ConnectorCardActionQuery,
    ReadReceiptInfo,
)
from microsoft_agents.hosting.core import AgentApplication, StateT, TurnContext

from ._dialogs_meetings import Meeting, TaskModule
from ._message_extension import MessageExtension
from ._route_kit import (
    Helper,
    HelperArgs,
    Matcher,
    RouteGroup,
    RouteRegistrar,
    TextFilter,
    activity_helper,
    bare,
    event_helper,
    event_type_of,
    invoke_helper,
    value_field,
)
from ._teams_activity_handler import READ_RECEIPT_EVENT

__all__ = ["TeamsAgentExtension"]

_P = ParamSpec("_P")


def _update(activity_type: str, event_type: str) -> Any:
    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == activity_type and event_type_of(activity) == event_type

    return selector


def _members(field: str) -> Any:
    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == ActivityTypes.conversation_update and bool(getattr(activity, field))

    return selector


def _conversation(takes: Callable[_P, HelperArgs], event_type: str) -> Helper[_P]:
    """The helper of the Teams conversation update ``event_type``; ``takes``: :func:`bare`."""
    selector = _update(ActivityTypes.conversation_update, event_type)
    return activity_helper(takes, selector, f"``{event_type}``; ``(context, state)``.")


def _file_consent(action: str) -> Matcher:
    def match(_: TextFilter, context: TurnContext) -> bool:
        return value_field(context.activity, "action") == action

    return match


class TeamsAgentExtension(RouteGroup, Generic[StateT]):
    """Teams routes registered on ``app`` (see the module documentation).

    ``message_extension``, ``task_module`` and ``meeting`` group the message extension,
    dialog and meeting routes; the conversation, message and invoke routes are methods of
    the extension itself.
    """

    def __init__(self, app: AgentApplication[StateT]) -> None:
        super().__init__(RouteRegistrar(app))
        self._message_extension = MessageExtension(self._routes)
        self._task_module = TaskModule(self._routes)
        self._meeting = Meeting(self._routes)

    @property
    def app(self) -> AgentApplication[StateT]:
        """The application the routes are registered on."""
        app: AgentApplication[StateT] = self._routes.app
        return app

    @property
    def message_extension(self) -> MessageExtension:
        """Search and action command routes."""
        return self._message_extension

    @property
    def task_module(self) -> TaskModule:
        """Dialog (``task/fetch``, ``task/submit``) routes."""
        return self._task_module

    @property
    def meeting(self) -> Meeting:
        """Meeting start, end and participant routes."""
        return self._meeting

    # -- messages --------------------------------------------------------------------------------

    on_message_edit = activity_helper(
        bare,
        _update(ActivityTypes.message_update, "editMessage"),
        "A message was edited (``messageUpdate``/``editMessage``); ``(context, state)``.",
    )
    on_message_undelete = activity_helper(
        bare,
        _update(ActivityTypes.message_update, "undeleteMessage"),
        "A deleted message was restored (``undeleteMessage``); ``(context, state)``.",
    )
    on_message_soft_delete = activity_helper(
        bare,
        _update(ActivityTypes.message_delete, "softDeleteMessage"),
        """A message was deleted (``messageDelete``/``softDeleteMessage``); ``(context,
        state)``.""",
    )
    on_read_receipt = event_helper(
        bare,
        READ_RECEIPT_EVENT,
        ReadReceiptInfo,
        "The user read the agent's messages; ``(context, state, ReadReceiptInfo)``.",
    )

    # -- invokes ---------------------------------------------------------------------------------

    on_config_fetch = invoke_helper(
        bare,
        "config/fetch",
        None,
        "``config/fetch``; ``(context, state, value)`` returns the ``ConfigResponse``.",
    )
    on_config_submit = invoke_helper(
        bare,
        "config/submit",
        None,
        "``config/submit``; ``(context, state, value)`` returns the ``ConfigResponse``.",
    )
    on_file_consent_accept = invoke_helper(
        bare,
        "fileConsent/invoke",
        FileConsentCardResponse,
        "The user accepted a file; ``(context, state, FileConsentCardResponse)``.",
        match=_file_consent("accept"),
        empty_answer=True,
    )
    on_file_consent_decline = invoke_helper(
        bare,
        "fileConsent/invoke",
        FileConsentCardResponse,
        "The user declined a file; ``(context, state, FileConsentCardResponse)``.",
        match=_file_consent("decline"),
        empty_answer=True,
    )
    on_o365_connector_card_action = invoke_helper(
        bare,
        "actionableMessage/executeAction",
        O365ConnectorCardActionQuery,
        """An Office 365 connector card action; ``(context, state,
        O365ConnectorCardActionQuery)``.""",
        empty_answer=True,
    )

    # -- members, channels and teams -------------------------------------------------------------

    on_members_added = activity_helper(
        bare,
        _members("members_added"),
        "Members joined (``activity.members_added``); ``(context, state)``.",
    )
    on_members_removed = activity_helper(
        bare,
        _members("members_removed"),
        "Members left (``activity.members_removed``); ``(context, state)``.",
    )
    on_channel_created = _conversation(bare, "channelCreated")
    on_channel_deleted = _conversation(bare, "channelDeleted")
    on_channel_renamed = _conversation(bare, "channelRenamed")
    on_channel_restored = _conversation(bare, "channelRestored")
    on_team_archived = _conversation(bare, "teamArchived")
    on_team_deleted = _conversation(bare, "teamDeleted")
    on_team_hard_deleted = _conversation(bare, "teamHardDeleted")
    on_team_renamed = _conversation(bare, "teamRenamed")
    on_team_restored = _conversation(bare, "teamRestored")
    on_team_unarchived = _conversation(bare, "teamUnarchived")
