"""Errors of the Cosmos DB storage: the exception tree and the catalogue of messages.

Every failure of the Cosmos DB service reaches the caller as a :class:`CosmosDBStorageError`
(a hosting-core ``StorageError``); the Azure SDK exception is kept as ``__cause__`` and its
HTTP status and sub-status are copied to ``status_code`` and ``sub_status``. A conditional
write that lost a race raises :class:`CosmosDBStorageConflictError`, which is also the
hosting-core ``StorageConflictError``. Bad configuration and unusable keys are ``ValueError``
subclasses as well.

Codes: ``-61000 .. -61099``.
"""

from __future__ import annotations

from microsoft_agents.activity.errors import ErrorMessage
from microsoft_agents.hosting.core.errors import StorageConflictError, StorageError

__all__ = [
    "CosmosDBAuthenticationError",
    "CosmosDBConfigurationError",
    "CosmosDBConnectionError",
    "CosmosDBContainerNotFoundError",
    "CosmosDBKeyError",
    "CosmosDBStorageConflictError",
    "CosmosDBStorageError",
    "CosmosDBThrottledError",
    "StorageErrorResources",
    "storage_errors",
]


class StorageErrorResources:
    """Messages of the Cosmos DB storage, each with a stable error code."""

    CosmosDbConfigRequired = ErrorMessage("CosmosDBStorage needs a CosmosDBStorageConfig.", -61000)
    CosmosDbEndpointRequired = ErrorMessage(
        "CosmosDBStorageConfig needs cosmos_db_endpoint (with auth_key), or url with a credential.",
        -61001,
    )
    CosmosDbAuthKeyRequired = ErrorMessage(
        "CosmosDBStorageConfig needs auth_key together with cosmos_db_endpoint "
        "(or url with a token credential instead).",
        -61002,
    )
    CosmosDbDatabaseIdRequired = ErrorMessage("CosmosDBStorageConfig needs a database_id.", -61003)
    CosmosDbContainerIdRequired = ErrorMessage(
        "CosmosDBStorageConfig needs a container_id.", -61004
    )
    CosmosDbKeyCannotBeEmpty = ErrorMessage("Storage keys must not be empty.", -61005)
    # {0}: the partition key value, {1}: the document id
    CosmosDbPartitionKeyInvalid = ErrorMessage(
        "Partition key {0!r} does not belong to document {1!r}.", -61006
    )
    # {0}: container id, {1}: its partition key paths
    CosmosDbPartitionKeyPathInvalid = ErrorMessage(
        "Custom Partition Key Paths are not supported: container {0!r} is partitioned on {1}. "
        "Use a container partitioned on /id (containers of older SDKs on /_partitionKey also "
        "work), or let the storage create one.",
        -61007,
    )
    CosmosDbCompatibilityModeRequired = ErrorMessage(
        "key_suffix cannot be combined with compatibility_mode: keys are only shortened in "
        "compatibility mode, and a suffix could then be cut off. Turn one of them off.",
        -61008,
    )
    # {0}: container id
    CosmosDbPartitionKeyNotFound = ErrorMessage(
        "Cannot tell how container {0!r} is partitioned: its properties have no partition key.",
        -61009,
    )
    # {0}: the value
    CosmosDbInvalidPartitionKeyValue = ErrorMessage("Invalid partition key value {0!r}.", -61010)
    # {0}: the suffix
    CosmosDbInvalidKeySuffixCharacters = ErrorMessage(
        "Cannot use invalid Row Key characters: {0} in keySuffix. Characters \\ ? / # * "
        "tab and line breaks are not allowed.",
        -61011,
    )
    # {0}: what is wrong
    InvalidConfiguration = ErrorMessage("Invalid configuration: {0}", -61012)
    # {0}: database id, {1}: container id, {2}: endpoint, {3}: what to do
    ContainerNotFound = ErrorMessage(
        "The Cosmos DB container {1!r} of database {0!r} does not exist at {2}. {3}", -61013
    )
    # {0}: operation, {1}: endpoint, {2}: status
    AuthenticationFailed = ErrorMessage(
        "Cosmos DB refused the credentials while trying to {0} at {1} ({2}). Check auth_key (the "
        "account's primary or secondary key), or that the credential given as "
        "CosmosDBStorageConfig(url=..., credential=...) can get a token and has a data-plane "
        "role such as 'Cosmos DB Built-in Data Contributor' on the account.",
        -61014,
    )
    # {0}: operation, {1}: endpoint, {2}: status
    Throttled = ErrorMessage(
        "Cosmos DB was still throttling or unavailable after the retries while trying to {0} at "
        "{1} ({2}). Retry later, raise the container throughput (container_throughput), or allow "
        "more or longer retries with cosmos_client_options={{'retry_total': ..., "
        "'retry_backoff_max': ..., 'retry_fixed_interval': ...}}.",
        -61015,
    )
    # {0}: operation, {1}: endpoint, {2}: the underlying error
    Unreachable = ErrorMessage(
        "Cannot reach Cosmos DB at {1} to {0}: {2}. Check cosmos_db_endpoint (or url) and the "
        "network; for local development start a server (bash scripts/start-cosmos.sh).",
        -61016,
    )
    # {0}: operation, {1}: endpoint, {2}: status, {3}: service message
    ServiceError = ErrorMessage("Cosmos DB failed to {0} at {1} ({2}): {3}", -61017)
    # {0}: the key, {1}: length in bytes of its id
    KeyTooLong = ErrorMessage(
        "Storage key {0!r} makes a Cosmos DB id of {1} bytes; ids hold at most 1023 bytes. "
        "Use shorter keys, or compatibility_mode=True to shorten long keys with a hash.",
        -61018,
    )


storage_errors = StorageErrorResources()


class CosmosDBStorageError(StorageError):
    """A Cosmos DB storage operation failed; the message says what to check."""

    def __init__(
        self, message: str, *, status_code: int | None = None, sub_status: int | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.sub_status = sub_status


class CosmosDBConfigurationError(CosmosDBStorageError, ValueError):
    """The configuration cannot work (also a ``ValueError``)."""


class CosmosDBKeyError(CosmosDBStorageError, ValueError):
    """A storage key cannot become a Cosmos DB id (also a ``ValueError``)."""


class CosmosDBStorageConflictError(StorageConflictError, CosmosDBStorageError):
    """A conditional write lost: the document changed (or appeared) since it was read."""

    def __init__(self, key: str) -> None:
        StorageConflictError.__init__(self, key)
        self.status_code = None
        self.sub_status = None


class CosmosDBContainerNotFoundError(CosmosDBStorageError):
    """The database or container does not exist and may not (or could not) be created."""


class CosmosDBAuthenticationError(CosmosDBStorageError):
    """The key or token credential was refused, or no token could be had."""


class CosmosDBThrottledError(CosmosDBStorageError):
    """The service kept answering 429 (or 503) after every configured retry."""


class CosmosDBConnectionError(CosmosDBStorageError):
    """The service could not be reached at all."""
