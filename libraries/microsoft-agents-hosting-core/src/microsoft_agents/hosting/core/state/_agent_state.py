"""``AgentState``: a scope of named values persisted as one storage document per turn."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..storage import ETAG_CREATE_ONLY, JSON, Storage, StoreItem

if TYPE_CHECKING:
    from .._turn_context import TurnContext
    from ._accessor import StatePropertyAccessor

__all__ = ["AgentState"]

logger = logging.getLogger(__name__)


def _to_json(value: Any) -> Any:
    """The JSON form of a state value: StoreItems and pydantic models are serialised."""
    if isinstance(value, StoreItem):
        return value.store_item_to_json()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, Mapping):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    return value


def _from_json(value: Any, target_cls: type[Any]) -> Any:
    """Turn a stored (JSON) value into ``target_cls``; values already of that type pass."""
    if value is None or isinstance(value, target_cls):
        return value
    data = _to_json(value)
    if isinstance(target_cls, type) and issubclass(target_cls, StoreItem):
        return target_cls.from_json_to_store_item(data)
    if isinstance(target_cls, type) and issubclass(target_cls, BaseModel):
        return target_cls.model_validate(data)
    if dataclasses.is_dataclass(target_cls) and isinstance(data, Mapping):
        return target_cls(**data)
    return value


# One encoder for every fingerprint: ``json.dumps`` with options builds a new one per call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=repr)


def _hash_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fingerprint(document: JSON) -> str:
    """A hash of a serialised state document, to tell whether it changed."""
    if not document:
        return _EMPTY_FINGERPRINT  # most scopes of most turns hold nothing
    try:
        text = _CANONICAL.encode(document)
    except (TypeError, ValueError):  # keys that cannot be sorted together, cycles...
        text = repr(document)
    return _hash_text(text)


_EMPTY_FINGERPRINT = _hash_text(_CANONICAL.encode({}))


class _StateDocument(StoreItem):
    """The stored form of a scope: one flat JSON object ``{property: value}``."""

    def __init__(self, values: JSON) -> None:
        self.values = values

    def store_item_to_json(self) -> JSON:
        return self.values

    @staticmethod
    def from_json_to_store_item(json_data: JSON) -> _StateDocument:
        return _StateDocument(dict(json_data))


class _CachedState:
    """The values of a scope for one turn, with what is needed to save them safely.

    ``e_tag`` is the write condition for the next save: the eTag the document was loaded
    with (or last saved as), ``ETAG_CREATE_ONLY`` when it did not exist, ``None`` when it was
    never read (nothing to protect). ``saved_hash`` fingerprints the stored version.
    """

    __slots__ = ("e_tag", "saved_hash", "values")

    def __init__(self, values: dict[str, Any], e_tag: str | None) -> None:
        self.values = values
        self.e_tag = e_tag
        self.saved_hash = _fingerprint(self.serialise()) if values else _EMPTY_FINGERPRINT

    def serialise(self) -> JSON:
        return {name: _to_json(value) for name, value in self.values.items()}

    # What code inspecting the cached state of a scope reads.

    @property
    def state(self) -> dict[str, Any]:
        """The live ``{property: value}`` dict (the same object as :attr:`values`)."""
        return self.values

    @property
    def has_state(self) -> bool:
        """Whether any value is set."""
        return bool(self.values)

    @property
    def is_changed(self) -> bool:
        """Whether the values differ from what was loaded or last saved."""
        return _fingerprint(self.serialise()) != self.saved_hash

    def store_item_to_json(self) -> JSON:
        """The values in their stored (JSON) form."""
        return self.serialise()

    def clear(self) -> None:
        """Remove every value (storage is updated by the next save)."""
        self.values.clear()


@dataclasses.dataclass
class _PendingSave:
    """A document about to be written for a scope, and the cache to update afterwards."""

    cache: _CachedState
    key: str
    document: _StateDocument
    fingerprint: str

    def mark_saved(self) -> None:
        """Record a successful write: its eTag is the condition of the next save."""
        self.cache.e_tag = self.document.e_tag
        self.cache.saved_hash = self.fingerprint


class AgentState(ABC):
    """Named values of one scope (a conversation, a user...) kept in a :class:`Storage`.

    Subclasses say where the scope is stored with :meth:`get_storage_key`. Per turn,
    :meth:`load` reads the document once (cached in ``turn_context.turn_state`` under
    ``context_service_key``), the ``*_value`` methods and property accessors work on the
    cached values, and :meth:`save` writes them back only if they changed.

    The stored document is a flat JSON object ``{property: value}``; StoreItem and pydantic
    values are stored in their JSON form and turned back into objects by ``target_cls``.

    Concurrency: ``save`` writes with the eTag the document was loaded with (create-only when
    it did not exist yet). If another turn saved the same document in between, ``save`` raises
    :class:`~microsoft_agents.hosting.core.errors.StorageConflictError`, writes nothing and
    keeps the values in memory; reload (``load(context, force=True)``) and apply the change
    again to retry. ``force=True`` means "write even if nothing changed", never "ignore
    conflicts". After a successful save the new eTag is remembered, so saving again in the
    same turn works.
    """

    def __init__(self, storage: Storage, context_service_key: str) -> None:
        if storage is None:
            raise TypeError(f"{type(self).__name__} needs a Storage")
        if not context_service_key:
            raise ValueError("context_service_key must be a non-empty string")
        self._storage = storage
        self._context_service_key = context_service_key
        self._cached: _CachedState | None = None

    @property
    def storage(self) -> Storage:
        """The storage this scope is kept in."""
        return self._storage

    @property
    def context_service_key(self) -> str:
        """The ``turn_context.turn_state`` key the loaded values are cached under."""
        return self._context_service_key

    def get_cached_state(self, turn_context: TurnContext | None = None) -> _CachedState | None:
        """The values this scope holds for the turn, with their change tracking
        (``state``, ``has_state``, ``is_changed``); ``None`` before anything was loaded.

        ``turn_context`` is no longer needed; passing it logs a deprecation warning.
        """
        if turn_context is not None:
            logger.warning(
                "%s.get_cached_state(): the turn_context argument is deprecated and not "
                "needed; call get_cached_state() without it.",
                type(self).__name__,
            )
        return self._cache_of(turn_context)

    @abstractmethod
    def get_storage_key(
        self, turn_context: TurnContext, *, target_cls: type[StoreItem] | None = None
    ) -> str:
        """The storage key of this scope for the turn's activity."""

    # -- loading and saving ------------------------------------------------------------------

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        """Read this scope for the turn, unless it is already loaded (or ``force``)."""
        if not force and self._adopt_loaded(turn_context):
            return
        key = self.get_storage_key(turn_context)
        items = await self._storage.read([key], target_cls=_StateDocument)
        self._set_loaded(turn_context, items.get(key))

    def _adopt_loaded(self, turn_context: TurnContext) -> bool:
        """Use the values this turn already loaded for the scope, if any."""
        cached = turn_context.turn_state.get(self._context_service_key)
        if isinstance(cached, _CachedState):
            self._cached = cached
            return True
        return False

    def _set_loaded(self, turn_context: TurnContext, document: _StateDocument | None) -> None:
        """Start the turn with ``document`` as read from storage (``None``: not stored)."""
        if document is None:
            cached = _CachedState({}, ETAG_CREATE_ONLY)
        else:
            cached = _CachedState(dict(document.values), document.e_tag)
        turn_context.turn_state[self._context_service_key] = cached
        self._cached = cached

    async def save(self, turn_context: TurnContext, force: bool = False) -> None:
        """Write the values if they changed since loaded or last saved (always if ``force``).

        Raises ``StorageConflictError`` when the stored document changed since it was read.
        """
        pending = self._prepare_save(turn_context, force)
        if pending is None:
            return
        await self._storage.write({pending.key: pending.document})
        pending.mark_saved()

    def _prepare_save(self, turn_context: TurnContext, force: bool) -> _PendingSave | None:
        """The write :meth:`save` would do now, or ``None`` when there is nothing to write."""
        cache = self._cache_of(turn_context)
        if cache is None:
            return None
        if not force and not cache.values and cache.saved_hash == _EMPTY_FINGERPRINT:
            return None  # empty, and stored (or never stored) as empty
        serialised = cache.serialise()
        fingerprint = _fingerprint(serialised)
        if not force and fingerprint == cache.saved_hash:
            return None
        document = _StateDocument(copy.deepcopy(serialised))
        document.e_tag = cache.e_tag
        return _PendingSave(cache, self.get_storage_key(turn_context), document, fingerprint)

    async def delete(self, turn_context: TurnContext) -> None:
        """Remove this scope from storage and start over with no values."""
        key = self.get_storage_key(turn_context)
        await self._storage.delete([key])
        cached = _CachedState({}, ETAG_CREATE_ONLY)
        turn_context.turn_state[self._context_service_key] = cached
        self._cached = cached

    def clear(self, turn_context: TurnContext | None = None) -> None:
        """Remove every value; storage is updated by the next :meth:`save`."""
        self._require_cache(turn_context).values.clear()

    # -- values ------------------------------------------------------------------------------

    def get(self, turn_context: TurnContext | None = None) -> dict[str, Any]:
        """The live ``{property: value}`` dict of this scope."""
        return self._require_cache(turn_context).values

    def get_value(
        self,
        property_name: str,
        default_value_factory: Callable[[], Any] | None = None,
        *,
        target_cls: type[Any] | None = None,
    ) -> Any:
        """The value of ``property_name``, or ``None``.

        With ``default_value_factory``, a missing *or falsy* value is replaced by the factory's
        result, which is stored. With ``target_cls``, a stored JSON value is turned into that
        class (StoreItem, pydantic model or dataclass) and the object is kept, so changes made
        to it are saved.
        """
        _check_name(property_name)
        values = self._require_cache().values
        value = values.get(property_name)
        if default_value_factory is not None and not value:
            value = default_value_factory()
            values[property_name] = value
        if target_cls is not None and value is not None:
            converted = _from_json(value, target_cls)
            if converted is not value:
                values[property_name] = converted
            value = converted
        return value

    def set_value(self, property_name: str, value: Any) -> None:
        """Set ``property_name`` to ``value``."""
        _check_name(property_name)
        self._require_cache().values[property_name] = value

    def delete_value(self, property_name: str) -> None:
        """Remove ``property_name`` (no error if it is not set)."""
        _check_name(property_name)
        self._require_cache().values.pop(property_name, None)

    def has_value(self, property_name: str) -> bool:
        """Whether ``property_name`` is set."""
        return property_name in self._require_cache().values

    def create_property(self, name: str) -> StatePropertyAccessor:
        """An accessor that loads this scope and reads or writes the value ``name``."""
        from ._accessor import StatePropertyAccessor

        _check_name(name)
        return StatePropertyAccessor(self, name)

    # -- cache -------------------------------------------------------------------------------

    def _cache_of(self, turn_context: TurnContext | None) -> _CachedState | None:
        if turn_context is not None:
            cached = turn_context.turn_state.get(self._context_service_key)
            if isinstance(cached, _CachedState):
                self._cached = cached
        return self._cached

    def _require_cache(self, turn_context: TurnContext | None = None) -> _CachedState:
        """The loaded values; a scope used before loading starts empty and, having never
        been read, is saved unconditionally."""
        cached = self._cache_of(turn_context)
        if cached is None:
            cached = self._cached = _CachedState({}, None)
            if turn_context is not None:
                turn_context.turn_state[self._context_service_key] = cached
        return cached


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name:
        raise ValueError("state property names must be non-empty strings")
