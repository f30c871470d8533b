"""Azure Cosmos DB (NoSQL) storage for agent state: :class:`CosmosDBStorage` and
:class:`CosmosDBStorageConfig`.

Each storage key is one document in a container. Reads hand out the document's eTag and
writes of an item carrying one are conditional, so turns running in several replicas never
overwrite each other's state unseen (see :class:`CosmosDBStorage`). Key escaping is in
:mod:`~microsoft_agents.storage.cosmos.key_ops`, errors in
:mod:`~microsoft_agents.storage.cosmos.errors`.
"""

from ._config import CosmosDBStorageConfig
from ._cosmos_storage import CosmosDBStorage
from .errors import (
    CosmosDBAuthenticationError,
    CosmosDBConfigurationError,
    CosmosDBConnectionError,
    CosmosDBContainerNotFoundError,
    CosmosDBKeyError,
    CosmosDBStorageConflictError,
    CosmosDBStorageError,
    CosmosDBThrottledError,
    storage_errors,
)
from .key_ops import sanitize_key, truncate_key

__all__ = [
    "CosmosDBAuthenticationError",
    "CosmosDBConfigurationError",
    "CosmosDBConnectionError",
    "CosmosDBContainerNotFoundError",
    "CosmosDBKeyError",
    "CosmosDBStorage",
    "CosmosDBStorageConfig",
    "CosmosDBStorageConflictError",
    "CosmosDBStorageError",
    "CosmosDBThrottledError",
    "sanitize_key",
    "storage_errors",
    "truncate_key",
]
