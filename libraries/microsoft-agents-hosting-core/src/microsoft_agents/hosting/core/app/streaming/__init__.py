"""Streamed replies: ``StreamingResponse`` and the citations it carries."""

from ._citations import Citation, CitationUtil
from ._response import StreamingResponse

__all__ = ["Citation", "CitationUtil", "StreamingResponse"]
