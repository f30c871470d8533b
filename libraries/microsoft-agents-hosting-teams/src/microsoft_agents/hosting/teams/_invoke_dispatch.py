"""The invoke half of ``TeamsActivityHandler``: Teams invokes dispatched by name.

Each Teams invoke name maps to one overridable hook. The invoke's ``value`` is read into the
model the hook expects, and what the hook returns becomes the body of a ``200`` answer (models
in their wire form, without ``None`` fields). Hooks that are not overridden answer ``501``; a
malformed value or an unsupported action answers ``400``; other exceptions propagate to the
adapter's error handling.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ValidationError

from microsoft_agents.activity import ChannelId, Channels, InvokeResponse
from microsoft_agents.activity.teams import (
    AppBasedLinkQuery,
    ConfigResponseBase,
    FileConsentCardResponse,
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    O365ConnectorCardActionQuery,
    SigninStateVerificationQuery,
    TabRequest,
    TabResponse,
    TabSubmit,
    TaskModuleRequest,
    TaskModuleResponse,
)
from microsoft_agents.hosting.core import ActivityHandler, TurnContext
from microsoft_agents.hosting.core._activity_handler import _InvokeResponseError

from .errors import TeamsBadRequestError, TeamsNotImplementedError

__all__: list[str] = []

logger = logging.getLogger(__name__)

# invoke name -> (hook, model of the value or None for the raw value, answers an empty 200)
_INVOKE_HOOKS: dict[str, tuple[str, type[BaseModel] | None, bool]] = {
    "config/fetch": ("on_teams_config_fetch", None, False),
    "config/submit": ("on_teams_config_submit", None, False),
    "fileConsent/invoke": ("on_teams_file_consent", FileConsentCardResponse, True),
    "actionableMessage/executeAction": (
        "on_teams_o365_connector_card_action",
        O365ConnectorCardActionQuery,
        True,
    ),
    "composeExtension/queryLink": ("on_teams_app_based_link_query", AppBasedLinkQuery, False),
    "composeExtension/anonymousQueryLink": (
        "on_teams_anonymous_app_based_link_query",
        AppBasedLinkQuery,
        False,
    ),
    "composeExtension/query": (
        "on_teams_messaging_extension_query",
        MessagingExtensionQuery,
        False,
    ),
    "composeExtension/selectItem": ("on_teams_messaging_extension_select_item", None, False),
    "composeExtension/submitAction": (
        "on_teams_messaging_extension_submit_action_dispatch",
        MessagingExtensionAction,
        False,
    ),
    "composeExtension/fetchTask": (
        "on_teams_messaging_extension_fetch_task",
        MessagingExtensionAction,
        False,
    ),
    "composeExtension/querySettingUrl": (
        "on_teams_messaging_extension_configuration_query_setting_url",
        MessagingExtensionQuery,
        False,
    ),
    "composeExtension/setting": ("on_teams_messaging_extension_configuration_setting", None, True),
    "composeExtension/onCardButtonClicked": (
        "on_teams_messaging_extension_card_button_clicked",
        None,
        True,
    ),
    "task/fetch": ("on_teams_task_module_fetch", TaskModuleRequest, False),
    "task/submit": ("on_teams_task_module_submit", TaskModuleRequest, False),
    "tab/fetch": ("on_teams_tab_fetch", TabRequest, False),
    "tab/submit": ("on_teams_tab_submit", TabSubmit, False),
}

TEAMS_INVOKE_NAMES = frozenset(_INVOKE_HOOKS)
"""The invoke names ``TeamsActivityHandler`` dispatches itself."""


def read_invoke_value(model: type[BaseModel], value: Any) -> Any:
    """``value`` read as ``model``; :class:`TeamsBadRequestError` when it does not fit."""
    if isinstance(value, model):
        return value
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if not isinstance(value, dict):
        raise TeamsBadRequestError(f"the invoke value must be a {model.__name__} object")
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise TeamsBadRequestError(
            f"the invoke value is not a valid {model.__name__}: {error.error_count()} error(s)"
        ) from None


def is_teams(turn_context: TurnContext) -> bool:
    """Whether the turn's activity comes from Microsoft Teams (any ``msteams`` sub-channel)."""
    return ChannelId.get_channel(turn_context.activity.channel_id) == Channels.ms_teams.value


_PreviewHook = Callable[
    ["TeamsInvokeHandler", TurnContext, MessagingExtensionAction],
    Awaitable[MessagingExtensionActionResponse],
]


def _preview_hook(kind: str, doc: str) -> _PreviewHook:
    """The hook ``on_teams_messaging_extension_bot_message_preview_<kind>``: it calls
    ``on_teams_messaging_extension_agent_message_preview_<kind>``, so overriding either name
    works."""
    name = f"on_teams_messaging_extension_bot_message_preview_{kind}"
    target = f"on_teams_messaging_extension_agent_message_preview_{kind}"

    async def hook(
        self: TeamsInvokeHandler, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        response: MessagingExtensionActionResponse = await getattr(self, target)(
            turn_context, action
        )
        return response

    hook.__name__ = name
    hook.__qualname__ = f"TeamsInvokeHandler.{name}"
    hook.__doc__ = (
        f"{doc}\n\nBy default this calls :meth:`{target}`, so overriding either name works."
    )
    return hook


class TeamsInvokeHandler(ActivityHandler):
    """``ActivityHandler`` plus the Teams invoke hooks (base of ``TeamsActivityHandler``)."""

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """Answer an invoke: Teams invoke names go to their hooks (see the module docs), an
        invoke with no name on Teams to :meth:`on_teams_card_action_invoke`, anything else to
        the base handler (sign-in, Adaptive Card actions, else 501)."""
        activity = turn_context.activity
        try:
            if not activity.name and is_teams(turn_context):
                return await self.on_teams_card_action_invoke(turn_context)
            entry = _INVOKE_HOOKS.get(activity.name or "")
            if entry is None:
                return await super().on_invoke_activity(turn_context)
            hook_name, model, empty_answer = entry
            value = activity.value if model is None else read_invoke_value(model, activity.value)
            result = await getattr(self, hook_name)(turn_context, value)
            return self._create_invoke_response(None if empty_answer else result)
        except _InvokeResponseError as answer:
            return answer.to_invoke_response()
        except TeamsNotImplementedError as error:
            logger.debug("invoke %r: %s", activity.name, error.hook or "not implemented")
            return InvokeResponse(status=int(HTTPStatus.NOT_IMPLEMENTED))
        except TeamsBadRequestError as error:
            logger.debug("invoke %r answered 400: %s", activity.name, error.detail)
            return InvokeResponse(status=int(HTTPStatus.BAD_REQUEST))

    # -- card actions and configuration ----------------------------------------------------------

    async def on_teams_card_action_invoke(self, turn_context: TurnContext) -> InvokeResponse:
        """An invoke with no name on Teams (a card's ``invoke`` action); returns the answer."""
        raise TeamsNotImplementedError("on_teams_card_action_invoke")

    async def on_teams_config_fetch(
        self, turn_context: TurnContext, config_data: Any
    ) -> ConfigResponseBase:
        """``config/fetch``: return a ``ConfigResponse`` (configuration dialog or auth)."""
        raise TeamsNotImplementedError("on_teams_config_fetch")

    async def on_teams_config_submit(
        self, turn_context: TurnContext, config_data: Any
    ) -> ConfigResponseBase:
        """``config/submit``: return a ``ConfigResponse``."""
        raise TeamsNotImplementedError("on_teams_config_submit")

    # -- file consent and connector cards ----------------------------------------------------------

    async def on_teams_file_consent(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        """``fileConsent/invoke``: dispatches on ``action`` (``accept`` / ``decline``)."""
        action = file_consent_card_response.action
        if action == "accept":
            await self.on_teams_file_consent_accept(turn_context, file_consent_card_response)
        elif action == "decline":
            await self.on_teams_file_consent_decline(turn_context, file_consent_card_response)
        else:
            raise TeamsBadRequestError(f"{action!r} is not a supported file consent action")

    async def on_teams_file_consent_accept(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        """The user agreed to receive a file; upload it to ``upload_info.upload_url``."""
        raise TeamsNotImplementedError("on_teams_file_consent_accept")

    async def on_teams_file_consent_decline(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        """The user declined the file."""
        raise TeamsNotImplementedError("on_teams_file_consent_decline")

    async def on_teams_o365_connector_card_action(
        self, turn_context: TurnContext, query: O365ConnectorCardActionQuery
    ) -> None:
        """``actionableMessage/executeAction`` from an Office 365 connector card."""
        raise TeamsNotImplementedError("on_teams_o365_connector_card_action")

    # -- link unfurling and sign-in --------------------------------------------------------------

    async def on_teams_app_based_link_query(
        self, turn_context: TurnContext, query: AppBasedLinkQuery
    ) -> MessagingExtensionResponse:
        """``composeExtension/queryLink``: unfurl a link of the app's domains."""
        raise TeamsNotImplementedError("on_teams_app_based_link_query")

    async def on_teams_anonymous_app_based_link_query(
        self, turn_context: TurnContext, query: AppBasedLinkQuery
    ) -> MessagingExtensionResponse:
        """``composeExtension/anonymousQueryLink``: unfurl a link for an anonymous user."""
        raise TeamsNotImplementedError("on_teams_anonymous_app_based_link_query")

    async def on_teams_signin_verify_state(
        self, turn_context: TurnContext, query: SigninStateVerificationQuery
    ) -> None:
        """A Teams sign-in state verification (not dispatched by invoke name)."""
        raise TeamsNotImplementedError("on_teams_signin_verify_state")

    async def on_teams_signin_token_exchange(
        self, turn_context: TurnContext, query: SigninStateVerificationQuery
    ) -> None:
        """A Teams sign-in token exchange (not dispatched by invoke name)."""
        raise TeamsNotImplementedError("on_teams_signin_token_exchange")

    # -- message extensions ----------------------------------------------------------------------

    async def on_teams_messaging_extension_query(
        self, turn_context: TurnContext, query: MessagingExtensionQuery
    ) -> MessagingExtensionResponse:
        """``composeExtension/query``: search results for a search command."""
        raise TeamsNotImplementedError("on_teams_messaging_extension_query")

    async def on_teams_messaging_extension_select_item(
        self, turn_context: TurnContext, query: Any
    ) -> MessagingExtensionResponse:
        """``composeExtension/selectItem``: the user picked a search result."""
        raise TeamsNotImplementedError("on_teams_messaging_extension_select_item")

    async def on_teams_messaging_extension_submit_action_dispatch(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """``composeExtension/submitAction``: message previews (``botMessagePreviewAction``
        ``edit`` / ``send``) go to their hooks, plain submissions to
        :meth:`on_teams_messaging_extension_submit_action`."""
        preview_action = action.bot_message_preview_action
        if not preview_action:
            return await self.on_teams_messaging_extension_submit_action(turn_context, action)
        if preview_action == "edit":
            return await self.on_teams_messaging_extension_bot_message_preview_edit(
                turn_context, action
            )
        if preview_action == "send":
            return await self.on_teams_messaging_extension_bot_message_preview_send(
                turn_context, action
            )
        raise TeamsBadRequestError(f"{preview_action!r} is not a supported message preview action")

    async def on_teams_messaging_extension_submit_action(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """An action command's dialog was submitted."""
        raise TeamsNotImplementedError("on_teams_messaging_extension_submit_action")

    on_teams_messaging_extension_bot_message_preview_edit = _preview_hook(
        "edit", "The user chose to edit the agent's message preview."
    )
    on_teams_messaging_extension_bot_message_preview_send = _preview_hook(
        "send", "The user sent the agent's message preview."
    )

    async def on_teams_messaging_extension_agent_message_preview_edit(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """The user chose to edit the agent's message preview."""
        raise TeamsNotImplementedError("on_teams_messaging_extension_bot_message_preview_edit")

    async def on_teams_messaging_extension_agent_message_preview_send(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """The user sent the agent's message preview."""
        raise TeamsNotImplementedError("on_teams_messaging_extension_bot_message_preview_send")

    async def on_teams_messaging_extension_fetch_task(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """``composeExtension/fetchTask``: the dialog an action command opens."""
        raise TeamsNotImplementedError("on_teams_messaging_extension_fetch_task")

    async def on_teams_messaging_extension_configuration_query_setting_url(
        self, turn_context: TurnContext, query: MessagingExtensionQuery
    ) -> MessagingExtensionResponse:
        """``composeExtension/querySettingUrl``: where the extension's settings page is."""
        raise TeamsNotImplementedError(
            "on_teams_messaging_extension_configuration_query_setting_url"
        )

    async def on_teams_messaging_extension_configuration_setting(
        self, turn_context: TurnContext, settings: Any
    ) -> None:
        """``composeExtension/setting``: the settings page was submitted."""
        raise TeamsNotImplementedError("on_teams_messaging_extension_configuration_setting")

    async def on_teams_messaging_extension_card_button_clicked(
        self, turn_context: TurnContext, card_data: Any
    ) -> None:
        """``composeExtension/onCardButtonClicked``: a button on an extension card."""
        raise TeamsNotImplementedError("on_teams_messaging_extension_card_button_clicked")

    # -- dialogs and tabs --------------------------------------------------------------------------

    async def on_teams_task_module_fetch(
        self, turn_context: TurnContext, task_module_request: TaskModuleRequest
    ) -> TaskModuleResponse:
        """``task/fetch``: the dialog to open."""
        raise TeamsNotImplementedError("on_teams_task_module_fetch")

    async def on_teams_task_module_submit(
        self, turn_context: TurnContext, task_module_request: TaskModuleRequest
    ) -> TaskModuleResponse:
        """``task/submit``: a dialog was submitted."""
        raise TeamsNotImplementedError("on_teams_task_module_submit")

    async def on_teams_tab_fetch(
        self, turn_context: TurnContext, tab_request: TabRequest
    ) -> TabResponse:
        """``tab/fetch``: the cards of a tab."""
        raise TeamsNotImplementedError("on_teams_tab_fetch")

    async def on_teams_tab_submit(
        self, turn_context: TurnContext, tab_submit: TabSubmit
    ) -> TabResponse:
        """``tab/submit``: a tab's card was submitted."""
        raise TeamsNotImplementedError("on_teams_tab_submit")
