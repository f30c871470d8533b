"""``MessageExtension``: routes for a Teams message extension (search and action commands).

Every method works as a bare decorator (``@ext.message_extension.on_query``) or called
(``@ext.message_extension.on_query("search", rank=...)``) and returns the decorated function.
Handlers are ``async (context, state, payload)``; what they return is the invoke's answer.
"""

from __future__ import annotations

from microsoft_agents.activity.teams import (
    AppBasedLinkQuery,
    MessagingExtensionAction,
    MessagingExtensionQuery,
)
from microsoft_agents.hosting.core import RouteRank, TurnContext

from ._route_kit import (
    AuthHandlers,
    HelperArgs,
    Matcher,
    RouteFilterArg,
    RouteGroup,
    TextFilter,
    bare,
    filter_matches,
    invoke_helper,
    split_filter,
    value_field,
)

__all__ = ["MessageExtension"]

_SUBMIT_ACTION = "composeExtension/submitAction"


def _by_command_id(
    command_id: RouteFilterArg = None,
    *,
    auth_handlers: AuthHandlers = None,
    rank: int = RouteRank.DEFAULT,
) -> HelperArgs:
    """The parameters of a helper filtered on ``value.commandId``: ``None`` for any command, a
    string for that command, a regex matched with ``re.match`` (or the handler, used bare)."""
    return (*split_filter(command_id), auth_handlers, rank)


def _command_id(command_id: TextFilter, context: TurnContext) -> bool:
    return filter_matches(command_id, value_field(context.activity, "commandId"))


def _submitted(preview_action: str | None) -> Matcher:
    """``_command_id`` for a ``composeExtension/submitAction`` whose
    ``botMessagePreviewAction`` is ``preview_action`` (``None``: not a message preview)."""

    def match(command_id: TextFilter, context: TurnContext) -> bool:
        if not _command_id(command_id, context):
            return False
        preview = value_field(context.activity, "botMessagePreviewAction")
        return preview == preview_action if preview_action else not preview

    return match


class MessageExtension(RouteGroup):
    """Message extension routes of a ``TeamsAgentExtension`` (``ext.message_extension``)."""

    on_query = invoke_helper(
        _by_command_id,
        "composeExtension/query",
        MessagingExtensionQuery,
        """``composeExtension/query`` of a search command; payload: ``MessagingExtensionQuery``.

        ``command_id``: ``None`` for any command, a string for that command, a regex matched
        with ``re.match``.
        """,
        match=_command_id,
    )
    on_select_item = invoke_helper(
        bare,
        "composeExtension/selectItem",
        None,
        "``composeExtension/selectItem``; payload: the selected item's value as sent.",
    )
    on_submit_action = invoke_helper(
        _by_command_id,
        _SUBMIT_ACTION,
        MessagingExtensionAction,
        """``composeExtension/submitAction`` that is not a message preview action; payload:
        ``MessagingExtensionAction``.""",
        match=_submitted(None),
    )
    on_agent_message_preview_edit = invoke_helper(
        _by_command_id,
        _SUBMIT_ACTION,
        MessagingExtensionAction,
        """The user chose to edit the agent's message preview (``botMessagePreviewAction``
        ``edit``); payload: ``MessagingExtensionAction`` (the preview is in
        ``bot_activity_preview``).""",
        match=_submitted("edit"),
    )
    on_agent_message_preview_send = invoke_helper(
        _by_command_id,
        _SUBMIT_ACTION,
        MessagingExtensionAction,
        """The user sent the agent's message preview (``botMessagePreviewAction`` ``send``);
        payload: ``MessagingExtensionAction``.""",
        match=_submitted("send"),
    )
    on_fetch_task = invoke_helper(
        _by_command_id,
        "composeExtension/fetchTask",
        MessagingExtensionAction,
        """``composeExtension/fetchTask`` of an action command; payload:
        ``MessagingExtensionAction``.""",
        match=_command_id,
    )
    on_query_link = invoke_helper(
        bare,
        "composeExtension/queryLink",
        AppBasedLinkQuery,
        "``composeExtension/queryLink`` (link unfurling); payload: ``AppBasedLinkQuery``.",
    )
    on_anonymous_query_link = invoke_helper(
        bare,
        "composeExtension/anonymousQueryLink",
        AppBasedLinkQuery,
        "``composeExtension/anonymousQueryLink``; payload: ``AppBasedLinkQuery``.",
    )
    on_query_url_setting = invoke_helper(
        bare,
        "composeExtension/querySettingUrl",
        MessagingExtensionQuery,
        "``composeExtension/querySettingUrl``; payload: ``MessagingExtensionQuery``.",
    )
    on_configure_settings = invoke_helper(
        bare,
        "composeExtension/setting",
        None,
        """``composeExtension/setting``; payload: the submitted settings as sent. Answers an
        empty ``200`` when the handler returns nothing.""",
        empty_answer=True,
    )
    on_card_button_clicked = invoke_helper(
        bare,
        "composeExtension/onCardButtonClicked",
        None,
        """``composeExtension/onCardButtonClicked``; payload: the button's data as sent.
        Answers an empty ``200`` when the handler returns nothing.""",
        empty_answer=True,
    )
