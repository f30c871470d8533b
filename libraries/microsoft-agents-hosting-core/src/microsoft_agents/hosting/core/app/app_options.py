"""Import path kept for code written against the published module layout."""

from ._options import ApplicationOptions

__all__ = ["ApplicationOptions"]
