"""Storage of JSON documents for agent state, with optimistic concurrency.

:class:`Storage` is the contract every store implements; :class:`MemoryStorage` keeps
documents in the process, and other distributions add Azure Blob and Cosmos DB stores.

Optimistic concurrency (an addition to the published SDK, which is last-writer-wins):
every stored document has an eTag, an opaque string that changes on every write. ``read``
hands it out in ``item.e_tag``; ``write`` uses the item's ``e_tag`` as its condition:

* ``None`` or ``"*"`` (:data:`ETAG_ANY`) — write unconditionally. Items that never touch
  ``e_tag`` get this, so code written for a last-writer-wins store keeps working unchanged.
* a real eTag — write only if the stored document still has that eTag, else raise
  :class:`~microsoft_agents.hosting.core.errors.StorageConflictError` and write nothing
  for that key.
* :data:`ETAG_CREATE_ONLY` (``StoreItem.CREATE_ONLY``) — write only if the key does not
  exist yet.

A successful write sets ``item.e_tag`` to the new eTag. Several keys in one write:
``MemoryStorage`` is all-or-nothing, per-key stores (``AsyncStorageBase``) write the keys that
do not conflict; see :class:`Storage` for the complete contract.

The reusable contract tests for any store live in :mod:`.storage_contract` (needs pytest).

Conversation transcripts (middleware, loggers and stores) live in :mod:`.transcript`.
"""

from ._type_aliases import JSON
from .error_handling import ErrorFilter, ignore_error, is_status_code_error
from .memory_storage import MemoryStorage
from .storage import AsyncStorageBase, Storage
from .store_item import ETAG_ANY, ETAG_CREATE_ONLY, StoreItem
from .transcript import (
    ConsoleTranscriptLogger,
    FileTranscriptLogger,
    FileTranscriptStore,
    PagedResult,
    TranscriptInfo,
    TranscriptLogger,
    TranscriptLoggerMiddleware,
    TranscriptStore,
)

__all__ = [
    "ETAG_ANY",
    "ETAG_CREATE_ONLY",
    "JSON",
    "AsyncStorageBase",
    "ConsoleTranscriptLogger",
    "ErrorFilter",
    "FileTranscriptLogger",
    "FileTranscriptStore",
    "MemoryStorage",
    "PagedResult",
    "Storage",
    "StoreItem",
    "TranscriptInfo",
    "TranscriptLogger",
    "TranscriptLoggerMiddleware",
    "TranscriptStore",
    "ignore_error",
    "is_status_code_error",
]
