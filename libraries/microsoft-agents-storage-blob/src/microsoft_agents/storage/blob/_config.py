"""``BlobStorageConfig``: where the blobs live and how to reach them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import BlobStorageConfigurationError, blob_storage_errors

if TYPE_CHECKING:
    from azure.core.credentials_async import AsyncTokenCredential

__all__ = ["BlobStorageConfig"]

# BlobServiceClient keywords that configure the SDK's retry policy (ExponentialRetry).
RETRY_OPTION_NAMES = frozenset(
    {
        "retry_total",
        "retry_connect",
        "retry_read",
        "retry_status",
        "retry_to_secondary",
        "initial_backoff",
        "increment_base",
        "random_jitter_range",
    }
)


class BlobStorageConfig:
    """Settings of a :class:`~microsoft_agents.storage.blob.BlobStorage`.

    Give either ``connection_string`` (for example the one of an Azurite server or of a
    storage account), or the account ``url`` (``https://<account>.blob.core.windows.net``)
    together with an async token ``credential`` such as
    ``azure.identity.aio.DefaultAzureCredential()`` or ``ManagedIdentityCredential()``.

    Keyword-only additions of this implementation:

    * ``create_container`` (default ``True``): create the container on first use. With
      ``False`` the container must exist; the first operation checks that it does and raises
      :class:`~.errors.BlobContainerNotFoundError` otherwise. Use it when the credential may
      read and write blobs but not create containers.
    * ``client_options``: extra keywords for ``BlobServiceClient``. The SDK's retry settings
      go here: ``retry_total`` (default 3), ``initial_backoff`` (seconds, default 15),
      ``increment_base`` (default 3), ``random_jitter_range`` (default 3),
      ``retry_connect``, ``retry_read``, ``retry_status``, ``retry_to_secondary``; or a
      whole ``retry_policy`` object. Busy answers (429 and 5xx such as 503 Server Busy) are
      retried with them. Connection settings such as ``connection_timeout`` and
      ``read_timeout`` go here too.
    * ``read_timeout_seconds`` (default 5): server-side timeout of one blob download.
    """

    def __init__(
        self,
        container_name: str,
        connection_string: str = "",
        url: str = "",
        credential: AsyncTokenCredential | None = None,
        *,
        create_container: bool = True,
        client_options: Mapping[str, Any] | None = None,
        read_timeout_seconds: int = 5,
    ) -> None:
        self.container_name = container_name
        self.connection_string = connection_string
        self.url = url
        self.credential = credential
        self.create_container = create_container
        self.client_options: dict[str, Any] = dict(client_options or {})
        self.read_timeout_seconds = read_timeout_seconds

    def __repr__(self) -> str:  # never shows the connection string: it holds the account key
        return (
            f"BlobStorageConfig(container_name={self.container_name!r}, url={self.url!r}, "
            f"connection_string={'<set>' if self.connection_string else ''!r}, "
            f"credential={type(self.credential).__name__ if self.credential else None}, "
            f"create_container={self.create_container})"
        )


def validate_config(config: object) -> BlobStorageConfig:
    """Check what a BlobStorage needs before any client is built."""
    if config is None:
        raise BlobStorageConfigurationError(str(blob_storage_errors.BlobStorageConfigRequired))
    if not isinstance(config, BlobStorageConfig):
        raise TypeError(f"BlobStorage needs a BlobStorageConfig, not {type(config).__name__}")
    if not config.container_name:
        raise BlobStorageConfigurationError(str(blob_storage_errors.BlobContainerNameRequired))
    if config.url:
        if config.credential is None:
            raise BlobStorageConfigurationError(
                blob_storage_errors.InvalidConfiguration.format(
                    "Credential is required when using a custom service URL"
                )
            )
    elif not config.connection_string:
        raise BlobStorageConfigurationError(
            str(blob_storage_errors.BlobConnectionStringOrUrlRequired)
        )
    clashing = {"retry_policy"} & set(config.client_options) and (
        RETRY_OPTION_NAMES & set(config.client_options)
    )
    if clashing:
        raise BlobStorageConfigurationError(
            blob_storage_errors.InvalidConfiguration.format(
                "client_options has both a retry_policy and retry settings "
                f"({', '.join(sorted(clashing))}); give one or the other"
            )
        )
    return config
