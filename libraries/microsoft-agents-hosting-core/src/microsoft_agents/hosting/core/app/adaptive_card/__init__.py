"""Routing of Adaptive Card actions (``Action.Execute``, ``Action.Submit``) and searches."""

from ._adaptive_card import AdaptiveCard
from .models import AdaptiveCardSearchParams, AdaptiveCardSearchResult, Query

__all__ = ["AdaptiveCard", "AdaptiveCardSearchParams", "AdaptiveCardSearchResult", "Query"]
