"""Data handed to Adaptive Card search handlers, and what they return."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["AdaptiveCardSearchParams", "AdaptiveCardSearchResult", "Query"]

ParamsT = TypeVar("ParamsT")


@dataclass
class Query(Generic[ParamsT]):
    """A paged query: return at most ``count`` results after skipping ``skip``."""

    count: int
    skip: int
    parameters: ParamsT


@dataclass
class AdaptiveCardSearchParams:
    """What the user typed (``query_text``) into a search input bound to ``dataset``."""

    query_text: str
    dataset: str


@dataclass
class AdaptiveCardSearchResult:
    """One choice offered to the user: ``title`` is shown, ``value`` is submitted."""

    title: str
    value: str
