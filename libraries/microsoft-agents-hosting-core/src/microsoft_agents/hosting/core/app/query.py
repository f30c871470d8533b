"""Import path kept for code written against the published module layout."""

from .adaptive_card.models import Query

__all__ = ["Query"]
