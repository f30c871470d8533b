"""The storage contract (:class:`Storage`) and a base for per-item backends.

The full contract, eTags included, is in the :class:`Storage` docstring. Every backend in this
project (memory, Azure Blob, Cosmos DB) implements it and runs the shared contract tests in
:mod:`microsoft_agents.hosting.core.storage.storage_contract`.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Iterable, Mapping
from typing import Any, TypeVar, cast

from typing_extensions import Self

from ..errors import error_resources
from ..telemetry import span
from .store_item import StoreItem

__all__ = ["AsyncStorageBase", "Storage", "StoreItemT"]

StoreItemT = TypeVar("StoreItemT", bound=StoreItem)
_T = TypeVar("_T")


class Storage(ABC):
    """A key/value store of JSON documents with optimistic concurrency.

    **Keys** are non-empty strings, used as given. An empty or ``None`` list of keys (or of
    changes) raises ``ValueError``, and so does a key equal to ``""``.

    **read(keys, *, target_cls)** returns ``{key: item}`` for the keys that exist; missing
    keys are simply left out. Each item is ``target_cls.from_json_to_store_item(json)`` and
    carries the eTag of the stored version in ``item.e_tag``: an opaque, non-empty string.

    **write(changes)** stores ``item.store_item_to_json()`` under each key. What
    ``item.e_tag`` holds decides whether the write may happen:

    * ``None`` or ``"*"`` (:data:`~.store_item.ETAG_ANY`): always; the last writer wins. Code
      that never looks at eTags therefore behaves as with a plain last-writer-wins store.
    * :data:`~.store_item.ETAG_CREATE_ONLY` (also ``StoreItem.CREATE_ONLY``): only if nothing
      is stored under the key.
    * any other value: only if the stored eTag is still exactly that value. A key that has
      been deleted since it was read does not match.

    When the condition fails, :class:`~microsoft_agents.hosting.core.errors.StorageConflictError`
    (``error.key`` names the key) is raised and nothing is written for that key. Every
    successful write gives the key a new eTag and sets ``item.e_tag`` on the item that was
    passed in, so the same object can be changed and written again.

    **Several keys in one write** are checked one by one; whether the other keys are written
    when one of them conflicts depends on the store, and every store says which it does:
    :class:`~.memory_storage.MemoryStorage` is all-or-nothing (it checks every condition
    before writing anything), while stores built on :class:`AsyncStorageBase` (Azure Blob,
    Cosmos DB) write each key independently: the keys without a conflict are written (their
    items get new eTags) and the error names one of the conflicting keys once all have
    finished.

    **delete(keys)** removes the keys; missing keys are ignored. Deletes are unconditional.

    **Isolation**: the store keeps its own copy. Changing an item (or the JSON it produced)
    after ``write`` does not change what is stored, and every ``read`` returns new objects.
    """

    @abstractmethod
    async def read(
        self, keys: list[str], *, target_cls: type[StoreItemT], **kwargs: Any
    ) -> dict[str, StoreItemT]:
        """Read ``keys``; return the items that exist, each with its ``e_tag`` set."""

    @abstractmethod
    async def write(self, changes: dict[str, StoreItem]) -> None:
        """Store each item under its key, honouring the item's ``e_tag`` condition."""

    @abstractmethod
    async def delete(self, keys: list[str]) -> None:
        """Remove ``keys``; keys that do not exist are ignored."""


class AsyncStorageBase(Storage):
    """A :class:`Storage` whose backend handles one key at a time.

    Subclasses implement :meth:`_read_item`, :meth:`_write_item` and :meth:`_delete_item`
    (and optionally :meth:`initialize`); the bulk methods validate their arguments, call
    :meth:`initialize` and then run the per-key calls concurrently. When some calls fail, the
    others still run to completion and the first failure (in key order) is raised.

    Per-key duties of the subclass, from the :class:`Storage` contract:

    * ``_read_item`` returns ``(key, item)`` with ``item.e_tag`` set to the stored eTag, or
      ``(None, None)`` when the key does not exist;
    * ``_write_item`` honours ``item.e_tag`` (unconditional, create-only or if-match), raises
      ``StorageConflictError(key)`` when the condition fails, and sets ``item.e_tag`` to the
      new eTag on success;
    * ``_delete_item`` ignores keys that do not exist.
    """

    async def initialize(self) -> None:
        """Prepare the backend (create a container, open a client...); called before every
        bulk operation, so it must be cheap once done."""

    async def close(self) -> None:
        """Release the backend's clients and connections (nothing by default)."""

    async def _close(self) -> None:
        await self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @abstractmethod
    async def _read_item(
        self, key: str, *, target_cls: type[StoreItemT], **kwargs: Any
    ) -> tuple[str | None, StoreItemT | None]:
        """Read one key: ``(key, item)`` if it exists, else ``(None, None)``."""

    @abstractmethod
    async def _write_item(self, key: str, item: StoreItem) -> None:
        """Write one item, honouring and then updating ``item.e_tag``."""

    @abstractmethod
    async def _delete_item(self, key: str) -> None:
        """Delete one key; a missing key is not an error."""

    async def read(
        self, keys: list[str], *, target_cls: type[StoreItemT], **kwargs: Any
    ) -> dict[str, StoreItemT]:
        _check_keys(keys, "read")
        with span("agents.storage.read", **{"agents.storage.key_count": len(keys)}):
            await self.initialize()
            found = await _run_all(
                self._read_item(key, target_cls=target_cls, **kwargs) for key in keys
            )
        return {key: item for key, item in found if key is not None and item is not None}

    async def write(self, changes: dict[str, StoreItem]) -> None:
        _check_changes(changes)
        with span("agents.storage.write", **{"agents.storage.key_count": len(changes)}):
            await self.initialize()
            await _run_all(self._write_item(key, item) for key, item in changes.items())

    async def delete(self, keys: list[str]) -> None:
        _check_keys(keys, "delete")
        with span("agents.storage.delete", **{"agents.storage.key_count": len(keys)}):
            await self.initialize()
            await _run_all(self._delete_item(key) for key in keys)


async def _run_all(calls: Iterable[Awaitable[_T]]) -> list[_T]:
    """Run ``calls`` concurrently, let all finish, then raise the first failure (if any)."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return cast("list[_T]", results)


def _check_key(key: object) -> None:
    if not isinstance(key, str):
        raise TypeError(f"storage keys must be str, not {type(key).__name__}")
    if not key:
        raise ValueError(str(error_resources.EmptyStorageKey))


def _check_keys(keys: object, operation: str) -> None:
    """Reject a missing or empty key list, a bare string, and empty or non-str keys."""
    if isinstance(keys, str):
        raise TypeError(f"storage {operation} takes a list of keys, not a single str")
    if not keys:
        raise ValueError(error_resources.StorageKeysRequired.format(operation))
    for key in cast("Iterable[object]", keys):
        _check_key(key)


def _check_changes(changes: object) -> None:
    """Reject missing or empty changes, bad keys and values that cannot be serialised."""
    if not changes:
        raise ValueError(error_resources.StorageKeysRequired.format("write"))
    if not isinstance(changes, Mapping):
        raise TypeError(f"storage write takes a dict of key to StoreItem, not {type(changes)}")
    for key, item in changes.items():
        _check_key(key)
        if item is None:
            raise ValueError(error_resources.StoreItemRequired.format(key, "None"))
        if not callable(getattr(item, "store_item_to_json", None)):
            raise TypeError(error_resources.StoreItemRequired.format(key, type(item).__name__))
