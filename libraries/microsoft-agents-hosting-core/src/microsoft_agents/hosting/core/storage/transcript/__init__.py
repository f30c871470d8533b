"""Conversation transcripts: record what an agent received and sent, and read it back.

:class:`TranscriptLoggerMiddleware` hands every activity of a turn to a
:class:`TranscriptLogger` once the turn's logic has finished. Loggers that can also read,
list and delete what they recorded are :class:`TranscriptStore`\\ s:

* :class:`TranscriptMemoryStore` — in the process, for tests and prototypes;
* :class:`FileTranscriptStore` — one JSON-lines file per conversation under a root folder;
* :class:`ConsoleTranscriptLogger` and :class:`FileTranscriptLogger` — write-only, for
  debugging (indented JSON to standard output or appended to a file).

Reads and listings come as :class:`PagedResult`\\ s; pass ``continuation_token`` back to get
the next page.
"""

from ._file_store import FileTranscriptStore
from ._memory_store import TranscriptMemoryStore
from ._transcript_base import PagedResult, TranscriptInfo, TranscriptLogger, TranscriptStore
from ._transcript_loggers import (
    ConsoleTranscriptLogger,
    FileTranscriptLogger,
    TranscriptLoggerMiddleware,
)

__all__ = [
    "ConsoleTranscriptLogger",
    "FileTranscriptLogger",
    "FileTranscriptStore",
    "PagedResult",
    "TranscriptInfo",
    "TranscriptLogger",
    "TranscriptLoggerMiddleware",
    "TranscriptMemoryStore",
    "TranscriptStore",
]
