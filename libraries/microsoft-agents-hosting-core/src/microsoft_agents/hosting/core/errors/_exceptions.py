"""The exception tree of the hosting core."""

from __future__ import annotations

__all__ = ["ApplicationError", "HostingError", "StorageConflictError", "StorageError"]


class HostingError(Exception):
    """Base of every error the hosting core raises on purpose."""


class ApplicationError(HostingError):
    """An ``AgentApplication`` is configured or used in a way that cannot work."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StorageError(HostingError):
    """A storage operation failed; the message says which keys and what to check."""


class StorageConflictError(StorageError):
    """A write carried an eTag that no longer matches the stored item.

    Someone else changed the item after it was read. Nothing was written for the
    conflicting key; re-read the item, apply the change again and write with the new eTag.
    """

    def __init__(self, key: str, message: str | None = None) -> None:
        super().__init__(
            message
            or f"storage item {key!r} was changed by another writer since it was read; "
            "re-read it and apply the change again"
        )
        self.key = key
