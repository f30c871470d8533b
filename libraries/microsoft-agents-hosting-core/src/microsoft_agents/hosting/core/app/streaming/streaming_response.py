"""Import path kept for code written against the published module layout."""

from ._response import StreamingResponse

__all__ = ["StreamingResponse"]
