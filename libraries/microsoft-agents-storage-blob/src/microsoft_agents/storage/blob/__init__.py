"""Azure Blob Storage for agent state: :class:`BlobStorage` and :class:`BlobStorageConfig`.

Each storage key is one blob of JSON in a container. Reads hand out the blob's eTag and
writes of an item carrying one are conditional, so turns running in several replicas never
overwrite each other's state unseen (see :class:`BlobStorage`). Errors are in
:mod:`microsoft_agents.storage.blob.errors`.
"""

from ._blob_storage import BlobStorage
from ._config import BlobStorageConfig
from ._retry import ThrottlingRetry
from .errors import (
    BlobAuthenticationError,
    BlobConnectionError,
    BlobContainerNotFoundError,
    BlobKeyError,
    BlobStorageConfigurationError,
    BlobStorageConflictError,
    BlobStorageError,
    BlobThrottledError,
    blob_storage_errors,
)

__all__ = [
    "BlobAuthenticationError",
    "BlobConnectionError",
    "BlobContainerNotFoundError",
    "BlobKeyError",
    "BlobStorage",
    "BlobStorageConfig",
    "BlobStorageConfigurationError",
    "BlobStorageConflictError",
    "BlobStorageError",
    "BlobThrottledError",
    "ThrottlingRetry",
    "blob_storage_errors",
]
