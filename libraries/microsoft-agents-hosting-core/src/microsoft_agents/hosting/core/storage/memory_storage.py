"""``MemoryStorage``: a process-local :class:`Storage` for development and tests."""

from __future__ import annotations

import copy
import threading
import uuid
from typing import Any, cast

from ..errors import StorageConflictError
from ..telemetry import span, tracing_enabled
from ._type_aliases import JSON
from .storage import Storage, StoreItemT, _check_changes, _check_keys
from .store_item import ETAG_ANY, ETAG_CREATE_ONLY, StoreItem, _get_e_tag, _set_e_tag

__all__ = ["MemoryStorage"]


class MemoryStorage(Storage):
    """Keeps JSON documents in a dict, with eTags, for one process.

    ``state`` (optional) is the dict to keep the documents in, ``{key: json}``; pass one to
    seed the store or to look at what was written. Everything else follows the
    :class:`Storage` contract, including eTags, with these specifics:

    * documents are deep-copied on the way in and on the way out, so neither the caller's
      objects nor the returned items share data with the store;
    * a write of several keys is all-or-nothing with respect to eTags: every condition is
      checked first, and if one fails :class:`StorageConflictError` is raised and none of the
      keys is written;
    * eTags are random strings, new on every write.

    The store is safe to share between tasks and threads. Its critical sections never await,
    so the internal lock is only ever held for the in-memory copy.
    """

    def __init__(self, state: dict[str, JSON] | None = None) -> None:
        if state is not None and not isinstance(state, dict):
            raise TypeError(f"state must be a dict of key to JSON, not {type(state).__name__}")
        self._memory: dict[str, JSON] = state if state is not None else {}
        self._e_tags: dict[str, str] = {}
        self._lock = threading.Lock()

    async def read(
        self, keys: list[str], *, target_cls: type[StoreItemT], **kwargs: Any
    ) -> dict[str, StoreItemT]:
        _check_keys(keys, "read")
        if target_cls is None:
            raise ValueError("MemoryStorage.read needs target_cls to build the items")
        if tracing_enabled():
            with span("agents.storage.read", **{"agents.storage.key_count": len(keys)}):
                found = self._copies_of(keys)
        else:
            found = self._copies_of(keys)
        result: dict[str, StoreItemT] = {}
        for key, (document, e_tag) in found.items():
            item = target_cls.from_json_to_store_item(document)
            _set_e_tag(item, e_tag)
            result[key] = cast(StoreItemT, item)
        return result

    async def write(self, changes: dict[str, StoreItem]) -> None:
        _check_changes(changes)
        with span("agents.storage.write", **{"agents.storage.key_count": len(changes)}):
            documents = {
                key: (copy.deepcopy(item.store_item_to_json()), _get_e_tag(item))
                for key, item in changes.items()
            }
            new_e_tags: dict[str, str] = {}
            with self._lock:
                for key, (_, condition) in documents.items():
                    if not self._condition_holds(key, condition):
                        raise StorageConflictError(key)
                for key, (document, _) in documents.items():
                    self._memory[key] = document
                    new_e_tags[key] = self._e_tags[key] = uuid.uuid4().hex
        for key, item in changes.items():
            _set_e_tag(item, new_e_tags[key])

    async def delete(self, keys: list[str]) -> None:
        _check_keys(keys, "delete")
        span_attributes = {"agents.storage.key_count": len(keys)}
        with span("agents.storage.delete", **span_attributes), self._lock:
            for key in keys:
                self._memory.pop(key, None)
                self._e_tags.pop(key, None)

    def _copies_of(self, keys: list[str]) -> dict[str, tuple[JSON, str]]:
        found: dict[str, tuple[JSON, str]] = {}
        with self._lock:
            memory = self._memory
            for key in keys:
                if key in memory:
                    found[key] = (copy.deepcopy(memory[key]), self._e_tag_of(key))
        return found

    def _e_tag_of(self, key: str) -> str:
        """The eTag of a stored key; documents seeded through ``state`` get one on demand."""
        e_tag = self._e_tags.get(key)
        if e_tag is None:
            e_tag = self._e_tags[key] = uuid.uuid4().hex
        return e_tag

    def _condition_holds(self, key: str, condition: str | None) -> bool:
        if condition is None or condition == ETAG_ANY:
            return True
        exists = key in self._memory
        if condition == ETAG_CREATE_ONLY:
            return not exists
        return exists and self._e_tag_of(key) == condition
