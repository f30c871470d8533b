"""``BlobStorage``: agent state as JSON blobs in one Azure Blob Storage container."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterable
from typing import Any, cast

from azure.core import MatchConditions
from azure.core.exceptions import (
    AzureError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
)
from azure.storage.blob.aio import BlobServiceClient, ContainerClient

from microsoft_agents.hosting.core.storage import (
    ETAG_ANY,
    ETAG_CREATE_ONLY,
    AsyncStorageBase,
    StoreItem,
)
from microsoft_agents.hosting.core.storage.storage import StoreItemT

from ._config import BlobStorageConfig, validate_config
from ._retry import build_retry_policy
from ._translate import container_missing, is_blob_missing, is_container_missing, translate
from .errors import BlobKeyError, BlobStorageConflictError, blob_storage_errors

__all__ = ["BlobStorage"]

logger = logging.getLogger(__name__)

_MAX_BLOB_NAME = 1024


class BlobStorage(AsyncStorageBase):
    """Keeps each storage key as one blob of UTF-8 JSON, with eTags for optimistic concurrency.

    Keys are the blob names, unchanged (``msteams/conversations/<id>`` looks like a folder
    path in the portal). Keys that cannot name a blob faithfully are refused with
    :class:`~.errors.BlobKeyError` (a ``ValueError``): longer than 1024 characters, holding
    a backslash (the service turns it into ``/``), or having ``.``/``..`` path segments.

    Optimistic concurrency uses the blob's own eTag: ``read`` sets ``item.e_tag``, and a
    ``write`` of an item carrying one sends ``If-Match``, so a blob changed by another writer
    (or deleted) since it was read raises :class:`~.errors.BlobStorageConflictError`, a
    hosting-core ``StorageConflictError``. ``StoreItem.CREATE_ONLY`` sends
    ``If-None-Match: *``; ``None`` or ``"*"`` overwrite unconditionally.

    No network I/O happens in the constructor. The container is created on first use unless
    ``create_container=False``. Call :meth:`close` (or use ``async with``) to release the
    HTTP connections. Azure errors are raised as :class:`~.errors.BlobStorageError`
    subclasses whose messages say what to check.
    """

    def __init__(self, config: BlobStorageConfig) -> None:
        self._config = validate_config(config)
        options = dict(config.client_options)
        if "retry_policy" not in options:
            options["retry_policy"] = build_retry_policy(options)
        if config.url:
            self._service = BlobServiceClient(
                account_url=config.url, credential=config.credential, **options
            )
        else:
            self._service = BlobServiceClient.from_connection_string(
                config.connection_string, **options
            )
        self._container: ContainerClient = self._service.get_container_client(config.container_name)
        self._account_url = self._service.url.split("?", 1)[0]
        self._initialized = False
        self._init_lock = asyncio.Lock()

    @property
    def config(self) -> BlobStorageConfig:
        return self._config

    async def initialize(self) -> None:
        """Create the container (or check that it exists), once per instance."""
        if self._initialized:
            return
        async with self._init_lock:
            if self._initialized:
                return
            name = self._config.container_name
            if self._config.create_container:
                try:
                    await self._container.create_container()
                    logger.info("created blob container %r", name)
                except ResourceExistsError:
                    pass
                except AzureError as error:
                    raise translate(
                        error, f"create container {name!r}", self._account_url
                    ) from error
            else:
                try:
                    await self._container.get_container_properties()
                except ResourceNotFoundError as error:
                    raise self._container_missing(error) from error
                except AzureError as error:
                    raise translate(error, f"open container {name!r}", self._account_url) from error
            self._initialized = True

    # Keys that cannot name a blob are refused before any network I/O.
    async def read(
        self, keys: list[str], *, target_cls: type[StoreItemT], **kwargs: Any
    ) -> dict[str, StoreItemT]:
        _check_blob_names(keys)
        return await super().read(keys, target_cls=target_cls, **kwargs)

    async def write(self, changes: dict[str, StoreItem]) -> None:
        _check_blob_names(changes)
        await super().write(changes)

    async def delete(self, keys: list[str]) -> None:
        _check_blob_names(keys)
        await super().delete(keys)

    async def _read_item(
        self, key: str, *, target_cls: type[StoreItemT], **kwargs: Any
    ) -> tuple[str | None, StoreItemT | None]:
        _check_blob_name(key)
        try:
            downloader = await self._container.download_blob(
                key, timeout=self._config.read_timeout_seconds
            )
            content = await downloader.readall()
        except AzureError as error:
            if is_blob_missing(error):
                return None, None
            raise self._translate(error, f"read {key!r}") from error
        try:
            item = target_cls.from_json_to_store_item(json.loads(content))
        except AttributeError as error:
            raise TypeError(
                f"cannot build a {target_cls.__name__} from blob {key!r}: {error}"
            ) from error
        _set_e_tag(item, downloader.properties.etag)
        return key, cast(StoreItemT, item)

    async def _write_item(self, key: str, item: StoreItem) -> None:
        _check_blob_name(key)
        document = item.store_item_to_json()
        if document is None:
            raise ValueError(
                f"{type(item).__name__}.store_item_to_json() returned None for {key!r}"
            )
        data = json.dumps(document).encode("utf-8")
        condition = getattr(item, "e_tag", None)
        options: dict[str, Any] = {"overwrite": True}
        if condition == ETAG_CREATE_ONLY:
            options = {"overwrite": False}  # If-None-Match: *
        elif isinstance(condition, str) and condition != ETAG_ANY:
            options["etag"] = condition
            options["match_condition"] = MatchConditions.IfNotModified  # If-Match
        conditional = condition == ETAG_CREATE_ONLY or "etag" in options
        blob = self._container.get_blob_client(key)
        try:
            result = await blob.upload_blob(data, length=len(data), **options)
        except AzureError as error:
            if conditional and _condition_failed(error):
                raise BlobStorageConflictError(key) from error
            raise self._translate(error, f"write {key!r}") from error
        _set_e_tag(item, result.get("etag"))

    async def _delete_item(self, key: str) -> None:
        _check_blob_name(key)
        try:
            await self._container.delete_blob(key)
        except AzureError as error:
            if getattr(error, "status_code", None) == 404:
                return
            raise self._translate(error, f"delete {key!r}") from error

    def _translate(self, error: AzureError, operation: str) -> Exception:
        if is_container_missing(error):
            return self._container_missing(error)
        return translate(error, operation, self._account_url)

    def _container_missing(self, cause: BaseException) -> Exception:
        return container_missing(
            self._config.container_name,
            self._account_url,
            creation_disabled=not self._config.create_container,
            cause=cause,
        )

    async def close(self) -> None:
        """Close the HTTP connections of the container and service clients."""
        await self._container.close()
        await self._service.close()


def _check_blob_names(keys: Iterable[Any] | None) -> None:
    if isinstance(keys, (list, tuple, dict)):
        for key in keys:
            if isinstance(key, str):
                _check_blob_name(key)


def _check_blob_name(key: str) -> None:
    problem = None
    if len(key) > _MAX_BLOB_NAME:
        problem = f"it is {len(key)} characters long and blob names hold at most {_MAX_BLOB_NAME}"
    elif "\\" in key:
        problem = "the service reads a backslash as '/', so it would share a blob with another key"
    elif any(segment in (".", "..") for segment in key.split("/")):
        problem = "HTTP clients collapse '.' and '..' path segments, so the name would change"
    if problem:
        raise BlobKeyError(blob_storage_errors.InvalidKey.format(key, problem))


def _condition_failed(error: AzureError) -> bool:
    """412 (If-Match failed), 409 BlobAlreadyExists (If-None-Match failed), or a 404 of a blob
    deleted since it was read."""
    if isinstance(error, ResourceModifiedError):
        return True
    if isinstance(error, ResourceExistsError):
        return getattr(error, "status_code", None) in (409, 412)
    return is_blob_missing(error)


def _set_e_tag(item: Any, e_tag: str | None) -> None:
    with contextlib.suppress(AttributeError, TypeError, ValueError):
        item.e_tag = e_tag
