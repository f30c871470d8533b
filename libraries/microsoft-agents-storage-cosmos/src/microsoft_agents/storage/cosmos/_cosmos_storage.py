"""``CosmosDBStorage``: agent state as documents in one Cosmos DB (NoSQL) container."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any, cast

from azure.core import MatchConditions
from azure.core.exceptions import AzureError
from azure.cosmos import PartitionKey
from azure.cosmos.aio import ContainerProxy, CosmosClient
from azure.cosmos.exceptions import (
    CosmosAccessConditionFailedError,
    CosmosResourceExistsError,
    CosmosResourceNotFoundError,
)
from azure.cosmos.partition_key import NonePartitionKeyValue

from microsoft_agents.hosting.core.storage import (
    ETAG_ANY,
    ETAG_CREATE_ONLY,
    AsyncStorageBase,
    StoreItem,
)
from microsoft_agents.hosting.core.storage.storage import StoreItemT

from ._client import build_client
from ._config import CosmosDBStorageConfig
from ._translate import container_missing, is_owner_missing, translate
from .errors import (
    CosmosDBConfigurationError,
    CosmosDBKeyError,
    CosmosDBStorageConflictError,
    storage_errors,
)
from .key_ops import sanitize_key

__all__ = ["CosmosDBStorage"]

logger = logging.getLogger(__name__)

_ID_PARTITION_PATH = "/id"
_LEGACY_PARTITION_PATH = "/_partitionKey"
_MAX_ID_BYTES = 1023


class CosmosDBStorage(AsyncStorageBase):
    """Keeps each storage key as one Cosmos DB document, with eTags for optimistic concurrency.

    A key becomes the document id through :func:`~.key_ops.sanitize_key` (forbidden
    characters escaped, ``key_suffix`` appended, long keys hashed in compatibility mode). The
    document is ``{"id": <id>, "realId": <key>, "document": <item JSON>}``, partitioned on
    its id; containers made by older SDKs, partitioned on ``/_partitionKey``, are used with
    the "none" partition key value.

    Optimistic concurrency uses the document's ``_etag``: ``read`` sets ``item.e_tag``, and a
    ``write`` of an item carrying one replaces the document only if it still has that eTag,
    else :class:`~.errors.CosmosDBStorageConflictError` (a hosting-core
    ``StorageConflictError``) is raised; a document deleted since it was read conflicts too.
    ``StoreItem.CREATE_ONLY`` creates the document only if it does not exist; ``None`` or
    ``"*"`` upsert unconditionally.

    No network I/O happens in the constructor; :meth:`initialize` (run before the first
    operation) opens the client and creates the database and container unless
    ``create_container=False``. Call :meth:`close` (or use ``async with``) to release the
    client. Azure errors are raised as :class:`~.errors.CosmosDBStorageError` subclasses
    whose messages say what to check.
    """

    def __init__(self, config: CosmosDBStorageConfig) -> None:
        CosmosDBStorageConfig.validate_cosmos_db_config(config)
        self._config = config
        self._client: CosmosClient
        self._client, self._endpoint = build_client(config)
        self._container: ContainerProxy | None = None
        self._legacy_partition = False
        self._init_lock = asyncio.Lock()

    @property
    def config(self) -> CosmosDBStorageConfig:
        return self._config

    async def initialize(self) -> None:
        """Open the client and the container (creating them if allowed), once per instance."""
        if self._container is not None:
            return
        async with self._init_lock:
            if self._container is not None:
                return
            try:
                container, properties = await self._open_container()
            except CosmosResourceNotFoundError as error:
                raise self._container_missing(error) from error
            except AzureError as error:
                raise translate(error, "open the container", self._endpoint) from error
            paths = (properties.get("partitionKey") or {}).get("paths") or []
            if paths == [_LEGACY_PARTITION_PATH]:
                self._legacy_partition = True
            elif paths != [_ID_PARTITION_PATH]:
                raise CosmosDBConfigurationError(
                    storage_errors.CosmosDbPartitionKeyPathInvalid.format(
                        self._config.container_id, ", ".join(paths) or "nothing"
                    )
                    if paths
                    else storage_errors.CosmosDbPartitionKeyNotFound.format(
                        self._config.container_id
                    )
                )
            self._container = container

    async def _open_container(self) -> tuple[ContainerProxy, dict[str, Any]]:
        config = self._config
        await self._client.__aenter__()  # opens the connection pool, reads the account
        if not config.create_container:
            database = self._client.get_database_client(config.database_id)
            container = database.get_container_client(config.container_id)
            return container, await container.read()
        try:
            database = await self._client.create_database_if_not_exists(config.database_id)
        except CosmosResourceExistsError:  # another replica created it a moment ago
            database = self._client.get_database_client(config.database_id)
        options: dict[str, Any] = {}
        if config.container_throughput is not None:
            options["offer_throughput"] = config.container_throughput
        try:
            container = await database.create_container(
                config.container_id,
                partition_key=PartitionKey(path=_ID_PARTITION_PATH, kind="Hash"),
                **options,
            )
            logger.info("created Cosmos DB container %r", config.container_id)
        except CosmosResourceExistsError:
            container = database.get_container_client(config.container_id)
        return container, await container.read()

    def _opened(self) -> ContainerProxy:
        assert self._container is not None, "initialize() runs before every operation"
        return self._container

    def _id_of(self, key: str) -> str:
        if not key:
            raise CosmosDBKeyError(str(storage_errors.CosmosDbKeyCannotBeEmpty))
        document_id = sanitize_key(key, self._config.key_suffix, self._config.compatibility_mode)
        size = len(document_id.encode("utf-8"))
        if size > _MAX_ID_BYTES:
            raise CosmosDBKeyError(storage_errors.KeyTooLong.format(key, size))
        return document_id

    def _partition_of(self, document_id: str) -> Any:
        return NonePartitionKeyValue if self._legacy_partition else document_id

    # Keys that cannot become an id are refused before any network I/O.
    async def read(
        self, keys: list[str], *, target_cls: type[StoreItemT], **kwargs: Any
    ) -> dict[str, StoreItemT]:
        self._check_ids(keys)
        return await super().read(keys, target_cls=target_cls, **kwargs)

    async def write(self, changes: dict[str, StoreItem]) -> None:
        self._check_ids(changes)
        await super().write(changes)

    async def delete(self, keys: list[str]) -> None:
        self._check_ids(keys)
        await super().delete(keys)

    def _check_ids(self, keys: Iterable[Any] | None) -> None:
        if isinstance(keys, (list, tuple, dict)):
            for key in keys:
                if isinstance(key, str) and key:
                    self._id_of(key)

    async def _read_item(
        self, key: str, *, target_cls: type[StoreItemT], **kwargs: Any
    ) -> tuple[str | None, StoreItemT | None]:
        document_id = self._id_of(key)
        try:
            stored = await self._opened().read_item(
                item=document_id, partition_key=self._partition_of(document_id)
            )
        except CosmosResourceNotFoundError as error:
            if is_owner_missing(error):
                raise self._container_missing(error) from error
            return None, None
        except AzureError as error:
            raise translate(error, f"read {key!r}", self._endpoint) from error
        try:
            item = target_cls.from_json_to_store_item(stored["document"])
        except AttributeError as error:
            raise TypeError(
                f"cannot build a {target_cls.__name__} from Cosmos DB document {key!r}: {error}"
            ) from error
        _set_e_tag(item, stored.get("_etag"))
        return stored.get("realId", key), cast(StoreItemT, item)

    async def _write_item(self, key: str, item: StoreItem) -> None:
        document_id = self._id_of(key)
        document = item.store_item_to_json()
        if document is None:
            raise ValueError(
                f"{type(item).__name__}.store_item_to_json() returned None for {key!r}"
            )
        body = {"id": document_id, "realId": key, "document": document}
        condition = getattr(item, "e_tag", None)
        container = self._opened()
        try:
            if condition is None or condition == ETAG_ANY:
                written = await container.upsert_item(body)
            elif condition == ETAG_CREATE_ONLY:
                written = await container.create_item(body)
            else:
                written = await container.replace_item(
                    item=document_id,
                    body=body,
                    etag=condition,
                    match_condition=MatchConditions.IfNotModified,
                )
        except (CosmosAccessConditionFailedError, CosmosResourceExistsError) as error:
            raise CosmosDBStorageConflictError(key) from error
        except CosmosResourceNotFoundError as error:
            if is_owner_missing(error) or condition in (None, ETAG_ANY, ETAG_CREATE_ONLY):
                raise self._container_missing(error) from error
            raise CosmosDBStorageConflictError(key) from error  # deleted since it was read
        except AzureError as error:
            raise translate(error, f"write {key!r}", self._endpoint) from error
        _set_e_tag(item, written.get("_etag") if written else None)

    async def _delete_item(self, key: str) -> None:
        document_id = self._id_of(key)
        try:
            await self._opened().delete_item(
                item=document_id, partition_key=self._partition_of(document_id)
            )
        except CosmosResourceNotFoundError:
            return
        except AzureError as error:
            raise translate(error, f"delete {key!r}", self._endpoint) from error

    def _container_missing(self, cause: BaseException) -> Exception:
        return container_missing(
            self._config.database_id,
            self._config.container_id,
            self._endpoint,
            creation_disabled=not self._config.create_container,
            cause=cause,
        )

    async def close(self) -> None:
        """Close the client and its connections."""
        self._container = None
        await self._client.close()


def _set_e_tag(item: Any, e_tag: str | None) -> None:
    with contextlib.suppress(AttributeError, TypeError, ValueError):
        item.e_tag = e_tag
