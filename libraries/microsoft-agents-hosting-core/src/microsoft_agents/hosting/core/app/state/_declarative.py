"""``State`` and ``@state``: a state document declared as a class, kept in one storage key.

A :class:`State` is a ``dict`` whose items double as attributes. The public, non-callable
class attributes of a subclass are its defaults: every instance starts with its own deep
copy of them. ``__key__`` names the storage key the state is saved under, and ``save``
writes the items there as one JSON document (StoreItems and pydantic models serialised)::

    class Profile(State):
        name = ""
        visits = 0
        tags: list[str] = []

        @classmethod
        async def load(cls, context, storage=None):
            profile = cls()
            profile.__key__ = f"profiles/{context.activity.from_property.id}"
            ...  # read the document of profile.__key__ and copy its values into profile
            return profile

    profile = await Profile.load(context, storage)
    profile.visits += 1
    await profile.save(context, storage)

A nested ``State`` is stored inline in its parent's document. When a nested state that has a
key of its own is removed from its parent, the parent's next ``save`` deletes that key from
storage. Saving is unconditional (the last writer wins).
"""

from __future__ import annotations

import copy
import functools
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from typing_extensions import Self

from ...state import StatePropertyAccessor
from ...state._agent_state import _from_json, _StateDocument, _to_json
from ...storage import Storage

if TYPE_CHECKING:
    from ..._turn_context import TurnContext

__all__ = ["State", "state"]

logger = logging.getLogger(__name__)

# Where the storage keys of removed nested states wait for the next save. Read through
# ``_pending_deletes`` so that an instance built without ``State.__init__`` still works.
_DELETED = "__deleted__"
_KEY = "__key__"


def _pending_deletes(instance: State) -> list[str]:
    attributes = object.__getattribute__(instance, "__dict__")
    pending = attributes.get(_DELETED)
    if not isinstance(pending, list):
        pending = attributes[_DELETED] = []
    return pending


class State(dict[str, Any], ABC):
    """A dict-backed state document with attribute access, saved under ``__key__``.

    ``state.name`` and ``state["name"]`` are the same item; setting an attribute whose name
    starts with ``_``, or whose value is callable, sets a plain attribute instead. Items take
    precedence over attributes when reading. Keyword arguments of the constructor set items
    (after the class defaults); positional arguments are left to the subclass.
    """

    __key__: str = ""
    """The storage key the state is saved under; ``""`` (the default) disables ``save``."""

    __deleted__: list[str]
    """Storage keys of removed nested states, deleted by the next ``save``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.__key__ = ""
        self.__deleted__ = []
        for name in dir(self):
            if name.startswith("_"):
                continue
            default = object.__getattribute__(self, name)
            if not callable(default):
                self[name] = copy.deepcopy(default)
        for name, value in kwargs.items():
            self[name] = value

    async def save(self, _context: TurnContext, storage: Storage | None = None) -> None:
        """Write the items to ``storage`` under ``__key__``.

        First deletes the keys of nested states removed since the last save. Does nothing
        when ``storage`` is ``None`` or the key is empty.
        """
        key = self.__key__
        if storage is None or not key:
            return
        document = {name: _to_json(value) for name, value in self.items() if name != _KEY}
        removed = list(dict.fromkeys(_pending_deletes(self)))
        logger.debug("saving state %s", key)
        if removed:
            await storage.delete(removed)
        await storage.write({key: _StateDocument(document)})
        self.__deleted__ = []

    @classmethod
    @abstractmethod
    async def load(cls, context: TurnContext, storage: Storage | None = None) -> Self:
        """Build the state of this turn, reading it from ``storage`` (subclasses decide how)."""
        return cls()

    def create_property(self, name: str) -> StatePropertyAccessor:
        """An accessor for the item ``name`` (``get``/``set``/``delete``)."""
        return _ItemAccessor(self, name)

    def __setitem__(self, key: str, item: Any) -> None:
        super().__setitem__(key, item)
        pending = _pending_deletes(self)
        # an item or a nested state put back before the save is no longer to be deleted
        for restored in (key, item.__key__ if isinstance(item, State) else None):
            if restored in pending:
                pending.remove(restored)

    def __delitem__(self, key: str) -> None:
        if key in self:
            removed = self[key]
            if isinstance(removed, State) and removed.__key__:
                _pending_deletes(self).append(removed.__key__)
        super().__delitem__(key)

    def __setattr__(self, key: str, value: Any) -> None:
        if key.startswith("_") or callable(value):
            object.__setattr__(self, key, value)
        else:
            self[key] = value

    def __getattribute__(self, key: str) -> Any:
        if key in self:
            return self[key]
        return object.__getattribute__(self, key)

    def __getattr__(self, key: str) -> Any:
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{key}'")

    def __delattr__(self, key: str) -> None:
        if key not in self and key in object.__getattribute__(self, "__dict__"):
            object.__delattr__(self, key)
        else:
            del self[key]

    def __str__(self) -> str:
        return str({name: _to_json(value) for name, value in self.items()})


_StateT = TypeVar("_StateT", bound=State)

# Marks an ``__init__`` that already runs ``State.__init__`` first.
_INITIALISES_STATE = "__initialises_state__"


def _declare(cls: type[_StateT]) -> type[_StateT]:
    if not (isinstance(cls, type) and issubclass(cls, State)):
        shown = cls.__name__ if isinstance(cls, type) else repr(cls)
        raise TypeError(f"@state decorates subclasses of State, not {shown}; derive it from State")
    own_init = cls.__init__
    if own_init is State.__init__ or getattr(own_init, _INITIALISES_STATE, False):
        return cls

    @functools.wraps(own_init)
    def __init__(self: State, *args: Any, **kwargs: Any) -> None:
        State.__init__(self, *args, **kwargs)
        own_init(self, *args, **kwargs)

    setattr(__init__, _INITIALISES_STATE, True)
    cls.__init__ = __init__  # type: ignore[method-assign]
    return cls


@overload
def state(_cls: None = None) -> Callable[[type[_StateT]], type[_StateT]]: ...


@overload
def state(_cls: type[_StateT]) -> type[_StateT]: ...


def state(
    _cls: type[_StateT] | None = None,
) -> Callable[[type[_StateT]], type[_StateT]] | type[_StateT]:
    """Class decorator (``@state`` or ``@state()``) for subclasses of :class:`State`.

    The decorated class's own ``__init__`` runs after ``State.__init__``, so it may set
    items and attributes without calling ``super().__init__()``.
    """
    if _cls is None:
        return _declare
    return _declare(_cls)


class _ItemAccessor(StatePropertyAccessor):
    """Reads and writes one item of a :class:`State`; the turn context is not used."""

    def __init__(self, state: State, name: str) -> None:
        if not isinstance(state, State):
            raise TypeError(f"the accessor needs a State, not {type(state).__name__}")
        if not isinstance(name, str) or not name:
            raise ValueError("the accessor needs a non-empty item name")
        self._state = state
        self._name = name

    async def get(
        self,
        turn_context: TurnContext,
        default_value_or_factory: Any = None,
        *,
        target_cls: type[Any] | None = None,
    ) -> Any:
        """The item, or the default (a value, or a callable's result) when it is ``None``.

        The default is returned, not stored. With ``target_cls`` a stored JSON value is
        turned back into that class.
        """
        value = self._state.get(self._name)
        if value is None and default_value_or_factory is not None:
            if callable(default_value_or_factory):
                return default_value_or_factory()
            return default_value_or_factory
        return value if target_cls is None else _from_json(value, target_cls)

    async def set(self, turn_context: TurnContext, value: Any) -> None:
        """Set the item."""
        self._state[self._name] = value

    async def delete(self, turn_context: TurnContext) -> None:
        """Remove the item (nothing happens when it is missing)."""
        if self._name in self._state:
            del self._state[self._name]

    def __repr__(self) -> str:
        return f"StatePropertyAccessor({type(self._state).__name__}, {self._name!r})"
