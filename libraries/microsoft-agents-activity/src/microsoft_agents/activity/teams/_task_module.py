"""Task modules (dialogs) and app configuration: requests, responses and cache hints."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Union

from pydantic import ConfigDict, Discriminator, Field, SerializeAsAny, Tag

from .._content import Attachment, SuggestedActions
from .._model import AgentsModel
from ..entity._base import SchemaModel
from ._tabs import TabEntityContext, TabResponse

__all__ = [
    "AnyTaskModuleResponse",
    "BotConfigAuth",
    "CacheInfo",
    "ConfigAuthResponse",
    "ConfigResponse",
    "ConfigResponseBase",
    "ConfigTaskResponse",
    "TaskModuleCardResponse",
    "TaskModuleContinueResponse",
    "TaskModuleMessageResponse",
    "TaskModuleRequest",
    "TaskModuleRequestContext",
    "TaskModuleResponse",
    "TaskModuleResponseBase",
    "TaskModuleTaskInfo",
]


class CacheInfo(AgentsModel):
    """How long Teams may cache a response (``cache_duration`` in seconds)."""

    cache_type: str | None = None
    cache_duration: int | None = None


# -- requests ------------------------------------------------------------------------------


class TaskModuleRequestContext(AgentsModel):
    """The host's view of the dialog (its theme)."""

    theme: str | None = None


class TaskModuleRequest(AgentsModel):
    """Value of ``task/fetch`` and ``task/submit`` invokes.

    ``tab_entity_context`` travels as ``tabContext`` and is present when the dialog was
    opened from a tab.
    """

    data: Any = None
    context: TaskModuleRequestContext | None = None
    tab_entity_context: TabEntityContext | None = Field(default=None, alias="tabContext")


# -- responses -----------------------------------------------------------------------------


class TaskModuleTaskInfo(AgentsModel):
    """What a dialog shows: a card or a URL, with its size and title.

    ``height`` and ``width`` are pixels or ``"small"``/``"medium"``/``"large"``.
    """

    title: str | None = None
    height: int | str | None = None
    width: int | str | None = None
    url: str | None = None
    card: Attachment | None = None
    fallback_url: str | None = None
    completion_bot_id: str | None = None


class TaskModuleResponseBase(SchemaModel):
    """Base of the ``task`` part of a response. Unknown keys are kept."""

    model_config = ConfigDict(extra="allow")

    type: str | None = None


class TaskModuleContinueResponse(TaskModuleResponseBase):
    """Show (or keep showing) a dialog described by ``value``."""

    _always_emit = ("type",)

    type: str | None = "continue"
    value: TaskModuleTaskInfo | None = None


class TaskModuleMessageResponse(TaskModuleResponseBase):
    """Close the dialog and show ``value`` as a short message."""

    _always_emit = ("type",)

    type: str | None = "message"
    value: str | None = None


class TaskModuleCardResponse(TaskModuleResponseBase):
    """A tab response used as the ``task`` of a dialog."""

    value: TabResponse | None = None


def _task_kind(value: Any) -> str:
    if isinstance(value, TaskModuleContinueResponse):
        return "continue"
    if isinstance(value, TaskModuleMessageResponse):
        return "message"
    if isinstance(value, dict) and value.get("type") in ("continue", "message"):
        return str(value["type"])
    return "other"


AnyTaskModuleResponse = Annotated[
    Union[
        Annotated[TaskModuleContinueResponse, Tag("continue")],
        Annotated[TaskModuleMessageResponse, Tag("message")],
        Annotated[SerializeAsAny[TaskModuleResponseBase], Tag("other")],
    ],
    Discriminator(_task_kind),
]
"""A ``task`` value: parsed by its ``type``; written with the fields of its actual class."""


class TaskModuleResponse(TaskModuleResponseBase):
    """Response to ``task/fetch`` and ``task/submit``."""

    task: AnyTaskModuleResponse | None = None
    cache_info: CacheInfo | None = None


# -- configuration -------------------------------------------------------------------------


class BotConfigAuth(SchemaModel):
    """Ask the user to sign in before configuring the app."""

    _always_emit = ("type",)

    type: str | None = "auth"
    suggested_actions: SuggestedActions | None = None


class ConfigResponseBase(SchemaModel):
    """Base of ``config/fetch`` and ``config/submit`` responses (``responseType`` ``config``)."""

    _always_emit: ClassVar[tuple[str, ...]] = ("response_type",)

    response_type: str | None = "config"


class ConfigResponse(ConfigResponseBase):
    """A configuration response carrying any ``config`` value."""

    config: Any = None
    cache_info: CacheInfo | None = None


class ConfigAuthResponse(ConfigResponse):
    """A configuration response that asks the user to sign in."""

    _always_emit = ("response_type", "config")

    config: BotConfigAuth | None = Field(default_factory=BotConfigAuth)


class ConfigTaskResponse(ConfigResponse):
    """A configuration response that opens a dialog."""

    _always_emit = ("response_type", "config")

    config: AnyTaskModuleResponse | None = Field(default_factory=TaskModuleResponseBase)
