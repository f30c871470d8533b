"""Import path kept for code written against the published module layout."""

from ..errors import ApplicationError

__all__ = ["ApplicationError"]
