"""Payloads of Adaptive Card invokes (action and search) and the service error envelope."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._model import AgentsModel, NonEmptyString
from ._tokens import TokenExchangeInvokeRequest

__all__ = [
    "AdaptiveCardInvokeAction",
    "AdaptiveCardInvokeResponse",
    "AdaptiveCardInvokeValue",
    "AdaptiveCardSearchInvokeValue",
    "Error",
    "ErrorResponse",
    "InnerHttpError",
    "SearchInvokeOptions",
    "SearchInvokeValue",
]


class AdaptiveCardInvokeAction(AgentsModel):
    """The action a user triggered on an Adaptive Card (for example ``Action.Execute``)."""

    type: str
    id: str | None = None
    verb: str | None = None
    data: dict[NonEmptyString, Any] = Field(default_factory=dict)


class AdaptiveCardInvokeValue(AgentsModel):
    """The ``value`` of an ``adaptiveCard/action`` invoke activity."""

    action: AdaptiveCardInvokeAction
    authentication: TokenExchangeInvokeRequest | None = None
    state: NonEmptyString | None = None


class AdaptiveCardInvokeResponse(AgentsModel):
    """The body answered to an ``adaptiveCard/action`` invoke.

    ``type`` is usually ``application/vnd.microsoft.card.adaptive`` (``value`` is a card) or
    ``application/vnd.microsoft.activity.message`` (``value`` is a text).
    """

    status_code: int | None = None
    type: NonEmptyString | None = None
    value: Any = None


class SearchInvokeOptions(AgentsModel):
    """Paging of a search invoke."""

    skip: int
    top: int


class SearchInvokeValue(AgentsModel):
    """The ``value`` of an ``application/search`` invoke activity."""

    kind: str
    query_text: str
    query_options: SearchInvokeOptions


class AdaptiveCardSearchInvokeValue(SearchInvokeValue):
    """A search invoke raised by an Adaptive Card input, naming the data set to search."""

    dataset: str | None = None


class InnerHttpError(AgentsModel):
    """The HTTP status and body behind an :class:`Error`."""

    status_code: int | None = None
    body: Any = None


class Error(AgentsModel):
    """An error reported by a service."""

    code: NonEmptyString | None = None
    message: NonEmptyString | None = None
    inner_http_error: InnerHttpError | None = None


class ErrorResponse(AgentsModel):
    """The envelope ``{"error": {...}}`` in which services report errors."""

    error: Error | None = None
