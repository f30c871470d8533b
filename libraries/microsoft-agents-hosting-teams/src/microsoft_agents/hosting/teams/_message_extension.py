"""``MessageExtension``: routes for a Teams message extension (search and action commands).

Every method works as a bare decorator (``@ext.message_extension.on_query``) or called
(``@ext.message_extension.on_query("search", rank=...)``) and returns the decorated function.
Handlers are ``async (context, state, payload)``; what they return is the invoke's answer.
"""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity.teams import (
    AppBasedLinkQuery,
    MessagingExtensionAction,
    MessagingExtensionQuery,
)
from microsoft_agents.hosting.core import RouteRank, TurnContext

from ._route_kit import (
    PayloadHandler,
    RouteFilterArg,
    RouteRegistrar,
    TextFilter,
    filter_matches,
    split_filter,
    value_field,
)

__all__ = ["MessageExtension"]

_QUERY = "composeExtension/query"
_SELECT_ITEM = "composeExtension/selectItem"
_SUBMIT_ACTION = "composeExtension/submitAction"
_FETCH_TASK = "composeExtension/fetchTask"
_QUERY_LINK = "composeExtension/queryLink"
_ANONYMOUS_QUERY_LINK = "composeExtension/anonymousQueryLink"
_QUERY_SETTING_URL = "composeExtension/querySettingUrl"
_SETTING = "composeExtension/setting"
_CARD_BUTTON_CLICKED = "composeExtension/onCardButtonClicked"


def _command(command_id: TextFilter, preview_action: str | None = None) -> Any:
    """Selector on ``value.commandId`` and ``value.botMessagePreviewAction`` (``None``: the
    invoke must not be a message preview)."""

    def selector(context: TurnContext) -> bool:
        activity = context.activity
        if not filter_matches(command_id, value_field(activity, "commandId")):
            return False
        preview = value_field(activity, "botMessagePreviewAction")
        return preview == preview_action if preview_action else not preview

    return selector


class MessageExtension:
    """Message extension routes of a ``TeamsAgentExtension`` (``ext.message_extension``)."""

    def __init__(self, registrar: RouteRegistrar) -> None:
        self._routes = registrar

    def on_query(
        self,
        command_id: RouteFilterArg = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``composeExtension/query`` of a search command; payload: ``MessagingExtensionQuery``.

        ``command_id``: ``None`` for any command, a string for that command, a regex matched
        with ``re.match``.
        """
        func, text_filter = split_filter(command_id)
        return self._routes.invoke(
            func,
            _QUERY,
            MessagingExtensionQuery,
            extra=lambda context: filter_matches(
                text_filter, value_field(context.activity, "commandId")
            ),
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_select_item(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``composeExtension/selectItem``; payload: the selected item's value as sent."""
        return self._routes.invoke(func, _SELECT_ITEM, None, auth_handlers=auth_handlers, rank=rank)

    def on_submit_action(
        self,
        command_id: RouteFilterArg = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``composeExtension/submitAction`` that is not a message preview action; payload:
        ``MessagingExtensionAction``."""
        func, text_filter = split_filter(command_id)
        return self._routes.invoke(
            func,
            _SUBMIT_ACTION,
            MessagingExtensionAction,
            extra=_command(text_filter),
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_agent_message_preview_edit(
        self,
        command_id: RouteFilterArg = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """The user chose to edit the agent's message preview (``botMessagePreviewAction``
        ``edit``); payload: ``MessagingExtensionAction`` (the preview is in
        ``bot_activity_preview``)."""
        func, text_filter = split_filter(command_id)
        return self._routes.invoke(
            func,
            _SUBMIT_ACTION,
            MessagingExtensionAction,
            extra=_command(text_filter, "edit"),
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_agent_message_preview_send(
        self,
        command_id: RouteFilterArg = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """The user sent the agent's message preview (``botMessagePreviewAction`` ``send``);
        payload: ``MessagingExtensionAction``."""
        func, text_filter = split_filter(command_id)
        return self._routes.invoke(
            func,
            _SUBMIT_ACTION,
            MessagingExtensionAction,
            extra=_command(text_filter, "send"),
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_fetch_task(
        self,
        command_id: RouteFilterArg = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``composeExtension/fetchTask`` of an action command; payload:
        ``MessagingExtensionAction``."""
        func, text_filter = split_filter(command_id)
        return self._routes.invoke(
            func,
            _FETCH_TASK,
            MessagingExtensionAction,
            extra=lambda context: filter_matches(
                text_filter, value_field(context.activity, "commandId")
            ),
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_query_link(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``composeExtension/queryLink`` (link unfurling); payload: ``AppBasedLinkQuery``."""
        return self._routes.invoke(
            func, _QUERY_LINK, AppBasedLinkQuery, auth_handlers=auth_handlers, rank=rank
        )

    def on_anonymous_query_link(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``composeExtension/anonymousQueryLink``; payload: ``AppBasedLinkQuery``."""
        return self._routes.invoke(
            func, _ANONYMOUS_QUERY_LINK, AppBasedLinkQuery, auth_handlers=auth_handlers, rank=rank
        )

    def on_query_url_setting(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``composeExtension/querySettingUrl``; payload: ``MessagingExtensionQuery``."""
        return self._routes.invoke(
            func,
            _QUERY_SETTING_URL,
            MessagingExtensionQuery,
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def on_configure_settings(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``composeExtension/setting``; payload: the submitted settings as sent. Answers an
        empty ``200`` when the handler returns nothing."""
        return self._routes.invoke(
            func, _SETTING, None, empty_answer=True, auth_handlers=auth_handlers, rank=rank
        )

    def on_card_button_clicked(
        self,
        func: PayloadHandler | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """``composeExtension/onCardButtonClicked``; payload: the button's data as sent.
        Answers an empty ``200`` when the handler returns nothing."""
        return self._routes.invoke(
            func,
            _CARD_BUTTON_CLICKED,
            None,
            empty_answer=True,
            auth_handlers=auth_handlers,
            rank=rank,
        )
