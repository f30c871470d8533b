"""``StoreItem``: an object that a :class:`Storage` can persist, and the eTag conventions.

Every item read from a storage carries the eTag of the stored version in ``item.e_tag``.
Writing the item back with that eTag succeeds only while nobody else has written the key in
between. Two special values change the condition:

* ``None`` or :data:`ETAG_ANY` (``"*"``): write unconditionally (last writer wins).
* :data:`ETAG_CREATE_ONLY`: write only if the key does not exist yet.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from ._type_aliases import JSON

__all__ = ["ETAG_ANY", "ETAG_CREATE_ONLY", "StoreItem"]

ETAG_ANY = "*"
"""eTag meaning "whatever is stored": the write is unconditional."""

ETAG_CREATE_ONLY = "!create-only"
"""eTag meaning "nothing is stored yet": the write succeeds only if the key does not exist.

No storage ever hands out this value as a real eTag.
"""

# Where the eTag lives on an item. It is kept in the instance ``__dict__`` rather than as a
# declared attribute so that pydantic models and dataclasses deriving from StoreItem do not
# gain a field: their serialised form, equality and constructor stay exactly as written.
_E_TAG_SLOT = "__store_item_e_tag__"


class StoreItem(ABC):
    """Base of everything a :class:`~microsoft_agents.hosting.core.storage.Storage` stores.

    Subclasses turn themselves into a JSON object and back. ``e_tag`` is managed by the
    storage: it is set on every item returned by ``read`` and updated on every item passed to
    a successful ``write``. Leave it alone (``None``) to write unconditionally.
    """

    ANY: ClassVar[str] = ETAG_ANY
    """Same as :data:`ETAG_ANY`."""

    CREATE_ONLY: ClassVar[str] = ETAG_CREATE_ONLY
    """Same as :data:`ETAG_CREATE_ONLY`."""

    @property
    def e_tag(self) -> str | None:
        """The eTag of the stored version this item came from, or the write condition.

        ``None`` (the default) and ``"*"`` mean "write unconditionally";
        :attr:`CREATE_ONLY` means "write only if nothing is stored under the key".
        """
        try:
            value = vars(self).get(_E_TAG_SLOT)
        except TypeError:  # an instance without __dict__
            return None
        return value if isinstance(value, str) else None

    @e_tag.setter
    def e_tag(self, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise TypeError(f"e_tag must be a str or None, not {type(value).__name__}")
        vars(self)[_E_TAG_SLOT] = value

    @abstractmethod
    def store_item_to_json(self) -> JSON:
        """Return this item as a JSON object (a mapping of plain JSON values)."""

    @staticmethod
    @abstractmethod
    def from_json_to_store_item(json_data: JSON) -> StoreItem:
        """Build an item from the JSON object :meth:`store_item_to_json` produced."""


def _get_e_tag(item: Any) -> str | None:
    """The eTag of any stored object: StoreItems and duck-typed items alike."""
    value = getattr(item, "e_tag", None)
    return value if isinstance(value, str) else None


def _set_e_tag(item: Any, value: str | None) -> None:
    """Record ``value`` as the eTag of ``item``; silently skip objects that cannot hold one."""
    with contextlib.suppress(AttributeError, TypeError, ValueError):
        item.e_tag = value
