"""Teams tabs built from Adaptive Cards: ``tab/fetch`` and ``tab/submit`` payloads."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, ConfigDict, Field

from .._content import CardAction
from .._model import AgentsModel

__all__ = [
    "TabContext",
    "TabEntityContext",
    "TabRequest",
    "TabResponse",
    "TabResponseCard",
    "TabResponseCards",
    "TabResponsePayload",
    "TabSubmit",
    "TabSubmitData",
    "TabSuggestedActions",
]


def _tab_context_field() -> Any:
    # Teams sends the tab identity as ``tabContext``; ``tabEntityContext`` is accepted too.
    return Field(
        default=None,
        alias="tabContext",
        validation_alias=AliasChoices("tabContext", "tabEntityContext"),
    )


class TabContext(AgentsModel):
    """The host's view of the tab (its theme)."""

    theme: str | None = None


class TabEntityContext(AgentsModel):
    """Identifies which tab of an app a request is for."""

    tab_entity_id: str | None = None


class TabRequest(AgentsModel):
    """Value of a ``tab/fetch`` invoke."""

    tab_entity_context: TabEntityContext | None = _tab_context_field()
    context: TabContext | None = None
    state: str | None = None


class TabSubmitData(AgentsModel):
    """Data submitted from a tab card; keys beyond ``type`` are kept."""

    model_config = ConfigDict(extra="allow")

    type: str | None = None
    properties: Any = None


class TabSubmit(AgentsModel):
    """Value of a ``tab/submit`` invoke."""

    tab_entity_context: TabEntityContext | None = _tab_context_field()
    context: TabContext | None = None
    data: TabSubmitData | None = None


class TabResponseCard(AgentsModel):
    """One Adaptive Card rendered in a tab."""

    card: Any = None


class TabResponseCards(AgentsModel):
    """The cards a tab shows."""

    cards: list[TabResponseCard] | None = None


class TabSuggestedActions(AgentsModel):
    """Actions offered by a tab response."""

    actions: list[CardAction] | None = None


class TabResponsePayload(AgentsModel):
    """What a tab shows: ``type`` is ``continue`` (cards), ``auth`` or ``silentAuth``."""

    type: str | None = None
    value: TabResponseCards | None = None
    suggested_actions: TabSuggestedActions | None = None


class TabResponse(AgentsModel):
    """Response to ``tab/fetch`` and ``tab/submit``."""

    tab: TabResponsePayload | None = None
