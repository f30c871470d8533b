"""Import path kept for code written against the published module layout."""

from ._citations import CitationUtil

__all__ = ["CitationUtil"]
