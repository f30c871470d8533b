"""Errors of the Azure Blob storage: the exception tree and the catalogue of messages.

Every failure of the Blob service reaches the caller as a :class:`BlobStorageError` (a
hosting-core ``StorageError``); the Azure SDK exception is kept as ``__cause__`` and its
HTTP status and service error code are copied to ``status_code`` and ``error_code``. A
conditional write that lost a race raises :class:`BlobStorageConflictError`, which is also the
hosting-core ``StorageConflictError``. Bad configuration and keys that cannot name a blob are
``ValueError`` subclasses as well.

Codes: ``-61100 .. -61199``.
"""

from __future__ import annotations

from microsoft_agents.activity.errors import ErrorMessage
from microsoft_agents.hosting.core.errors import StorageConflictError, StorageError

__all__ = [
    "BlobAuthenticationError",
    "BlobConnectionError",
    "BlobContainerNotFoundError",
    "BlobKeyError",
    "BlobStorageConfigurationError",
    "BlobStorageConflictError",
    "BlobStorageError",
    "BlobStorageErrorResources",
    "BlobThrottledError",
    "blob_storage_errors",
]


class BlobStorageErrorResources:
    """Messages of the Blob storage, each with a stable error code."""

    BlobStorageConfigRequired = ErrorMessage("BlobStorage needs a BlobStorageConfig.", -61100)
    BlobConnectionStringOrUrlRequired = ErrorMessage(
        "BlobStorageConfig needs either connection_string, or url together with credential.",
        -61101,
    )
    BlobContainerNameRequired = ErrorMessage(
        "BlobStorageConfig needs a container_name (3-63 lowercase letters, digits and dashes).",
        -61102,
    )
    # {0}: what is wrong
    InvalidConfiguration = ErrorMessage("Invalid configuration: {0}", -61103)
    # {0}: container, {1}: account URL, {2}: what to do
    ContainerNotFound = ErrorMessage("The blob container {0!r} does not exist in {1}. {2}", -61104)
    # {0}: operation, {1}: account URL, {2}: HTTP status and service code
    AuthenticationFailed = ErrorMessage(
        "Azure Blob Storage refused the credentials while trying to {0} in {1} ({2}). Check the "
        "AccountKey of the connection string, or that the credential given as "
        "BlobStorageConfig(url=..., credential=...) can get a token and has a data role such "
        "as 'Storage Blob Data Contributor' on the account (or the container).",
        -61105,
    )
    # {0}: operation, {1}: account URL, {2}: HTTP status and service code
    Throttled = ErrorMessage(
        "Azure Blob Storage was still busy after the retries while trying to {0} in {1} ({2}). "
        "Retry later, spread the load, or allow more or slower retries with "
        "BlobStorageConfig(client_options={{'retry_total': ..., 'initial_backoff': ..., "
        "'increment_base': ...}}).",
        -61106,
    )
    # {0}: operation, {1}: account URL, {2}: the underlying error
    Unreachable = ErrorMessage(
        "Cannot reach Azure Blob Storage at {1} to {0}: {2}. Check the BlobEndpoint of the "
        "connection string (or url) and the network; for local development start Azurite "
        "(bash scripts/start-azurite.sh).",
        -61107,
    )
    # {0}: the key, {1}: why it cannot be a blob name
    InvalidKey = ErrorMessage("Storage key {0!r} cannot be stored as a blob name: {1}.", -61108)
    # {0}: operation, {1}: account URL, {2}: HTTP status and service code, {3}: service message
    ServiceError = ErrorMessage("Azure Blob Storage failed to {0} in {1} ({2}): {3}", -61109)


blob_storage_errors = BlobStorageErrorResources()


class BlobStorageError(StorageError):
    """A Blob storage operation failed; the message says what to check."""

    def __init__(
        self, message: str, *, status_code: int | None = None, error_code: str | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error_code = error_code


class BlobStorageConfigurationError(BlobStorageError, ValueError):
    """The configuration cannot work (also a ``ValueError``)."""


class BlobKeyError(BlobStorageError, ValueError):
    """A storage key cannot be used as a blob name (also a ``ValueError``)."""


class BlobStorageConflictError(StorageConflictError, BlobStorageError):
    """A conditional write lost: the blob changed (or appeared) since it was read."""

    def __init__(self, key: str) -> None:
        StorageConflictError.__init__(self, key)
        self.status_code = None
        self.error_code = None


class BlobContainerNotFoundError(BlobStorageError):
    """The container does not exist and this storage may not (or could not) create it."""


class BlobAuthenticationError(BlobStorageError):
    """The account key, SAS or token credential was refused or could not get a token."""


class BlobThrottledError(BlobStorageError):
    """The service stayed busy (HTTP 429/503) after every configured retry."""


class BlobConnectionError(BlobStorageError):
    """The service could not be reached at all."""
