"""``CosmosDBStorageConfig``: which account, database and container, and how to reach them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CosmosDBConfigurationError, storage_errors
from .key_ops import sanitize_key

if TYPE_CHECKING:
    from azure.core.credentials_async import AsyncTokenCredential

__all__ = ["CosmosDBStorageConfig"]

# Settings a JSON file (``filename=...``) may supply, with their defaults.
_FILE_SETTINGS: dict[str, Any] = {
    "cosmos_db_endpoint": "",
    "auth_key": "",
    "database_id": "",
    "container_id": "",
    "cosmos_client_options": None,
    "container_throughput": None,
    "key_suffix": "",
    "compatibility_mode": False,
    "url": "",
    "connection_string": "",
    "create_container": True,
}


class CosmosDBStorageConfig:
    """Settings of a :class:`~microsoft_agents.storage.cosmos.CosmosDBStorage`.

    Reach the account with ``cosmos_db_endpoint`` and ``auth_key``, or with its ``url`` and
    an async token ``credential`` (``azure.identity.aio.DefaultAzureCredential()``...).
    ``database_id`` and ``container_id`` are required; both are created on first use, the
    container partitioned on ``/id`` and, when ``container_throughput`` is set, with that
    many RU/s.

    * ``cosmos_client_options``: ``connection_policy`` (an
      ``azure.cosmos.documents.ConnectionPolicy``) and ``consistency_level``; any other key is
      passed to ``CosmosClient`` as a keyword. The SDK's retry settings go there:
      ``retry_total`` (throttled (429) requests are retried up to this many times, default 9),
      ``retry_backoff_max`` (seconds to keep retrying them, default 30),
      ``retry_fixed_interval`` (milliseconds between them instead of the server's
      ``x-ms-retry-after-ms``), ``retry_connect``, ``retry_read``, ``retry_backoff_factor``;
      503 answers are retried by the SDK on the other regions of the account (and once on
      a single-region account).
    * ``key_suffix``: appended to every id (for several agents sharing a container); it may
      not contain the characters ids cannot hold, and not be combined with
      ``compatibility_mode``.
    * ``compatibility_mode``: shorten ids longer than 255 characters with a hash, as older
      SDKs did (see :mod:`~microsoft_agents.storage.cosmos.key_ops`).
    * ``filename`` (keyword): a JSON file whose snake_case keys supply any of the settings
      above; arguments given to the constructor win over the file.

    Keyword additions of this implementation (also accepted from the file):
    ``connection_string`` (``AccountEndpoint=...;AccountKey=...;``, instead of endpoint and
    key) and ``create_container`` (default ``True``; with ``False`` the database and
    container must exist and the first operation raises
    :class:`~.errors.CosmosDBContainerNotFoundError` otherwise).
    """

    def __init__(
        self,
        cosmos_db_endpoint: str = "",
        auth_key: str = "",
        database_id: str = "",
        container_id: str = "",
        cosmos_client_options: dict[str, Any] | None = None,
        container_throughput: int | None = None,
        key_suffix: str = "",
        compatibility_mode: bool = False,
        url: str = "",
        credential: AsyncTokenCredential | None = None,
        **kwargs: Any,
    ) -> None:
        filename = kwargs.pop("filename", None)
        from_file = _read_settings(filename) if filename else {}
        given = {
            "cosmos_db_endpoint": cosmos_db_endpoint,
            "auth_key": auth_key,
            "database_id": database_id,
            "container_id": container_id,
            "cosmos_client_options": cosmos_client_options,
            "container_throughput": container_throughput,
            "key_suffix": key_suffix,
            "compatibility_mode": compatibility_mode,
            "url": url,
            "connection_string": kwargs.pop("connection_string", ""),
            "create_container": kwargs.pop("create_container", True),
        }
        values = {
            name: value if value != _FILE_SETTINGS[name] else from_file.get(name, value)
            for name, value in given.items()
        }
        self.cosmos_db_endpoint: str = values["cosmos_db_endpoint"] or ""
        self.auth_key: str = values["auth_key"] or ""
        self.database_id: str = values["database_id"] or ""
        self.container_id: str = values["container_id"] or ""
        self.cosmos_client_options: dict[str, Any] = dict(values["cosmos_client_options"] or {})
        self.container_throughput: int | None = values["container_throughput"]
        self.key_suffix: str = values["key_suffix"] or ""
        self.compatibility_mode: bool = bool(values["compatibility_mode"])
        self.url: str = values["url"] or ""
        self.credential = credential
        self.connection_string: str = values["connection_string"] or ""
        self.create_container: bool = bool(values["create_container"])

    def __repr__(self) -> str:  # never shows the key or the connection string
        return (
            f"CosmosDBStorageConfig(cosmos_db_endpoint={self.cosmos_db_endpoint!r}, "
            f"url={self.url!r}, database_id={self.database_id!r}, "
            f"container_id={self.container_id!r}, auth_key={'<set>' if self.auth_key else ''!r}, "
            f"key_suffix={self.key_suffix!r}, compatibility_mode={self.compatibility_mode})"
        )

    @staticmethod
    def validate_cosmos_db_config(config: CosmosDBStorageConfig | None) -> None:
        """Raise ``ValueError`` when ``config`` cannot work: missing, no database or container
        id, a key suffix with compatibility mode, or a suffix with forbidden characters.
        (The endpoint and key are checked when the storage builds its client.)"""
        if config is None:
            raise CosmosDBConfigurationError(str(storage_errors.CosmosDbConfigRequired))
        if not config.database_id:
            raise CosmosDBConfigurationError(str(storage_errors.CosmosDbDatabaseIdRequired))
        if not config.container_id:
            raise CosmosDBConfigurationError(str(storage_errors.CosmosDbContainerIdRequired))
        if config.key_suffix:
            if config.compatibility_mode:
                raise CosmosDBConfigurationError(
                    str(storage_errors.CosmosDbCompatibilityModeRequired)
                )
            if sanitize_key(config.key_suffix, compatibility_mode=False) != config.key_suffix:
                raise CosmosDBConfigurationError(
                    storage_errors.CosmosDbInvalidKeySuffixCharacters.format(config.key_suffix)
                )


def _read_settings(filename: str | Path) -> dict[str, Any]:
    path = Path(filename)
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CosmosDBConfigurationError(
            storage_errors.InvalidConfiguration.format(f"cannot read {path}: {error}")
        ) from error
    if not isinstance(settings, dict):
        raise CosmosDBConfigurationError(
            storage_errors.InvalidConfiguration.format(f"{path} must hold a JSON object")
        )
    return {name: value for name, value in settings.items() if name in _FILE_SETTINGS}
