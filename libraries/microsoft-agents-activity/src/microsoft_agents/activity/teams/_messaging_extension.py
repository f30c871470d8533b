"""Message extensions (``composeExtension/*`` invokes): queries, actions and their results."""

from __future__ import annotations

from typing import Any

from .._activity import Activity
from .._content import Attachment, CardAction
from .._model import AgentsModel
from ._message_actions import MessageActionsPayload
from ._task_module import AnyTaskModuleResponse, CacheInfo, TaskModuleRequestContext

__all__ = [
    "AppBasedLinkQuery",
    "MessagingExtensionAction",
    "MessagingExtensionActionResponse",
    "MessagingExtensionAttachment",
    "MessagingExtensionParameter",
    "MessagingExtensionQuery",
    "MessagingExtensionQueryOptions",
    "MessagingExtensionResponse",
    "MessagingExtensionResult",
    "MessagingExtensionSuggestedAction",
    "SigninStateVerificationQuery",
]


# -- requests ------------------------------------------------------------------------------


class MessagingExtensionParameter(AgentsModel):
    """One named parameter of a search command."""

    name: str | None = None
    value: Any = None


class MessagingExtensionQueryOptions(AgentsModel):
    """Paging of a search command."""

    skip: int | None = None
    count: int | None = None


class MessagingExtensionQuery(AgentsModel):
    """Value of ``composeExtension/query`` (and ``querySettingUrl``)."""

    command_id: str | None = None
    parameters: list[MessagingExtensionParameter] | None = None
    query_options: MessagingExtensionQueryOptions | None = None
    state: str | None = None


class MessagingExtensionAction(AgentsModel):
    """Value of ``composeExtension/submitAction`` and ``composeExtension/fetchTask``.

    ``bot_message_preview_action`` is ``edit`` or ``send`` when the user acted on a preview
    the agent returned; ``bot_activity_preview`` then holds that preview.
    """

    data: Any = None
    context: TaskModuleRequestContext | None = None
    command_id: str | None = None
    command_context: str | None = None
    bot_message_preview_action: str | None = None
    bot_activity_preview: list[Activity] | None = None
    message_payload: MessageActionsPayload | None = None


class AppBasedLinkQuery(AgentsModel):
    """Value of ``composeExtension/queryLink``: the URL pasted into the compose box."""

    url: str | None = None
    state: str | None = None


class SigninStateVerificationQuery(AgentsModel):
    """Value of ``signin/verifyState``: the code entered after signing in."""

    state: str | None = None


# -- responses -----------------------------------------------------------------------------


class MessagingExtensionAttachment(Attachment):
    """A result card, with an optional smaller ``preview`` card for the result list."""

    preview: Attachment | None = None


class MessagingExtensionSuggestedAction(AgentsModel):
    """Actions offered with a result (for example the sign-in or settings link)."""

    actions: list[CardAction] | None = None


class MessagingExtensionResult(AgentsModel):
    """The ``composeExtension`` part of a response.

    ``type`` is ``result``, ``auth``, ``config``, ``message`` or ``botMessagePreview``;
    ``attachment_layout`` is ``list`` or ``grid``.
    """

    attachment_layout: str | None = None
    type: str | None = None
    attachments: list[MessagingExtensionAttachment] | None = None
    suggested_actions: MessagingExtensionSuggestedAction | None = None
    text: str | None = None
    activity_preview: Activity | None = None


class MessagingExtensionResponse(AgentsModel):
    """Response to a message-extension query."""

    compose_extension: MessagingExtensionResult | None = None
    cache_info: CacheInfo | None = None


class MessagingExtensionActionResponse(AgentsModel):
    """Response to a message-extension action: a dialog (``task``) or a result."""

    task: AnyTaskModuleResponse | None = None
    compose_extension: MessagingExtensionResult | None = None
    cache_info: CacheInfo | None = None
