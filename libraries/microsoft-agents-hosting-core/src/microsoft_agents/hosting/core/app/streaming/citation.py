"""Import path kept for code written against the published module layout."""

from ._citations import Citation

__all__ = ["Citation"]
