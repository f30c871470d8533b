"""Office 365 connector cards and the ``actionableMessage/executeAction`` query.

Actions and inputs carry their kind in an ``@type`` key (and actions their id in ``@id``).
Lists of actions and inputs are parsed into the matching class by ``@type``, falling back to
the base class for kinds this module does not know, so a parsed card is written back with
all of its parts.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Discriminator, Field, SerializeAsAny, Tag

from .._model import AgentsModel
from ..entity._base import SchemaModel

__all__ = [
    "AnyO365ConnectorCardAction",
    "AnyO365ConnectorCardInput",
    "O365ConnectorCard",
    "O365ConnectorCardActionBase",
    "O365ConnectorCardActionCard",
    "O365ConnectorCardActionQuery",
    "O365ConnectorCardDateInput",
    "O365ConnectorCardFact",
    "O365ConnectorCardHttpPOST",
    "O365ConnectorCardImage",
    "O365ConnectorCardInputBase",
    "O365ConnectorCardMultichoiceInput",
    "O365ConnectorCardMultichoiceInputChoice",
    "O365ConnectorCardOpenUri",
    "O365ConnectorCardOpenUriTarget",
    "O365ConnectorCardSection",
    "O365ConnectorCardTextInput",
    "O365ConnectorCardViewAction",
]


def _kind_of(value: Any, classes: dict[str, type], fallback: str) -> str:
    """Pick the union member for ``value``: by class for models, by ``@type`` for dicts."""
    if isinstance(value, dict):
        kind = value.get("@type", value.get("type"))
        return kind if isinstance(kind, str) and kind in classes else fallback
    for kind, cls in classes.items():
        if isinstance(value, cls):
            return kind
    return fallback


# -- inputs --------------------------------------------------------------------------------


class O365ConnectorCardInputBase(SchemaModel):
    """An input of an action card; ``type`` travels as ``@type``."""

    type: str | None = Field(default=None, alias="@type")
    id: str | None = None
    is_required: bool | None = None
    title: str | None = None
    value: str | None = None


class O365ConnectorCardTextInput(O365ConnectorCardInputBase):
    """A single- or multi-line text box."""

    _always_emit = ("type",)

    type: str | None = Field(default="TextInput", alias="@type")
    is_multiline: bool | None = None
    max_length: float | None = None


class O365ConnectorCardDateInput(O365ConnectorCardInputBase):
    """A date picker, optionally with a time."""

    _always_emit = ("type",)

    type: str | None = Field(default="DateInput", alias="@type")
    include_time: bool | None = None


class O365ConnectorCardMultichoiceInputChoice(AgentsModel):
    """One choice of a multiple-choice input."""

    display: str | None = None
    value: str | None = None


class O365ConnectorCardMultichoiceInput(O365ConnectorCardInputBase):
    """A choice list; ``style`` is ``compact`` or ``expanded``."""

    _always_emit = ("type",)

    type: str | None = Field(default="MultichoiceInput", alias="@type")
    choices: list[O365ConnectorCardMultichoiceInputChoice] | None = None
    style: str | None = None
    is_multi_select: bool | None = None


_INPUT_CLASSES: dict[str, type] = {
    "TextInput": O365ConnectorCardTextInput,
    "DateInput": O365ConnectorCardDateInput,
    "MultichoiceInput": O365ConnectorCardMultichoiceInput,
}

AnyO365ConnectorCardInput = Annotated[
    Union[
        Annotated[O365ConnectorCardTextInput, Tag("TextInput")],
        Annotated[O365ConnectorCardDateInput, Tag("DateInput")],
        Annotated[O365ConnectorCardMultichoiceInput, Tag("MultichoiceInput")],
        Annotated[SerializeAsAny[O365ConnectorCardInputBase], Tag("other")],
    ],
    Discriminator(lambda v: _kind_of(v, _INPUT_CLASSES, "other")),
]
"""An input of any known kind, chosen by ``@type``."""


# -- actions -------------------------------------------------------------------------------


class O365ConnectorCardActionBase(SchemaModel):
    """An action on a connector card; ``type``/``id`` travel as ``@type``/``@id``."""

    type: str | None = Field(default=None, alias="@type")
    name: str | None = None
    id: str | None = Field(default=None, alias="@id")


class O365ConnectorCardOpenUriTarget(AgentsModel):
    """The URI to open on one operating system (``default``, ``iOS``, ``android``, ...)."""

    os: str | None = None
    uri: str | None = None


class O365ConnectorCardOpenUri(O365ConnectorCardActionBase):
    """Open a URI, chosen per operating system."""

    _always_emit = ("type",)

    type: str | None = Field(default="OpenUri", alias="@type")
    targets: list[O365ConnectorCardOpenUriTarget] | None = None


class O365ConnectorCardHttpPOST(O365ConnectorCardActionBase):
    """Send ``body`` back to the agent (as an ``actionableMessage/executeAction`` invoke)."""

    _always_emit = ("type",)

    type: str | None = Field(default="HttpPOST", alias="@type")
    body: str | None = None


class O365ConnectorCardViewAction(O365ConnectorCardActionBase):
    """Open a web page; ``target`` is a list holding one URL (a single string is accepted)."""

    _always_emit = ("type",)

    type: str | None = Field(default="ViewAction", alias="@type")
    target: list[str] | str | None = None


class O365ConnectorCardActionCard(O365ConnectorCardActionBase):
    """Show a small form of ``inputs`` with its own ``actions``."""

    _always_emit = ("type",)

    type: str | None = Field(default="ActionCard", alias="@type")
    inputs: list[AnyO365ConnectorCardInput] | None = None
    actions: list[AnyO365ConnectorCardAction] | None = None


_ACTION_CLASSES: dict[str, type] = {
    "ActionCard": O365ConnectorCardActionCard,
    "HttpPOST": O365ConnectorCardHttpPOST,
    "OpenUri": O365ConnectorCardOpenUri,
    "ViewAction": O365ConnectorCardViewAction,
}

AnyO365ConnectorCardAction = Annotated[
    Union[
        Annotated[O365ConnectorCardActionCard, Tag("ActionCard")],
        Annotated[O365ConnectorCardHttpPOST, Tag("HttpPOST")],
        Annotated[O365ConnectorCardOpenUri, Tag("OpenUri")],
        Annotated[O365ConnectorCardViewAction, Tag("ViewAction")],
        Annotated[SerializeAsAny[O365ConnectorCardActionBase], Tag("other")],
    ],
    Discriminator(lambda v: _kind_of(v, _ACTION_CLASSES, "other")),
]
"""An action of any known kind, chosen by ``@type``."""

O365ConnectorCardActionCard.model_rebuild()


# -- the card ------------------------------------------------------------------------------


class O365ConnectorCardFact(AgentsModel):
    """A name/value line of a section."""

    name: str | None = None
    value: str | None = None


class O365ConnectorCardImage(AgentsModel):
    """An image of a section; ``image`` is its URL."""

    image: str | None = None
    title: str | None = None


class O365ConnectorCardSection(AgentsModel):
    """A section of a connector card: an activity header, text, facts, images and actions."""

    title: str | None = None
    text: str | None = None
    activity_title: str | None = None
    activity_subtitle: str | None = None
    activity_image: str | None = None
    activity_text: str | None = None
    markdown: bool | None = None
    facts: list[O365ConnectorCardFact] | None = None
    images: list[O365ConnectorCardImage] | None = None
    potential_action: list[AnyO365ConnectorCardAction] | None = None


class O365ConnectorCard(AgentsModel):
    """An Office 365 connector card (attachment content type
    ``application/vnd.microsoft.teams.card.o365connector``)."""

    title: str | None = None
    text: str | None = None
    summary: str | None = None
    theme_color: str | None = None
    sections: list[O365ConnectorCardSection] | None = None
    potential_action: list[AnyO365ConnectorCardAction] | None = None


class O365ConnectorCardActionQuery(AgentsModel):
    """Value of ``actionableMessage/executeAction``: the ``HttpPOST`` body and action id."""

    body: str | None = None
    action_id: str | None = None
