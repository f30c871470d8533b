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

from typing import Any, Generic

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.activity.teams import (
    FileConsentCardResponse,
    O365ConnectorCardActionQuery,
    ReadReceiptInfo,
)
from microsoft_agents.hosting.core import AgentApplication, RouteRank, StateT, TurnContext

from ._dialogs_meetings import Meeting, TaskModule
from ._message_extension import MessageExtension
from ._route_kit import PayloadHandler, RouteRegistrar, event_type_of, value_field
from ._teams_activity_handler import READ_RECEIPT_EVENT, read_event_value

__all__ = ["TeamsAgentExtension"]

_Func = PayloadHandler | None
_Auth = list[str] | None


def _update(activity_type: str, event_type: str) -> Any:
    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == activity_type and event_type_of(activity) == event_type

    return selector


def _conversation_event(event_type: str) -> Any:
    return _update(ActivityTypes.conversation_update, event_type)


def _file_consent(action: str) -> Any:
    return lambda context: value_field(context.activity, "action") == action


class TeamsAgentExtension(Generic[StateT]):
    """Teams routes registered on ``app`` (see the module documentation).

    ``message_extension``, ``task_module`` and ``meeting`` group the message extension,
    dialog and meeting routes; the conversation, message and invoke routes are methods of
    the extension itself.
    """

    def __init__(self, app: AgentApplication[StateT]) -> None:
        self._routes = RouteRegistrar(app)
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

    # -- shared shapes -------------------------------------------------------------------------

    def _plain(self, func: _Func, selector: Any, auth_handlers: _Auth, rank: int) -> Any:
        return self._routes.activity(func, selector, auth_handlers=auth_handlers, rank=rank)

    def _conversation(self, func: _Func, event_type: str, auth_handlers: _Auth, rank: int) -> Any:
        return self._plain(func, _conversation_event(event_type), auth_handlers, rank)

    # -- messages --------------------------------------------------------------------------------

    def on_message_edit(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """A message was edited (``messageUpdate``/``editMessage``); ``(context, state)``."""
        selector = _update(ActivityTypes.message_update, "editMessage")
        return self._plain(func, selector, auth_handlers, rank)

    def on_message_undelete(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """A deleted message was restored (``undeleteMessage``); ``(context, state)``."""
        selector = _update(ActivityTypes.message_update, "undeleteMessage")
        return self._plain(func, selector, auth_handlers, rank)

    def on_message_soft_delete(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """A message was deleted (``messageDelete``/``softDeleteMessage``); ``(context,
        state)``."""
        selector = _update(ActivityTypes.message_delete, "softDeleteMessage")
        return self._plain(func, selector, auth_handlers, rank)

    def on_read_receipt(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """The user read the agent's messages; ``(context, state, ReadReceiptInfo)``."""

        def selector(context: TurnContext) -> bool:
            activity = context.activity
            return activity.type == ActivityTypes.event and activity.name == READ_RECEIPT_EVENT

        return self._routes.activity(
            func,
            selector,
            lambda context: read_event_value(ReadReceiptInfo, context.activity.value),
            auth_handlers=auth_handlers,
            rank=rank,
        )

    # -- invokes ---------------------------------------------------------------------------------

    def on_config_fetch(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``config/fetch``; ``(context, state, value)`` returns the ``ConfigResponse``."""
        return self._routes.invoke(
            func, "config/fetch", None, auth_handlers=auth_handlers, rank=rank
        )

    def on_config_submit(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``config/submit``; ``(context, state, value)`` returns the ``ConfigResponse``."""
        return self._routes.invoke(
            func, "config/submit", None, auth_handlers=auth_handlers, rank=rank
        )

    def on_file_consent_accept(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """The user accepted a file; ``(context, state, FileConsentCardResponse)``."""
        return self._routes.invoke(
            func,
            "fileConsent/invoke",
            FileConsentCardResponse,
            extra=_file_consent("accept"),
            empty_answer=True,
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_file_consent_decline(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """The user declined a file; ``(context, state, FileConsentCardResponse)``."""
        return self._routes.invoke(
            func,
            "fileConsent/invoke",
            FileConsentCardResponse,
            extra=_file_consent("decline"),
            empty_answer=True,
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_o365_connector_card_action(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """An Office 365 connector card action; ``(context, state,
        O365ConnectorCardActionQuery)``."""
        return self._routes.invoke(
            func,
            "actionableMessage/executeAction",
            O365ConnectorCardActionQuery,
            empty_answer=True,
            auth_handlers=auth_handlers,
            rank=rank,
        )

    # -- members, channels and teams -------------------------------------------------------------

    def on_members_added(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """Members joined (``activity.members_added``); ``(context, state)``."""
        selector = _members("members_added")
        return self._plain(func, selector, auth_handlers, rank)

    def on_members_removed(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """Members left (``activity.members_removed``); ``(context, state)``."""
        selector = _members("members_removed")
        return self._plain(func, selector, auth_handlers, rank)

    def on_channel_created(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``channelCreated``; ``(context, state)``."""
        return self._conversation(func, "channelCreated", auth_handlers, rank)

    def on_channel_deleted(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``channelDeleted``; ``(context, state)``."""
        return self._conversation(func, "channelDeleted", auth_handlers, rank)

    def on_channel_renamed(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``channelRenamed``; ``(context, state)``."""
        return self._conversation(func, "channelRenamed", auth_handlers, rank)

    def on_channel_restored(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``channelRestored``; ``(context, state)``."""
        return self._conversation(func, "channelRestored", auth_handlers, rank)

    def on_team_archived(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``teamArchived``; ``(context, state)``."""
        return self._conversation(func, "teamArchived", auth_handlers, rank)

    def on_team_deleted(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``teamDeleted``; ``(context, state)``."""
        return self._conversation(func, "teamDeleted", auth_handlers, rank)

    def on_team_hard_deleted(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``teamHardDeleted``; ``(context, state)``."""
        return self._conversation(func, "teamHardDeleted", auth_handlers, rank)

    def on_team_renamed(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``teamRenamed``; ``(context, state)``."""
        return self._conversation(func, "teamRenamed", auth_handlers, rank)

    def on_team_restored(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``teamRestored``; ``(context, state)``."""
        return self._conversation(func, "teamRestored", auth_handlers, rank)

    def on_team_unarchived(
        self, func: _Func = None, *, auth_handlers: _Auth = None, rank: int = RouteRank.DEFAULT
    ) -> Any:
        """``teamUnarchived``; ``(context, state)``."""
        return self._conversation(func, "teamUnarchived", auth_handlers, rank)


def _members(field: str) -> Any:
    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == ActivityTypes.conversation_update and bool(getattr(activity, field))

    return selector
